"""The count pages: opened from the form, labels recorded by HTMX (the sheet comes back), the
consumables counted, closed into its forms (PDF) and the write-off proposal approved by the
spending authority; the count page reads in the same number of queries whatever its size."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from biys.inventory import count_services
from biys.inventory.models import AssetStatus, Count, CountState, Disposal, DisposalState
from biys.inventory.tests.factories import (
    bulk_assets,
    make_asset,
    make_consumable,
    make_stock_item,
    make_store,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cv(inv, make_user):
    inv.store = make_store(inv.unit, name="Bilgi İşlem Ambarı")
    inv.toner = make_consumable(inv.unit, brand="HP", name="CF259A Toner")
    make_stock_item(inv.unit, store=inv.store, item_model=inv.toner, quantity=5)
    inv.a1 = make_asset(inv.unit, item_model=inv.model)
    inv.a2 = make_asset(inv.unit, item_model=inv.model)
    inv.authority = make_user("spending_authority", inv.unit)
    inv.controller = make_user("inventory_controller", inv.unit)
    return inv


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_a_count_from_opening_to_the_write_off(cv):
    officer = client_for(cv.officer)
    response = officer.post(
        reverse("inventory:count_add"),
        {
            "store": cv.store.pk,
            "scope": "store",
            "year": date.today().year,
            "members": [cv.alice.pk, cv.bob.pk],
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    count = Count.objects.get()
    page = officer.get(count.get_absolute_url()).content.decode()
    assert 'id="id_code"' in page and "jsQR.js" in page and "count_camera.js" in page
    scan_url = reverse("inventory:count_scan", args=[count.pk])
    label = f"http://testserver/inventory/assets/{cv.a1.pk}/"
    sheet = officer.post(scan_url, {"code": label}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="count-sheet"' in sheet and "<html" not in sheet
    assert f"{cv.a1.inventory_number} bulundu." in sheet or "found" in sheet
    again = officer.post(scan_url, {"code": cv.a1.inventory_number}, HTTP_HX_REQUEST="true")
    assert 'data-testid="count-scan-result"' in again.content.decode()
    bad = officer.post(scan_url, {"code": ""}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "alert-danger" in bad.content.decode()
    officer.post(
        reverse("inventory:count_quantity", args=[count.pk]),
        {"item_model": cv.toner.pk, "quantity": 3},
    )
    officer.post(reverse("inventory:count_finish", args=[count.pk]))
    count.refresh_from_db()
    assert count.state == CountState.COUNTED
    # the controller reads but does not count
    controller = client_for(cv.controller)
    assert controller.get(count.get_absolute_url()).status_code == 200
    assert controller.post(reverse("inventory:count_close", args=[count.pk])).status_code == 403
    officer.post(reverse("inventory:count_close", args=[count.pk]))
    count.refresh_from_db()
    assert count.state == CountState.CLOSED
    tutanak = pdf_text(officer.get(reverse("inventory:count_tutanak", args=[count.pk])))
    assert "SAYIM TUTANAĞI" in tutanak and "Ayşe Yılmaz" in tutanak
    cetvel = pdf_text(controller.get(reverse("inventory:count_cetvel", args=[count.pk])))
    assert "TAŞINIR SAYIM VE DÖKÜM CETVELİ" in cetvel
    disposal = Disposal.objects.get(count=count)
    assert "KAYITTAN DÜŞME" in pdf_text(
        officer.get(reverse("inventory:disposal_pdf", args=[disposal.pk]))
    )
    approve = reverse("inventory:disposal_approve", args=[disposal.pk])
    assert officer.post(approve).status_code == 403
    page = client_for(cv.authority).get(disposal.get_absolute_url()).content.decode()
    assert 'data-testid="disposal-approve"' in page
    client_for(cv.authority).post(approve)
    disposal.refresh_from_db()
    assert disposal.state == DisposalState.APPROVED
    cv.a2.refresh_from_db()
    assert cv.a2.status == AssetStatus.WRITTEN_OFF


def test_a_scrapping_proposal_from_its_form(cv):
    officer = client_for(cv.officer)
    response = officer.post(
        reverse("inventory:disposal_add"),
        {
            "kind": "scrapping",
            "store": cv.store.pk,
            "decision_date": "2026-01-05",
            "decision_number": "2026/7",
            "reason": "Onarımı ekonomik değil.",
            "members": [cv.alice.pk],
            "assets": f"{cv.a1.inventory_number}\nYOK-123",
            "notes": "",
        },
    )
    assert response.status_code == 200 and "YOK-123" in response.content.decode()
    assert not Disposal.objects.exists()
    response = officer.post(
        reverse("inventory:disposal_add"),
        {
            "kind": "scrapping",
            "store": cv.store.pk,
            "decision_date": "2026-01-05",
            "decision_number": "2026/7",
            "reason": "Onarımı ekonomik değil.",
            "members": [cv.alice.pk],
            "assets": cv.a1.inventory_number,
            "notes": "",
        },
    )
    assert response.status_code == 302
    disposal = Disposal.objects.get()
    client_for(cv.authority).post(reverse("inventory:disposal_approve", args=[disposal.pk]))
    cv.a1.refresh_from_db()
    assert cv.a1.status == AssetStatus.SCRAPPED


def test_the_count_page_reads_in_constant_queries(cv):
    count = count_services.open_count(store=cv.store, members=[cv.alice], user=cv.officer)
    client = client_for(cv.officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(count.get_absolute_url()).status_code == 200
        return len(captured)

    count_services.record_scan(count=count, code=cv.a1.inventory_number)
    count_services.record_scan(count=count, code="BILINMEYEN-0")
    small = queries()
    assets = bulk_assets(cv.unit, 30)
    other = bulk_assets(cv.other_unit, 5)
    count.delete()
    count = count_services.open_count(store=cv.store, members=[cv.alice], user=cv.officer)
    for asset in assets[:20] + other:
        count_services.record_scan(count=count, code=asset.inventory_number)
    count_services.record_scan(count=count, code="BILINMEYEN-1")
    assert queries() == small


def test_a_stranger_sees_no_count(cv, make_user):
    count = count_services.open_count(store=cv.store, members=[cv.alice], user=cv.officer)
    stranger = client_for(make_user("inventory_officer", cv.other_unit))
    assert stranger.get(count.get_absolute_url()).status_code == 404
    response = stranger.post(
        reverse("inventory:count_scan", args=[count.pk]), {"code": cv.a1.inventory_number}
    )
    assert response.status_code == 404
