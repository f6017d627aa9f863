"""Incoming documents in Chromium: the registry clerk registers a paper document with its scan
(a person sender: the TC kimlik number masked), imports an e-Yazışma package (the form filled
from its Üstveri, every part listed), and sees a tampered copy refused with the part named and
nothing registered. Leaves screenshots evrak-detail.png and evrak-list.png."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_register_paper_import_a_package_and_refuse_a_tampered_one(
    page, login_as, make_user, org_tree, screenshot, tmp_path, settings
):
    from biys.evrak.models import IncomingDocument
    from biys.evrak.tests.packages import conformant_sample, tampered

    settings.MEDIA_ROOT = tmp_path / "media"
    package = conformant_sample()
    good, bad, scan = tmp_path / "belge.eyp", tmp_path / "degistirilmis.eyp", tmp_path / "t.pdf"
    good.write_bytes(package)
    bad.write_bytes(tampered(package, "Ekler/ek1.pdf"))
    scan.write_bytes(PDF)
    login_as(make_user("evrak_clerk", org_tree["dept"]))

    # A citizen's petition on paper, with its scan.
    page.goto("/evrak/add/")
    page.locator("#id_receiving_unit").select_option(label=str(org_tree["network"]))
    page.locator("#id_sender_kind").select_option("person")
    page.fill("#id_sender_name", "Zeynep Arslan")
    page.fill("#id_sender_tc_kimlik_no", "10000000146")
    page.fill("#id_subject", "Mahalle parkındaki kablosuz ağ arızası")
    page.locator("#id_urgency").select_option("ACL")
    page.set_input_files("#id_scan", str(scan))
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#document-markings")).to_contain_text("Acele")
    assert "10000000146" not in page.content()
    paper = IncomingDocument.objects.get(sender_name="Zeynep Arslan")
    assert paper.channel == "paper"

    # A tampered package: refused with the part, nothing registered.
    page.goto("/evrak/add/")
    page.locator("#id_receiving_unit").select_option(label=str(org_tree["network"]))
    page.set_input_files("#id_package", str(bad))
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("/Ekler/ek1.pdf")
    assert IncomingDocument.objects.count() == 1

    # The real one: registered from its Üstveri, every part listed.
    page.set_input_files("#id_package", str(good))
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#package-check")).to_be_visible()
    expect(page.locator("#package-parts")).to_contain_text("/Ustveri/Ustveri.xml")
    assert IncomingDocument.objects.get(channel="eyp").sender_detsis_no == "61648174"
    screenshot(page, "evrak-detail")

    page.goto("/evrak/")
    expect(page.locator("table")).to_contain_text("Mahalle parkındaki kablosuz ağ arızası")
    screenshot(page, "evrak-list")
