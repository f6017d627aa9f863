"""The ``(unit) -> instance`` callables of the cross-module tests (the permission matrix)."""

from itertools import count

from django.utils import timezone

from biys.core.testing import register_factory
from biys.secops.choices import Format, ImportStatus, Severity, State
from biys.secops.models import Finding, RemediationTarget, ScanImport

_numbers = count(1)


@register_factory(ScanImport)
def make_scan_import(unit, **fields):
    values = {
        "unit": unit,
        "filename": f"tarama-{next(_numbers)}.nessus",
        "format": Format.NESSUS,
        "status": ImportStatus.DONE,
        "progress": 100,
    }
    values.update(fields)
    return ScanImport.objects.create(**values)


@register_factory(Finding)
def make_finding(unit, **fields):
    n = next(_numbers)
    now = timezone.now()
    values = {
        "dedup_key": f"{n:064d}",
        "unit": unit,
        "host": f"10.0.0.{n % 250 + 1}",
        "port": 443,
        "protocol": "tcp",
        "scanner": Format.NESSUS,
        "rule_id": str(10000 + n),
        "cves": "CVE-2024-3094",
        "title": "OpenSSH güncel değil",
        "severity": Severity.HIGH,
        "first_seen": now,
        "last_seen": now,
        "state": State.OPEN,
        "due_date": timezone.localdate() + timezone.timedelta(days=30),
    }
    values.update(fields)
    return Finding.objects.create(**values)


@register_factory(RemediationTarget)
def make_remediation_target(unit=None, **fields):
    target, _created = RemediationTarget.objects.get_or_create(
        severity=fields.pop("severity", Severity.LOW), defaults={"days": 180, **fields}
    )
    return target
