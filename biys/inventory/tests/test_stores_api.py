"""The stores API: a fişi written with its lines, approved by the spending authority only,
reversed; a request decided and issued; refusals as RFC 9457 problems."""

import pytest
from rest_framework.test import APIClient

from biys.inventory.models import Asset, AssetStatus, Slip, StockItem
from biys.inventory.tests.factories import make_asset, make_consumable, make_store

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def st(inv, make_user):
    inv.store = make_store(inv.unit, name="Bilgi İşlem Ambarı")
    inv.toner = make_consumable(inv.unit, brand="HP", name="CF259A Toner")
    inv.authority = make_user("spending_authority", inv.unit)
    return inv


def test_slip_written_approved_and_reversed_by_api(st):
    officer, authority = api_for(st.officer), api_for(st.authority)
    response = officer.post(
        "/api/v1/inventory/slips/",
        {
            "store": st.store.pk,
            "kind": "purchase",
            "date": "2026-01-05",
            "counterparty": "Örnek Ltd.",
            "lines": [{"item_model": st.toner.pk, "quantity": 4, "unit_price": "10.50"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    slip_id = response.json()["id"]
    assert response.json()["state"] == "draft" and len(response.json()["lines"]) == 1
    assert officer.post(f"/api/v1/inventory/slips/{slip_id}/approve/").status_code == 403
    response = authority.post(f"/api/v1/inventory/slips/{slip_id}/approve/")
    assert response.status_code == 200 and response.json()["number"].startswith("TIF-")
    assert StockItem.objects.get(store=st.store, item_model=st.toner).quantity == 4
    response = officer.patch(f"/api/v1/inventory/slips/{slip_id}/", {"notes": "x"}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    response = officer.post(
        f"/api/v1/inventory/slips/{slip_id}/reverse/", {"notes": "Hata"}, format="json"
    )
    assert response.status_code == 201
    reversal = response.json()["id"]
    assert authority.post(f"/api/v1/inventory/slips/{reversal}/approve/").status_code == 200
    assert StockItem.objects.get(store=st.store, item_model=st.toner).quantity == 0


def test_scrapping_by_api_names_assets(st):
    asset = make_asset(st.unit, item_model=st.model)
    response = api_for(st.officer).post(
        "/api/v1/inventory/slips/",
        {
            "store": st.store.pk,
            "kind": "scrapping",
            "date": "2026-01-05",
            "lines": [{"item_model": st.model.pk, "assets": [asset.pk]}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    api_for(st.authority).post(f"/api/v1/inventory/slips/{response.json()['id']}/approve/")
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.SCRAPPED


def test_request_decided_and_issued_by_api(st):
    from biys.inventory import services

    services._stock_add(st.store, st.toner, 1)
    officer = api_for(st.officer)
    response = officer.post(
        "/api/v1/inventory/requests/",
        {
            "store": st.store.pk,
            "requesting_unit": st.other_unit.pk,
            "lines": [{"item_model": st.toner.pk, "quantity": 2}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert (
        officer.post(
            f"/api/v1/inventory/requests/{pk}/decide/", {"approve": True}, format="json"
        ).status_code
        == 200
    )
    response = officer.post(f"/api/v1/inventory/requests/{pk}/issue/")
    assert response.status_code == 400  # 1 in stock, 2 asked
    services._stock_add(st.store, st.toner, 5)
    response = officer.post(f"/api/v1/inventory/requests/{pk}/issue/")
    assert response.status_code == 201 and response.json()["kind"] == "consumption"
    assert Slip.objects.filter(stock_request_id=pk).count() == 1
    low = officer.get("/api/v1/inventory/stock/", {"low": "true"}).json()
    assert low["results"] == [] or all(row["is_low"] for row in low["results"])
