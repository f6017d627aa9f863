"""User and role screens: scoped to the administrator's units (others are 404)."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from biys.accounts.models import ApiToken, Role, RoleAssignment, User
from biys.accounts.tokens import hash_key, new_key, store_key


@pytest.fixture
def network_admin(make_user, org_tree):
    return make_user("administrator", org_tree["network"], username="ag-yonetici")


@pytest.fixture
def software_user(make_user, org_tree):
    return make_user("technician", org_tree["software"], username="yazilimci")


@pytest.fixture
def helpdesk_user(make_user, org_tree):
    return make_user("technician", org_tree["helpdesk"], username="destekci")


def test_user_list_shows_only_users_of_the_admins_units(
    client, network_admin, helpdesk_user, software_user
):
    client.force_login(network_admin)
    response = client.get(reverse("accounts:users"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "destekci" in body and "ag-yonetici" in body
    assert "yazilimci" not in body


def test_user_list_search_and_filter(client, admin_user, helpdesk_user, software_user):
    client.force_login(admin_user)
    body = client.get(reverse("accounts:users"), {"q": "destek"}).content.decode()
    assert "destekci" in body and "yazilimci" not in body
    software_user.is_active = False
    software_user.save()
    body = client.get(reverse("accounts:users"), {"active": "0"}).content.decode()
    assert "yazilimci" in body and "destekci" not in body


def test_another_units_user_is_404_on_every_page(client, network_admin, software_user):
    client.force_login(network_admin)
    pk = software_user.pk
    for name in ("accounts:user", "accounts:user_edit", "accounts:user_access"):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    for name in ("accounts:user_deactivate", "accounts:user_person", "accounts:assignment_add"):
        assert client.post(reverse(name, args=[pk])).status_code == 404, name
    software_user.refresh_from_db()
    assert software_user.is_active


def test_chief_may_not_manage_users(client, make_user, org_tree, helpdesk_user):
    chief = make_user("chief", org_tree["network"])
    client.force_login(chief)
    assert client.get(reverse("accounts:users")).status_code == 403
    assert client.get(reverse("accounts:user", args=[helpdesk_user.pk])).status_code == 404
    assert client.get(reverse("accounts:roles")).status_code == 403


def test_requester_sees_no_administration_menu(client, make_user, org_tree):
    requester = make_user("requester", org_tree["roads"])
    client.force_login(requester)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:users") not in body


def test_admin_sees_administration_menu(client, admin_user):
    client.force_login(admin_user)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:users") in body and reverse("accounts:roles") in body


def test_user_detail_and_edit(client, network_admin, helpdesk_user):
    client.force_login(network_admin)
    detail = client.get(reverse("accounts:user", args=[helpdesk_user.pk]))
    assert detail.status_code == 200
    assert "Teknik Destek Şefliği" in detail.content.decode()
    response = client.post(
        reverse("accounts:user_edit", args=[helpdesk_user.pk]),
        {
            "first_name": "Elif",
            "last_name": "Şahin",
            "email": "elif@belediye.local",
            "language": "tr",
        },
    )
    assert response.status_code == 302
    helpdesk_user.refresh_from_db()
    assert (helpdesk_user.first_name, helpdesk_user.email) == ("Elif", "elif@belediye.local")


def test_deactivate_ends_sessions_and_token(client, network_admin, helpdesk_user):
    from django.test import Client

    other = Client()
    other.force_login(helpdesk_user)
    store_key(helpdesk_user, new_key())
    assert Session.objects.count() == 1

    client.force_login(network_admin)
    response = client.post(reverse("accounts:user_deactivate", args=[helpdesk_user.pk]))
    assert response.status_code == 302
    helpdesk_user.refresh_from_db()
    assert not helpdesk_user.is_active
    assert not ApiToken.objects.filter(user=helpdesk_user).exists()
    assert Session.objects.count() == 1  # only the administrator's own
    assert other.get(reverse("accounts:profile")).status_code == 302  # back to login

    client.post(reverse("accounts:user_activate", args=[helpdesk_user.pk]))
    helpdesk_user.refresh_from_db()
    assert helpdesk_user.is_active


def test_assign_and_remove_a_role_on_the_user_page(client, network_admin, helpdesk_user, org_tree):
    client.force_login(network_admin)
    chief = Role.objects.get(slug="chief")
    response = client.post(
        reverse("accounts:assignment_add", args=[helpdesk_user.pk]),
        {"role": chief.pk, "unit": org_tree["helpdesk"].pk, "include_subtree": "on"},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=helpdesk_user, role=chief)
    assert assignment.unit == org_tree["helpdesk"]

    client.post(reverse("accounts:assignment_delete", args=[assignment.pk]))
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_who_sees_a_user_but_may_not_assign_roles_is_refused(client, make_user, org_tree):
    """The auditor reads the network's users; assigning a role is 403 (not a redirect with a
    form error), and nothing is assigned."""
    auditor = make_user("auditor", org_tree["network"])
    colleague = make_user("requester", org_tree["network"])
    client.force_login(auditor)
    assert client.get(reverse("accounts:user", args=[colleague.pk])).status_code == 200
    response = client.post(
        reverse("accounts:assignment_add", args=[colleague.pk]),
        {"role": Role.objects.get(slug="requester").pk, "unit": org_tree["network"].pk},
    )
    assert response.status_code == 403
    assert colleague.role_assignments.count() == 1


def test_deactivating_revokes_only_the_roles_the_admin_may_remove(
    client, network_admin, helpdesk_user, org_tree
):
    """A unit's administrator deactivating a user of their unit removes the roles held there;
    a role over another unit (roads) is that unit's administrators' to remove."""
    roads = RoleAssignment.objects.create(
        user=helpdesk_user, role=Role.objects.get(slug="requester"), unit=org_tree["roads"]
    )
    client.force_login(network_admin)
    response = client.post(
        reverse("accounts:user_deactivate", args=[helpdesk_user.pk]), {"revoke_roles": "1"}
    )
    assert response.status_code == 302
    helpdesk_user.refresh_from_db()
    assert not helpdesk_user.is_active
    assert list(helpdesk_user.role_assignments.all()) == [roads]


def test_role_cannot_be_assigned_in_a_unit_outside_the_admins(
    client, network_admin, helpdesk_user, org_tree
):
    client.force_login(network_admin)
    client.post(
        reverse("accounts:assignment_add", args=[helpdesk_user.pk]),
        {"role": Role.objects.get(slug="chief").pk, "unit": org_tree["software"].pk},
    )
    assert not RoleAssignment.objects.filter(user=helpdesk_user, role__slug="chief").exists()


def test_assignment_in_another_unit_cannot_be_removed(client, network_admin, software_user):
    client.force_login(network_admin)
    assignment = software_user.role_assignments.get()
    assert (
        client.post(reverse("accounts:assignment_delete", args=[assignment.pk])).status_code == 404
    )
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_link_person(client, network_admin, org_tree):
    from biys.org.models import Person

    client.force_login(network_admin)
    user = User.objects.create_user("bagsiz", password="Parola-Guclu-123")
    RoleAssignment.objects.create(
        user=user, role=Role.objects.get(slug="requester"), unit=org_tree["helpdesk"]
    )
    person = Person.objects.create(
        first_name="Zeynep", last_name="Arslan", employment_type="memur", unit=org_tree["network"]
    )
    outsider = Person.objects.create(
        first_name="Can", last_name="Öz", employment_type="memur", unit=org_tree["software"]
    )
    client.post(reverse("accounts:user_person", args=[user.pk]), {"person": outsider.pk})
    user.refresh_from_db()
    assert user.person is None
    client.post(reverse("accounts:user_person", args=[user.pk]), {"person": person.pk})
    user.refresh_from_db()
    assert user.person == person


def test_create_user_with_password_policy(client, network_admin, org_tree):
    from biys.org.models import Person

    person = Person.objects.create(
        first_name="Ece", last_name="Kurt", employment_type="memur", unit=org_tree["helpdesk"]
    )
    client.force_login(network_admin)
    url = reverse("accounts:user_add")
    weak = client.post(url, {"username": "ece", "password": "kisa", "person": person.pk})
    assert weak.status_code == 200
    assert not User.objects.filter(username="ece").exists()
    response = client.post(
        url, {"username": "ece", "password": "Ece-Kurt-Parola-9", "person": person.pk}
    )
    assert response.status_code == 302
    assert User.objects.get(username="ece").person == person


def test_effective_access_page(client, network_admin, helpdesk_user, org_tree):
    client.force_login(network_admin)
    response = client.get(reverse("accounts:user_access", args=[helpdesk_user.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "org.view_person" in body
    assert "Teknik Destek Şefliği" in body
    assert "Yazılım Şube Müdürlüğü" not in body
    assert "org.change_person" not in body
    modules = {module.app_label: module for module in response.context["modules"]}
    person_view = next(p for p in modules["org"].permissions if p.codename == "org.view_person")
    assert [unit.name for unit in person_view.units] == ["Teknik Destek Şefliği"]


def test_effective_access_shows_nothing_of_the_units_outside_the_viewers(
    client, network_admin, helpdesk_user, org_tree
):
    """The user's page hides the roles held over units outside the administrator's access; the
    effective access page does not reveal them either."""
    RoleAssignment.objects.create(
        user=helpdesk_user, role=Role.objects.get(slug="chief"), unit=org_tree["roads"]
    )
    client.force_login(network_admin)
    response = client.get(reverse("accounts:user_access", args=[helpdesk_user.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Teknik Destek Şefliği" in body
    assert org_tree["roads"].name not in body
    assert "org.change_person" not in body  # held over roads only (as chief)


def test_roles_list_and_detail(client, admin_user):
    client.force_login(admin_user)
    body = client.get(reverse("accounts:roles")).content.decode()
    assert "Denetçi" in body and "Teknisyen" in body  # built-in roles in the reader's language
    auditor = Role.objects.get(slug="auditor")
    detail = client.get(reverse("accounts:role", args=[auditor.pk]))
    assert detail.status_code == 200


def test_role_edit_needs_a_municipality_wide_administrator(client, admin_user, make_user, org_tree):
    # admin_user holds the role over the IT department only: roles are shared municipality-wide.
    client.force_login(admin_user)
    assert client.get(reverse("accounts:role_add")).status_code == 403

    root = make_user(superuser=True, username="kok")
    client.force_login(root)
    page = client.get(reverse("accounts:role_add"))
    assert page.status_code == 200
    view_person = Permission.objects.get(codename="view_person")
    assert f'value="{view_person.pk}"' in page.content.decode()
    response = client.post(
        reverse("accounts:role_add"),
        {
            "slug": "envanter",
            "name": "Envanter sorumlusu",
            "requires_two_factor": "on",
            "permissions": [view_person.pk],
        },
    )
    assert response.status_code == 302
    role = Role.objects.get(slug="envanter")
    assert role.requires_two_factor
    assert list(role.permissions.all()) == [view_person]


def test_builtin_role_cannot_be_deleted(client, make_user):
    root = make_user(superuser=True, username="kok")
    client.force_login(root)
    chief = Role.objects.get(slug="chief")
    client.post(reverse("accounts:role_delete", args=[chief.pk]))
    assert Role.objects.filter(pk=chief.pk).exists()


def test_profile_and_token_page(client, helpdesk_user):
    client.force_login(helpdesk_user)
    profile = client.get(reverse("accounts:profile"))
    assert profile.status_code == 200
    assert "Teknik Destek Şefliği" in profile.content.decode()

    created = client.post(reverse("accounts:token"), {"action": "create"})
    key = created.context["new_key"]
    assert ApiToken.objects.get(user=helpdesk_user).key_hash == hash_key(key)
    assert key in created.content.decode()
    assert key not in client.get(reverse("accounts:token")).content.decode()  # shown once

    client.post(reverse("accounts:token"), {"action": "create"})
    assert ApiToken.objects.get(user=helpdesk_user).key_hash != hash_key(key)  # regenerated
    client.post(reverse("accounts:token"), {"action": "delete"})
    assert not ApiToken.objects.filter(user=helpdesk_user).exists()


def test_only_a_superuser_changes_a_superuser(
    client, network_admin, admin_user, make_user, org_tree
):
    """A superuser whose staff record is in a unit is not its administrators' to edit,
    deactivate or bring back, nor the administrator's of the whole department who is not one."""
    from biys.accounts import services

    root = make_user(None, org_tree["network"], superuser=True, username="kurucu")
    for actor in (network_admin, admin_user):
        client.force_login(actor)
        assert client.get(reverse("accounts:user", args=[root.pk])).status_code == 200
        assert client.get(reverse("accounts:user_edit", args=[root.pk])).status_code == 403
        assert client.post(reverse("accounts:user_deactivate", args=[root.pk])).status_code == 403
        root.refresh_from_db()
        assert root.is_active
        with pytest.raises(PermissionDenied):
            services.update_user(actor=actor, user=root, email="baska@example.org")
    services.deactivate_user(actor=make_user(superuser=True), user=root)
    client.force_login(network_admin)
    assert client.post(reverse("accounts:user_activate", args=[root.pk])).status_code == 403
    root.refresh_from_db()
    assert not root.is_active and root.email == ""


def test_reactivating_needs_every_role_the_user_holds(
    client, network_admin, helpdesk_user, make_user, org_tree
):
    """A user's roles come back with the account: a unit's administrator may not bring back
    one who holds a role over a unit they do not manage."""
    from biys.accounts import services

    services.deactivate_user(actor=None, user=helpdesk_user)
    roads = RoleAssignment.objects.create(
        user=helpdesk_user, role=Role.objects.get(slug="chief"), unit=org_tree["roads"]
    )
    client.force_login(network_admin)
    url = reverse("accounts:user_activate", args=[helpdesk_user.pk])
    assert client.post(url).status_code == 403
    helpdesk_user.refresh_from_db()
    assert not helpdesk_user.is_active
    roads.delete()
    assert client.post(url).status_code == 302
    helpdesk_user.refresh_from_db()
    assert helpdesk_user.is_active
