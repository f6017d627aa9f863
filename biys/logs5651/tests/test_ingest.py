"""Receiving a day's file: stored compressed as received, parsed into merged sessions, loaded
in bulk (COPY on PostgreSQL), refused when already received or sealed."""

import gzip
import hashlib
import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from biys.logs5651 import records, storage
from biys.logs5651.models import AccessRecord, DailySeal, LogFile
from biys.logs5651.services import ingest_file, search_access_records
from biys.logs5651.tests.conftest import DAY
from biys.logs5651.tests.factories import ISC_SYSLOG

IST = ZoneInfo("Europe/Istanbul")
pytestmark = pytest.mark.django_db


def test_ingest_stores_the_file_and_the_sessions(source, logs_dir):
    log_file = ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY, name="dhcpd.log")
    assert (log_file.lines, log_file.records, log_file.unreadable, log_file.skipped) == (8, 3, 1, 1)
    assert log_file.sha256 == hashlib.sha256(ISC_SYSLOG).hexdigest()
    stored = storage.absolute(log_file.gz_path)
    assert stored.is_relative_to(logs_dir)
    assert gzip.decompress(stored.read_bytes()) == ISC_SYSLOG  # unreadable lines kept
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == log_file.gz_sha256
    rows = AccessRecord.objects.filter(file=log_file).order_by("start")
    assert [(r.ip, r.mac, r.line) for r in rows] == [
        ("10.0.0.20", "aa:aa:aa:aa:aa:01", 2),
        ("10.0.0.20", "bb:bb:bb:bb:bb:02", 5),
        ("10.0.0.21", "cc:cc:cc:cc:cc:03", 6),
    ]
    # The digest taken at ingest is the digest of what the database holds.
    assert records.stored_digest(log_file.pk) == (log_file.records_sha256, 3)


def test_the_same_file_twice_is_refused(source, logs_dir):
    ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    with pytest.raises(ValidationError):
        ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    assert LogFile.objects.count() == 1


def test_a_sealed_day_takes_no_more_files(source, logs_dir):
    DailySeal.objects.create(unit=source.unit, day=DAY, manifest="{}", manifest_sha256="x")
    with pytest.raises(ValidationError) as error:
        ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    assert "day" in error.value.message_dict
    assert not LogFile.objects.exists() and not any(logs_dir.rglob("*.gz"))


def test_a_failed_database_write_leaves_no_file(source, logs_dir, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # Records already streamed (COPY on PostgreSQL), then the file's row fails.
    monkeypatch.setattr(LogFile.objects, "create", broken)
    with pytest.raises(RuntimeError):
        ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    assert not LogFile.objects.exists() and not any(logs_dir.rglob("*.gz"))
    assert not AccessRecord.objects.exists()


def test_an_inactive_source_and_a_future_day_are_refused(source, logs_dir):
    with pytest.raises(ValidationError):
        ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=date(2999, 1, 1))
    source.active = False
    source.save()
    with pytest.raises(ValidationError):
        ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)


def test_who_had_the_address_and_the_search_is_logged(source, logs_dir, make_user, org_tree):
    ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    officer = make_user("log_officer", org_tree["network"])
    search, found = search_access_records(
        user=officer,
        ip="10.0.0.20",
        at=datetime(2026, 11, 27, 14, tzinfo=IST),
        request_number="2026/123",
    )
    assert [r.mac for r in found] == ["bb:bb:bb:bb:bb:02"]
    assert (search.user, search.results) == (officer, 1)
    outsider = make_user("log_officer", org_tree["roads"])
    assert (
        search_access_records(
            user=outsider,
            ip="10.0.0.20",
            at=datetime(2026, 11, 27, 14, tzinfo=IST),
            request_number="2026/124",
        ).records
        == []
    )
    from biys.logs5651.models import SearchRequest

    assert list(SearchRequest.objects.values_list("request_number", "results")) == [
        ("2026/124", 0),
        ("2026/123", 1),
    ]
    with pytest.raises(ValidationError):
        search_access_records(
            user=officer, ip="10.0.0.20", at=datetime.now(IST), request_number=" "
        )


