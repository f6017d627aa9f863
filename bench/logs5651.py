"""Scenario ``logs5651``: Law 5651 access logs.

Generates ``--size`` log lines over one day (half ISC dhcpd syslog lines for 4,000 devices,
leases renewed and released; half FortiGate traffic lines, one NAT session each) and measures,
in one run:

- ``ingest_lines_per_s``: ``ingest_file`` on both files (parse, merge into sessions, store the
  compressed file, bulk load: COPY on PostgreSQL), lines per second;
- ``seal_ratio``: the file sealing work BİYS does (gzip level 1 and SHA-256 of the raw and the
  compressed file, then the day's manifest) against the machine's own ceiling measured on the
  same files in the same run (``gzip -1`` and ``sha256sum``): ceiling time over ours, so 1.0
  is as fast as the tools (target at least 0.5);
- ``search_ms`` against ``search_best_ms``: "who had IP X at time T" (the selector the page and
  the API use) over 30 days of records, against the best query written by hand for what the
  answer shows (the address given out or translated to, the record with its source's and
  file's names, in time order); ``search_replay_ms`` is the selector's own SQL through a cursor.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import subprocess
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.common import interleaved_medians_ms

DEFAULT_SIZE = 200_000
DEVICES = 4_000
SEARCH_DAYS = 30


def _mac(n: int) -> str:
    return ":".join(f"{b:02x}" for b in (0x02, 0, (n >> 16) & 255, (n >> 8) & 255, n & 255, 1))


def _ip(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255 or 1}"


def dhcp_lines(count: int, day: date) -> bytes:
    rng = random.Random(5651)
    lines = []
    step = 86_400 / max(count, 1)
    for i in range(count):
        seconds = int(i * step)
        stamp = (datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds)).strftime(
            "%b %d %H:%M:%S"
        )
        device = rng.randrange(DEVICES)
        if rng.random() < 0.1:
            lines.append(
                f"{stamp} gw dhcpd[812]: DHCPRELEASE of {_ip(device)} from {_mac(device)}"
                " (pc) via eth0 (found)"
            )
        else:
            lines.append(
                f"{stamp} gw dhcpd[812]: DHCPACK on {_ip(device)} to {_mac(device)}"
                f" (pc{device}) via eth0"
            )
    return ("\n".join(lines) + "\n").encode()


def traffic_lines(count: int, day: date) -> bytes:
    rng = random.Random(3161)
    lines = []
    step = 86_400 / max(count, 1)
    for i in range(count):
        at = datetime.combine(day, datetime.min.time()) + timedelta(seconds=int(i * step))
        device = rng.randrange(DEVICES)
        lines.append(
            f'date={at:%Y-%m-%d} time={at:%H:%M:%S} devname="FG100" logid="0000000013"'
            f' type="traffic" subtype="forward" srcip={_ip(device)} srcport={1024 + i % 60000}'
            f' srcmac="{_mac(device)}" dstip=93.184.{i % 250}.{i % 200 + 1} dstport=443'
            f' transip=85.1.2.3 transport={2000 + i % 60000} proto=6 action="close"'
            f" duration={rng.randrange(1, 600)} sentbyte=1000"
        )
    return ("\n".join(lines) + "\n").encode()


def _ceiling_seconds(paths: list[Path]) -> float:
    """What the machine's own tools take for the same work: ``gzip -1`` and ``sha256sum``."""
    gzip_tool, sha_tool = shutil.which("gzip"), shutil.which("sha256sum")
    started = time.perf_counter()
    for path in paths:
        with open(path, "rb") as source, tempfile.TemporaryFile() as target:
            subprocess.run([gzip_tool, "-1", "-c"], stdin=source, stdout=target, check=True)
            target.seek(0)
            subprocess.run([sha_tool], stdin=target, stdout=subprocess.DEVNULL, check=True)
        subprocess.run([sha_tool, str(path)], stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def _ours_seconds(paths: list[Path]) -> float:
    from biys.logs5651 import storage

    started = time.perf_counter()
    for path in paths:
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        compressed = storage.compress(data)
        hashlib.sha256(compressed).hexdigest()
    return time.perf_counter() - started


def _build_search_days(source, days: int, per_day: int, first: date) -> int:
    """Records of ``days`` days straight into the table (as ingest loads them)."""
    from django.utils import timezone

    from biys.logs5651 import records
    from biys.logs5651.models import LogFile
    from biys.logs5651.parsers import Session
    from biys.logs5651.parsers.base import micros

    rng = random.Random(30)
    total = 0
    for offset in range(days):
        day = first + timedelta(days=offset)
        digest = hashlib.sha256(f"search-{day}".encode()).hexdigest()
        log_file = LogFile.objects.create(
            source=source, day=day, name=f"{day}.log", size=0, sha256=digest,
            gz_path=f"bench/{day}.gz", gz_size=0, gz_sha256=digest, records_sha256="",
            parsed=True, received_at=timezone.now(),
        )  # fmt: skip
        start_of_day = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        sessions = []
        for i in range(per_day):
            device = rng.randrange(DEVICES)
            start = start_of_day + timedelta(seconds=rng.randrange(86_000))
            end = start + timedelta(minutes=rng.randrange(5, 240))
            sessions.append(
                Session("lease", _ip(device), _mac(device), micros(start), micros(end), "", "",
                        None, None, None, None, None, i + 1, i * 100)
            )  # fmt: skip
        rows = records.prepare(sessions)
        records.bulk_insert(rows, source_id=source.pk, file_id=log_file.pk)
        total += rows.count
    return total


def run(*, size: int | None = None, repeat: int = 7, http_seconds: int = 0) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from biys.logs5651.models import AccessRecord, LogSource
    from biys.logs5651.sealing import ensure_manifest
    from biys.logs5651.selectors import RECORD_FIELDS, who_had
    from biys.logs5651.services import ingest_file
    from biys.org.models import Unit

    size = size or DEFAULT_SIZE
    work = Path(tempfile.mkdtemp(prefix="biys-bench-5651-"))
    settings.BIYS_LOGS5651_DIR = work / "store"
    try:
        unit = Unit.objects.create(name="Sistem ve Ağ Şube Müdürlüğü", kind="sube_mudurlugu")
        dhcp = LogSource.objects.create(
            unit=unit, name="bench-dhcp", kind="dhcp", parser="isc_dhcpd_syslog"
        )
        firewall = LogSource.objects.create(
            unit=unit, name="bench-fortigate", kind="nat", parser="fortigate"
        )
        day = timezone.localdate() - timedelta(days=1)
        files = [
            (dhcp, work / "dhcpd.log", dhcp_lines(size // 2, day)),
            (firewall, work / "fortigate.log", traffic_lines(size - size // 2, day)),
        ]
        for _source, path, data in files:
            path.write_bytes(data)

        started = time.perf_counter()
        ingested = [
            ingest_file(source=source, path_or_bytes=path, day=day) for source, path, _ in files
        ]
        ingest_s = time.perf_counter() - started
        lines = sum(f.lines for f in ingested)

        paths = [path for _source, path, _data in files]
        ceiling_s = min(_ceiling_seconds(paths) for _ in range(3))
        ours_s = min(_ours_seconds(paths) for _ in range(3))
        started = time.perf_counter()
        ensure_manifest(unit=unit, day=day)
        manifest_s = time.perf_counter() - started
        ours_s += manifest_s

        first = day - timedelta(days=SEARCH_DAYS + 1)
        per_day = max(1_000, size // 4)
        search_records = _build_search_days(dhcp, SEARCH_DAYS, per_day, first)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE logs5651_accessrecord")
        sample = (
            AccessRecord.objects.filter(file__day__gte=first)
            .order_by("-pk")
            .values("ip", "start", "end")[size // 8]
        )
        at = sample["start"] + (sample["end"] - sample["start"]) / 2
        ip = sample["ip"]

        def ours():
            return list(who_had(ip=ip, at=at))

        # What the answer shows: every column of the record, its source's name and unit, its
        # file's name and day; the address given out or translated to (NAT), in time order.
        columns = ", ".join(f'r."{name}"' for name in RECORD_FIELDS)
        best_sql = (
            f'SELECT r."id", {columns}, s."name", s."unit_id", f."name", f."day" '
            'FROM "logs5651_accessrecord" r '
            'JOIN "logs5651_logsource" s ON s."id" = r."source_id" '
            'JOIN "logs5651_logfile" f ON f."id" = r."file_id" '
            'WHERE (r."ip" = %s OR r."nat_ip" = %s) AND r."start" <= %s '
            'AND (r."end" >= %s OR r."end" IS NULL) ORDER BY r."start", r."id"'
        )

        def best():
            with connection.cursor() as cursor:
                cursor.execute(best_sql, [ip, ip, at, at])
                return cursor.fetchall()

        replay_sql, replay_params = who_had(ip=ip, at=at).query.sql_with_params()

        def replay():
            with connection.cursor() as cursor:
                cursor.execute(replay_sql, replay_params)
                return cursor.fetchall()

        found = len(ours())
        if len(best()) != found:
            raise RuntimeError("the best query and the selector disagree")
        # In turns (the bench rules, bench/common.py), so a busy moment weighs on both.
        search_ms, best_ms, replay_ms = (
            round(ms, 3) for ms in interleaved_medians_ms([ours, best, replay], repeat)
        )
        return {
            "scenario": "logs5651",
            "size": size,
            "lines": lines,
            "records": sum(f.records for f in ingested),
            "unreadable": sum(f.unreadable for f in ingested),
            "ingest_s": round(ingest_s, 3),
            "ingest_lines_per_s": round(lines / ingest_s),
            "seal_ms": round(ours_s * 1000, 1),
            "ceiling_ms": round(ceiling_s * 1000, 1),
            "manifest_ms": round(manifest_s * 1000, 1),
            "seal_ratio": round(ceiling_s / ours_s, 3),
            "search_records": search_records,
            "search_days": SEARCH_DAYS,
            "search_found": found,
            "search_ms": search_ms,
            "search_best_ms": best_ms,
            "search_ratio": round(search_ms / best_ms, 2) if best_ms else None,
            "search_replay_ms": replay_ms,
            "repeat": repeat,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_table(result: dict) -> None:
    for key, value in result.items():
        print(f"{key:24} {value}")
