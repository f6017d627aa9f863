"""Roles belong to no unit: every role's holder, inside and outside the network unit, against the
role pages and the roles API (inside only on PostgreSQL: see placements).

Whoever holds ``accounts.view_role`` anywhere reads every role (404 for the others: a role they
may not see is never confirmed to exist); only a municipality-wide administrator
(``accounts.change_role`` over every unit) adds, changes or deletes one, so each of the matrix's
users, holding their role over one unit, is refused those (403) and nothing changes.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from biys.accounts.models import Role, RoleAssignment
from biys.accounts.tests.factories import RoleFactory
from tests.permissions.matrix import ROLE_SPECS, placements, rolled_back

pytestmark = pytest.mark.django_db


def _role_form(role, **changes):
    return {
        "slug": role.slug,
        "name": role.name,
        "description": role.description,
        "permissions": [],
        **changes,
    }


PAGE = "multipart"  # a page's form (the API client sends JSON by default)


def _ids(payload) -> set:
    rows = payload["results"] if isinstance(payload, dict) and "results" in payload else payload
    return {row.get("id") for row in rows}


def _state(role):
    return Role.objects.filter(pk=role.pk).values("slug", "name", "description").first()


def _attempts(client, role):
    """(what was tried, status) for every route on ``role``; writes rolled back."""
    detail = reverse("role-detail", kwargs={"pk": role.pk})
    listed = client.get(reverse("role-list"), {"per_page": 500})
    ids = _ids(listed.json()) if listed.status_code == 200 else set()
    new_role = {"slug": "yeni-rol", "name": "Yeni rol", "description": "Yeni", "permissions": []}
    return {
        "page": client.get(reverse("accounts:role", kwargs={"pk": role.pk})).status_code,
        "add page": client.get(reverse("accounts:role_add")).status_code,
        "edit page": client.get(reverse("accounts:role_edit", kwargs={"pk": role.pk})).status_code,
        "add": rolled_back(
            lambda: client.post(
                reverse("accounts:role_add"), _role_form(role, **new_role), format=PAGE
            )
        ).status_code,
        "edit": rolled_back(
            lambda: client.post(
                reverse("accounts:role_edit", kwargs={"pk": role.pk}),
                _role_form(role, name="Değişti"),
                format=PAGE,
            )
        ).status_code,
        "delete": rolled_back(
            lambda: client.post(reverse("accounts:role_delete", kwargs={"pk": role.pk}))
        ).status_code,
        "api list": listed.status_code,
        "api list shows it": role.pk in ids,
        "api detail": client.get(detail).status_code,
        "api create": rolled_back(
            lambda: client.post(reverse("role-list"), new_role, format="json")
        ).status_code,
        "api patch": rolled_back(
            lambda: client.patch(detail, {"name": "Değişti"}, format="json")
        ).status_code,
        "api put": rolled_back(
            lambda: client.put(detail, _role_form(role, name="Değişti"), format="json")
        ).status_code,
        "api delete": rolled_back(lambda: client.delete(detail)).status_code,
    }


def _refused(may_view: bool) -> dict:
    hidden = 200 if may_view else 404
    changed_hidden = 403 if may_view else 404
    return {
        "page": hidden,
        "add page": 403,
        "edit page": changed_hidden,
        "add": 403,
        "edit": changed_hidden,
        "delete": changed_hidden,
        "api list": 200,
        "api list shows it": may_view,
        "api detail": hidden,
        # Writes are refused before the lookup: no change permission over every unit.
        "api create": 403,
        "api patch": 403,
        "api put": 403,
        "api delete": 403,
    }


def test_every_role_reads_roles_as_its_permission_says_and_changes_none(org_tree, make_user):
    role = RoleFactory(description="Deneme")
    before = _state(role)
    failures = []
    for slug, spec in ROLE_SPECS.items():
        for inside, unit in placements(org_tree):
            client = APIClient()
            client.force_login(make_user(slug, unit))
            expected = _refused(spec.matches("accounts.view_role"))
            got = _attempts(client, role)
            where = f"{slug} {'inside' if inside else 'outside'}"
            failures += [
                f"{where}: {what} -> {got[what]}, expected {expected[what]}"
                for what in expected
                if got[what] != expected[what]
            ]
    assert not failures, "\n".join(failures)
    assert _state(role) == before
    assert not Role.objects.filter(slug="yeni-rol").exists()


@pytest.mark.parametrize("superuser", [False, True], ids=["administrator everywhere", "superuser"])
def test_a_municipality_wide_administrator_changes_roles(org_tree, make_user, superuser):
    if superuser:
        admin = make_user(unit=org_tree["dept"], superuser=True)
    else:
        admin = make_user("administrator", org_tree["dept"])
        RoleAssignment.objects.create(
            user=admin, role=Role.objects.get(slug="administrator"), unit=org_tree["roads"]
        )
    role = RoleFactory(description="Deneme")
    client = APIClient()
    client.force_login(admin)
    got = _attempts(client, role)
    assert got == {
        "page": 200,
        "add page": 200,
        "edit page": 200,
        "add": 302,
        "edit": 302,
        "delete": 302,
        "api list": 200,
        "api list shows it": True,
        "api detail": 200,
        "api create": 201,
        "api patch": 200,
        "api put": 200,
        "api delete": 204,
    }