def test_cli_ingest_and_who_print_json(source, logs_dir, tmp_path, make_user, org_tree):
    path = tmp_path / "dhcpd.log"
    path.write_bytes(ISC_SYSLOG)
    out = io.StringIO()
    call_command("logs", "ingest", "merkez-dhcp", str(path), "--date", "2026-11-27", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["records"], result["unreadable"], result["name"]) == (3, 1, "dhcpd.log")

    make_user("log_officer", org_tree["network"], username="savci-yaniti")
    out = io.StringIO()
    call_command(
        "logs", "who", "10.0.0.20", "2026-11-27T09:30", "--request", "E.2026/55",
        "--user", "savci-yaniti", stdout=out,
    )  # fmt: skip
    answer = json.loads(out.getvalue())
    assert [(r["mac"], r["line"], r["source"]) for r in answer["records"]] == [
        ("aa:aa:aa:aa:aa:01", 2, "merkez-dhcp")
    ]


def test_what_the_database_holds_is_what_was_digested(source, logs_dir):
    """The rows written by COPY (PostgreSQL) or executemany (SQLite) read back exactly as the
    digest taken before they were written: addresses, times to the microsecond, NULLs, and
    host names with the characters COPY's CSV quotes (tab, quote) and its text format escapes."""
    firewall = type(source).objects.create(
        unit=source.unit, name="merkez-fw", kind="nat", parser="fortigate"
    )
    nat = (
        b'date=2026-11-27 time=08:02:00 type="traffic" srcip=10.0.0.5 srcport=51234'
        b" dstip=1.2.3.4 dstport=443 transip=85.1.2.3 transport=40000 duration=120\n"
        b'date=2026-11-27 time=08:03:00 type="traffic" srcip=10.0.0.6 duration=1\n'
    )
    dhcp = (
        b'Nov 27 08:00:00 gw dhcpd: DHCPACK on 10.0.0.9 to aa:aa:aa:aa:aa:04 (a\\b\tc\\N"q) via e\n'
        b"2026-11-27T08:00:00.250000+00:00 gw dhcpd: DHCPACK on 2001:db8::1 to"
        b" aa:aa:aa:aa:aa:05\n"
    )
    files = [
        ingest_file(source=firewall, path_or_bytes=nat, day=DAY),
        ingest_file(source=source, path_or_bytes=dhcp, day=DAY),
    ]
    for log_file in files:
        assert records.stored_digest(log_file.pk) == (log_file.records_sha256, 2)
    assert AccessRecord.objects.get(ip="10.0.0.9").hostname == 'a\\b\tc\\N"q'
    v6 = AccessRecord.objects.get(ip="2001:db8::1")
    assert v6.start == datetime(2026, 11, 27, 8, 0, 0, 250000, tzinfo=ZoneInfo("UTC"))
    bare = AccessRecord.objects.get(ip="10.0.0.6")
    assert (bare.nat_ip, bare.dst_port, bare.mac) == (None, None, "")


def test_one_change_record_per_file(source, logs_dir):
    from django.contrib.contenttypes.models import ContentType

    from biys.core.models import ObjectChange

    log_file = ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    changes = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(LogFile), object_id=str(log_file.pk)
    )
    assert [(c.action, c.postchange_data["records_sha256"]) for c in changes] == [
        ("create", log_file.records_sha256)
    ]


def test_a_file_without_records(source, logs_dir):
    """Nothing an access record can be made of (an empty file, only unreadable lines): the
    file is still kept and counted, with the digest of no records."""
    empty = ingest_file(source=source, path_or_bytes=b"", day=DAY, name="bos.log")
    noise = ingest_file(source=source, path_or_bytes=b"x\n\xff\n", day=DAY, name="gurultu.log")
    assert (empty.lines, empty.records, noise.lines, noise.unreadable, noise.records) == (
        0, 0, 2, 2, 0
    )  # fmt: skip
    for log_file in (empty, noise):
        assert log_file.records_sha256 == hashlib.sha256(b"").hexdigest()
        assert records.stored_digest(log_file.pk) == (log_file.records_sha256, 0)
        assert storage.absolute(log_file.gz_path).is_file()
