"""The count and write-off API: a count opened, labels recorded (idempotent), a consumable
counted, finished and closed; its write-off proposal approved by the spending authority only;
a scrapping proposal made and decided; refusals as 400 problems, never half-written."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from biys.inventory.models import AssetStatus, Count, Disposal
from biys.inventory.tests.factories import (
    make_asset,
    make_consumable,
    make_stock_item,
    make_store,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inventory"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def ca(inv, make_user):
    inv.store = make_store(inv.unit, name="Bilgi İşlem Ambarı")
    inv.toner = make_consumable(inv.unit)
    make_stock_item(inv.unit, store=inv.store, item_model=inv.toner, quantity=5)
    inv.a1 = make_asset(inv.unit, item_model=inv.model)
    inv.a2 = make_asset(inv.unit, item_model=inv.model)
    inv.authority = make_user("spending_authority", inv.unit)
    inv.controller = make_user("inventory_controller", inv.unit)
    return inv


def test_a_count_by_api(ca):
    officer = api_for(ca.officer)
    response = officer.post(
        f"{BASE}/counts/",
        {"store": ca.store.pk, "scope": "store", "year": date.today().year,
         "members": [ca.alice.pk, ca.bob.pk]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["expected"] == 2 and body["missing"] == 2 and body["number"].startswith("SAY-")
    url = f"{BASE}/counts/{body['id']}/"
    first = officer.post(f"{url}scan/", {"code": ca.a1.inventory_number}, format="json").json()
    assert first["created"] is True and first["row"]["inventory_number"] == ca.a1.inventory_number
    again = officer.post(f"{url}scan/", {"code": ca.a1.inventory_number}, format="json").json()
    assert again["created"] is False
    refused = officer.post(f"{url}scan/", {"code": ""}, format="json")
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert api_for(ca.controller).post(f"{url}scan/", {"code": "x"}).status_code == 403
    early = officer.post(f"{url}finish/")
    assert early.status_code == 400
    officer.post(f"{url}quantity/", {"item_model": ca.toner.pk, "quantity": 5}, format="json")
    assert officer.post(f"{url}finish/").json()["state"] == "counted"
    sheet = officer.get(f"{url}sheet/").json()
    assert {row["missing"] for row in sheet["assets"]} == {True, False}
    assert sheet["lines"][0]["difference"] == 0
    closed = officer.post(f"{url}close/").json()
    assert closed["state"] == "closed" and closed["surplus_slip"] is None
    scan_closed = officer.post(f"{url}scan/", {"code": ca.a2.inventory_number}, format="json")
    assert scan_closed.status_code == 400
    disposal = Disposal.objects.get(count_id=body["id"])
    decide = f"{BASE}/write-offs/{disposal.pk}/decide/"
    assert officer.post(decide, {"approve": True}, format="json").status_code == 403
    decided = api_for(ca.authority).post(decide, {"approve": True}, format="json")
    assert decided.status_code == 200 and decided.json()["state"] == "approved"
    ca.a2.refresh_from_db()
    assert ca.a2.status == AssetStatus.WRITTEN_OFF
    listed = api_for(ca.controller).get(f"{BASE}/counts/").json()
    assert [row["number"] for row in listed["results"]] == [Count.objects.get().number]


def test_a_scrapping_proposal_by_api(ca):
    officer = api_for(ca.officer)
    body = {
        "kind": "scrapping",
        "store": ca.store.pk,
        "decision_date": "2026-01-05",
        "decision_number": "2026/9",
        "reason": "Onarımı ekonomik değil.",
        "members": [ca.alice.pk],
        "assets": [ca.a1.pk],
    }
    response = officer.post(f"{BASE}/write-offs/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["assets"] == [ca.a1.pk]
    bad = officer.post(f"{BASE}/write-offs/", {**body, "reason": ""}, format="json")
    assert bad.status_code == 400 and Disposal.objects.count() == 1
    pk = response.json()["id"]
    refused = api_for(ca.authority).post(
        f"{BASE}/write-offs/{pk}/decide/", {"approve": False}, format="json"
    )
    assert refused.status_code == 400
    approved = api_for(ca.authority).post(
        f"{BASE}/write-offs/{pk}/decide/", {"approve": True}, format="json"
    )
    assert approved.json()["slip"] is not None
    ca.a1.refresh_from_db()
    assert ca.a1.status == AssetStatus.SCRAPPED
