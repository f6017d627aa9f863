"""Directory login and sync against a real slapd on loopback (fixture in conftest.py)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from biys.accounts.ldap import parse_role_map
from biys.accounts.models import ApiToken, RoleAssignment, User
from biys.accounts.tests.slapd import person_entry
from biys.accounts.tokens import new_key, store_key
from biys.core.models import ObjectChange
from biys.org.models import Person


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.fixture
def ayse_person(org_tree):
    return Person.objects.create(
        first_name="Ayşe",
        last_name="Yılmaz",
        employment_type="memur",
        unit=org_tree["helpdesk"],
        sicil_no="1001",
    )


def test_directory_password_logs_in_and_syncs_attributes(client, ldap_settings, ayse_person):
    response = login(client, "ayilmaz", "Dizin-Parola-1")
    assert response.status_code == 302, response.content.decode()[:500]
    user = User.objects.get(username="ayilmaz")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert (user.first_name, user.last_name, user.email) == (
        "Ayşe",
        "Yılmaz",
        "ayse.yilmaz@belediye.local",
    )
    assert user.directory_dn == "uid=ayilmaz,ou=people,dc=belediye,dc=local"
    assert not user.has_usable_password()  # the directory keeps the password
    assert user.person == ayse_person  # linked by sicil number
    record = ObjectChange.objects.get(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    )
    assert record.action == "create"
    assert "password" not in record.postchange_data


def test_wrong_directory_password_is_refused(client, ldap_settings):
    response = login(client, "ayilmaz", "yanlis-parola")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="ayilmaz").exists()


def test_unknown_directory_user_is_refused(client, ldap_settings):
    assert login(client, "yok", "Dizin-Parola-1").status_code == 200
    assert "_auth_user_id" not in client.session


def test_person_linked_by_email_when_no_sicil_matches(client, ldap_settings, org_tree):
    person = Person.objects.create(
        first_name="Mehmet",
        last_name="Demir",
        employment_type="isci",
        unit=org_tree["software"],
        email="Mehmet.Demir@belediye.local",
    )
    assert login(client, "mdemir", "Dizin-Parola-2").status_code == 302
    assert User.objects.get(username="mdemir").person == person


def test_group_membership_maps_to_a_role_in_a_unit(client, ldap_settings, org_tree):
    assert login(client, "ayilmaz", "Dizin-Parola-1").status_code == 302
    assignment = RoleAssignment.objects.get(user__username="ayilmaz")
    assert (assignment.role.slug, assignment.unit) == ("technician", org_tree["helpdesk"])

    client.post(reverse("accounts:logout"))
    assert login(client, "mdemir", "Dizin-Parola-2").status_code == 302
    assert not RoleAssignment.objects.filter(user__username="mdemir").exists()


def test_leaving_the_group_removes_the_mapped_role(client, ldap_settings, org_tree, settings):
    assert login(client, "ayilmaz", "Dizin-Parola-1").status_code == 302
    assert RoleAssignment.objects.filter(user__username="ayilmaz").exists()
    # The pair is now mapped from a group she is not in: the directory takes the role away.
    settings.BIYS_LDAP = {
        **ldap_settings,
        "ROLE_MAP": f"cn=baska,ou=groups,dc=belediye,dc=local=technician@{org_tree['helpdesk'].name}",
    }
    client.post(reverse("accounts:logout"))
    assert login(client, "ayilmaz", "Dizin-Parola-1").status_code == 302
    assert not RoleAssignment.objects.filter(user__username="ayilmaz").exists()


def test_sync_creates_updates_and_deactivates(ldap_settings, slapd_server, org_tree, capsys):
    dn, attrs = person_entry(
        "gecici", "Geçici", "Personel", "gecici@belediye.local", "Dizin-Parola-3"
    )
    slapd_server.add(dn, attrs)
    try:
        call_command("ldap_sync")
        assert set(User.objects.filter(is_active=True).values_list("username", flat=True)) >= {
            "ayilmaz",
            "mdemir",
            "gecici",
        }
        assert "created 3" in capsys.readouterr().out
        leaver = User.objects.get(username="gecici")
        assert leaver.first_name == "Geçici"
        store_key(leaver, new_key())
        assert RoleAssignment.objects.filter(
            user__username="ayilmaz", role__slug="technician"
        ).exists()
    finally:
        slapd_server.delete(dn)

    call_command("ldap_sync")
    assert "deactivated 1" in capsys.readouterr().out
    leaver.refresh_from_db()
    assert leaver.is_active is False
    assert not ApiToken.objects.filter(user=leaver).exists()
    assert User.objects.get(username="ayilmaz").is_active is True


def test_sync_leaves_local_users_alone(ldap_settings, make_user, org_tree):
    local = make_user("technician", org_tree["network"], username="yerel")
    call_command("ldap_sync")
    local.refresh_from_db()
    assert local.is_active is True


def test_dry_run_changes_nothing(ldap_settings, capsys):
    call_command("ldap_sync", "--dry-run")
    assert "[dry run] created 2" in capsys.readouterr().out
    assert not User.objects.filter(username="ayilmaz").exists()


def test_role_map_parsing():
    mappings = parse_role_map(
        "cn=bt-teknisyen,ou=groups,dc=belediye,dc=local=technician@Teknik Destek Şefliği;"
        "CN=BT-Sef,OU=Groups,DC=belediye,DC=local=chief@Sistem ve Ağ Şube Müdürlüğü"
    )
    assert [(m.group_dn, m.role_slug, m.unit_name) for m in mappings] == [
        ("cn=bt-teknisyen,ou=groups,dc=belediye,dc=local", "technician", "Teknik Destek Şefliği"),
        ("cn=bt-sef,ou=groups,dc=belediye,dc=local", "chief", "Sistem ve Ağ Şube Müdürlüğü"),
    ]
