"""The stores pages: the stock register (low-stock list, CSV for Turkish Excel), a fişi written
as a draft and its lines, approved by the spending authority, printed, reversed; a request
approved and issued from stock. Every action is a POST through the services."""

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from biys.inventory import services
from biys.inventory.models import (
    Asset,
    AssetStatus,
    RequestState,
    Slip,
    SlipState,
    StockItem,
    StockRequest,
)
from biys.inventory.tests.factories import make_asset, make_consumable, make_store

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def st(inv, make_user):
    inv.store = make_store(inv.unit, name="Bilgi İşlem Ambarı")
    inv.toner = make_consumable(inv.unit, brand="HP", name="CF259A Toner")
    inv.authority = make_user("spending_authority", inv.unit)
    inv.controller = make_user("inventory_controller", inv.unit)
    return inv


def test_stock_register_low_list_and_turkish_csv(st):
    services.save_stock_item(
        stock_item=StockItem(store=st.store, item_model=st.toner, minimum_level=5)
    )
    services._stock_add(st.store, st.toner, 2)
    plenty = make_consumable(st.unit, name="A4 Kağıt")
    services._stock_add(st.store, plenty, 40)
    client = client_for(st.controller)
    html = client.get(reverse("inventory:stockitem_list")).content.decode()
    assert "CF259A Toner" in html and "A4 Kağıt" in html
    low = client.get(reverse("inventory:low_stock"), follow=True).content.decode()
    assert "CF259A Toner" in low and "A4 Kağıt" not in low
    with translation.override("tr"):
        response = client.get(
            reverse("inventory:stockitem_list"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="tr"
        )
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3 and any("A4 Kağıt" in cell for cell in rows[1] + rows[2])
    xlsx = client.get(reverse("inventory:stockitem_list"), {"export": "xlsx"})
    assert xlsx.status_code == 200


def test_slip_from_draft_to_approval_pdf_and_reversal(st):
    officer, authority = client_for(st.officer), client_for(st.authority)
    response = officer.post(
        reverse("inventory:slip_add"),
        {
            "store": st.store.pk,
            "kind": "purchase",
            "date": "2026-01-05",
            "counterparty": "Örnek Ltd.",
            "document": "FTR-77",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    slip = Slip.objects.get(document="FTR-77")
    lines_url = reverse("inventory:slip_line_add", args=[slip.pk])
    officer.post(lines_url, {"item_model": st.toner.pk, "quantity": 6, "unit_price": "850"})
    officer.post(lines_url, {"item_model": st.model.pk, "quantity": 1, "unit_price": "25000"})
    assert slip.lines.count() == 2
    # the officer sees no Approve button and may not approve
    assert "slip-approve" not in officer.get(slip.get_absolute_url()).content.decode()
    officer.post(reverse("inventory:slip_approve", args=[slip.pk]))
    assert Slip.objects.get(pk=slip.pk).state == SlipState.DRAFT
    page = authority.get(slip.get_absolute_url()).content.decode()
    assert "slip-approve" in page
    response = authority.post(reverse("inventory:slip_approve", args=[slip.pk]))
    assert response.status_code == 302
    slip.refresh_from_db()
    assert slip.state == SlipState.APPROVED and slip.number
    assert StockItem.objects.get(store=st.store, item_model=st.toner).quantity == 6
    # no edit once approved
    response = officer.post(
        reverse("inventory:slip_edit", args=[slip.pk]),
        {"store": st.store.pk, "kind": "purchase", "date": "2026-01-05", "notes": "x"},
    )
    assert response.status_code == 400
    pdf = officer.get(reverse("inventory:slip_pdf", args=[slip.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "TAŞINIR İŞLEM FİŞİ" in text and slip.number in text and "Örnek Ltd." in text
    assert "5.100,00" in text  # 6 x 850 in Turkish
    # reverse
    response = officer.post(reverse("inventory:slip_reverse", args=[slip.pk]), {"notes": "Hata"})
    assert response.status_code == 302
    reversal = Slip.objects.get(reverses=slip)
    authority.post(reverse("inventory:slip_approve", args=[reversal.pk]))
    assert StockItem.objects.get(store=st.store, item_model=st.toner).quantity == 0
    asset = Asset.objects.get(slip_lines__slip=slip)
    assert asset.status == AssetStatus.WRITTEN_OFF


def test_scrapping_slip_through_the_pages(st):
    asset = make_asset(st.unit, item_model=st.model)
    slip = services.save_slip(
        slip=Slip(store=st.store, kind="scrapping", date=date(2026, 1, 5), document="Karar 3")
    )
    officer = client_for(st.officer)
    officer.post(
        reverse("inventory:slip_line_add", args=[slip.pk]),
        {"item_model": st.model.pk, "unit_price": "0", "assets": asset.inventory_number},
    )
    assert slip.lines.get().quantity == 1
    client_for(st.authority).post(reverse("inventory:slip_approve", args=[slip.pk]))
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SCRAPPED


def test_request_approved_and_issued_through_the_pages(st):
    services._stock_add(st.store, st.toner, 5)
    officer = client_for(st.officer)
    response = officer.post(
        reverse("inventory:stockrequest_add"),
        {"store": st.store.pk, "requesting_unit": st.other_unit.pk, "notes": "Yazıcılar"},
    )
    assert response.status_code == 302
    request = StockRequest.objects.get(notes="Yazıcılar")
    officer.post(
        reverse("inventory:request_line_add", args=[request.pk]),
        {"item_model": st.toner.pk, "quantity": 2},
    )
    client_for(st.controller).post(reverse("inventory:request_approve", args=[request.pk]))
    assert StockRequest.objects.get(pk=request.pk).state == RequestState.SUBMITTED
    officer.post(reverse("inventory:request_approve", args=[request.pk]))
    response = officer.post(reverse("inventory:request_issue", args=[request.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.ISSUED
    assert StockItem.objects.get(store=st.store, item_model=st.toner).quantity == 3
    html = officer.get(request.get_absolute_url()).content.decode()
    assert request.slips.get().number in html
    pdf = officer.get(reverse("inventory:request_pdf", args=[request.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "TAŞINIR İSTEK BELGESİ" in text and request.number in text and "CF259A" in text


def test_pages_render(st):
    client = client_for(st.officer)
    slip = services.save_slip(slip=Slip(store=st.store, kind="purchase", date=date(2026, 1, 5)))
    for url in (
        reverse("inventory:store_list"),
        st.store.get_absolute_url() + "?tab=stock",
        reverse("inventory:slip_list"),
        slip.get_absolute_url(),
        reverse("inventory:slip_edit", args=[slip.pk]),
        reverse("inventory:stockrequest_list"),
        reverse("inventory:stockrequest_add"),
        reverse("inventory:stockitem_add"),
    ):
        assert client.get(url).status_code == 200, url


def test_a_draft_is_discarded_an_approved_slip_is_not(st):
    officer = client_for(st.officer)
    draft = services.save_slip(slip=Slip(store=st.store, kind="purchase", date=date(2026, 1, 5)))
    services.add_slip_line(slip=draft, item_model=st.toner, quantity=1)
    page = officer.get(draft.get_absolute_url()).content.decode()
    assert reverse("inventory:slip_discard", args=[draft.pk]) in page
    client_for(st.controller).post(reverse("inventory:slip_discard", args=[draft.pk]))
    assert Slip.objects.filter(pk=draft.pk).exists()
    response = officer.post(reverse("inventory:slip_discard", args=[draft.pk]))
    assert response.status_code == 302 and not Slip.objects.filter(pk=draft.pk).exists()
    approved = services.save_slip(slip=Slip(store=st.store, kind="purchase", date=date(2026, 1, 5)))
    services.add_slip_line(slip=approved, item_model=st.toner, quantity=1)
    services.approve_slip(slip=approved, user=st.authority)
    officer.post(reverse("inventory:slip_discard", args=[approved.pk]))
    assert Slip.objects.filter(pk=approved.pk).exists()


def test_an_unknown_inventory_number_is_named_and_nothing_added(st):
    slip = services.save_slip(slip=Slip(store=st.store, kind="scrapping", date=date(2026, 1, 5)))
    elsewhere = make_asset(st.other_unit, item_model=st.model)
    officer = client_for(st.officer)
    response = officer.post(
        reverse("inventory:slip_line_add", args=[slip.pk]),
        {
            "item_model": st.model.pk,
            "unit_price": "0",
            "assets": f"NO-SUCH\n{elsewhere.inventory_number}",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "NO-SUCH" in html and elsewhere.inventory_number in html
    assert not slip.lines.exists()
