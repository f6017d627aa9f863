"""Every parser on the real sample reports (DefectDojo's fixtures, BSD-3), and the refusals."""

import io
from decimal import Decimal

import pytest

from biys.secops.choices import Format, Severity
from biys.secops.parsers import ReportError, parser_for
from biys.secops.services import dedup_key, parse_report
from biys.secops.tests.conftest import SAMPLES, sample


def parse(name: str, format=None):
    data = sample(name)
    return parse_report(io.BytesIO(data), size=len(data), format=format)


@pytest.mark.parametrize(
    ("name", "format", "rows"),
    [
        ("one_vuln.xml", Format.OPENVAS, 1),
        ("report_detail_v2.xml", Format.OPENVAS, 1),
        ("nessus_many_vuln.xml", Format.NESSUS, 7),
        ("nessus_was_one_vuln.xml", Format.NESSUS, 1),
        ("scheme_2_many_vulns.json", Format.TRIVY, 5),
        ("misconfigurations_and_secrets.json", Format.TRIVY, 5),
        ("many_findings_new.json", Format.NUCLEI, 2),
        ("multiple_v3.json", Format.NUCLEI, 6),
    ],
)
def test_every_sample_is_recognised_and_read(name, format, rows):
    report = parse(name)
    assert report.format == format
    assert len(report.rows) == rows
    assert all(row.host and row.rule_id and row.title for row in report.rows)


def test_the_samples_keep_their_licence_notice():
    notice = (SAMPLES / "DefectDojo-LICENSE.md").read_text()
    assert "Copyright (c) 2015-2023 DefectDojo, Inc." in notice
    assert "DefectDojo-LICENSE.md" in (SAMPLES / "README.md").read_text()


def test_openvas_fields():
    (row,) = parse("report_detail_v2.xml").rows
    assert (row.host, row.hostname, row.port, row.protocol) == (
        "10.99.99.99",
        "server99",
        42,
        "tcp",
    )
    assert row.rule_id == "1.3.6.1.4.1.25623.1.0.836484"
    assert row.severity == Severity.CRITICAL  # 9.8
    assert row.cvss_score == Decimal("9.8")
    assert row.cvss_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert "CVE-2025-49659" in row.cves
    assert row.title.startswith("Microsoft Windows Multiple Vulnerabilities")
    (general,) = parse("one_vuln.xml").rows
    assert (general.port, general.protocol) == (None, "tcp")  # general/tcp
    assert len(general.cves) == 12
    assert "Upgrade to version 117" in general.solution


def test_nessus_fields():
    rows = parse("nessus_many_vuln.xml").rows
    assert {row.host for row in rows} == {"12.233.108.201"}
    assert {row.hostname for row in rows} == {"preprod.boardvantage.net"}
    assert all(row.severity == Severity.INFO for row in rows)
    ports = [(row.rule_id, row.port) for row in rows]
    assert ("19506", None) in ports  # port 0: the host itself
    assert ("11219", 443) in ports and ("11219", 264) in ports
    (xss,) = parse("nessus_was_one_vuln.xml").rows
    assert (xss.severity, xss.cvss_score, xss.port) == (Severity.HIGH, Decimal("7.1"), 80)
    assert xss.rule_id == "98104"
    assert "<xss_9676200>" in xss.evidence  # entities decoded, kept as text


def test_trivy_fields():
    rows = parse("scheme_2_many_vulns.json").rows
    assert {row.host for row in rows} == {"teamdojo:latest"}
    by_cve = {row.rule_id: row for row in rows}
    krb = by_cve["CVE-2020-28196"]
    assert krb.cves == ["CVE-2020-28196"]
    assert krb.severity == Severity.HIGH and krb.cvss_score == Decimal("7.5")
    assert krb.component == "krb5-libs"
    mixed = parse("misconfigurations_and_secrets.json").rows
    kinds = {row.rule_id: row for row in mixed}
    assert kinds["DS002"].component == "Dockerfile" and kinds["DS002"].severity == Severity.HIGH
    secrets = [row for row in mixed if row.rule_id == "github-pat"]
    assert {row.component for row in secrets} == {"Dockerfile:24", "secret.txt:1"}
    assert all(row.severity == Severity.CRITICAL for row in secrets)
    # A file system scan of "." is named after the scanned file.
    assert kinds["CVE-2021-33503"].host == "requirements.txt"


def test_nuclei_fields():
    ssh, metrics = parse("many_findings_new.json").rows
    assert (ssh.host, ssh.hostname, ssh.port, ssh.protocol) == (
        "127.0.0.1", "nuclei-example.com", 22, "network"
    )  # fmt: skip
    assert ssh.cves == ["CVE-2018-15473"] and ssh.severity == Severity.MEDIUM
    assert ssh.cvss_score == Decimal("5.3")
    assert (metrics.port, metrics.component) == (443, "/metrics")
    rows = parse("multiple_v3.json").rows
    # The JSON array export: the two tls-version results on the same port are one finding.
    assert len({dedup_key(row) for row in rows}) == 5


def test_the_format_can_be_named():
    assert parse("one_vuln.xml", format=Format.OPENVAS).format == Format.OPENVAS
    with pytest.raises(ReportError):
        parse("one_vuln.xml", format=Format.NESSUS)  # not a Nessus report
    with pytest.raises(ReportError):
        parse("scheme_2_many_vulns.json", format=Format.NUCLEI)


@pytest.mark.parametrize(
    "name", ["report_detail_v2.xml", "nessus_was_one_vuln.xml", "scheme_2_many_vulns.json",
             "multiple_v3.json"],
)  # fmt: skip
def test_a_truncated_report_is_refused(name):
    data = sample(name)
    cut = data[: len(data) * 2 // 3]
    with pytest.raises(ReportError):
        parse_report(io.BytesIO(cut), size=len(cut))


def test_a_truncated_jsonl_line_is_refused_with_its_line():
    data = sample("many_findings_new.json").rstrip()[:-40]
    with pytest.raises(ReportError, match="2"):
        parse_report(io.BytesIO(data), size=len(data))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        b"hello world",
        b'{"foo": 1}',
        b"<html><body>not a report</body></html>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><report>&a;</report>',
        b"\xff\xfe<report>",
    ],
)
def test_what_is_not_a_report_is_refused(data):
    with pytest.raises(ReportError):
        parse_report(io.BytesIO(data), size=len(data))


def test_an_entry_without_host_is_refused():
    data = b'{"template-id": "x", "info": {"name": "X", "severity": "high"}}\n'
    with pytest.raises(ReportError, match="1"):
        parse_report(io.BytesIO(data), size=len(data))


def test_progress_is_reported():
    seen = []
    data = sample("nessus_many_vuln.xml")
    parse_report(io.BytesIO(data), size=len(data), progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)


def test_parser_for_unknown_format():
    with pytest.raises(ReportError):
        parser_for("qualys", b"")
