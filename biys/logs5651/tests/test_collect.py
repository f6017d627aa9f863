"""Collection: Debian's rsyslog, with the shipped configuration, receiving syslog on loopback
and writing one file per source and day into the watched folder; the folder's closed files
taken, parsed (dated by reception time), refused ones set aside."""

import json
import socket
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from biys.logs5651.collect import collect
from biys.logs5651.models import AccessRecord, LogFile
from biys.logs5651.tests.factories import ISC_SYSLOG, make_log_source
from biys.logs5651.tests.rsyslog import rsyslogd

pytestmark = pytest.mark.django_db


@pytest.fixture
def incoming(settings, tmp_path, logs_dir):
    settings.BIYS_LOGS5651_INCOMING = tmp_path / "incoming"
    settings.BIYS_LOGS5651_INCOMING.mkdir()
    return settings.BIYS_LOGS5651_INCOMING


def test_the_watched_folder(incoming, org_tree):
    make_log_source(org_tree["network"], name="merkez-dhcp")
    folder = incoming / "merkez-dhcp"
    folder.mkdir()
    (folder / "2026-11-27.log").write_bytes(ISC_SYSLOG)
    (folder / "dhcpd-20261127.log").write_bytes(ISC_SYSLOG)  # the same bytes again
    (folder / "writing.part").write_bytes(b"x")
    today = folder / f"{timezone.localdate():%Y-%m-%d}.log"
    today.write_bytes(b"still being written\n")
    (incoming / "unknown").mkdir()
    (incoming / "unknown" / "2026-11-27.log").write_bytes(b"x\n")

    results = collect()
    outcomes = {(r.source, r.file): r.outcome for r in results}
    assert outcomes == {
        ("merkez-dhcp", "2026-11-27.log"): "received",
        ("merkez-dhcp", "dhcpd-20261127.log"): "rejected",
        ("merkez-dhcp", today.name): "open",
        ("unknown", "2026-11-27.log"): "unknown_source",
    }
    assert LogFile.objects.get().day == date(2026, 11, 27)
    assert not (folder / "2026-11-27.log").exists() and today.exists()
    (reason,) = (incoming / ".rejected" / "merkez-dhcp").glob("*.reason.txt")
    assert "zaten alındı" in reason.read_text()  # in the default language, Turkish


def test_rsyslog_writes_one_file_per_source_and_day(incoming, org_tree, tmp_path):
    lines = [
        "<30>Nov 27 08:00:02 gw dhcpd[812]: DHCPACK on 10.0.0.20 to aa:aa:aa:aa:aa:01 (pc1) via eth0",
        "<30>Nov 27 08:30:00 gw dhcpd[812]: DHCPRELEASE of 10.0.0.20 from aa:aa:aa:aa:aa:01 (pc1) via eth0",
    ]
    with rsyslogd(incoming, tmp_path / "rsyslog") as daemon:
        with daemon.connect() as sender:
            sender.sendall(lines[0].encode() + b"\n")
        # The release only once the lease is written: two inputs, two threads, no order.
        daemon.written(1)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as datagram:
            datagram.sendto(lines[1].encode(), ("127.0.0.1", daemon.udp))
        written = daemon.written(2)
    assert written is not None, daemon.process.stderr.read().decode()[-2000:]
    received_day = date.fromisoformat(written.stem)
    text = written.read_text()
    assert "127.0.0.1 dhcpd[812]: DHCPACK on 10.0.0.20" in text

    make_log_source(org_tree["network"], name="127.0.0.1")
    tomorrow = datetime.combine(received_day + timedelta(days=1), datetime.min.time())
    results = collect(now=timezone.make_aware(tomorrow) + timedelta(hours=1))
    (result,) = results
    assert result.outcome == "received", result
    (record,) = AccessRecord.objects.all()
    # Dated by the reception time, not by the device's year-less "Nov 27".
    assert record.start.astimezone(timezone.get_current_timezone()).date() in (
        received_day,
        received_day + timedelta(days=1),  # rsyslog names the day in its own (UTC) zone
    )
    assert record.end - record.start < timedelta(seconds=30)
    assert (record.ip, record.mac) == ("10.0.0.20", "aa:aa:aa:aa:aa:01")


def test_cli_collect(incoming, org_tree):
    make_log_source(org_tree["network"], name="merkez-dhcp")
    (incoming / "merkez-dhcp").mkdir()
    (incoming / "merkez-dhcp" / "2026-11-27.log").write_bytes(ISC_SYSLOG)
    out = StringIO()
    call_command("logs", "collect", stdout=out)
    (entry,) = json.loads(out.getvalue())["files"]
    assert entry["outcome"] == "received"
