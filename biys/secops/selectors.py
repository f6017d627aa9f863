"""Reads of the findings module: scoped findings, remediation targets, overdue lists."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from biys.core.text import sort_key
from biys.secops.choices import ACTIVE_STATES, DEFAULT_TARGET_DAYS, Severity
from biys.secops.models import Finding, FindingDueCount, RemediationTarget

VIEW_FINDING = "secops.view_finding"


def today() -> date:
    return timezone.localdate()


def remediation_days() -> dict[int, int]:
    """Days to fix per severity: the defaults, overridden by the stored targets."""
    days = {int(severity): value for severity, value in DEFAULT_TARGET_DAYS.items()}
    days.update(RemediationTarget.objects.values_list("severity", "days"))
    return days


def findings_for(user):
    return Finding.objects.restrict(user, "view")


def pentests_for(user):
    from biys.secops.models import PenTest

    return PenTest.objects.restrict(user, "view")


def awaiting_verification_q() -> Q:
    """Active findings whose remediation ticket the service desk has resolved or closed."""
    return Q(state__in=ACTIVE_STATES, ticket__state__in=("resolved", "closed"))


def overdue_q(day: date) -> Q:
    return Q(state__in=ACTIVE_STATES, due_date__lt=day)


def overdue_findings(user, *, day: date | None = None):
    return findings_for(user).filter(overdue_q(day or today()))


def overdue_by_unit(user, *, day: date | None = None) -> list[dict]:
    """One row per responsible unit with overdue findings: the count per severity, the total
    and the oldest missed date; sorted by the worst (critical, high, ... then the unit's name
    in Turkish order). Read from the overdue summary (``FindingDueCount``: active findings per
    unit, severity and date to fix by), summing the cells before ``day``: one query over a few
    thousand cells whatever the number of findings, and exact on any day."""
    from biys.core.access import get_scope, holds_everywhere

    if user is None or not user.is_authenticated:
        return []
    scope = get_scope(user)
    cells = FindingDueCount.objects.filter(due_date__lt=day or today(), count__gt=0)
    if not holds_everywhere(scope, VIEW_FINDING):  # the units findings_for(user) shows
        units = scope.units_for(VIEW_FINDING)
        if not units:
            return []
        cells = cells.filter(unit_id__in=units)
    counts = {
        name: Coalesce(Sum("count", filter=Q(severity=value)), 0)
        for name, value in (
            ("critical", Severity.CRITICAL),
            ("high", Severity.HIGH),
            ("medium", Severity.MEDIUM),
            ("low", Severity.LOW),
        )
    }
    rows = list(
        cells.order_by()
        .values("unit_id", "unit__name")
        .annotate(total=Sum("count"), oldest=Min("due_date"), **counts)
    )
    rows.sort(
        key=lambda row: (
            -row["critical"], -row["high"], -row["medium"], -row["low"],
            sort_key(row["unit__name"]),
        )
    )  # fmt: skip
    return rows


# The severities the due summary counts, worst first, by the names the API answers with.
SEVERITY_NAMES = (
    ("critical", Severity.CRITICAL),
    ("high", Severity.HIGH),
    ("medium", Severity.MEDIUM),
    ("low", Severity.LOW),
    ("info", Severity.INFO),
)
DUE_SOON_DAYS = 7  # the default window of "due soon", in days from today


def due_by_unit(user, *, day: date | None = None, soon_days: int = DUE_SOON_DAYS) -> list[dict]:
    """Per responsible unit the user may see, the active findings overdue (date to fix by
    before ``day``) and due soon (from ``day`` to ``soon_days`` days after it, both included),
    counted per severity, with the oldest missed date; the units with neither are left out.
    Sorted as the overdue page (the worst overdue first, then the unit's name in Turkish order).
    Read from the due summary (``FindingDueCount``) in one query whatever the number of
    findings or units; the user's scope is the one ``findings_for(user)`` applies."""
    from biys.core.access import get_scope, holds_everywhere

    if user is None or not user.is_authenticated:
        return []
    day = day or today()
    scope = get_scope(user)
    cells = FindingDueCount.objects.filter(
        due_date__lte=day + timedelta(days=soon_days), count__gt=0
    )
    if not holds_everywhere(scope, VIEW_FINDING):
        units = scope.units_for(VIEW_FINDING)
        if not units:
            return []
        cells = cells.filter(unit_id__in=units)
    late, soon = Q(due_date__lt=day), Q(due_date__gte=day)
    sums = {}
    for name, value in SEVERITY_NAMES:
        sums[f"overdue_{name}"] = Coalesce(Sum("count", filter=late & Q(severity=value)), 0)
        sums[f"soon_{name}"] = Coalesce(Sum("count", filter=soon & Q(severity=value)), 0)
    rows = []
    for row in (
        cells.order_by()
        .values("unit_id", "unit__name")
        .annotate(oldest=Min("due_date", filter=late), **sums)
    ):
        overdue = {name: row[f"overdue_{name}"] for name, _value in SEVERITY_NAMES}
        due_soon = {name: row[f"soon_{name}"] for name, _value in SEVERITY_NAMES}
        rows.append(
            {
                "unit_id": row["unit_id"],
                "unit_name": row["unit__name"],
                "overdue": {**overdue, "total": sum(overdue.values())},
                "due_soon": {**due_soon, "total": sum(due_soon.values())},
                "oldest_overdue": row["oldest"],
            }
        )
    rows.sort(
        key=lambda row: (
            *(-row["overdue"][name] for name, _value in SEVERITY_NAMES),
            *(-row["due_soon"][name] for name, _value in SEVERITY_NAMES),
            sort_key(row["unit_name"]),
        )
    )
    return rows


# Incidents ---------------------------------------------------------------------------------


def incidents_for(user):
    from biys.secops.models import Incident

    return Incident.objects.restrict(user, "view")


@dataclass(frozen=True)
class Clock:
    """One notification an incident owes: its rule, deadline and what was sent for it."""

    rule: object
    deadline: datetime
    sent: list

    @property
    def done(self) -> bool:
        return bool(self.sent)

    @property
    def first_sent_at(self) -> datetime | None:
        return self.sent[0].sent_at if self.sent else None

    @property
    def on_time(self) -> bool | None:
        return None if not self.sent else self.first_sent_at <= self.deadline

    def remaining(self, now: datetime | None = None) -> timedelta:
        return self.deadline - (now or timezone.now())

    def is_late(self, now: datetime | None = None) -> bool:
        if self.sent:
            return not self.on_time
        return self.remaining(now) < timedelta(0)


def clocks(incident, *, rules=None, notifications=None) -> list[Clock]:
    """The notification clocks of ``incident``: every active rule that applies to it (and any
    rule something was already sent under), soonest deadline first. A list page passes the
    rules it read once and the incident's prefetched notifications."""
    from biys.secops.models import NotificationRule

    if notifications is None:
        notifications = incident.notifications.select_related("rule", "sent_by")
    if rules is None:
        rules = NotificationRule.objects.all()
    sent: dict[int, list] = {}
    for notification in notifications:
        sent.setdefault(notification.rule_id, []).append(notification)
    result = []
    for rule in rules:
        if rule.applies_to(incident) or rule.pk in sent:
            result.append(
                Clock(
                    rule, incident.detected_at + timedelta(hours=rule.hours), sent.get(rule.pk, [])
                )
            )
    result.sort(key=lambda clock: clock.deadline)
    return result


def duration_text(delta: timedelta) -> str:
    """'2 d 5 h', '3 h 20 min' (translated)."""
    from django.utils.translation import gettext as _

    minutes = int(abs(delta).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}


def indicators_of(incident) -> list:
    """The incident's indicators, each with ``seen``: in how many incidents (all of them, not
    only the ones the reader may open) it was seen."""
    from biys.secops.models import Indicator

    indicators = list(incident.indicators.select_related("usom_address").order_by("kind", "value"))
    links = Indicator.incidents.through.objects.filter(indicator__in=indicators)
    seen = dict(links.values("indicator").annotate(n=Count("id")).values_list("indicator", "n"))
    for indicator in indicators:
        indicator.seen = seen.get(indicator.pk, 0)
    return indicators


def open_tasks_of(user) -> list:
    """The open tasks assigned to ``user`` in incidents they may see, due first."""
    from django.db.models import F

    from biys.secops.models import IncidentTask

    return list(
        IncidentTask.objects.filter(
            assignee=user,
            state__in=("open", "in_progress"),
            incident__in=incidents_for(user).values("pk"),
        )
        .select_related("incident")
        .order_by(F("due").asc(nulls_last=True), "pk")[:200]
    )


# Personal-data breaches --------------------------------------------------------------------


def breaches_for(user):
    from biys.secops.models import Breach

    return Breach.objects.restrict(user, "view")


def board_clock(incident, *, rules=None, notifications=None) -> Clock | None:
    """The incident's KVKK clock: the clock of a personal-data rule (the Board's 72 hours by
    default), soonest first; ``None`` when no such rule applies."""
    from biys.secops.choices import RuleCondition

    for clock in clocks(incident, rules=rules, notifications=notifications):
        if clock.rule.applies_when == RuleCondition.PERSONAL_DATA:
            return clock
    return None


def ticket_records_hint(ticket_pk):
    """Does any finding or incident name the ticket, as an expression over its key (the
    ticket page's own query carries it: ``biys.core.tickets.with_link_hints``)."""
    from django.db.models import Exists

    from biys.secops.models import Incident

    return Exists(Finding.objects.filter(ticket=ticket_pk)) | Exists(
        Incident.objects.filter(ticket=ticket_pk)
    )


def ticket_has_records(ticket_pk: int) -> bool:
    """Does any finding or incident name the ticket? Most tickets have none, and the scoped
    queries that list them cost their page far more to build than this one statement on the
    two foreign keys' indexes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_records_sql(connection.vendor), [ticket_pk, ticket_pk])
        return bool(cursor.fetchone()[0])


@cache
def _records_sql(vendor: str) -> str:
    """Written once per database vendor: it names tables and columns, and only the pk is a
    parameter."""
    from django.db import connection

    from biys.secops.models import Incident

    quote = connection.ops.quote_name
    return "SELECT " + " OR ".join(
        f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)}"
        f" WHERE {quote(model._meta.get_field('ticket').column)} = %s)"
        for model in (Finding, Incident)
    )


def records_of_ticket(user, ticket) -> list:
    """The findings and incidents ``user`` may see that opened or follow ``ticket`` (its page
    lists them through ``biys.core.tickets``)."""
    from biys.core.tickets import LinkedRecord

    if not ticket_has_records(ticket.pk):
        return []
    records = [
        LinkedRecord(
            kind="finding",
            label=f"{finding.title} — {finding.host}",
            url=finding.get_absolute_url(),
            state=finding.get_state_display(),
        )
        for finding in findings_for(user).filter(ticket=ticket).order_by("-severity", "pk")[:20]
    ]
    records += [
        LinkedRecord(
            kind="incident",
            label=str(incident),
            url=incident.get_absolute_url(),
            state=incident.get_state_display(),
        )
        for incident in incidents_for(user).filter(ticket=ticket)[:20]
    ]
    return records


# USOM's malicious address list -------------------------------------------------------------


def usom_matches(user):
    """The indicators on USOM's list seen in an incident ``user`` may see, newest first."""
    from biys.secops.models import Indicator

    visible = incidents_for(user).values("pk")
    return (
        Indicator.objects.filter(usom_address__isnull=False, incidents__in=visible)
        .distinct()
        .select_related("usom_address")
        .order_by("-usom_address__listed_at", "-pk")
    )


def visible_incidents_of(user, indicators) -> dict[int, list]:
    """indicator pk -> the incidents ``user`` may see it in (one query)."""
    from biys.secops.models import Indicator

    links = (
        Indicator.incidents.through.objects.filter(
            indicator__in=[indicator.pk for indicator in indicators],
            incident__in=incidents_for(user).values("pk"),
        )
        .select_related("incident")
        .order_by("incident__detected_at")
    )
    result: dict[int, list] = {}
    for link in links:
        result.setdefault(link.indicator_id, []).append(link.incident)
    return result


# Yearly statistics (the activity report) ----------------------------------------------------


@dataclass
class StatRow:
    group: str  # classification | severity | source
    label: str
    months: list[int]

    @property
    def total(self) -> int:
        return sum(self.months)


@dataclass
class ClockStat:
    authority: str
    name: str
    due: int = 0
    on_time: int = 0
    late: int = 0
    not_sent: int = 0


@dataclass
class YearStatistics:
    year: int
    incidents: int
    rows: list[StatRow]
    month_totals: list[int]
    personal_data: int
    breaches: int
    closed: int
    hours_to_contain: float | None
    hours_to_close: float | None
    clocks: list[ClockStat]
    findings_new: dict[int, int]
    findings_fixed: int
    findings_open_at_end: int


def _hours(deltas: list[timedelta]) -> float | None:
    if not deltas:
        return None
    return round(sum(delta.total_seconds() for delta in deltas) / len(deltas) / 3600, 1)


def year_statistics(user, year: int) -> YearStatistics:
    """The incidents ``user`` may see detected in ``year`` (local time) per month by
    classification, severity and detection source; how many involved personal data, were
    closed, the average hours to contain and to close, every notification rule's clocks
    (due, on time, late, not sent); and the findings: new ones by severity, fixed, still
    open at the end of the year. A fixed number of queries whatever the year holds."""
    from django.db.models import Prefetch

    from biys.secops.choices import Classification, DetectionSource
    from biys.secops.models import Breach, Notification, NotificationRule

    tz = timezone.get_current_timezone()
    start = datetime(year, 1, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz)
    incidents = list(
        incidents_for(user)
        .filter(detected_at__gte=start, detected_at__lt=end)
        .prefetch_related(
            Prefetch("notifications", queryset=Notification.objects.order_by("sent_at", "pk"))
        )
        .order_by("detected_at", "pk")
    )
    groups = [
        ("classification", Classification.choices),
        ("severity", [(value, label) for value, label in reversed(Severity.choices)]),
        ("source", DetectionSource.choices),
    ]
    counts = {(group, value): [0] * 12 for group, choices in groups for value, _label in choices}
    month_totals = [0] * 12
    contain, close = [], []
    for incident in incidents:
        month = timezone.localtime(incident.detected_at, tz).month - 1
        month_totals[month] += 1
        for group, field in (("classification", "classification"), ("severity", "severity"),
                             ("source", "source")):  # fmt: skip
            key = (group, getattr(incident, field))
            if key in counts:
                counts[key][month] += 1
        if incident.contained_at:
            contain.append(incident.contained_at - incident.detected_at)
        if incident.closed_at:
            close.append(incident.closed_at - incident.detected_at)
    rows = [
        StatRow(group, str(label), counts[(group, value)])
        for group, choices in groups
        for value, label in choices
    ]
    rules = list(NotificationRule.objects.all())
    clock_stats = {rule.pk: ClockStat(rule.authority, rule.name) for rule in rules}
    now = timezone.now()
    for incident in incidents:
        for clock in clocks(incident, rules=rules, notifications=incident.notifications.all()):
            stat = clock_stats[clock.rule.pk]
            stat.due += 1
            if clock.done:
                if clock.on_time:
                    stat.on_time += 1
                else:
                    stat.late += 1
            else:
                stat.not_sent += 1
                if clock.is_late(now):
                    stat.late += 1
    ids = [incident.pk for incident in incidents]
    findings = findings_for(user)
    new = dict(
        findings.filter(first_seen__gte=start, first_seen__lt=end)
        .order_by()
        .values("severity")
        .annotate(n=Count("id"))
        .values_list("severity", "n")
    )
    return YearStatistics(
        year=year,
        incidents=len(incidents),
        rows=rows,
        month_totals=month_totals,
        personal_data=sum(1 for incident in incidents if incident.personal_data),
        breaches=Breach.objects.filter(incident_id__in=ids).count() if ids else 0,
        closed=sum(1 for incident in incidents if incident.state == "closed"),
        hours_to_contain=_hours(contain),
        hours_to_close=_hours(close),
        clocks=[stat for stat in clock_stats.values() if stat.due],
        findings_new={int(value): new.get(int(value), 0) for value in reversed(Severity.values)},
        findings_fixed=findings.filter(fixed_at__gte=start, fixed_at__lt=end).count(),
        findings_open_at_end=findings.filter(first_seen__lt=end)
        .filter(Q(state__in=ACTIVE_STATES) | Q(fixed_at__gte=end))
        .count(),
    )


def may_see_usom_access(user) -> bool:
    """The page of access records reaching USOM's list: for whoever reads the list (the SOME,
    the department head, the auditor: the number, and the rows if they also read access
    records) and for whoever reads access records (the 5651 log officer: the rows of their
    units, which the log module already shows them)."""
    from biys.core.access import get_scope
    from biys.core.access_records import may_read_records

    if user is None or not user.is_authenticated:
        return False
    return get_scope(user).has_perm("secops.view_usomaddress") or may_read_records(user)


def usom_access_matches(user, *, limit: int = 100):
    """Who reached an IP address on USOM's list (the active ones), from the internet access
    logs of Law 5651 through ``biys.core.access_records``: ``AccessMatches`` (the rows only to
    whoever may read access records, the number to the rest), or ``None`` without the log
    module. Domains and URLs are not in the access records (they keep addresses)."""
    from biys.core.access_records import match_access_records
    from biys.secops.choices import IndicatorKind
    from biys.secops.models import UsomAddress

    addresses = UsomAddress.objects.filter(active=True, kind=IndicatorKind.IP).values_list(
        "value", flat=True
    )
    return match_access_records(addresses, user=user, limit=limit)
