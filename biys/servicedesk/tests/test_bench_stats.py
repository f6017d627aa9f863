"""The bench's statistics and SLA-clock measures (``bench/servicedesk_stats.py``) run and report
what the issue asks: constant queries from the summary, no day steps for old tickets."""

from datetime import date

from django.db import connection

from bench import servicedesk_stats
from biys.servicedesk.models import Ticket, TicketStat
from biys.servicedesk.tests.test_stats_summary import history, viewers  # noqa: F401  (fixtures)


def test_prepare_and_measures(client, history, viewers, clock):  # noqa: F811
    TicketStat.objects.all().delete()  # as after the bench's bulk build
    prepared = servicedesk_stats.prepare()
    assert prepared["tickets"] == Ticket.objects.count()
    assert prepared["summary_rows"] > 0
    client.force_login(viewers["technician"])
    url = f"/servicedesk/stats/?period=custom&first={date(2025, 11, 25)}&last={date(2026, 11, 25)}"
    page = servicedesk_stats.measure_stats_page(client, connection, url, runs=2)
    assert page["queries"] > 0 and page["summary_queries"] >= 3, page
    assert page["app_ms"] > 0, page
    clocks = servicedesk_stats.measure_sla_clocks(runs=2)
    assert clocks["rows"] >= 3
    assert clocks["day_steps"] == 0


def test_best_queries_prepare_the_summary_and_run(history, clock):  # noqa: F811
    TicketStat.objects.all().delete()
    queries = servicedesk_stats.best_queries(date(2025, 11, 25), date(2026, 11, 26))
    assert TicketStat.objects.exists()
    assert len(queries) == 5  # three summary reads, two live counts
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            assert cursor.fetchall()


def test_live_figures_best_count_what_the_rules_count(history, clock):  # noqa: F811
    """The hand-written counts (the page's baseline) agree with the one definition of
    "overdue" and of a late first response."""
    from django.db.models import Q
    from django.utils import timezone

    from biys.servicedesk.choices import TicketState
    from biys.servicedesk.selectors import overdue_q

    first, last = date(2025, 11, 25), date(2026, 11, 26)
    overdue_sql, unanswered_sql = servicedesk_stats.live_figures_best(first, last)
    with connection.cursor() as cursor:
        cursor.execute(*overdue_sql)
        overdue = cursor.fetchone()[0]
        cursor.execute(*unanswered_sql)
        unanswered = cursor.fetchone()[0]
    assert overdue == Ticket.objects.filter(overdue_q()).count() > 0
    start = timezone.make_aware(timezone.datetime(2025, 11, 25))
    assert (
        unanswered
        == Ticket.objects.filter(
            Q(created__gte=start, first_responded_at__isnull=True)
            & Q(first_response_due__lt=timezone.now())
        )
        .exclude(state=TicketState.PENDING_APPROVAL)
        .count()
    )
