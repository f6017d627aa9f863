"""Software licences in Chromium: the inventory officer records a licence agreement for a title
(one seat), records the title on two computers by their inventory numbers (one beyond the
seat), and sees the title flagged over-deployed on the compliance page, forbidden software found
on a computer listed with its custodian. Leaves the screenshot inventory-licences.png."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_licence_installations_beyond_seats_are_flagged(
    context, page, login_as, make_user, org_tree, screenshot
):
    from biys.inventory import licence_services, services
    from biys.inventory.models import Installation, Licence
    from biys.inventory.tests.factories import (
        computers_code,
        make_asset,
        make_item_model,
        make_title,
    )
    from biys.org.tests.factories import PersonFactory

    unit = org_tree["dept"]
    model = make_item_model(unit, brand="Dell", name="OptiPlex 7010", tasinir_code=computers_code())
    first = make_asset(unit, item_model=model, serial_number="CZC2481K7Q")
    second = make_asset(unit, item_model=model, serial_number="CZC2481K7R")
    holder = PersonFactory(unit=unit, first_name="Ayşe", last_name="Yıldırım")
    services.hand_over(asset=second, person=holder)
    make_title(unit, publisher="Autodesk", name="AutoCAD LT", category="design")
    torrent = make_title(unit, publisher="BitTorrent", name="µTorrent", status="forbidden")
    licence_services.record_installation(asset=second, title=torrent, version="3.6")
    officer = make_user("inventory_officer", unit, username="tasinir", first_name="Selin")

    # A licence agreement: one seat, a yearly subscription.
    page.set_default_navigation_timeout(60_000)  # a loaded CI machine renders the first page slowly
    login_as(officer)
    page.goto("/inventory/licences/add/")
    page.select_option("#id_unit", label="Bilgi İşlem Dairesi Başkanlığı")
    page.select_option("#id_title", label="Autodesk AutoCAD LT")
    page.select_option("#id_kind", value="subscription")
    page.fill("#id_seats", "1")
    page.fill("#id_starts_on", "2026-01-01")
    page.fill("#id_expires_on", "2026-12-31")
    page.fill("#id_cost", "48000")
    page.fill("#id_supplier", "Başkent Bilgisayar A.Ş.")
    page.fill("#id_contract", "2026/YZ-04")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("2026/YZ-04")
    assert Licence.objects.get(contract="2026/YZ-04").seats == 1

    # The title on two computers, named by inventory number and by serial number.
    for reference, version in ((first.inventory_number, "2026.1"), ("czc2481k7r", "2026.1")):
        page.goto("/inventory/installations/add/")
        page.fill("#id_asset_reference", reference)
        page.select_option("#id_title", label="Autodesk AutoCAD LT")
        page.fill("#id_version", version)
        page.locator("#main-content form button[type=submit]").first.click()
        expect(page).to_have_url(re.compile(r"/inventory/installations/(\?.*)?$"))
        expect(page.locator(".alert-success").first).to_contain_text("AutoCAD LT")
    assert Installation.objects.filter(title__name="AutoCAD LT").count() == 2

    # The compliance page: over-deployed by one, the forbidden program with its custodian.
    page.goto("/inventory/software-compliance/")
    row = page.locator("tr[data-compliance=over_deployed]")
    expect(row).to_contain_text("AutoCAD LT")
    expect(row).to_contain_text("Fazla kurulum")
    forbidden = page.locator("[data-testid=forbidden-installed]")
    expect(forbidden).to_contain_text("µTorrent")
    expect(forbidden).to_contain_text("Ayşe Yıldırım")
    expect(forbidden).to_contain_text(second.inventory_number)
    screenshot(page, "inventory-licences")

    # Only over-deployed titles, then the title's own page says the same.
    page.goto("/inventory/software-compliance/?compliance=over_deployed")
    expect(page.locator("tr[data-compliance]")).to_have_count(1)
    page.get_by_role("link", name="AutoCAD LT").first.click()
    expect(page.locator("[data-testid=title-compliance]")).to_have_attribute(
        "data-compliance", "over_deployed"
    )
