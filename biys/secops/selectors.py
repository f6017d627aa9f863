"""Reads of the findings module: scoped findings, remediation targets, overdue lists."""

from datetime import date

from django.db.models import Count, Min, Q
from django.utils import timezone

from biys.core.text import sort_key
from biys.secops.choices import ACTIVE_STATES, DEFAULT_TARGET_DAYS, Severity
from biys.secops.models import Finding, RemediationTarget


def today() -> date:
    return timezone.localdate()


def remediation_days() -> dict[int, int]:
    """Days to fix per severity: the defaults, overridden by the stored targets."""
    days = {int(severity): value for severity, value in DEFAULT_TARGET_DAYS.items()}
    days.update(RemediationTarget.objects.values_list("severity", "days"))
    return days


def findings_for(user):
    return Finding.objects.restrict(user, "view")


def overdue_q(day: date) -> Q:
    return Q(state__in=ACTIVE_STATES, due_date__lt=day)


def overdue_findings(user, *, day: date | None = None):
    return findings_for(user).filter(overdue_q(day or today()))


def overdue_by_unit(user, *, day: date | None = None) -> list[dict]:
    """One row per responsible unit with overdue findings: the count per severity, the total
    and the oldest missed date; sorted by the worst (critical, high, ... then the unit's name
    in Turkish order)."""
    counts = {
        name: Count("id", filter=Q(severity=value))
        for name, value in (
            ("critical", Severity.CRITICAL),
            ("high", Severity.HIGH),
            ("medium", Severity.MEDIUM),
            ("low", Severity.LOW),
        )
    }
    rows = list(
        overdue_findings(user, day=day)
        .order_by()
        .values("unit_id", "unit__name")
        .annotate(total=Count("id"), oldest=Min("due_date"), **counts)
    )
    rows.sort(
        key=lambda row: (
            -row["critical"], -row["high"], -row["medium"], -row["low"],
            sort_key(row["unit__name"]),
        )
    )  # fmt: skip
    return rows
