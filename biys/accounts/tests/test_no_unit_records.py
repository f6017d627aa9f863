"""Records that belong to no unit (a title, the regulation, a declared day off) change only for
someone who holds the permission over the whole municipality, not over one şeflik."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from biys.accounts.scope import SOMEWHERE, AccessScope, can_add
from biys.calendar.models import DeclaredDay
from biys.org.models import Regulation, Title


def test_has_perm_none_means_the_whole_municipality():
    scope = AccessScope(user_id=1, unit_ids_by_perm={"org.add_title": frozenset({7})})
    assert scope.has_perm("org.add_title", 7)
    assert scope.has_perm("org.add_title")  # somewhere (menus, add pages)
    assert scope.has_perm("org.add_title", SOMEWHERE)
    assert not scope.has_perm("org.add_title", None)
    everywhere = AccessScope(user_id=1, global_perms=frozenset({"org.add_title"}))
    assert everywhere.has_perm("org.add_title", None)


@pytest.fixture
def section_admin(make_user, org_tree):
    return make_user("administrator", org_tree["helpdesk"])


@pytest.fixture
def municipal_admin(make_user, org_tree):
    from biys.accounts.models import Role, RoleAssignment

    admin = make_user("administrator", org_tree["dept"])
    RoleAssignment.objects.create(
        user=admin, role=Role.objects.get(slug="administrator"), unit=org_tree["roads"]
    )
    return admin


@pytest.mark.django_db
def test_a_section_administrator_cannot_create_records_of_no_unit(
    client, section_admin, municipal_admin
):
    for model in (Title, Regulation, DeclaredDay):
        assert not can_add(section_admin, model), model
        assert not can_add(section_admin, model, None), model
        assert can_add(municipal_admin, model), model

    api = APIClient()
    api.force_authenticate(section_admin)
    assert api.post("/api/v1/org/titles/", {"name": "Şef"}).status_code == 403
    assert api.post("/api/v1/org/regulations/", {"title": "Yönetmelik"}).status_code == 403
    day = {
        "date": "2026-12-31",
        "kind": "full_day",
        "description": "Köprü",
        "decision_reference": "2026/5",
    }
    assert api.post("/api/v1/calendar/declared-days/", day).status_code == 403
    client.force_login(section_admin)
    assert client.post(reverse("org:title_add"), {"name": "Şef"}).status_code == 403
    assert not Title.objects.exists() and not Regulation.objects.exists()
    assert not DeclaredDay.objects.exists()

    api.force_authenticate(municipal_admin)
    assert api.post("/api/v1/org/titles/", {"name": "Şef"}).status_code == 201
