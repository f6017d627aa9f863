"""Law 5651 access logs in Chromium: the log officer registers the firewall as a source, a
day of its syslog reaches Debian's rsyslogd (the shipped configuration, unprivileged, on
loopback) and the watched folder, the next day the file is taken and sealed against the local
time-stamping authority (openssl ts on loopback), the officer finds who had the public address
at a time and downloads the evidence package; a byte of the stored file is changed and
verification fails. Leaves screenshots logs5651-who.png, logs5651-seal.png and
logs5651-verify.png."""

import io
import zipfile
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from biys.logs5651.tests.conftest import local_tsa, logs_dir, tsa  # noqa: F401  (fixtures)
from biys.logs5651.tests.rsyslog import rsyslogd

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEVICES = [("10.0.0.20", "aa:aa:aa:aa:aa:01"), ("10.0.0.21", "bb:bb:bb:bb:bb:02"),
           ("10.0.0.22", "cc:cc:cc:cc:cc:03")]  # fmt: skip


def day_of_traffic(day: date) -> bytes:
    """A day of FortiGate's traffic log as syslog: a NAT session every 15 minutes (14 minutes
    long, behind the public address 85.1.2.3), the devices taking turns."""
    lines = []
    for i in range(96):
        ip, mac = DEVICES[i % len(DEVICES)]
        end = datetime.combine(day, datetime.min.time()) + timedelta(seconds=i * 900 + 840)
        lines.append(
            f'<189>date={end:%Y-%m-%d} time={end:%H:%M:%S} devname="FG100" type="traffic"'
            f' subtype="forward" srcip={ip} srcport={40000 + i} srcmac="{mac}" dstip=1.2.3.4'
            f" dstport=443 transip=85.1.2.3 transport={50000 + i} duration=840\n"
        )
    return "".join(lines).encode()


def test_collect_seal_search_export_and_tamper(
    context,
    page,
    login_as,
    make_user,
    org_tree,
    tsa,  # noqa: F811  (the imported fixture)
    screenshot,
    tmp_path,
    settings,
    monkeypatch,
):
    from django.utils import timezone

    from biys.inventory.tests.factories import make_network_device
    from biys.logs5651 import storage
    from biys.logs5651.collect import collect
    from biys.logs5651.models import DailySeal, LogFile, LogSource
    from biys.logs5651.services import seal_day

    settings.BIYS_LOGS5651_INCOMING = incoming = tmp_path / "incoming"
    incoming.mkdir()
    # The device's lines carry the day rsyslog names the file by (the system's local date);
    # BİYS lives on the next day, when that day's file is closed and can be sealed.
    day = date.today()
    tomorrow = timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))
    monkeypatch.setattr("django.utils.timezone.now", lambda: tomorrow + timedelta(hours=12))
    officer = make_user("log_officer", org_tree["dept"], username="log", first_name="Deniz")
    login_as(officer)

    # The firewall, registered on its page under the name rsyslog gives its folder (its address),
    # with the device of the network inventory it is (offered from the officer's units).
    firewall = make_network_device(org_tree["network"], name="merkez-fw", kind="firewall")
    page.goto("/logs5651/sources/add/")
    page.select_option("#id_unit", label="Sistem ve Ağ Şube Müdürlüğü")
    page.fill("#id_name", "127.0.0.1")
    page.select_option("#id_kind", "nat")
    page.select_option("#id_parser", "fortigate")
    page.select_option("#id_network_device", str(firewall.pk))
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("127.0.0.1")
    source = LogSource.objects.get(name="127.0.0.1")
    assert source.network_device == firewall.pk
    page.goto(source.get_absolute_url())  # saving returns to the list; the source's own page
    expect(page.locator("[data-network-device]")).to_contain_text("merkez-fw")

    # A day of its syslog, sent over TCP to rsyslogd, which writes the day's file.
    with rsyslogd(incoming, tmp_path / "rsyslog") as daemon:
        data = day_of_traffic(day)
        with daemon.connect() as sender:
            sender.sendall(data)
        written = daemon.written(data.count(b"\n"))
    assert written is not None, daemon.process.stderr.read().decode()[-2000:]
    assert written.name == f"{day}.log"

    # The next day the beat job takes the closed file.
    (result,) = collect()
    assert result.outcome == "received", result
    log_file = LogFile.objects.get()
    assert (log_file.day, log_file.lines, log_file.records, log_file.unreadable) == (day, 96, 96, 0)

    # The day is sealed (as the beat job does) against the local authority.
    seal = seal_day(unit=source.unit, day=day)
    assert seal.status == "sealed"
    page.goto(f"/logs5651/seals/{seal.pk}/")
    expect(page.locator("body")).to_contain_text(seal.manifest_sha256[:16])
    screenshot(page, "logs5651-seal")

    # Who had the public address 85.1.2.3 at 14:05 that day? Asked with the letter's number:
    # the session of 14:00-14:14 behind it, the device's address and MAC.
    page.goto("/logs5651/who/")
    page.fill("#id_ip", "85.1.2.3")
    page.fill("#id_at", f"{day.isoformat()}T14:05")
    page.fill("#id_request_number", "E.2026/5651")
    page.locator("#main-content form button[type=submit]").first.click()
    results = page.locator("#who-results")
    ip, mac = DEVICES[56 % len(DEVICES)]
    expect(results).to_contain_text(mac)
    expect(results).to_contain_text(ip)
    expect(results.locator("tbody tr")).to_have_count(1)
    screenshot(page, "logs5651-who")
    with page.expect_download() as download_info:
        results.get_by_role("link", name="Delil paketi").click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    assert any(name.endswith("report.pdf") for name in archive.namelist())
    assert any(name.endswith("token.tsr") for name in archive.namelist())
    (stored,) = [name for name in archive.namelist() if name.endswith(".log.gz")]
    assert "127.0.0.1" in stored

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
    expect(page.locator("table")).to_contain_text("127.0.0.1")
    expect(page.locator("table")).to_contain_text(day.isoformat())
    screenshot(page, "logs5651-verify")
    assert DailySeal.objects.get().status == "sealed"
