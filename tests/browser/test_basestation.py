"""Base-station sites in Chromium: the applications manager records an operator's site permit
application at the counter (coordinates, block and parcel), ticks the documents the type
requires, records the inspection visit and the approval (the application is answered), the
rent contract and this year's accrual; a resident's complaint received without a site is tied
to it from the application's page, listed on the site's page, whose record sheet PDF opens, and
untied again; the map page shows the site from the installation's own Leaflet, its popup built
from text (a site code with markup stays text), photographed once its fade-in and the map's pan
are over. Leaves the screenshots basestation-site.png and basestation-map.png."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_operators_site_is_inspected_decided_and_accrued(
    page, login_as, make_user, org_tree, screenshot
):
    from django.utils import timezone

    from biys.applications import services as application_services
    from biys.applications.basestation.models import BaseStationSite
    from biys.applications.tests.factories import make_operator, site_permit_type

    unit = org_tree["network"]
    site_permit_type(unit)
    complaint_type = site_permit_type(unit, code="baz-istasyonu-sikayet")
    operator = make_operator(unit, name="Örnek Telekom A.Ş.", tax_number="1234567890")
    manager = make_user("applications_manager", org_tree["dept"])
    today = timezone.localdate()
    page.set_default_navigation_timeout(60_000)  # a loaded CI machine renders the first page slowly
    login_as(manager)

    page.goto("/applications/basestation/sites/add/")
    page.fill("#id_received_on", today.isoformat())
    page.locator("#id_operator").select_option(str(operator.pk))
    page.locator("#id_kind").select_option("rooftop")
    page.fill("#id_site_code", "<b>ESK0112</b>")
    page.fill("#id_latitude", "39.776512")
    page.fill("#id_longitude", "30.520618")
    page.fill("#id_neighbourhood", "Arifiye")
    page.fill("#id_block", "1204")
    page.fill("#id_parcel", "7")
    page.locator("#id_responsible_unit").select_option(str(unit.pk))
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.get_by_test_id("site-state")).to_have_text("Alındı")
    site = BaseStationSite.objects.get()
    assert site.application.type.code == "baz-istasyonu-yer-secim"

    # Approval is refused while a required document is missing.
    page.get_by_test_id("inspect").click()
    expect(page.get_by_test_id("site-state")).to_have_text("İncelendi")
    page.locator("#id_decide-decision").select_option("approved")
    page.get_by_test_id("decide").click()
    expect(page.locator("#main-content")).to_contain_text("Vaziyet planı")
    expect(page.get_by_test_id("site-state")).to_have_text("İncelendi")
    for checkbox in page.locator("[data-testid=documents-form] input[type=checkbox]").all():
        checkbox.check()
    page.get_by_test_id("documents").click()
    page.locator("#id_decide-decision").select_option("approved")
    page.fill("#id_decide-decision_number", f"{today.year}/31")
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("site-state")).to_have_text("Onaylandı")

    page.locator("#id_contract-contract_kind").select_option("rent")
    page.fill("#id_contract-contract_number", f"KRA-{today.year}-001")
    page.fill("#id_contract-contract_start", today.isoformat())
    page.fill("#id_contract-contract_end", today.replace(year=today.year + 5).isoformat())
    page.fill("#id_contract-yearly_amount", "36000")
    page.get_by_test_id("contract").click()
    expect(page.get_by_test_id("site-state")).to_have_text("Sözleşmeli")
    page.get_by_test_id("accrue").click()
    expect(page.get_by_test_id("accruals")).to_contain_text(f"BAZ-TAH-{today.year}-00001")
    site_url = page.url

    # A complaint filed on the public form, tied to the site from its application's page.
    complaint = application_services.receive_application(
        user=None, type=complaint_type, received_on=today, subject="Okulun karşısındaki anten",
        applicant_name="Ayşe Çelik", responsible_unit=unit, form_data={}, channel="web",
        require_form_fields=False,
    )  # fmt: skip
    page.goto(complaint.get_absolute_url())
    # the site is found by a search (its code) and chosen among the results
    page.get_by_test_id("site-search").fill("ESK0112")
    choice = page.locator(f"input[name=link-site][value='{BaseStationSite.objects.get().pk}']")
    choice.check()
    page.get_by_test_id("link-site").click()
    expect(page.get_by_test_id("site-complaint")).to_contain_text("ESK0112")
    page.goto(site_url)
    expect(page.get_by_test_id("site-complaints")).to_contain_text(complaint.number)
    sheet = page.request.get(page.get_by_test_id("site-sheet").get_attribute("href"))
    assert sheet.ok and sheet.body().startswith(b"%PDF")
    screenshot(page, "basestation-site")
    page.goto(complaint.get_absolute_url())
    page.get_by_test_id("unlink-site").click()
    expect(page.get_by_test_id("link-site-form")).to_be_visible()

    site.refresh_from_db()
    assert site.state == "contracted" and site.accruals.get().year == today.year
    assert site.application.state == "answered"

    page.goto("/applications/basestation/map/")
    expect(page.get_by_test_id("blank-map-note")).to_be_visible()
    expect(page.get_by_test_id("site-map")).to_have_attribute("data-sites", "1")
    marker = page.locator("#site-map path.leaflet-interactive").first
    expect(marker).to_be_visible()
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Örnek Telekom A.Ş. · <b>ESK0112</b>")
    assert popup.locator("b").count() == 0
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    # Leaflet fades the popup in (a CSS transition) and pans the map to show it: photograph it
    # once no animation is left on the popup and the map pane has stopped moving.
    page.wait_for_function(
        """() => {
            const popup = document.querySelector(".leaflet-popup");
            return popup && popup.getAnimations({subtree: true}).length === 0
                && getComputedStyle(popup).opacity === "1"
                && !document.querySelector(".leaflet-pan-anim, .leaflet-zoom-anim");
        }"""
    )
    screenshot(page, "basestation-map")
