"""The store in Chromium: the inventory officer receives a purchase into the store on a draft
Taşınır İşlem Fişi (toner as stock, a desktop as a new asset), the spending authority approves
it; a unit's stock request is approved and issued from stock (a consumption fişi); the issue is
reversed by a reversing fişi that the spending authority approves, and the stock is back.
Leaves screenshots inventory-slip.png and inventory-stock.png."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_receive_issue_approve_and_reverse(
    context, page, login_as, make_user, org_tree, screenshot
):
    from django.utils import timezone

    from biys.inventory import services
    from biys.inventory.models import Asset, Slip, StockItem, StockRequest, Store
    from biys.inventory.tests.factories import computers_code, make_consumable, make_item_model

    unit = org_tree["dept"]
    desktop = make_item_model(
        unit, brand="Dell", name="OptiPlex 7010", tasinir_code=computers_code()
    )
    toner = make_consumable(unit, brand="HP", name="59A Toner (CF259A)")
    paper = make_consumable(unit, brand="Kingston", name="DataTraveler 32 GB")
    store = services.save_store(store=Store(unit=unit, name="Bilgi İşlem Merkez Ambarı"))
    services.save_stock_item(stock_item=StockItem(store=store, item_model=toner, minimum_level=8))
    services.save_stock_item(stock_item=StockItem(store=store, item_model=paper, minimum_level=5))
    officer = make_user("inventory_officer", unit, username="tasinir", first_name="Selin")
    authority = make_user("spending_authority", unit, username="harcama", first_name="Murat")
    today = timezone.localdate().isoformat()

    # The officer writes a purchase as a draft fişi with its lines.
    login_as(officer)
    page.goto("/inventory/slips/add/")
    page.select_option("#id_store", label="Bilgi İşlem Merkez Ambarı")
    page.select_option("#id_kind", value="purchase")
    page.fill("#id_date", today)
    page.fill("#id_counterparty", "Başkent Bilgisayar A.Ş.")
    page.fill("#id_document", "Fatura FTR2026001207")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("Fatura FTR2026001207")
    slip = Slip.objects.get(document="Fatura FTR2026001207")
    page.goto(slip.get_absolute_url())
    expect(page.locator(".alert-warning").first).to_be_visible()
    for item, quantity, price in (
        (toner, "12", "2450"),
        (paper, "3", "145"),
        (desktop, "1", "27500"),
    ):
        page.select_option("#id_item_model", value=str(item.pk))
        page.fill("#id_quantity", quantity)
        page.fill("#id_unit_price", price)
        page.get_by_role("button", name="Satır ekle").click()
        expect(page.locator("[data-testid=slip-lines]")).to_contain_text(str(item))
    # not the officer's to approve
    assert page.get_by_role("button", name="Onayla", exact=True).count() == 0

    # The spending authority approves it: numbered, the stock and the register move.
    context.clear_cookies()
    login_as(authority)
    page.goto(slip.get_absolute_url())
    page.get_by_role("button", name="Onayla", exact=True).click()
    slip.refresh_from_db()
    expect(page.locator("h1.page-title")).to_contain_text(slip.number)
    asset = Asset.objects.get(slip_lines__slip=slip)
    expect(page.locator("[data-testid=slip-lines]")).to_contain_text(asset.inventory_number)
    screenshot(page, "inventory-slip")
    pdf = page.request.get(f"/inventory/slips/{slip.pk}/fis.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    assert StockItem.objects.get(store=store, item_model=toner).quantity == 12

    # A unit asks for toner; the officer approves the request and issues it from stock.
    context.clear_cookies()
    login_as(officer)
    page.goto("/inventory/requests/add/")
    page.select_option("#id_store", label="Bilgi İşlem Merkez Ambarı")
    page.select_option("#id_requesting_unit", value=str(org_tree["roads"].pk))
    page.fill("#id_notes", "Fen İşleri yazıcıları için")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator(".alert-success").first).to_be_visible()
    request = StockRequest.objects.get(notes="Fen İşleri yazıcıları için")
    page.goto(request.get_absolute_url())
    page.select_option("#id_item_model", value=str(toner.pk))
    page.fill("#id_quantity", "5")
    page.get_by_role("button", name="Satır ekle").click()
    page.get_by_role("button", name="Onayla", exact=True).click()
    page.get_by_role("button", name="Stoktan çıkış yap").click()
    issue = Slip.objects.get(stock_request=request)
    expect(page.locator("h1.page-title")).to_contain_text(issue.number)
    assert StockItem.objects.get(store=store, item_model=toner).quantity == 7  # under 8

    # The issue was a mistake: a reversing fişi, approved, puts the toner back.
    page.get_by_role("link", name="İptal fişi").click()
    page.fill("#id_notes", "Yanlış birime çıkış yapıldı")
    page.get_by_role("button", name="İptal fişini hazırla").click()
    reversal = Slip.objects.get(reverses=issue)
    expect(page.locator(".alert-warning").first).to_be_visible()
    context.clear_cookies()
    login_as(authority)
    page.goto(reversal.get_absolute_url())
    page.get_by_role("button", name="Onayla", exact=True).click()
    reversal.refresh_from_db()
    expect(page.locator("h1.page-title")).to_contain_text(reversal.number)
    assert StockItem.objects.get(store=store, item_model=toner).quantity == 12

    page.goto("/inventory/stock/")
    expect(page.locator("#main-content")).to_contain_text("59A Toner (CF259A)")
    expect(page.locator("#main-content")).to_contain_text("DataTraveler 32 GB")
    screenshot(page, "inventory-stock")
