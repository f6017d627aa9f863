"""The statistics read from the summary (``TicketStat``): a constant number of queries over
summary rows, whatever the number of tickets. Same figures and definitions as
``stats.direct_statistics`` (see there); the few figures that depend on the moment of the
request (late first responses, overdue tickets now) count a small, indexed set of tickets.

Rows of whole months are read at month grain, the days at the edges of the period at day grain.
The backlog at the end of the period is the running total of tickets in less tickets out, from
the first month on record.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from biys.accounts.scope import ALL, get_scope
from biys.org.models import Unit
from biys.servicedesk.choices import QUEUE_STATES, TicketKind, TicketState
from biys.servicedesk.models import Ticket, TicketStat
from biys.servicedesk.selectors import VIEW_TICKET, catalog_and_unit_names, ticket_visibility_q
from biys.servicedesk.stats import (
    WEEKLY_SERIES_MAX_DAYS,
    Breakdown,
    Period,
    TicketStatistics,
    _buckets,
    _columns,
    _hours,
    _percent,
    compliance,
    late_at,
)
from biys.servicedesk.stats_summary import COUNTERS

ONE_DAY = timedelta(days=1)
IN_PERIOD = tuple(name for name in COUNTERS if not name.endswith(("_in", "_out")))


@dataclass(frozen=True)
class SummaryScope:
    """Which summary rows (and, for the live figures, which tickets) a user's statistics cover."""

    rows: Q
    tickets: Q


def summary_scope(user, unit=None) -> SummaryScope | None:
    """``None`` when the user's view is not a set of responsible units (requesters, managers
    following their unit's requests): their statistics are counted over their tickets."""
    if ticket_visibility_q(user) is None:
        rows, tickets = Q(), Q()
    else:
        units = get_scope(user).units_for(VIEW_TICKET)
        if not units or units is ALL:
            return None
        # IT staff do not see tickets awaiting their requester's manager's approval.
        rows = Q(responsible_unit_id__in=units, pending=False)
        tickets = Q(responsible_unit__in=units) & ~Q(state=TicketState.PENDING_APPROVAL)
    if unit is not None:
        subtree = list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
        rows &= Q(responsible_unit_id__in=subtree)
        tickets &= Q(responsible_unit__in=subtree)
    return SummaryScope(rows, tickets)


