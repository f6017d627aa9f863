"""Vulnerability findings in Chromium: the SOME lead imports a Trivy and a Nessus report (the
format recognised from the file), accepts the risk of one finding with an end date, marks
another fixed, and a later Trivy import reopens it; a truncated file is refused at the field
with nothing imported. Leaves screenshots findings-list.png and finding-detail.png."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from biys.secops.tests.conftest import SAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def import_report(page, path, unit) -> None:
    page.goto("/secops/imports/add/")
    page.locator("#id_unit").select_option(label=str(unit))
    page.set_input_files("#id_file", str(path))
    page.locator("#scan-import-form button[type=submit]").click()


def test_import_accept_a_risk_and_a_later_import_reopens_a_fixed_finding(
    page, login_as, make_user, org_tree, screenshot, tmp_path, settings
):
    from django.utils import timezone

    from biys.secops.models import Finding, ScanImport

    settings.MEDIA_ROOT = tmp_path / "media"
    login_as(make_user("some_lead", org_tree["dept"]))
    trivy = SAMPLES / "scheme_2_many_vulns.json"

    # A truncated file: the reason at the field, nothing imported.
    cut = tmp_path / "yarim.nessus"
    cut.write_bytes((SAMPLES / "nessus_many_vuln.xml").read_bytes()[:4000])
    import_report(page, cut, org_tree["network"])
    expect(
        page.locator("#scan-import-form .invalid-feedback, #scan-import-form .text-danger").first
    ).to_be_visible()
    assert not ScanImport.objects.exists()

    # A Trivy image scan and a Nessus scan.
    import_report(page, trivy, org_tree["network"])
    expect(page.locator("#import-counts [data-count=created]")).to_have_text("5")
    import_report(page, SAMPLES / "nessus_many_vuln.xml", org_tree["software"])
    expect(page.locator("#import-counts [data-count=created]")).to_have_text("7")
    assert set(ScanImport.objects.values_list("format", flat=True)) == {"trivy", "nessus"}

    # Accept the risk of the worst Trivy finding until next month.
    worst, second = Finding.objects.filter(scanner="trivy").order_by("-severity", "pk")[:2]
    page.goto(worst.get_absolute_url())
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    page.fill("#id_accept_risk-note", "Görüntü yalnızca iç ağda; yeni sürüm bakım penceresinde.")
    page.fill("#id_accept_risk-until", until)
    page.locator("button[name=submit-accept_risk]").click()
    expect(page.locator("#risk-acceptance")).to_be_visible()
    worst.refresh_from_db()
    assert worst.state == "risk_accepted"

    # Mark another one fixed.
    page.goto(second.get_absolute_url())
    page.locator("button[name=submit-fix]").click()
    expect(page.locator("#finding-state")).to_have_attribute("data-state", "fixed")

    # The next scan of the image finds it again: reopened.
    import_report(page, trivy, org_tree["network"])
    expect(page.locator("#import-counts [data-count=reopened]")).to_have_text("1")
    second.refresh_from_db()
    assert second.state == "reopened" and second.times_reopened == 1
    page.goto(second.get_absolute_url())
    expect(page.locator("#finding-state")).to_have_attribute("data-state", "reopened")
    screenshot(page, "finding-detail")

    page.goto("/secops/findings/")
    expect(page.locator("table")).to_contain_text(worst.host)
    screenshot(page, "findings-list")
