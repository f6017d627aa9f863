"""Collection: Debian's rsyslog, with the shipped configuration, receiving syslog on loopback
and writing one file per source and day into the watched folder; the folder's closed files
taken, parsed (dated by reception time), refused ones set aside."""

import json
import os
import socket
import subprocess
import time
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from biys.logs5651.collect import collect
from biys.logs5651.models import AccessRecord, LogFile
from biys.logs5651.tests.factories import ISC_SYSLOG, make_log_source

pytestmark = pytest.mark.django_db
CONFIG = Path(__file__).resolve().parents[3] / "deploy" / "rsyslog" / "biys-5651.conf"
RSYSLOGD = "/usr/sbin/rsyslogd"


@pytest.fixture
def incoming(settings, tmp_path, logs_dir):
    settings.BIYS_LOGS5651_INCOMING = tmp_path / "incoming"
    settings.BIYS_LOGS5651_INCOMING.mkdir()
    return settings.BIYS_LOGS5651_INCOMING


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    if not os.access(RSYSLOGD, os.X_OK):
        pytest.skip("Debian's rsyslog is not installed: apt-get install rsyslog")
    udp, tcp = _free_port(), _free_port()
    work = tmp_path / "rsyslog"
    work.mkdir()
    config = CONFIG.read_text()
    config = config.replace("/var/lib/biys/logs5651-incoming", str(incoming))
    config = config.replace(
        'input(type="imudp" port="514"', f'input(type="imudp" address="127.0.0.1" port="{udp}"'
    )
    config = config.replace(
        'input(type="imtcp" port="514"', f'input(type="imtcp" address="127.0.0.1" port="{tcp}"'
    )
    conf = work / "rsyslog.conf"
    conf.write_text(f'global(workDirectory="{work}")\n' + config)
    checked = subprocess.run([RSYSLOGD, "-N1", "-f", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    daemon = subprocess.Popen(
        [RSYSLOGD, "-n", "-f", str(conf), "-i", str(work / "pid")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    lines = [
        "<30>Nov 27 08:00:02 gw dhcpd[812]: DHCPACK on 10.0.0.20 to aa:aa:aa:aa:aa:01 (pc1) via eth0",
        "<30>Nov 27 08:30:00 gw dhcpd[812]: DHCPRELEASE of 10.0.0.20 from aa:aa:aa:aa:aa:01 (pc1) via eth0",
    ]
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                sender = socket.create_connection(("127.0.0.1", tcp), timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or daemon.poll() is not None:
                    raise
                time.sleep(0.1)
        with sender:
            sender.sendall(lines[0].encode() + b"\n")
        folder = incoming / "127.0.0.1"

        def written_lines(count: int) -> Path | None:
            while time.monotonic() < deadline:
                found = list(folder.glob("*.log")) if folder.is_dir() else []
                if found and found[0].read_text().count("\n") >= count:
                    return found[0]
                time.sleep(0.05)
            return None

        # The release only once the lease is written: two inputs, two threads, no order.
        written_lines(1)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as datagram:
            datagram.sendto(lines[1].encode(), ("127.0.0.1", udp))
        written = written_lines(2)
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
    assert written is not None, daemon.stderr.read().decode()[-2000:]
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