def _month_end(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - ONE_DAY


def span_q(first: date, last: date) -> Q:
    """Rows covering the days ``first`` to ``last``: the months wholly inside at month grain
    (their rows are dated the 1st), the days of a partial month at either end at day grain.
    At most three ranges, whatever the length of the period."""
    full_from = first if first.day == 1 else _month_end(first) + ONE_DAY
    full_to = last if last == _month_end(last) else last.replace(day=1) - ONE_DAY
    if full_from > full_to:  # no whole month inside
        return Q(grain="d", day__range=(first, last))
    condition = Q(grain="m", day__range=(full_from, full_to.replace(day=1)))
    if first < full_from:
        condition |= Q(grain="d", day__range=(first, full_from - ONE_DAY))
    if full_to < last:
        condition |= Q(grain="d", day__range=(full_to + ONE_DAY, last))
    return condition


def before_q(day: date) -> Q:
    """Rows of every day before ``day``."""
    month = day.replace(day=1)
    return Q(grain="m", day__lt=month) | Q(grain="d", day__gte=month, day__lt=day)


def _sums(queryset, names) -> dict:
    return {name: Sum(name) for name in names}


def summary_statistics(
    scope: SummaryScope, *, period: Period, unit=None, now: datetime
) -> TicketStatistics:
    rows = TicketStat.objects.filter(scope.rows)
    in_period = rows.filter(span_q(period.first, period.last))
    by_facet = {
        (row["facet"], row["facet_key"]): row
        for row in in_period.values("facet", "facet_key").annotate(**_sums(in_period, IN_PERIOD))
    }
    end_day = period.last + ONE_DAY
    history = rows.filter(before_q(end_day))
    running = {
        (row["facet"], row["facet_key"]): row
        for row in history.values("facet", "facet_key").annotate(
            **_sums(history, ("backlog_in", "backlog_out", "late_in", "late_out"))
        )
    }
    totals = _totals(scope, period, now, by_facet.get(("all", ""), {}), running)
    return TicketStatistics(
        period=period,
        unit=unit,
        totals=totals,
        series=_series(rows, period),
        breakdowns=_breakdowns(by_facet, running),
    )


def _value(row: dict, name: str) -> int:
    return (row or {}).get(name) or 0


def _backlog(row: dict) -> int:
    return _value(row, "backlog_in") - _value(row, "backlog_out")


def _totals(scope: SummaryScope, period: Period, now: datetime, row: dict, running) -> dict:
    start, end = period.start, period.end
    cut = min(end, now)
    figures = {name: _value(row, name) for name in IN_PERIOD}
    total_running = running.get(("all", ""), {})
    figures["backlog"] = _backlog(total_running)
    # Live figures: a small set of tickets, each through an index.
    tickets = Ticket.objects.filter(scope.tickets).filter(
        Q(created__lt=end) & ~Q(resolved_at__lt=start) & ~Q(closed_at__lt=start)
    )
    unanswered_late = tickets.filter(
        created__gte=start,
        created__lt=end,
        first_responded_at__isnull=True,
        first_response_due__lt=cut,
    ).count()
    if cut >= now:
        figures["overdue"] = (
            tickets.filter(state__in=QUEUE_STATES).filter(late_at(cut, now)).count()
        )
    else:
        figures["overdue"] = _value(total_running, "late_in") - _value(total_running, "late_out")
    figures["response_measured"] = figures.pop("response_answered") + unanswered_late
    rated = figures["rated"]
    figures["rating_mean"] = figures["rating_sum"] / rated if rated else None
    figures.update(
        {
            "response_hours_mean": _mean_hours(figures["response_us"], figures["response_count"]),
            "response_hours_count": figures["response_count"],
            "resolution_hours_mean": _mean_hours(
                figures["resolution_us"], figures["resolution_count"]
            ),
            "resolution_hours_count": figures["resolution_count"],
        }
    )
    for name in ("rating_sum", "response_us", "response_count", "resolution_us"):
        figures.pop(name)
    figures.pop("resolution_count")
    return compliance(figures)


def _mean_hours(micros: int, count: int) -> float | None:
    return _hours(timedelta(microseconds=micros) / count) if count else None


def _series(rows, period: Period) -> dict:
    weekly = period.days <= WEEKLY_SERIES_MAX_DAYS
    names = ("opened", "resolved", "resolution_measured", "resolution_met")
    selected = rows.filter(facet="all").filter(
        Q(grain="d", day__range=(period.first, period.last))
        if weekly
        else span_q(period.first, period.last)
    )
    per_bucket: dict[date, Counter] = defaultdict(Counter)
    for row in selected.values("day").annotate(**_sums(selected, names)).order_by():
        day = row["day"]
        bucket = day - timedelta(days=day.weekday()) if weekly else day.replace(day=1)
        per_bucket[bucket].update({name: row[name] or 0 for name in names})
    points = []
    for bucket in _buckets(period, weekly):
        counts = per_bucket.get(bucket, Counter())
        points.append(
            {
                "bucket": bucket.isoformat(),
                "label": f"{bucket:%d.%m}" if weekly else f"{bucket:%m.%Y}",
                "opened": counts["opened"],
                "resolved": counts["resolved"],
                "sla": _percent(counts["resolution_met"], counts["resolution_measured"]),
            }
        )
    return {"granularity": "week" if weekly else "month", "points": points}


def _breakdowns(by_facet: dict, running: dict) -> list[Breakdown]:
    keys: dict[str, set[str]] = defaultdict(set)
    for facet, key in [*by_facet, *running]:
        keys[facet].add(key)
    # the labels of every item and unit, kept by the process under the catalogue's generation
    names = catalog_and_unit_names()
    items, units = names["item"], names["unit"]
    kind_labels = dict(TicketKind.choices)
    # (label, sort key) per facet key; kinds gather the items of each kind.
    groups = {
        "catalog_item": ("item", lambda key: [(items.get(key, ("", ""))[0],) * 2]),
        "requesting_unit": ("req", lambda key: [(units.get(key, ""),) * 2]),
        "kind": (
            "item",
            lambda key: (
                [(kind_labels.get(kind, kind), kind)]
                if (kind := items.get(key, ("", ""))[1])
                else []
            ),
        ),
        "asset_model": ("asset", lambda key: [(key or _no_device(), key)]),
    }
    titles = {
        "catalog_item": _("By catalogue item"),
        "requesting_unit": _("By requesting unit"),
        "kind": _("By kind"),
        "asset_model": _("By device group"),
    }
    breakdowns = []
    for name, (facet, labels) in groups.items():
        merged: dict[tuple, Counter] = defaultdict(Counter)
        for key in keys[facet]:
            row, run = by_facet.get((facet, key), {}), running.get((facet, key), {})
            for label in labels(key):
                merged[label].update(
                    {
                        "opened": _value(row, "opened"),
                        "resolved": _value(row, "resolved"),
                        "backlog": _backlog(run),
                        "measured": _value(row, "resolution_measured"),
                        "met": _value(row, "resolution_met"),
                        "rated": _value(row, "rated"),
                        "rating_sum": _value(row, "rating_sum"),
                    }
                )
        table = Breakdown(key=name, title=str(titles[name]), columns=_columns(name))
        ordered = sorted(merged.items(), key=lambda item: (-item[1]["opened"], item[0][1]))
        for (label, _sort), counts in ordered:
            if not (counts["opened"] or counts["resolved"] or counts["backlog"]):
                continue
            table.rows.append(
                {
                    "label": str(label),
                    "opened": counts["opened"],
                    "resolved": counts["resolved"],
                    "backlog": counts["backlog"],
                    "resolution_compliance": _percent(counts["met"], counts["measured"]),
                    "rating_mean": round(counts["rating_sum"] / counts["rated"], 2)
                    if counts["rated"]
                    else None,
                }
            )
        breakdowns.append(table)
    return breakdowns


def _no_device() -> str:
    return str(_("No device"))
