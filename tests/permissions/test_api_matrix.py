"""Every role, inside and outside its unit, against every registered API list and detail
(inside only on PostgreSQL: see placements)."""

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIClient

from biys.core.testing import FACTORIES
from tests.permissions.matrix import (
    ROLE_SPECS,
    api_endpoints,
    may_change,
    may_delete,
    may_view,
    perm,
    placements,
)

ENDPOINTS = api_endpoints()


def _namespaced(endpoint, kind: str, **kwargs) -> str:
    app_label = endpoint.model._meta.app_label
    name = endpoint.list_url_name if kind == "list" else endpoint.detail_url_name
    for candidate in (name, f"{app_label}-api:{name}", f"{app_label}:{name}"):
        try:
            return reverse(candidate, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise NoReverseMatch(name)


def _ids(payload) -> set:
    rows = payload["results"] if isinstance(payload, dict) and "results" in payload else payload
    return {row.get("id") for row in rows}


def test_the_matrix_covers_the_organisation_endpoints():
    covered = {endpoint.model._meta.label_lower for endpoint in ENDPOINTS}
    assert {"org.unit", "org.person", "org.duty"} <= covered


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.basename)
def test_roles_inside_and_outside_their_unit(endpoint, org_tree, make_user):
    obj = FACTORIES[endpoint.model](org_tree["network"])
    detail_url = _namespaced(endpoint, "detail", pk=obj.pk)
    list_url = _namespaced(endpoint, "list")
    failures = []
    for role in ROLE_SPECS:
        for inside, unit in placements(org_tree):
            client = APIClient()
            client.force_authenticate(make_user(role, unit))
            visible = may_view(endpoint.model, role, inside)
            where = f"{role} {'inside' if inside else 'outside'}"

            detail = client.get(detail_url)
            if detail.status_code != (200 if visible else 404):
                failures.append(f"{where}: GET detail -> {detail.status_code}")
            listed = client.get(list_url, {"per_page": 500})
            if listed.status_code != 200 or (obj.pk in _ids(listed.json())) != visible:
                failures.append(f"{where}: list shows object = {obj.pk in _ids(listed.json())}")
            if endpoint.writable:
                patch = client.patch(detail_url, {}, format="json")
                # Without any change permission the request is refused before the lookup (403);
                # an object the user cannot see is never confirmed to exist (404).
                if may_change(endpoint.model, role, inside):
                    expected = {200}
                else:
                    expected = {403} if visible else {403, 404}
                if patch.status_code not in expected:
                    failures.append(f"{where}: PATCH -> {patch.status_code}, expected {expected}")
            if endpoint.creatable and inside:
                # An empty body: refused (403) without the add permission, else a 400 naming
                # the missing fields. Nothing is created either way.
                with transaction.atomic():
                    created = client.post(list_url, {}, format="json")
                    transaction.set_rollback(True)
                may_add = ROLE_SPECS[role].matches(perm(endpoint.model, "add"))
                expected = {400} if may_add else {403}
                if created.status_code not in expected:
                    failures.append(f"{where}: POST -> {created.status_code}, expected {expected}")
            if endpoint.deletable:
                # In a savepoint rolled back, so the object stays for the next role.
                with transaction.atomic():
                    deleted = client.delete(detail_url)
                    transaction.set_rollback(True)
                if may_delete(endpoint.model, role, inside):
                    expected = {204, 409}  # 409: other records still refer to it
                else:
                    expected = {403} if visible else {403, 404}
                if deleted.status_code not in expected:
                    failures.append(
                        f"{where}: DELETE -> {deleted.status_code}, expected {expected}"
                    )
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_gets_nothing(org_tree):
    client = APIClient()
    for endpoint in ENDPOINTS:
        response = client.get(_namespaced(endpoint, "list"))
        assert response.status_code in (401, 403), endpoint.basename
        assert response["Content-Type"].startswith("application/problem+json")
