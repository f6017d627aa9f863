"""The inventory API: registering, problem details at the field, custody actions, the
custodian's own list and acknowledgement, permissions."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from biys.inventory import services
from biys.inventory.models import Asset, Custody
from biys.inventory.tests.factories import make_asset

pytestmark = pytest.mark.django_db
API = "/api/v1/inventory"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_register_an_asset_and_get_its_number(inv):
    response = api_for(inv.officer).post(
        f"{API}/assets/",
        {
            "unit": inv.unit.pk,
            "item_model": inv.model.pk,
            "serial_number": "API-1",
            "acquired_on": "2025-04-01",
            "value": "12000.00",
            "warranty_end": "2027-04-01",
            "status": "scrapped",  # read only: ignored
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["inventory_number"].startswith("253.02.01.01-")
    assert body["status"] == "in_store" and body["tasinir_code"] == inv.code.pk


def test_invalid_input_is_a_problem_naming_the_fields(inv):
    make_asset(inv.unit, item_model=inv.model, serial_number="DUP")
    client = api_for(inv.officer)
    response = client.post(
        f"{API}/assets/",
        {
            "unit": inv.unit.pk,
            "item_model": inv.model.pk,
            "serial_number": "DUP",
            "acquired_on": "2025-04-01",
            "warranty_end": "2020-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400 and "serial_number" in problem["errors"]
    response = client.post(
        f"{API}/assets/",
        {"unit": inv.unit.pk, "item_model": inv.model.pk, "acquired_on": "2025-04-01",
         "warranty_end": "2020-01-01"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and "warranty_end" in response.json()["errors"]
    assert Asset.objects.count() == 1


def test_custody_actions_by_api(inv, make_user):
    asset = make_asset(inv.unit, item_model=inv.model)
    client = api_for(inv.officer)
    url = f"{API}/assets/{asset.pk}"
    handed = client.post(f"{url}/hand-over/", {"person": inv.alice.pk}, format="json")
    assert handed.status_code == 201 and handed.json()["number"].startswith("ZF-")
    again = client.post(f"{url}/hand-over/", {"person": inv.bob.pk}, format="json")
    assert again.status_code == 400 and "person" in again.json()["errors"]
    assert client.post(f"{url}/transfer/", {"person": inv.bob.pk}, format="json").status_code == 201
    broken = client.post(f"{url}/status/", {"status": "faulty", "notes": "Ekran"}, format="json")
    assert broken.status_code == 200 and broken.json()["status"] == "faulty"
    assert client.post(f"{url}/take-back/", {}, format="json").status_code == 200
    history = client.get(f"{url}/custody/").json()
    assert [row["person"] for row in history] == [inv.bob.pk, inv.alice.pk]
    # A reader may not act; an officer of another unit does not even see the asset.
    controller = api_for(make_user("inventory_controller", inv.unit))
    assert controller.get(f"{url}/").status_code == 200
    refused = controller.post(f"{url}/take-back/", {}, format="json")
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/problem+json")
    outsider = api_for(make_user("inventory_officer", inv.other_unit))
    assert (
        outsider.post(f"{url}/hand-over/", {"person": inv.alice.pk}, format="json").status_code
        == 404
    )


def test_my_custody_and_acknowledgement_by_api(inv, make_user):
    custody = services.hand_over(asset=make_asset(inv.unit, item_model=inv.model), person=inv.alice)
    other = services.hand_over(asset=make_asset(inv.unit, item_model=inv.model), person=inv.bob)
    alice = make_user(username="ayse")
    alice.person = inv.alice
    alice.save()
    client = api_for(alice)
    mine = client.get(f"{API}/custody/mine/").json()
    assert [row["id"] for row in mine] == [custody.pk]
    assert client.post(f"{API}/custody/{other.pk}/acknowledge/").status_code == 404
    response = client.post(f"{API}/custody/{custody.pk}/acknowledge/")
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    assert Custody.objects.get(pk=other.pk).acknowledged_at is None
    assert client.get(f"{API}/custody/").json()["results"] == []  # the register is not hers


def test_asset_filters(inv):
    make_asset(inv.unit, item_model=inv.model, serial_number="F-1", warranty_end=date(2026, 1, 1))
    wanted = make_asset(inv.unit, item_model=inv.model, serial_number="F-2")
    services.hand_over(asset=wanted, person=inv.alice)
    client = api_for(inv.officer)
    rows = client.get(f"{API}/assets/", {"status": "in_custody"}).json()["results"]
    assert [row["serial_number"] for row in rows] == ["F-2"]
    rows = client.get(f"{API}/assets/", {"q": "f-1"}).json()["results"]
    assert [row["serial_number"] for row in rows] == ["F-1"]
    rows = client.get(f"{API}/assets/", {"custodian": inv.alice.pk}).json()["results"]
    assert [row["id"] for row in rows] == [wanted.pk]


def test_item_model_kind_follows_the_code(inv):
    client = api_for(inv.officer)
    body = {"unit": inv.unit.pk, "brand": "HP", "name": "ProDesk 400", "category": "desktop",
            "tasinir_code": inv.code.pk}  # fmt: skip
    response = client.post(f"{API}/item-models/", body, format="json")
    assert response.status_code == 201 and response.json()["kind"] == "fixed"
    response = client.post(f"{API}/item-models/", {**body, "kind": "consumable"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()["errors"]
