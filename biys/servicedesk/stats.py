"""Service desk figures per responsible unit and period: what the annual activity report quotes.

Every figure is computed over ``Ticket.objects.restrict(user)``, narrowed to the responsible unit
(with its sub-units) the viewer picked. Counts are aggregated in SQL with conditional counts, one
query per table; durations in office hours are computed in Python from one list of timestamps
with one working calendar (see ``OfficeClock``), so the number of queries does not grow with the
number of tickets.

Definitions (the report's footnotes):
- opened: tickets created in the period; resolved: tickets whose ``resolved_at`` is in it.
- backlog: tickets created before the period's end that were neither resolved nor closed nor
  cancelled by then (cancelled tickets carry no cancellation time and leave the backlog).
- resolution SLA: share of the tickets resolved in the period resolved by ``resolution_due``.
- first-response SLA: share of the tickets opened in the period answered by
  ``first_response_due``; a ticket still unanswered counts once its due time has passed.
- mean times: from creation to first response / to resolution, in office hours on the working
  calendar (elapsed hours for round-the-clock tickets); paused time is not subtracted.
- satisfaction: ratings of the tickets resolved in the period.
- by device: until the inventory module lands, tickets are grouped by the prefix of their
  ``asset_reference`` (the part before the first "-", e.g. "PC" of "PC-2023-0042"). The seam is
  ``asset_model_expression``: replace it by the asset's model when tickets point at assets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import Avg, Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import StrIndex, Substr, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.calendar.selectors import get_calendar
from biys.calendar.workcalendar import WorkingCalendar
from biys.servicedesk.choices import TicketKind, TicketState
from biys.servicedesk.models import Ticket
from biys.servicedesk.selectors import overdue_q

ONE_DAY = timedelta(days=1)
# Longer periods are charted per month instead of per week.
WEEKLY_SERIES_MAX_DAYS = 100


class PeriodPreset(StrEnum):
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    THIS_YEAR = "this_year"
    LAST_YEAR = "last_year"
    CUSTOM = "custom"


PRESET_LABELS = {
    PeriodPreset.THIS_MONTH: _("This month"),
    PeriodPreset.LAST_MONTH: _("Last month"),
    PeriodPreset.THIS_YEAR: _("This year"),
    PeriodPreset.LAST_YEAR: _("Last year"),
    PeriodPreset.CUSTOM: _("Custom"),
}


@dataclass(frozen=True)
class Period:
    """Calendar days ``first`` to ``last`` inclusive, in the municipality's time zone."""

    first: date
    last: date

    @classmethod
    def from_preset(
        cls, preset: str, *, today: date | None = None, first=None, last=None
    ) -> Period:
        today = today or timezone.localdate()
        if preset == PeriodPreset.LAST_MONTH:
            end = today.replace(day=1) - ONE_DAY
            return cls(end.replace(day=1), end)
        if preset == PeriodPreset.THIS_YEAR:
            return cls(date(today.year, 1, 1), date(today.year, 12, 31))
        if preset == PeriodPreset.LAST_YEAR:
            return cls(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
        if preset == PeriodPreset.CUSTOM and first and last:
            return cls(min(first, last), max(first, last))
        start = today.replace(day=1)
        next_month = (start + timedelta(days=32)).replace(day=1)
        return cls(start, next_month - ONE_DAY)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def end(self) -> datetime:
        """The instant after the last day (exclusive bound)."""
        return datetime.combine(
            self.last + ONE_DAY, time.min, tzinfo=timezone.get_current_timezone()
        )

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def __str__(self) -> str:
        return f"{self.first:%d.%m.%Y} – {self.last:%d.%m.%Y}"


class OfficeClock:
    """Office time between instants of a range, from the calendar's precomputed year indexes
    (two lookups per duration, no walk over the days in between)."""

    def __init__(self, calendar: WorkingCalendar, first: date, last: date):
        calendar.preload(first, last)
        self.calendar = calendar

    def between(self, start: datetime, end: datetime) -> timedelta:
        return self.calendar.office_hours_between(start, end)


def _hours(value: timedelta) -> float:
    return round(value.total_seconds() / 3600, 2)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Breakdown:
    """Rows of one table: label plus figures, in the order the columns are listed."""

    key: str
    title: str
    columns: list[tuple[str, str]]  # (field, header)
    rows: list[dict] = field(default_factory=list)


@dataclass
class TicketStatistics:
    period: Period
    unit: object | None
    totals: dict
    series: dict
    breakdowns: list[Breakdown]

    def breakdown(self, key: str) -> Breakdown:
        return next(item for item in self.breakdowns if item.key == key)


def scoped_tickets(user, *, unit=None):
    """The tickets ``user`` may see, narrowed to ``unit``'s subtree as responsible unit."""
    tickets = Ticket.objects.restrict(user, "view")
    if unit is not None:
        tickets = tickets.filter(responsible_unit__path__startswith=unit.path)
    return tickets


def asset_model_expression():
    """Seam for the inventory module: the device group of a ticket. Until tickets point at
    inventoried assets, the part of ``asset_reference`` before the first "-" (whole reference
    when it has none; empty when there is no device)."""
    dash = StrIndex("asset_reference", Value("-"))
    return Case(
        When(asset_reference__contains="-", then=Substr("asset_reference", 1, dash - 1)),
        default=F("asset_reference"),
        output_field=CharField(),
    )


def ticket_statistics(
    user, *, period: Period, unit=None, now: datetime | None = None, direct: bool = False
):
    """The figures of ``period``: read from the summary (``TicketStat``) when the user's view is
    a set of responsible units (IT staff, managers over the IT department, auditors), else
    counted over the few tickets the user sees (a requester's own, a unit's requests).
    ``direct=True`` always counts over the tickets (the reference the summary is tested
    against)."""
    now = now or timezone.now()
    if not direct:
        from biys.servicedesk import stats_read

        scope = stats_read.summary_scope(user, unit)
        if scope is not None:
            return stats_read.summary_statistics(scope, period=period, unit=unit, now=now)
    return direct_statistics(scoped_tickets(user, unit=unit), period=period, unit=unit, now=now)


def direct_statistics(tickets, *, period: Period, unit=None, now: datetime) -> TicketStatistics:
    start, end = period.start, period.end
    # Tickets finished before the period or opened after it count nowhere.
    tickets = tickets.filter(
        Q(created__lt=end) & ~Q(resolved_at__lt=start) & ~Q(closed_at__lt=start)
    )
    opened_q = Q(created__gte=start, created__lt=end)
    resolved_q = Q(resolved_at__gte=start, resolved_at__lt=end)
    responded_q = Q(first_responded_at__gte=start, first_responded_at__lt=end)

    backlog_q = (
        Q(created__lt=end)
        & ~Q(resolved_at__lt=end)
        & ~Q(closed_at__lt=end)
        & ~Q(state=TicketState.CANCELLED, closed_at__isnull=True)
    )
    totals = _totals(tickets, now, min(end, now), opened_q, resolved_q, backlog_q)
    totals.update(_mean_times(tickets, period, resolved_q, responded_q))
    breakdowns = _breakdowns(tickets, opened_q, resolved_q, backlog_q)
    return TicketStatistics(
        period=period,
        unit=unit,
        totals=totals,
        series=_series(tickets, period, opened_q, resolved_q),
        breakdowns=breakdowns,
    )


def late_at(cut: datetime, now: datetime) -> Q:
    """Overdue at ``cut``: while the period runs, "overdue" as the queue and the API define it
    (``overdue_q``); at the end of a past period, due before that end (whether the clock was
    paused then is not recorded)."""
    return overdue_q(now) if cut >= now else Q(resolution_due__lt=cut)


def _totals(tickets, now: datetime, cut: datetime, opened_q, resolved_q, backlog_q) -> dict:
    """``cut``: the period's end, or now while the period runs."""
    response_due_passed = Q(first_response_due__lt=cut, first_responded_at__isnull=True)
    figures = tickets.aggregate(
        opened=Count("pk", filter=opened_q),
        resolved=Count("pk", filter=resolved_q),
        backlog=Count("pk", filter=backlog_q),
        overdue=Count("pk", filter=backlog_q & late_at(cut, now)),
        resolution_measured=Count("pk", filter=resolved_q & Q(resolution_due__isnull=False)),
        resolution_met=Count("pk", filter=resolved_q & Q(resolved_at__lte=F("resolution_due"))),
        response_answered=Count(
            "pk",
            filter=opened_q & Q(first_response_due__isnull=False, first_responded_at__isnull=False),
        ),
        response_unanswered_late=Count("pk", filter=opened_q & response_due_passed),
        response_met=Count(
            "pk", filter=opened_q & Q(first_responded_at__lte=F("first_response_due"))
        ),
        rated=Count("pk", filter=resolved_q & Q(rating__isnull=False)),
        rating_mean=Avg("rating", filter=resolved_q),
        **{f"rating_{n}": Count("pk", filter=resolved_q & Q(rating=n)) for n in range(1, 6)},
    )
    response_measured = figures.pop("response_answered") + figures.pop("response_unanswered_late")
    figures["response_measured"] = response_measured
    return compliance(figures)


def compliance(figures: dict) -> dict:
    """The percentages and the rounded mean rating of raw counts."""
    figures["resolution_compliance"] = _percent(
        figures["resolution_met"], figures["resolution_measured"]
    )
    figures["response_compliance"] = _percent(figures["response_met"], figures["response_measured"])
    figures["rating_response_rate"] = _percent(figures["rated"], figures["resolved"])
    if figures["rating_mean"] is not None:
        figures["rating_mean"] = round(float(figures["rating_mean"]), 2)
    return figures


def _mean_times(tickets, period: Period, resolved_q, responded_q) -> dict:
    """One query for the timestamps, one calendar; office hours via a running total."""
    rows = list(
        tickets.filter(resolved_q | responded_q).values_list(
            "created", "first_responded_at", "resolved_at", "round_the_clock"
        )
    )
    response_sum, response_n = timedelta(), 0
    resolution_sum, resolution_n = timedelta(), 0
    if rows:
        calendar = get_calendar()
        earliest = min(row[0] for row in rows).astimezone(calendar.tz).date()
        clock = OfficeClock(calendar, min(earliest, period.first), period.last + ONE_DAY)
        start, end = period.start, period.end
        for created, responded, resolved, round_the_clock in rows:
            elapsed = _elapsed_function(clock, round_the_clock)
            if responded and start <= responded < end and responded >= created:
                response_sum += elapsed(created, responded)
                response_n += 1
            if resolved and start <= resolved < end and resolved >= created:
                resolution_sum += elapsed(created, resolved)
                resolution_n += 1
    return {
        "response_hours_mean": _hours(response_sum / response_n) if response_n else None,
        "response_hours_count": response_n,
        "resolution_hours_mean": _hours(resolution_sum / resolution_n) if resolution_n else None,
        "resolution_hours_count": resolution_n,
    }


def _elapsed_function(clock: OfficeClock, round_the_clock: bool):
    if round_the_clock:
        return lambda start, end: end - start
    return clock.between


def _series(tickets, period: Period, opened_q, resolved_q) -> dict:
    """Opened and resolved per week (per month for long periods), with resolution SLA."""
    weekly = period.days <= WEEKLY_SERIES_MAX_DAYS
    trunc = TruncWeek if weekly else TruncMonth
    tz = timezone.get_current_timezone()
    opened = dict(
        tickets.filter(opened_q)
        .annotate(bucket=trunc("created", tzinfo=tz))
        .values("bucket")
        .annotate(n=Count("pk"))
        .values_list("bucket", "n")
        .order_by()
    )
    resolved = {
        row["bucket"]: row
        for row in tickets.filter(resolved_q)
        .annotate(bucket=trunc("resolved_at", tzinfo=tz))
        .values("bucket")
        .annotate(
            n=Count("pk"),
            measured=Count("pk", filter=Q(resolution_due__isnull=False)),
            met=Count("pk", filter=Q(resolved_at__lte=F("resolution_due"))),
        )
        .order_by()
    }
    opened = {_bucket_date(key): value for key, value in opened.items()}
    resolved = {_bucket_date(key): value for key, value in resolved.items()}
    points = []
    for bucket in _buckets(period, weekly):
        row = resolved.get(bucket, {})
        points.append(
            {
                "bucket": bucket.isoformat(),
                "label": f"{bucket:%d.%m}" if weekly else f"{bucket:%m.%Y}",
                "opened": opened.get(bucket, 0),
                "resolved": row.get("n", 0),
                "sla": _percent(row.get("met", 0), row.get("measured", 0)),
            }
        )
    return {"granularity": "week" if weekly else "month", "points": points}


def _bucket_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _buckets(period: Period, weekly: bool) -> list[date]:
    if weekly:
        day = period.first - timedelta(days=period.first.weekday())
        step = lambda d: d + timedelta(days=7)  # noqa: E731
    else:
        day = period.first.replace(day=1)
        step = lambda d: (d + timedelta(days=32)).replace(day=1)  # noqa: E731
    buckets = []
    while day <= period.last:
        buckets.append(day)
        day = step(day)
    return buckets


BREAKDOWN_COLUMNS = [
    ("opened", pgettext_lazy("statistics", "Opened")),
    ("resolved", pgettext_lazy("statistics", "Resolved")),
    ("backlog", _("Backlog")),
    ("resolution_compliance", _("Resolution SLA %")),
    ("rating_mean", _("Mean rating")),
]


def _breakdowns(tickets, opened_q, resolved_q, backlog_q) -> list[Breakdown]:
    in_period = tickets.filter(opened_q | resolved_q | backlog_q)
    specs = [
        ("catalog_item", _("By catalogue item"), "catalog_item__name", {}),
        ("requesting_unit", _("By requesting unit"), "requesting_unit__name", {}),
        ("kind", _("By kind"), "catalog_item__kind", {}),
        (
            "asset_model",
            _("By device group"),
            "asset_model",
            {"asset_model": asset_model_expression()},
        ),
    ]
    kind_labels = dict(TicketKind.choices)
    breakdowns = []
    for key, title, label_field, extra in specs:
        rows = (
            in_period.annotate(**extra)
            .values(label_field)
            .annotate(
                opened=Count("pk", filter=opened_q),
                resolved=Count("pk", filter=resolved_q),
                backlog=Count("pk", filter=backlog_q),
                measured=Count("pk", filter=resolved_q & Q(resolution_due__isnull=False)),
                met=Count("pk", filter=resolved_q & Q(resolved_at__lte=F("resolution_due"))),
                rating_mean=Avg("rating", filter=resolved_q),
            )
            .order_by("-opened", label_field)
        )
        table = Breakdown(key=key, title=str(title), columns=_columns(key))
        for row in rows:
            label = row[label_field]
            if key == "kind":
                label = kind_labels.get(label, label)
            elif key == "asset_model" and not label:
                label = _("No device")
            table.rows.append(
                {
                    "label": str(label),
                    "opened": row["opened"],
                    "resolved": row["resolved"],
                    "backlog": row["backlog"],
                    "resolution_compliance": _percent(row["met"], row["measured"]),
                    "rating_mean": round(float(row["rating_mean"]), 2)
                    if row["rating_mean"] is not None
                    else None,
                }
            )
        breakdowns.append(table)
    return breakdowns


def _columns(key: str) -> list[tuple[str, str]]:
    first = {
        "catalog_item": _("Catalogue item"),
        "requesting_unit": _("Requesting unit"),
        "kind": _("Kind"),
        "asset_model": _("Device group"),
    }[key]
    return [("label", first), *BREAKDOWN_COLUMNS]


def rating_distribution(statistics: TicketStatistics) -> list[dict]:
    return [{"rating": n, "count": statistics.totals[f"rating_{n}"]} for n in range(1, 6)]
