"""The inventory in Chromium: the inventory officer registers an asset, hands it over to a
member of staff with a Zimmet Fişi, the person acknowledges it under "Zimmetimdekiler", then
files a hardware fault naming its serial number: the ticket shows the device's warranty and
custodian; a serial the register does not know is flagged. Leaves screenshots
inventory-asset.png, inventory-my-custody.png and inventory-assets.png."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_hand_over_acknowledge_and_report_a_fault(
    context, page, login_as, make_user, org_tree, screenshot
):
    from biys.inventory.models import Asset, Custody
    from biys.inventory.tests.factories import bulk_assets, computers_code, make_item_model
    from biys.servicedesk.models import CatalogItem, Ticket

    unit = org_tree["dept"]
    model = make_item_model(unit, brand="Dell", name="OptiPlex 7010", tasinir_code=computers_code())
    officer = make_user("inventory_officer", unit, username="tasinir", first_name="Selin")
    staff = make_user("requester", org_tree["roads"], username="ayse", first_name="Ayşe")
    staff.person.first_name, staff.person.last_name = "Ayşe", "Yıldırım"
    staff.person.save()
    bulk_assets(unit, 30, item_model=model)
    item = CatalogItem.objects.create(
        name="Bilgisayar arızası", kind="fault", unit=org_tree["helpdesk"], requires_asset=True
    )

    # The officer registers an asset; its number comes from its taşınır code and year.
    login_as(officer)
    page.goto("/inventory/assets/add/")
    page.select_option("#id_unit", label="Bilgi İşlem Dairesi Başkanlığı")
    page.select_option("#id_item_model", label="Dell OptiPlex 7010")
    page.fill("#id_serial_number", "CZC2481K7Q")
    page.fill("#id_acquired_on", "2025-09-15")
    page.fill("#id_value", "27500")
    page.fill("#id_supplier", "Başkent Bilgisayar A.Ş.")
    page.fill("#id_warranty_end", "2028-09-15")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("CZC2481K7Q")
    asset = Asset.objects.get(serial_number="CZC2481K7Q")
    page.goto(asset.get_absolute_url())
    expect(page.locator("h1.page-title")).to_contain_text(asset.inventory_number)

    # Handed over to Ayşe Yıldırım with a Zimmet Fişi.
    page.get_by_role("link", name="Zimmetle").click()
    page.select_option("#id_person", label="Ayşe Yıldırım")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator(".alert-info").first).to_contain_text("Ayşe Yıldırım")
    custody = Custody.objects.get(asset=asset)
    pdf = page.request.get(f"/inventory/custody/{custody.pk}/zimmet-fisi.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    page.goto(f"/inventory/assets/{asset.pk}/?tab=custody")
    expect(page.locator("#main-content")).to_contain_text(custody.number)
    screenshot(page, "inventory-asset")
    page.goto("/inventory/assets/")
    expect(page.locator("#main-content")).to_contain_text("CZC2481K7Q")
    screenshot(page, "inventory-assets")

    # Ayşe acknowledges it in her own portal.
    context.clear_cookies()
    login_as(staff)
    page.goto("/inventory/my/")
    expect(page.locator("#main-content")).to_contain_text(asset.inventory_number)
    screenshot(page, "inventory-my-custody")
    page.get_by_role("button", name="Teslim aldığımı onaylıyorum").click()
    expect(page.locator("#main-content")).to_contain_text("onaylandı")
    custody.refresh_from_db()
    assert custody.acknowledged_at is not None

    # A fault on it: the ticket shows the device's warranty end and custodian.
    from biys.servicedesk import services

    ticket = services.create_ticket(
        catalog_item=item, requester=staff.person, title="Bilgisayar açılmıyor",
        created_by=staff, asset_reference="CZC2481K7Q",
    )  # fmt: skip
    assert not ticket.asset_unregistered
    page.goto(f"/servicedesk/tickets/{ticket.pk}/")
    device = page.locator("#ticket-asset")
    expect(device).to_contain_text(asset.inventory_number)
    expect(device).to_contain_text("2028")
    expect(device).to_contain_text("Ayşe Yıldırım")
    unknown = services.create_ticket(
        catalog_item=item, requester=staff.person, title="Yazıcı yok",
        created_by=staff, asset_reference="BILINMEYEN-1",
    )  # fmt: skip
    assert unknown.asset_unregistered
    assert Ticket.objects.filter(asset_unregistered=True).count() == 1
