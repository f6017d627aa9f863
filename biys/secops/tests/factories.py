"""The ``(unit) -> instance`` callables of the cross-module tests (the permission matrix)."""

from itertools import count

from django.utils import timezone

from biys.core.testing import register_factory
from biys.secops.choices import (
    Classification,
    DetectionSource,
    Format,
    ImportStatus,
    IndicatorKind,
    RuleCondition,
    Severity,
    State,
)
from biys.secops.models import (
    Breach,
    Finding,
    Incident,
    NotificationRule,
    PenTest,
    RemediationTarget,
    ScanImport,
    UsomAddress,
    UsomListImport,
)

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


@register_factory(Incident)
def make_incident(unit, **fields):
    from biys.core.numbering import next_number
    from biys.secops.services import INCIDENT_NUMBER_TEMPLATE, INCIDENT_SEQUENCE

    n = next(_numbers)
    values = {
        "number": next_number(INCIDENT_SEQUENCE, template=INCIDENT_NUMBER_TEMPLATE),
        "unit": unit,
        "title": f"Şüpheli oturum açma {n}",
        "source": DetectionSource.REPORT,
        "detected_at": timezone.now() - timezone.timedelta(hours=2),
        "classification": Classification.UNAUTHORISED_ACCESS,
        "severity": Severity.HIGH,
    }
    values.update(fields)
    return Incident.objects.create(**values)


@register_factory(NotificationRule)
def make_notification_rule(unit=None, **fields):
    values = {
        "authority": "Test Kurumu",
        "name": f"Bildirim {next(_numbers)}",
        "hours": 48,
        "applies_when": RuleCondition.ALWAYS,
        "source": "Deneme kuralı",
    }
    values.update(fields)
    return NotificationRule.objects.create(**values)


@register_factory(Breach)
def make_breach(unit, **fields):
    incident = fields.pop("incident", None) or make_incident(
        unit, personal_data=True, classification=Classification.DATA_BREACH
    )
    values = {
        "incident": incident,
        "data_categories": "Kimlik, iletişim",
        "subject_groups": "Başvuru sahipleri",
        "subjects_affected": 120,
    }
    values.update(fields)
    return Breach.objects.create(**values)


@register_factory(PenTest)
def make_pentest(unit, **fields):
    values = {
        "unit": unit,
        "title": f"Dış ağ sızma testi {next(_numbers)}",
        "tester": "Örnek Güvenlik A.Ş.",
        "started_on": timezone.localdate() - timezone.timedelta(days=10),
        "ended_on": timezone.localdate() - timezone.timedelta(days=3),
        "scope": "185.0.0.0/28, e-belediye uygulaması (gri kutu)",
    }
    values.update(fields)
    return PenTest.objects.create(**values)


# USOM's list is the same for every unit: read by whoever holds its view permission anywhere.
@register_factory(UsomListImport)
def make_usom_list_import(unit=None, **fields):
    values = {
        "filename": "url-list.txt",
        "format": "txt",
        "status": ImportStatus.DONE,
        "complete": True,
        "total": 1,
        "added_count": 1,
    }
    values.update(fields)
    return UsomListImport.objects.create(**values)


@register_factory(UsomAddress)
def make_usom_address(unit=None, **fields):
    values = {"kind": IndicatorKind.DOMAIN, "value": f"zararli-{next(_numbers)}.example"}
    values.update(fields)
    return UsomAddress.objects.create(**values)
