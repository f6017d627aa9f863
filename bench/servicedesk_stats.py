"""Statistics and SLA-clock measures for the service desk bench.

Called by the ``servicedesk`` scenario (``bench/servicedesk.py``) after it bulk-built its
tickets:

    from bench import servicedesk_stats
    result["stats_summary"] = servicedesk_stats.prepare()          # right after the build
    result["stats_page"] = servicedesk_stats.measure_stats_page(chief, connection, url, runs)
    result["sla_clocks"] = servicedesk_stats.measure_sla_clocks(runs)

``prepare`` is required: ``bulk_create`` bypasses the statistics summary, so without a rebuild
the statistics page would read an empty summary. ``best_queries(first, last)`` (the scenario's
baseline of the statistics page) prepares the summary on its first call when it is empty.
"""

from __future__ import annotations

import time
from datetime import datetime
from statistics import median


def _median_ms(function, runs: int) -> float:
    function()  # warm-up
    timings = []
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return round(median(timings) * 1000, 2)


def prepare() -> dict:
    """Rebuild the statistics summary from the bulk-built tickets (as ``biys stats rebuild``)."""
    from biys.servicedesk.models import TicketStat
    from biys.servicedesk.stats_summary import rebuild

    started = time.perf_counter()
    tickets = rebuild()
    return {
        "tickets": tickets,
        "summary_rows": TicketStat.objects.count(),
        "rebuild_s": round(time.perf_counter() - started, 2),
    }


def best_queries(first, last) -> list[tuple[str, list]]:
    """The statistics page's best queries, ``(sql, params)``: the summary reads of the period
    ``first`` to ``last`` (exclusive) for every unit (the page's scope is a subset of it).
    Rebuilds the summary first when the bulk-built tickets have none yet."""
    from datetime import timedelta

    from django.db.models import Sum

    from biys.servicedesk.models import Ticket, TicketStat
    from biys.servicedesk.stats_read import IN_PERIOD, before_q, span_q

    if not TicketStat.objects.exists() and Ticket.objects.exists():
        prepare()
    last_day = last - timedelta(days=1)
    rows = TicketStat.objects.all()
    period = rows.filter(span_q(first, last_day))
    history = rows.filter(before_q(last))
    series = rows.filter(facet="all").filter(span_q(first, last_day))
    querysets = [
        period.values("facet", "facet_key").annotate(**{n: Sum(n) for n in IN_PERIOD}),
        history.values("facet", "facet_key").annotate(
            **{n: Sum(n) for n in ("backlog_in", "backlog_out", "late_in", "late_out")}
        ),
        series.values("day").annotate(**{n: Sum(n) for n in ("opened", "resolved")}).order_by(),
    ]
    summary = [(*queryset.query.sql_with_params(),) for queryset in querysets]
    return summary + live_figures_best(first, last)


def live_figures_best(first, last) -> list[tuple[str, list]]:
    """The two figures no summary can hold, as an expert counts them: the tickets overdue now
    and the tickets filed in the period still waiting past their first-response due time
    (index-only counts over the open tickets' and the unanswered tickets' partial indexes)."""
    from django.utils import timezone

    from biys.calendar.selectors import get_calendar
    from biys.servicedesk.choices import QUEUE_STATES, TicketState

    now = timezone.now()
    office_line = get_calendar().office_time_reached(now)
    start, end = (
        timezone.make_aware(datetime(day.year, day.month, day.day)) for day in (first, last)
    )
    states = ", ".join(["%s"] * len(QUEUE_STATES))
    overdue = (
        f"SELECT COUNT(*) FROM servicedesk_ticket t WHERE t.state IN ({states}) "
        "AND ((t.round_the_clock AND t.resolution_due < %s) "
        "OR (NOT t.round_the_clock AND t.resolution_due < %s)) "
        "AND NOT (t.sla_paused_at IS NOT NULL AND t.sla_paused_at <= t.resolution_due)",
        [*QUEUE_STATES, now, office_line],
    )
    unanswered = (
        "SELECT COUNT(*) FROM servicedesk_ticket t WHERE t.first_responded_at IS NULL "
        "AND t.created >= %s AND t.created < %s AND t.first_response_due < %s "
        "AND t.state <> %s",
        [start, end, min(end, now), TicketState.PENDING_APPROVAL],
    )
    return [overdue, unanswered]


def measure_stats_page(client, connection, url: str, runs: int) -> dict:
    """The statistics page (from the summary), its query count, and its summary reads alone
    (the best query: what the page cannot do without)."""
    from django.test.utils import CaptureQueriesContext

    from biys.servicedesk.models import TicketStat

    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    queries = list(captured.captured_queries)  # a property over the (bounded) query log
    summary_sql = [query["sql"] for query in queries if TicketStat._meta.db_table in query["sql"]]

    def replay():
        with connection.cursor() as cursor:
            for sql in summary_sql:
                cursor.execute(sql)
                cursor.fetchall()

    app_ms = _median_ms(lambda: client.get(url), max(1, runs // 2))
    summary_ms = _median_ms(replay, runs)
    return {
        "url": url,
        "app_ms": app_ms,
        "queries": len(queries),
        "summary_queries": len(summary_sql),
        "summary_sql_ms": summary_ms,
        "summary_rows": TicketStat.objects.count(),
    }


class _CountingCalendar:
    """Wraps a calendar's ``office_spans`` to count the single days the arithmetic visits."""

    def __init__(self, calendar):
        self.calendar, self.day_steps = calendar, 0
        original = calendar.office_spans

        def counted(day):
            self.day_steps += 1
            return original(day)

        calendar.office_spans = counted


def measure_sla_clocks(runs: int, *, rows: int = 50) -> dict:
    """The SLA badges of a queue page of the oldest open tickets (the worst case before the
    precomputed office time: one step per day since the due time)."""
    from biys.servicedesk.choices import OPEN_STATES
    from biys.servicedesk.models import Ticket
    from biys.servicedesk.selectors import TICKET_LIST_RELATED
    from biys.servicedesk.views.common import SLAContext

    page = list(
        Ticket.objects.filter(state__in=OPEN_STATES, resolution_due__isnull=False)
        .select_related(*TICKET_LIST_RELATED)
        .order_by("resolution_due")[:rows]
    )
    context = SLAContext()
    for ticket in page:  # builds the year indexes and loads the targets once
        context.status(ticket)
    counter = _CountingCalendar(context.calendar)

    def badges():
        for ticket in page:
            context.status(ticket)

    page_ms = _median_ms(badges, runs)
    oldest = page[0].resolution_due.isoformat() if page else None
    return {
        "rows": len(page),
        "page_ms": page_ms,
        "us_per_row": round(page_ms * 1000 / len(page), 1) if page else None,
        "day_steps": counter.day_steps,
        "oldest_due": oldest,
    }
