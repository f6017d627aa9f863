import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIClient

from biys.accounts import services
from biys.accounts.models import ApiToken, Role, RoleAssignment, User
from biys.accounts.tokens import hash_key, new_key, store_key
from biys.core.models import ObjectChange

BASE = "/api/v1/accounts"


@pytest.fixture
def network_admin(make_user, org_tree):
    return make_user("administrator", org_tree["network"], username="ag-yonetici")


@pytest.fixture
def software_user(make_user, org_tree):
    return make_user("technician", org_tree["software"], username="yazilimci")


@pytest.fixture
def helpdesk_user(make_user, org_tree):
    return make_user("technician", org_tree["helpdesk"], username="destekci")


def api_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_users_are_scoped(network_admin, helpdesk_user, software_user):
    api = api_for(network_admin)
    names = {row["username"] for row in api.get(f"{BASE}/users/").json()["results"]}
    assert names == {"ag-yonetici", "destekci"}
    assert api.get(f"{BASE}/users/{software_user.pk}/").status_code == 404
    assert api.patch(f"{BASE}/users/{software_user.pk}/", {"first_name": "X"}).status_code == 404


def test_chief_of_another_unit_gets_nothing(make_user, org_tree, helpdesk_user):
    chief = make_user("chief", org_tree["software"])
    api = api_for(chief)
    assert api.get(f"{BASE}/users/").json()["results"] == []
    assert api.get(f"{BASE}/users/{helpdesk_user.pk}/").status_code == 404
    assignment = helpdesk_user.role_assignments.get()
    assert api.get(f"{BASE}/role-assignments/{assignment.pk}/").status_code == 404
    # No accounts permission anywhere: refused before any lookup.
    assert api.delete(f"{BASE}/role-assignments/{assignment.pk}/").status_code == 403
    response = api.post(
        f"{BASE}/role-assignments/",
        {
            "user": chief.pk,
            "role": Role.objects.get(slug="chief").pk,
            "unit": org_tree["helpdesk"].pk,
        },
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_admin_of_another_unit_cannot_touch_its_assignments(network_admin, software_user):
    assignment = software_user.role_assignments.get()
    api = api_for(network_admin)
    assert api.get(f"{BASE}/role-assignments/{assignment.pk}/").status_code == 404
    assert api.delete(f"{BASE}/role-assignments/{assignment.pk}/").status_code == 404
    ids = {row["id"] for row in api.get(f"{BASE}/role-assignments/").json()["results"]}
    assert assignment.pk not in ids
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_admin_updates_and_deactivates_a_user(network_admin, helpdesk_user):
    store_key(helpdesk_user, new_key())
    api = api_for(network_admin)
    response = api.patch(
        f"{BASE}/users/{helpdesk_user.pk}/", {"first_name": "Elif", "is_active": False}
    )
    assert response.status_code == 200, response.json()
    helpdesk_user.refresh_from_db()
    assert helpdesk_user.first_name == "Elif" and not helpdesk_user.is_active
    assert not ApiToken.objects.filter(user=helpdesk_user).exists()


def test_create_user_validates_the_password(network_admin, org_tree):
    from biys.org.models import Person

    person = Person.objects.create(
        first_name="Ece", last_name="Kurt", employment_type="memur", unit=org_tree["helpdesk"]
    )
    api = api_for(network_admin)
    weak = api.post(f"{BASE}/users/", {"username": "ece", "password": "123", "person": person.pk})
    assert weak.status_code == 400
    assert "password" in weak.json()["errors"]
    created = api.post(
        f"{BASE}/users/",
        {"username": "ece", "password": "Ece-Kurt-Parola-9", "person": person.pk},
    )
    assert created.status_code == 201, created.json()
    assert "password" not in created.json()
    assert User.objects.get(username="ece").check_password("Ece-Kurt-Parola-9")


def test_bad_input_is_a_400_problem(network_admin, helpdesk_user, org_tree):
    api = api_for(network_admin)
    response = api.post(
        f"{BASE}/role-assignments/", {"user": helpdesk_user.pk, "role": "x", "unit": 999999}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert {"role", "unit"} <= set(response.json()["errors"])
    bad_email = api.patch(f"{BASE}/users/{helpdesk_user.pk}/", {"email": "not-an-email"})
    assert bad_email.status_code == 400
    assert "email" in bad_email.json()["errors"]


def test_role_assignment_create_and_delete(network_admin, helpdesk_user, org_tree):
    api = api_for(network_admin)
    chief = Role.objects.get(slug="chief")
    response = api.post(
        f"{BASE}/role-assignments/",
        {"user": helpdesk_user.pk, "role": chief.pk, "unit": org_tree["helpdesk"].pk},
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    duplicate = api.post(
        f"{BASE}/role-assignments/",
        {"user": helpdesk_user.pk, "role": chief.pk, "unit": org_tree["helpdesk"].pk},
    )
    assert duplicate.status_code == 400
    assert api.delete(f"{BASE}/role-assignments/{pk}/").status_code == 204
    assert not RoleAssignment.objects.filter(pk=pk).exists()


def test_no_privilege_escalation_through_a_stronger_role(make_user, org_tree, helpdesk_user):
    """A custom 'unit user manager' may assign roles but not one that grants more than it has."""
    from django.contrib.auth.models import Permission

    manager_role = Role.objects.create(slug="kullanici-yoneticisi", name="Kullanıcı yöneticisi")
    manager_role.permissions.set(
        Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=["view_user", "view_role", "add_roleassignment", "view_roleassignment"],
        )
    )
    manager = make_user("kullanici-yoneticisi", org_tree["network"])
    api = api_for(manager)
    response = api.post(
        f"{BASE}/role-assignments/",
        {
            "user": helpdesk_user.pk,
            "role": Role.objects.get(slug="administrator").pk,
            "unit": org_tree["helpdesk"].pk,
        },
    )
    assert response.status_code == 403
    assert not helpdesk_user.role_assignments.filter(role__slug="administrator").exists()


def test_roles_readable_by_admins_writable_only_municipality_wide(admin_user, make_user):
    api = api_for(admin_user)
    roles = api.get(f"{BASE}/roles/").json()["results"]
    auditor = next(role for role in roles if role["slug"] == "auditor")
    assert "core.view_objectchange" in auditor["permissions"]
    assert api.post(f"{BASE}/roles/", {"slug": "yeni", "name": "Yeni"}).status_code == 403

    root = api_for(make_user(superuser=True, username="kok"))
    response = root.post(
        f"{BASE}/roles/",
        {"slug": "yeni", "name": "Yeni", "permissions": ["org.view_person", "yok.yok"]},
    )
    assert response.status_code == 400
    assert "permissions" in response.json()["errors"]
    response = root.post(
        f"{BASE}/roles/", {"slug": "yeni", "name": "Yeni", "permissions": ["org.view_person"]}
    )
    assert response.status_code == 201, response.json()
    assert root.delete(f"{BASE}/roles/{Role.objects.get(slug='chief').pk}/").status_code == 400


def test_me(helpdesk_user, org_tree):
    api = api_for(helpdesk_user)
    data = api.get(f"{BASE}/me/").json()
    assert data["username"] == "destekci"
    assert [(r["role_slug"], r["unit"]) for r in data["roles"]] == [
        ("technician", org_tree["helpdesk"].pk)
    ]
    assert data["access"]["permissions"]["org.view_person"] == [org_tree["helpdesk"].pk]
    assert "org.change_person" not in data["access"]["permissions"]


def test_me_with_a_token(helpdesk_user):
    key = new_key()
    store_key(helpdesk_user, key)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(f"{BASE}/me/").json()["username"] == "destekci"
    assert APIClient().get(f"{BASE}/me/").status_code in (401, 403)


def test_a_kept_token_fails_at_once_when_revoked_or_its_login_is_switched_off(helpdesk_user):
    """The process keeps a token's user under the generation of the tokens and logins: the
    request after a revocation or a deactivation is refused, however the change was written."""
    from django.db import connection
    from django.utils import timezone

    from biys.accounts.models import ApiToken
    from biys.accounts.tokens import TOKEN_GENERATION
    from biys.core import generations

    key = new_key()
    store_key(helpdesk_user, key)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(f"{BASE}/me/").status_code == 200
    assert api.get(f"{BASE}/me/").json()["first_name"] == helpdesk_user.first_name
    User.objects.filter(pk=helpdesk_user.pk).update(first_name="Yeni Ad")
    assert api.get(f"{BASE}/me/").json()["first_name"] == "Yeni Ad"
    before = generations.current(TOKEN_GENERATION)
    User.objects.filter(pk=helpdesk_user.pk).update(last_login=timezone.now())
    assert generations.current(TOKEN_GENERATION) == before  # a sign-in changes nothing
    with connection.cursor() as cursor:  # switched off in SQL: the database notices
        cursor.execute(
            "UPDATE accounts_user SET is_active = %s WHERE id = %s", [False, helpdesk_user.pk]
        )
    assert api.get(f"{BASE}/me/").status_code in (401, 403)
    User.objects.filter(pk=helpdesk_user.pk).update(is_active=True)
    assert api.get(f"{BASE}/me/").status_code == 200
    ApiToken.objects.filter(user=helpdesk_user).delete()
    assert api.get(f"{BASE}/me/").status_code in (401, 403)
    wrong, guessed = APIClient(), new_key()
    wrong.credentials(HTTP_AUTHORIZATION=f"Token {guessed}")
    assert wrong.get(f"{BASE}/me/").status_code in (401, 403)
    from biys.accounts import tokens

    assert not [key for key in tokens._users_by_hash._entries if key[1] == hash_key(guessed)]


def test_user_changes_are_change_logged_without_the_password(network_admin, helpdesk_user):
    services.update_user(actor=network_admin, user=helpdesk_user, first_name="Elif")
    services.deactivate_user(actor=network_admin, user=helpdesk_user)
    records = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(helpdesk_user.pk)
    ).order_by("id")
    assert [r.action for r in records] == ["update", "update"]
    first, second = records
    assert first.postchange_data["first_name"] == "Elif"
    assert (
        second.prechange_data["is_active"] is True and second.postchange_data["is_active"] is False
    )
    assert second.unit_id == helpdesk_user.person.unit_id
    for record in records:
        assert "password" not in record.postchange_data
        assert helpdesk_user.password not in str(record.postchange_data)
