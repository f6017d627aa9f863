"""Law 5651 access logs in Chromium: the log officer registers a source, uploads a day of
dhcpd syslog, the day is sealed against the local time-stamping authority (openssl ts on
loopback), the officer finds who had an IP at a time and downloads the evidence package; a
byte of the stored file is changed and verification fails. Leaves screenshots logs5651-who.png,
logs5651-seal.png and logs5651-verify.png."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from biys.logs5651.tests.conftest import DAY, local_tsa, logs_dir, tsa  # noqa: F401  (fixtures)
from biys.logs5651.tests.factories import ISC_SYSLOG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_collect_seal_search_export_and_tamper(
    context,
    page,
    login_as,
    make_user,
    org_tree,
    tsa,  # noqa: F811  (the imported fixture)
    screenshot,
    tmp_path,
):
    from biys.logs5651 import storage
    from biys.logs5651.models import DailySeal, LogFile, LogSource
    from biys.logs5651.services import seal_day

    officer = make_user("log_officer", org_tree["dept"], username="log", first_name="Deniz")
    login_as(officer)

    # A source, registered on its page.
    page.goto("/logs5651/sources/add/")
    page.select_option("#id_unit", label="Sistem ve Ağ Şube Müdürlüğü")
    page.fill("#id_name", "merkez-dhcp")
    page.select_option("#id_kind", "dhcp")
    page.select_option("#id_parser", "isc_dhcpd_syslog")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("merkez-dhcp")
    source = LogSource.objects.get(name="merkez-dhcp")

    # A day's file, uploaded; the unreadable line is counted and kept.
    page.goto("/logs5651/files/upload/")
    page.select_option("#id_source", str(source.pk))
    page.fill("#id_day", DAY.isoformat())
    upload = tmp_path / "dhcpd.log"
    upload.write_bytes(ISC_SYSLOG)
    page.set_input_files("#id_file", str(upload))
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator(".alert-warning").first).to_contain_text("1")
    log_file = LogFile.objects.get()

    # The day is sealed (as the beat job does) against the local authority.
    seal = seal_day(unit=source.unit, day=DAY)
    assert seal.status == "sealed"
    page.goto(f"/logs5651/seals/{seal.pk}/")
    expect(page.locator("body")).to_contain_text(seal.manifest_sha256[:16])
    screenshot(page, "logs5651-seal")

    # Who had 10.0.0.20 at 14:00 that day? Asked with the prosecutor's letter number.
    page.goto("/logs5651/who/")
    page.fill("#id_ip", "10.0.0.20")
    page.fill("#id_at", f"{DAY.isoformat()}T14:00")
    page.fill("#id_request_number", "E.2026/5651")
    page.locator("#main-content form button[type=submit]").first.click()
    results = page.locator("#who-results")
    expect(results).to_contain_text("bb:bb:bb:bb:bb:02")
    expect(results).to_contain_text("pc2")
    screenshot(page, "logs5651-who")
    with page.expect_download() as download_info:
        results.get_by_role("link", name="Delil paketi").click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    assert any(name.endswith("report.pdf") for name in archive.namelist())
    assert any(name.endswith("token.tsr") for name in archive.namelist())

    # One byte of the stored file changed: verification names the day, source and file.
    path = storage.absolute(log_file.gz_path)
    path.chmod(0o640)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    page.goto("/logs5651/verify/")
    page.locator("#main-content form button[type=submit]").first.click()
    alert = page.locator("#verification-result")
    expect(alert).to_have_class("alert alert-danger mt-3")
    expect(page.locator("table")).to_contain_text("merkez-dhcp")
    expect(page.locator("table")).to_contain_text(DAY.isoformat())
    screenshot(page, "logs5651-verify")
    assert DailySeal.objects.get().status == "sealed"
