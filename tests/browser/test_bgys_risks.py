"""The risk register in Chromium: the BGYS manager records an information asset, adds a risk to
it (likelihood 5 × impact 4 = 20, above the default 5 × 5 methodology's appetite of 8) with a
treatment and its residual risk, sends it for approval and approves it; the heat map counts it
in its cell, coloured against the appetite, and the cell opens the filtered risk list, which
exports CSV for Turkish Excel. Leaves the screenshot bgys-risks.png (the heat map)."""

import csv
import io

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_asset_risk_approval_heat_map_and_export(page, login_as, make_user, org_tree, screenshot):
    from biys.bgys import services
    from biys.bgys.models import InformationAsset, Risk
    from biys.bgys.tests.factories import make_risk

    manager = make_user("bgys_manager", org_tree["dept"])
    services.ensure_catalogues()
    services.default_methodology()
    # A few risks already on the register, so the map has more than one cell.
    for likelihood, impact in ((2, 2), (3, 4), (4, 4), (1, 3)):
        make_risk(org_tree["network"], likelihood=likelihood, impact=impact)
    login_as(manager)

    # An information asset of the network unit.
    page.goto("/bgys/assets/add/")
    page.fill("#id_name", "Emlak vergisi veri tabanı")
    page.locator("#id_kind").select_option("data_set")
    page.locator("#id_unit").select_option(str(org_tree["network"].pk))
    page.locator("#id_confidentiality").select_option("5")
    page.locator("#id_integrity").select_option("5")
    page.locator("#id_availability").select_option("4")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#object-list")).to_contain_text("Emlak vergisi veri tabanı")
    asset = InformationAsset.objects.get(name="Emlak vergisi veri tabanı")
    page.goto(asset.get_absolute_url())
    expect(page.get_by_test_id("confidentiality")).to_have_text("5")

    # A risk to it, from its Risks tab.
    page.get_by_role("tab", name="Riskler").click()
    page.get_by_test_id("add-risk").click()
    page.locator("#id_threat").select_option(label="Bilgi sızıntısı")
    page.locator("#id_vulnerability").select_option(label="Şifrelenmemiş veri")
    page.locator("#id_likelihood").select_option("5")
    page.locator("#id_impact").select_option("4")
    page.locator("#id_treatment").select_option("reduce")
    page.fill("#id_treatment_plan", "Veri tabanı ve yedekler şifrelenecek.")
    page.locator("#id_owner").select_option(str(manager.person_id))
    page.fill("#id_due_date", "2027-02-01")
    page.locator("#id_residual_likelihood").select_option("2")
    page.locator("#id_residual_impact").select_option("3")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#object-list")).to_contain_text("Emlak vergisi veri tabanı")
    risk = Risk.objects.get(asset=asset)
    page.goto(risk.get_absolute_url())
    expect(page.get_by_test_id("inherent-score")).to_have_text("20")
    expect(page.get_by_test_id("residual-score")).to_have_text("6")

    # Sent for approval, then approved by the BGYS manager.
    page.get_by_test_id("risk-submit").click()
    expect(page.get_by_test_id("risk-approve")).to_be_visible()
    page.get_by_test_id("risk-approve").click()
    expect(page.locator("#main-content")).to_contain_text("Onaylandı")
    risk.refresh_from_db()
    assert risk.status == "approved" and risk.approved_by == manager

    # The heat map: the risk in the likelihood 5 × impact 4 cell, red (above the appetite).
    page.goto("/bgys/risks/heat-map/")
    inherent = page.get_by_test_id("heatmap-inherent")
    cell = inherent.get_by_test_id("cell-5-4")
    expect(cell).to_have_text("1")
    expect(inherent.locator("td.bg-red-lt")).to_have_count(11)  # the scores above 8 on a 5 × 5
    expect(page.get_by_test_id("heatmap-residual").get_by_test_id("cell-2-3")).to_have_text("1")
    screenshot(page, "bgys-risks")

    # The cell opens the filtered list; its CSV is for Turkish Excel.
    cell.click()
    table = page.locator("#object-list")
    expect(table).to_contain_text("Emlak vergisi veri tabanı")
    expect(table.locator("tbody tr")).to_have_count(1)
    table.get_by_role("button", name="Dışa aktar").click()
    with page.expect_download() as download_info:
        table.get_by_role("link", name="CSV (süzülen tüm satırlar)").click()
    raw = download_info.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Bilgi varlığı" and len(rows) == 2
    assert rows[1][0] == "Emlak vergisi veri tabanı" and "20" in rows[1] and "Azaltma" in rows[1]
