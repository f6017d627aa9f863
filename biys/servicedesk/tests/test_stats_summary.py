"""The statistics summary equals a direct count over the tickets after a sequence of ticket
events through the services, and the statistics page reads it with a constant number of queries.
"""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from biys.servicedesk import services
from biys.servicedesk.choices import HoldReason
from biys.servicedesk.models import CatalogItem, SLATarget, Ticket, TicketStat
from biys.servicedesk.stats import Period, PeriodPreset, direct_statistics, ticket_statistics
from biys.servicedesk.stats_read import summary_scope
from biys.servicedesk.stats_summary import COUNTERS, KEY_COLUMNS, rebuild

PERIODS = [
    Period(date(2026, 10, 1), date(2026, 10, 31)),
    Period(date(2026, 11, 1), date(2026, 11, 30)),
    Period(date(2026, 10, 20), date(2026, 11, 18)),  # partial months at both ends
    Period(date(2026, 11, 17), date(2026, 11, 17)),
    Period.from_preset(PeriodPreset.THIS_YEAR, today=date(2026, 11, 25)),
    Period(date(2025, 11, 1), date(2026, 12, 31)),
]


def _file(desk, title, item=None, **fields):
    return services.create_ticket(
        catalog_item=item or desk.printer,
        requester=desk.requester.person,
        title=title,
        created_by=desk.requester,
        **fields,
    )


@pytest.fixture
def history(desk, clock):
    """Six weeks of a help desk's life: every kind of event a ticket goes through."""
    tech = desk.technician
    approval_item = CatalogItem.objects.create(
        name="Yeni bilgisayar", kind="request", unit=desk.helpdesk, requires_approval=True
    )
    duty_item = CatalogItem.objects.create(
        name="Sunucu kesintisi", kind="fault", unit=desk.tree["software"], round_the_clock=True
    )
    SLATarget.objects.create(
        catalog_item=None, priority=4, first_response_minutes=120, resolution_minutes=960
    )
    clock.set(2026, 10, 12, 9, 0)
    old = _file(desk, "Ekim yazıcı", asset_reference="YZC-0003")
    clock.set(2026, 10, 12, 11, 0)
    services.add_reply(ticket=old, user=tech, text="Bakıyoruz")
    clock.set(2026, 10, 28, 10, 0)  # a half day
    long_running = _file(desk, "Uzun süren", asset_reference="PC-2023-0042")
    clock.set(2026, 11, 2, 9, 0)
    services.resolve_ticket(ticket=old, user=tech, resolution="Toner")
    services.rate_ticket(ticket=old, user=desk.requester, rating=4)
    clock.set(2026, 11, 3, 14, 0)
    services.close_ticket(ticket=old, user=desk.requester)
    waiting = _file(desk, "Onay bekliyor", item=approval_item)
    approved = _file(desk, "Onaylandı", item=approval_item)
    clock.set(2026, 11, 4, 10, 0)
    services.approve_ticket(ticket=approved, user=desk.roads_chief)
    services.put_on_hold(ticket=long_running, user=tech, reason=HoldReason.SUPPLIER)
    duty = _file(desk, "Sunucu", item=duty_item, asset_reference="SRV-01")
    clock.set(2026, 11, 9, 16, 0)
    services.resume_ticket(ticket=long_running, user=tech)
    services.transfer_ticket(
        ticket=long_running, unit=desk.tree["software"], user=tech, reason="Yazılım sorunu"
    )
    services.update_ticket(ticket=approved, user=tech, impact=1, urgency=1)
    clock.set(2026, 11, 10, 9, 0)
    services.resolve_ticket(ticket=approved, user=tech, resolution="Kuruldu")
    clock.set(2026, 11, 11, 9, 0)
    services.reopen_ticket(ticket=approved, user=desk.requester, reason="Çalışmıyor")
    duplicate = _file(desk, "Aynı arıza")
    services.merge_tickets(duplicate=duplicate, into=approved, user=tech)
    cancelled = _file(desk, "Vazgeçildi")
    services.cancel_ticket(ticket=cancelled, user=desk.requester, reason="Gerek kalmadı")
    clock.set(2026, 11, 17, 9, 30)
    services.resolve_ticket(ticket=approved, user=tech, resolution="Değiştirildi")
    services.rate_ticket(ticket=approved, user=desk.requester, rating=2)
    services.rate_ticket(ticket=approved, user=desk.requester, rating=5)  # changed their mind
    never_answered = _file(desk, "Yanıtsız")
    clock.set(2026, 11, 25, 12, 0)
    return {
        "tickets": [old, long_running, waiting, approved, duty, duplicate, cancelled],
        "never_answered": never_answered,
    }


def _cells() -> dict:
    return {
        tuple(row[:6]): row[6:]
        for row in TicketStat.objects.values_list(*KEY_COLUMNS, *COUNTERS)
        if any(row[6:])
    }


def _plain(statistics):
    return (
        statistics.totals,
        statistics.series,
        [(b.key, b.rows) for b in statistics.breakdowns],
    )


@pytest.fixture
def viewers(desk, make_user):
    return {
        "superuser": make_user(superuser=True),
        "technician": desk.technician,
        "network technician": desk.network_technician,
        "software technician": desk.software_technician,
        "department head": make_user("department_head", desk.tree["dept"]),
    }


