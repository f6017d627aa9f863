"""Every custody action, through its page and the API, for every role inside and outside the
asset's unit. Who may act is computed from the role definitions (inventory.change_asset over
the asset's unit), so a new role joins by itself. Each request runs in a savepoint rolled back,
so one asset serves the whole matrix; on PostgreSQL each role runs inside its unit only."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.inventory import services
from biys.inventory.tests.factories import make_asset
from biys.org.tests.factories import PersonFactory
from tests.permissions.matrix import ROLE_SPECS, role_cases, rolled_back

pytestmark = pytest.mark.django_db


def may_act(role: str, inside: bool) -> bool:
    return inside and ROLE_SPECS[role].matches("inventory.change_asset")


def test_every_custody_action_for_every_role(org_tree, make_user):
    unit = org_tree["network"]
    in_store = make_asset(unit)
    held = make_asset(unit)
    holder, other = PersonFactory(unit=unit), PersonFactory(unit=unit)
    services.hand_over(asset=held, person=holder)
    page_actions = [
        ("hand_over", in_store, {"person": other.pk}),
        ("transfer", held, {"person": other.pk}),
        ("take_back", held, {}),
        ("status", in_store, {"status": "faulty"}),
    ]
    api_actions = [
        ("hand-over", in_store, {"person": other.pk}),
        ("transfer", held, {"person": other.pk}),
        ("take-back", held, {}),
        ("status", in_store, {"status": "faulty"}),
    ]
    failures = []
    for role, inside in role_cases():
        user = make_user(role, unit if inside else org_tree["roads"])
        allowed = may_act(role, inside)
        where = f"{role} {'inside' if inside else 'outside'}"
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        for name, asset, data in page_actions:
            url = reverse(f"inventory:{name}", args=[asset.pk])
            status = rolled_back(lambda url=url, data=data, page=page: page.post(url, data))
            if (status.status_code == 302) != allowed or (
                not allowed and status.status_code not in (403, 404)
            ):
                failures.append(f"{where}: page {name} -> {status.status_code}")
        for name, asset, data in api_actions:
            url = f"/api/v1/inventory/assets/{asset.pk}/{name}/"
            status = rolled_back(
                lambda url=url, data=data, api=api: api.post(url, data, format="json")
            )
            if (status.status_code in (200, 201)) != allowed or (
                not allowed and status.status_code not in (403, 404)
            ):
                failures.append(f"{where}: API {name} -> {status.status_code}")
    assert not failures, "\n".join(failures)
