"""The register import in Chromium: the inventory officer uploads a register with a bad row and
sees the errors at their columns, then the corrected file, checks its preview and imports all
rows. Leaves the screenshot inventory-import.png (the preview of the bad file)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parents[2] / "biys/inventory/tests/import_samples"


def test_the_officer_previews_and_imports_a_register(
    live_server, page, login_as, make_user, org_tree, screenshot
):
    from biys.inventory import codes
    from biys.inventory.models import Asset

    codes.load_default_codes()
    unit = org_tree["network"]
    officer = make_user("inventory_officer", unit, username="tasinir", first_name="Selin")
    page.set_default_navigation_timeout(60_000)  # a loaded CI machine renders the first page slowly
    login_as(officer)

    page.goto("/inventory/imports/add/")
    page.set_input_files("input[name=file]", str(SAMPLES / "biys_bad.csv"))
    page.select_option("select[name=unit]", str(unit.pk))
    page.get_by_role("button", name="Dosyayı denetle").click()
    preview = page.locator("#import-preview")
    expect(preview.locator("tr[data-row='4'] td[data-error='serial_number']")).to_contain_text(
        "2. satırda"
    )
    expect(page.locator("#confirm-import")).to_have_count(0)
    screenshot(page, "inventory-import")

    page.goto("/inventory/imports/add/")
    page.set_input_files("input[name=file]", str(SAMPLES / "biys.csv"))
    page.select_option("select[name=unit]", str(unit.pk))
    page.get_by_role("button", name="Dosyayı denetle").click()
    expect(page.locator("#import-preview")).to_contain_text("CZC1234ABC")
    page.locator("#confirm-import").click()
    expect(page.locator("[data-state='done']")).to_contain_text("4 varlık kaydedildi")
    assert Asset.objects.filter(unit=unit).count() == 4