def test_summary_equals_a_direct_count(desk, history, viewers, clock):
    now = clock()
    compared = 0
    for name, user in viewers.items():
        for unit in (None, desk.tree["network"]):
            scope = summary_scope(user, unit)
            assert scope is not None, name
            tickets = Ticket.objects.filter(scope.tickets)
            for period in PERIODS:
                summary = ticket_statistics(user, period=period, unit=unit, now=now)
                direct = direct_statistics(tickets, period=period, unit=unit, now=now)
                assert _plain(summary) == _plain(direct), (name, unit, period)
                compared += 1
    assert compared == 60
    year = ticket_statistics(viewers["superuser"], period=PERIODS[4], now=now).totals
    assert (year["opened"], year["resolved"], year["backlog"]) == (8, 2, 4)


def test_incremental_summary_equals_a_rebuild(history):
    incremental = _cells()
    assert incremental
    assert rebuild() == Ticket.objects.count()
    assert _cells() == incremental


def test_rebuild_command(history, capsys):
    TicketStat.objects.all().delete()
    call_command("stats", "rebuild")
    assert "8 tickets" in capsys.readouterr().out
    assert _cells()


def test_deleting_a_ticket_takes_it_out(history, viewers, clock):
    history["never_answered"].delete()
    assert _cells() == (rebuild(), _cells())[1]


def test_requesters_statistics_are_counted_over_their_tickets(desk, history, clock):
    assert summary_scope(desk.requester) is None
    own = ticket_statistics(desk.requester, period=PERIODS[1], now=clock())
    assert own.totals["opened"] == 6


def _page_queries(client, user, period) -> int:
    client.force_login(user)
    query = {"period": "custom", "first": period.first, "last": period.last}
    client.get(reverse("servicedesk:stats"), query)  # scope and session cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("servicedesk:stats"), query)
    assert response.status_code == 200
    return len(captured)


def test_statistics_page_query_count_is_constant(client, desk, history, viewers, clock):
    user = viewers["technician"]
    running, past = PERIODS[5], PERIODS[0]  # a past period reads "overdue" from the summary
    few = {period: _page_queries(client, user, period) for period in (running, past)}
    assert few[running] <= 20
    for n in range(12):
        clock.set(2026, 11, 2 + n, 10, 0)
        ticket = _file(desk, f"Toplu {n}")
        services.resolve_ticket(ticket=ticket, user=desk.technician, resolution="Tamam")
    clock.set(2026, 11, 25, 12, 0)
    assert {period: _page_queries(client, user, period) for period in few} == few


def test_statistics_api_reads_the_same_figures(desk, history, viewers, clock):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(desk.technician)
    url = "/api/v1/servicedesk/statistics/"
    period = PERIODS[2]
    response = api.get(url, {"period": "custom", "first": period.first, "last": period.last})
    assert response.status_code == 200, response.content
    body = response.json()
    expected = ticket_statistics(desk.technician, period=period, now=clock())
    assert body["totals"] == expected.totals
    assert [b["key"] for b in body["breakdowns"]] == [b.key for b in expected.breakdowns]
    assert body["series"]["points"] == expected.series["points"]
    reversed_range = api.get(url, {"period": "custom", "first": "2026-11-18", "last": "2026-10-20"})
    assert reversed_range.status_code == 400
    assert reversed_range["Content-Type"].startswith("application/problem+json")
    too_long = api.get(url, {"period": "custom", "first": "1900-01-01", "last": "2100-12-31"})
    assert too_long.status_code == 400
    outside = api.get(url, {"unit": desk.tree["software"].pk})
    assert outside.status_code == 400


@pytest.mark.parametrize(
    "first,last",
    [
        ("2025-03-01", "2025-03-31"),  # one whole month
        ("2025-03-02", "2025-03-31"),  # its days only
        ("2025-03-01", "2025-03-30"),
        ("2025-03-10", "2025-03-20"),
        ("2025-02-15", "2025-04-10"),  # days, a month, days
        ("2024-12-03", "2025-12-03"),  # a year from a day: days, eleven months, days
        ("2025-01-01", "2025-12-31"),  # a calendar year: twelve months
        ("2025-01-31", "2025-03-01"),  # a day, February, a day
        ("2024-02-01", "2024-02-29"),  # a leap February
        ("2025-06-30", "2025-07-01"),
    ],
)
def test_a_span_reads_whole_months_at_month_grain_and_the_rest_by_day(first, last, org_tree):
    from datetime import date, timedelta

    from biys.servicedesk.models import TicketStat
    from biys.servicedesk.stats_read import span_q

    first, last = date.fromisoformat(first), date.fromisoformat(last)
    unit = org_tree["helpdesk"]
    days = [date(2024, 1, 1) + timedelta(days=n) for n in range(760)]
    cells = [("d", day) for day in days] + [("m", day) for day in days if day.day == 1]
    TicketStat.objects.bulk_create(
        TicketStat(grain=grain, day=day, responsible_unit=unit, facet="all") for grain, day in cells
    )

    def whole_month(day):  # the month of ``day`` lies inside the span
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return first <= start and end <= last

    expected = {
        (grain, day)
        for grain, day in cells
        if (grain == "m" and whole_month(day))
        or (grain == "d" and first <= day <= last and not whole_month(day))
    }
    found = set(TicketStat.objects.filter(span_q(first, last)).values_list("grain", "day"))
    assert found == expected
