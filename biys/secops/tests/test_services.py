"""Importing (dedup across imports, reopen, all or nothing, background with progress), the
lifecycle, remediation targets and the overdue list."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from biys.core import assets
from biys.secops import selectors, services
from biys.secops.choices import ImportStatus, Severity, State
from biys.secops.models import Finding, RemediationTarget, ScanImport
from biys.secops.tests.conftest import sample
from biys.secops.tests.factories import make_finding

pytestmark = pytest.mark.django_db


def trivy_report(vulnerabilities, artifact="registry.belediye.local/ebelediye:2.4"):
    return json.dumps(
        {
            "SchemaVersion": 2,
            "ArtifactName": artifact,
            "ArtifactType": "container_image",
            "Results": [
                {"Target": f"{artifact} (debian 12)", "Class": "os-pkgs", "Type": "debian",
                 "Vulnerabilities": vulnerabilities}
            ],
        }
    ).encode()  # fmt: skip


def vuln(cve, package="openssl", severity="HIGH"):
    return {"VulnerabilityID": cve, "PkgName": package, "InstalledVersion": "3.0.1",
            "FixedVersion": "3.0.9", "Severity": severity, "Title": f"{package}: {cve}"}  # fmt: skip


def test_every_sample_imports(member, org_tree):
    names = ["one_vuln.xml", "report_detail_v2.xml", "nessus_many_vuln.xml",
             "nessus_was_one_vuln.xml", "scheme_2_many_vulns.json",
             "misconfigurations_and_secrets.json", "many_findings_new.json", "multiple_v3.json"]  # fmt: skip
    for name in names:
        scan_import = services.import_content(
            user=member, unit=org_tree["network"], content=sample(name), filename=name
        )
        assert scan_import.status == ImportStatus.DONE, name
        assert scan_import.created_count > 0, name
    assert Finding.objects.count() == 1 + 1 + 7 + 1 + 5 + 5 + 2 + 5
    nuclei = ScanImport.objects.get(filename="multiple_v3.json")
    assert (nuclei.total, nuclei.created_count, nuclei.skipped_count) == (6, 5, 1)


def test_dedup_across_imports_and_reopen(member, org_tree):
    unit = org_tree["network"]
    first = services.import_content(
        user=member, unit=unit, filename="a.json",
        content=trivy_report([vuln("CVE-2023-0001"), vuln("CVE-2023-0002", "curl")]),
    )  # fmt: skip
    assert first.counts() == {"created": 2, "updated": 0, "reopened": 0, "skipped": 0}
    fixed = Finding.objects.get(cves="CVE-2023-0002")
    services.change_state(user=member, finding=fixed, action="fix")
    second = services.import_content(
        user=member, unit=unit, filename="b.json",
        content=trivy_report([vuln("CVE-2023-0001", severity="CRITICAL"),
                              vuln("CVE-2023-0002", "curl"), vuln("CVE-2023-0003", "zlib")]),
    )  # fmt: skip
    assert second.counts() == {"created": 1, "updated": 1, "reopened": 1, "skipped": 0}
    assert Finding.objects.count() == 3
    fixed.refresh_from_db()
    assert fixed.state == State.REOPENED and fixed.times_reopened == 1 and fixed.fixed_at is None
    assert fixed.last_import == second and fixed.first_import == first
    kept = Finding.objects.get(cves="CVE-2023-0001")
    assert kept.severity == Severity.CRITICAL  # the scanner's latest word
    assert kept.due_date == timezone.localdate(kept.first_seen) + timedelta(days=7)


def test_same_cve_on_another_port_or_host_is_another_finding():
    from biys.secops.parsers import ParsedFinding

    base = ParsedFinding(host="10.0.0.1", rule_id="1", title="t", severity=3, port=443,
                         protocol="tcp", cves=["CVE-2024-1"])  # fmt: skip
    same_cve_other_rule = ParsedFinding(host="10.0.0.1", rule_id="other-scanner-rule",
                                        title="t", severity=3, port=443, protocol="tcp",
                                        cves=["CVE-2024-1"])  # fmt: skip
    assert services.dedup_key(base) == services.dedup_key(same_cve_other_rule)
    for change in ({"port": 80}, {"host": "10.0.0.2"}, {"protocol": "udp"}, {"cves": []}):
        other = ParsedFinding(**{**base.__dict__, **change})
        assert services.dedup_key(other) != services.dedup_key(base), change


def test_a_refused_file_imports_nothing(member, org_tree):
    good = sample("scheme_2_many_vulns.json")
    with pytest.raises(ValidationError) as error:
        services.import_content(
            user=member, unit=org_tree["network"], content=good[:-200], filename="cut.json"
        )
    assert "file" in error.value.message_dict
    assert not Finding.objects.exists() and not ScanImport.objects.exists()


def test_a_failing_write_leaves_nothing(member, org_tree, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    services.import_content(
        user=member, unit=org_tree["network"], content=trivy_report([vuln("CVE-2023-1")]),
        filename="a.json",
    )  # fmt: skip
    monkeypatch.setattr(services, "update_rows", broken)  # the write of the changed findings
    with pytest.raises(RuntimeError):
        services.import_content(
            user=member, unit=org_tree["network"], filename="b.json",
            content=trivy_report([vuln("CVE-2023-1", severity="CRITICAL"), vuln("CVE-2023-2")]),
        )  # fmt: skip
    monkeypatch.undo()
    assert Finding.objects.count() == 1 and ScanImport.objects.count() == 1
    assert Finding.objects.get().severity != Severity.CRITICAL


def test_import_needs_the_permission_over_the_unit(make_user, org_tree):
    outsider = make_user("some_member", org_tree["software"])
    with pytest.raises(PermissionDenied):
        services.import_content(
            user=outsider, unit=org_tree["network"], content=sample("one_vuln.xml"),
            filename="x.xml",
        )  # fmt: skip
    technician = make_user("technician", org_tree["dept"])
    with pytest.raises(PermissionDenied):
        services.import_content(
            user=technician, unit=org_tree["network"], content=sample("one_vuln.xml"),
            filename="x.xml",
        )  # fmt: skip


def test_a_large_file_imports_in_the_background_with_progress(
    member, org_tree, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    monkeypatch.setattr(services, "background_bytes", lambda: 1000)
    content = sample("nessus_many_vuln.xml")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        scan_import = services.import_content(
            user=member, unit=org_tree["network"], content=content, filename="big.nessus",
            background=None,
        )  # fmt: skip
    assert scan_import.status == ImportStatus.QUEUED and not Finding.objects.exists()
    assert len(callbacks) == 1
    monkeypatch.setattr(
        "biys.secops.parsers.base.CountingReader.__init__",
        _recording_init(seen),
    )
    callbacks[0]()  # the task, in-process (no broker in tests)
    scan_import.refresh_from_db()
    assert scan_import.status == ImportStatus.DONE and scan_import.progress == 100
    assert scan_import.created_count == 7
    assert seen and seen[-1] == 1.0


def _recording_init(seen):
    from biys.secops.parsers.base import CountingReader

    original = CountingReader.__init__

    def init(self, stream, size, progress):
        def both(share):
            seen.append(share)
            if progress:
                progress(share)

        original(self, stream, size, both)

    return init


def test_a_refused_background_file_is_marked_and_imports_nothing(
    member, org_tree, django_capture_on_commit_callbacks
):
    content = sample("nessus_many_vuln.xml")
    with django_capture_on_commit_callbacks(execute=True):
        scan_import = services.import_content(
            user=member, unit=org_tree["network"], content=content[:300000],
            filename="cut.nessus", background=True,
        )  # fmt: skip
    scan_import.refresh_from_db()
    assert scan_import.status == ImportStatus.FAILED
    assert "XML" in scan_import.error
    assert not Finding.objects.exists()


def test_the_asset_register_decides_the_unit(member, org_tree):
    summary = assets.AssetSummary(
        pk=1, inventory_number="253.02-2026-00001", serial_number="", model="", status="",
        unit_id=org_tree["software"].pk, warranty_end=None, custodian="", url="",
    )  # fmt: skip
    assets.register_address_resolver(
        lambda addresses: {a: summary for a in addresses if a == "10.99.99.99"}
    )
    try:
        services.import_content(
            user=member, unit=org_tree["network"], content=sample("report_detail_v2.xml"),
            filename="r.xml",
        )  # fmt: skip
        services.import_content(
            user=member, unit=org_tree["network"], content=sample("one_vuln.xml"),
            filename="o.xml",
        )  # fmt: skip
    finally:
        assets.register_address_resolver(None)
    matched = Finding.objects.get(host="10.99.99.99")
    assert matched.unit == org_tree["software"]
    assert matched.asset_reference == "253.02-2026-00001"
    assert Finding.objects.get(host="10.0.101.2").unit == org_tree["network"]


def test_lifecycle(member, lead, org_tree):
    finding = make_finding(org_tree["network"])
    today = selectors.today()
    finding = services.change_state(user=member, finding=finding, action="start")
    assert finding.state == State.IN_REMEDIATION
    with pytest.raises(PermissionDenied):
        services.change_state(
            user=member, finding=finding, action="accept_risk", note="x",
            until=today + timedelta(days=30),
        )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.change_state(user=lead, finding=finding, action="accept_risk", note="")
    assert {"note", "until"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        services.change_state(
            user=lead, finding=finding, action="accept_risk", note="x",
            until=today + timedelta(days=400),
        )  # fmt: skip
    finding = services.change_state(
        user=lead, finding=finding, action="accept_risk", note="Sistem 2027'de kapanacak.",
        until=today + timedelta(days=30),
    )  # fmt: skip
    assert finding.state == State.RISK_ACCEPTED and finding.risk_accepted_by == lead
    with pytest.raises(ValidationError):
        services.change_state(user=member, finding=finding, action="start")
    finding = services.change_state(user=member, finding=finding, action="reopen", note="Erken")
    assert finding.state == State.REOPENED and finding.risk_accepted_until is None
    assert finding.times_reopened == 1
    with pytest.raises(ValidationError):
        services.change_state(user=member, finding=finding, action="false_positive")
    finding = services.change_state(
        user=member,
        finding=finding,
        action="false_positive",
        note="Yama uygulanmış, sürüm yanlış okunuyor.",
    )
    assert finding.state == State.FALSE_POSITIVE
    assert services.allowed_actions(member, finding) == ["reopen"]
    assert "accept_risk" not in services.allowed_actions(lead, finding)


def test_expired_risk_acceptance_opens_again(lead, org_tree):
    finding = make_finding(org_tree["network"])
    today = selectors.today()
    services.change_state(
        user=lead, finding=finding, action="accept_risk", note="x", until=today + timedelta(days=3)
    )
    assert services.expire_risk_acceptances(today=today + timedelta(days=3)) == 0
    assert services.expire_risk_acceptances(today=today + timedelta(days=4)) == 1
    finding.refresh_from_db()
    assert finding.state == State.OPEN


def test_remediation_targets_are_data(member, org_tree):
    assert selectors.remediation_days() == {4: 7, 3: 30, 2: 90, 1: 180}
    RemediationTarget.objects.filter(severity=Severity.HIGH).update(days=14)
    services.import_content(
        user=member, unit=org_tree["network"], content=trivy_report([vuln("CVE-2023-7")]),
        filename="a.json",
    )  # fmt: skip
    finding = Finding.objects.get()
    assert finding.due_date == timezone.localdate(finding.first_seen) + timedelta(days=14)
    info = services.import_content(
        user=member, unit=org_tree["network"], content=sample("nessus_many_vuln.xml"),
        filename="n.nessus",
    )  # fmt: skip
    assert not Finding.objects.filter(last_import=info).exclude(due_date=None).exists()


def test_minimum_severity_skips(member, org_tree, settings):
    settings.BIYS_FINDINGS_MIN_SEVERITY = Severity.LOW
    scan_import = services.import_content(
        user=member, unit=org_tree["network"], content=sample("nessus_many_vuln.xml"),
        filename="n.nessus",
    )  # fmt: skip
    assert (scan_import.created_count, scan_import.skipped_count) == (0, 7)


def test_overdue_per_unit(make_user, org_tree):
    today = selectors.today()
    late = today - timedelta(days=1)
    for unit, severity in ((org_tree["network"], Severity.CRITICAL),
                           (org_tree["network"], Severity.LOW),
                           (org_tree["software"], Severity.HIGH)):  # fmt: skip
        make_finding(unit, severity=severity, due_date=late)
    make_finding(org_tree["software"], due_date=today)  # due today: not overdue yet
    make_finding(org_tree["software"], due_date=late, state=State.FIXED)
    make_finding(org_tree["software"], due_date=late, state=State.RISK_ACCEPTED)
    lead = make_user("some_lead", org_tree["dept"])
    rows = selectors.overdue_by_unit(lead)
    assert [(row["unit__name"], row["critical"], row["high"], row["low"], row["total"])
            for row in rows] == [
        ("Sistem ve Ağ Şube Müdürlüğü", 1, 0, 1, 2),
        ("Yazılım Şube Müdürlüğü", 0, 1, 0, 1),
    ]  # fmt: skip
    scoped = make_user("some_member", org_tree["software"])
    assert [row["unit__name"] for row in selectors.overdue_by_unit(scoped)] == [
        "Yazılım Şube Müdürlüğü"
    ]
    assert selectors.overdue_by_unit(make_user("technician", org_tree["dept"])) == []


def _second_import_queries(user, unit, first: bytes, second: bytes) -> tuple[int, ScanImport]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.import_content(user=user, unit=unit, content=first, filename="first.nessus")
    with CaptureQueriesContext(connection) as queries:
        again = services.import_content(user=user, unit=unit, content=second, filename="b.nessus")
    return len(queries.captured_queries), again


def test_reimport_queries_do_not_grow_with_findings(lead, org_tree):
    """Re-importing a report (every finding known) reads and writes in bulk: the same number of
    queries for 10 findings as for 120, unchanged or changed (a rescan's new severities)."""
    from bench.secops import nessus_file

    small, small_import = _second_import_queries(
        lead, org_tree["network"], nessus_file(10), nessus_file(10)
    )
    assert small_import.counts()["updated"] == 10
    Finding.objects.all().delete()
    large, large_import = _second_import_queries(
        lead, org_tree["network"], nessus_file(120), nessus_file(120)
    )
    assert large_import.counts()["updated"] == 120
    assert large == small
    assert set(Finding.objects.values_list("last_import", flat=True)) == {large_import.pk}

    Finding.objects.all().delete()
    first = nessus_file(120)
    # the same findings, every one more severe and with new scanner output
    changed = first.replace(b'severity="', b'severity="4" old="').replace(
        b"S\xc3\xbcr\xc3\xbcm 1.0", b"S\xc3\xbcr\xc3\xbcm 2.0"
    )
    rescan, rescan_import = _second_import_queries(lead, org_tree["network"], first, changed)
    assert rescan_import.counts()["updated"] == 120
    assert rescan <= large + 1  # one UPDATE … FROM (VALUES …) for the changed rows
    assert set(Finding.objects.values_list("severity", flat=True)) == {Severity.CRITICAL}
    assert Finding.objects.filter(evidence__contains="2.0").count() == 120
