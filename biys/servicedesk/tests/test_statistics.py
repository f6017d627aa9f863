"""Statistics on a hand-built dataset whose office-hours figures can be worked out on paper.

Office hours: 08:30-17:30 with lunch 12:30-13:30 (8 hours a day). March 2025 has no holiday
before the 29th; 7 March is a Friday, 10 March a Monday.
"""

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from biys.calendar.workcalendar import OfficeHours, WorkingCalendar
from biys.servicedesk.choices import TicketKind, TicketState
from biys.servicedesk.models import CatalogItem, Ticket
from biys.servicedesk.stats import OfficeClock, Period, PeriodPreset, ticket_statistics
from biys.servicedesk.stats_summary import rebuild

IST = ZoneInfo("Europe/Istanbul")
MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
NOW = datetime(2025, 4, 15, 12, 0, tzinfo=IST)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=IST)


@contextmanager
def keep_timestamps():
    """bulk_create would stamp ``created`` with now; the dataset needs its own times."""
    field = Ticket._meta.get_field("created")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def make_tickets(specs: list[dict], *, catalog_item, requester, requesting_unit) -> list[Ticket]:
    tickets = []
    for index, spec in enumerate(specs):
        spec = dict(spec)
        spec.setdefault("responsible_unit", catalog_item.unit)
        tickets.append(
            Ticket(
                number=f"ARZ-T-{Ticket.objects.count() + index:06d}",
                kind=spec.pop("kind", TicketKind.FAULT),
                catalog_item=spec.pop("catalog_item", catalog_item),
                title=spec.pop("title", f"Arıza {index}"),
                requester=spec.pop("requester", requester),
                requesting_unit=spec.pop("requesting_unit", requesting_unit),
                **spec,
            )
        )
    with keep_timestamps():
        created = Ticket.objects.bulk_create(tickets)
    rebuild()  # bulk_create bypasses the summary, as data loads do
    return created


@pytest.fixture
def dataset(org_tree, make_user):
    from biys.org.models import Person

    printer = CatalogItem.objects.create(
        name="Yazıcı arızası", kind=TicketKind.FAULT, unit=org_tree["helpdesk"]
    )
    ebys = CatalogItem.objects.create(
        name="EBYS yetki talebi", kind=TicketKind.ACCESS, unit=org_tree["software"]
    )
    requester = Person.objects.create(
        first_name="Ayşe", last_name="Yılmaz", employment_type="memur", unit=org_tree["roads"]
    )
    common = {"catalog_item": printer, "requester": requester, "requesting_unit": org_tree["roads"]}
    specs = [
        # 1: Friday 16:30 -> answered Monday 09:30 (1 + 1 = 2 office hours), resolved Monday
        #    14:30 (1 + 4 + 1 = 6 hours), within both due times, rated 5.
        {
            "created": at(7, 16, 30),
            "first_responded_at": at(10, 9, 30),
            "first_response_due": at(10, 10, 30),
            "resolved_at": at(10, 14, 30),
            "resolution_due": at(11, 16, 30),
            "state": TicketState.CLOSED,
            "closed_at": at(14, 10),
            "rating": 5,
            "asset_reference": "PC-2023-0042",
        },
        # 2: Saturday 10:00 -> answered Monday 08:30 (0 hours: nothing worked in between),
        #    resolved Tuesday 12:30 (8 + 4 = 12 hours), past its due time, rated 2.
        {
            "created": at(8, 10),
            "first_responded_at": at(10, 8, 30),
            "first_response_due": at(10, 12, 30),
            "resolved_at": at(11, 12, 30),
            "resolution_due": at(10, 17, 30),
            "state": TicketState.RESOLVED,
            "rating": 2,
            "asset_reference": "PC-2021-0007",
        },
        # 3: Monday 11:00 -> answered Monday 13:45 (1.5 + 0.25 = 1.75 hours, late), still open.
        {
            "created": at(10, 11),
            "first_responded_at": at(10, 13, 45),
            "first_response_due": at(10, 12),
            "resolution_due": at(12, 11),
            "state": TicketState.IN_PROGRESS,
            "asset_reference": "YZC-0003",
        },
        # 4: opened in March, never answered, response due passed: a breach; open.
        {
            "created": at(20, 9),
            "first_response_due": at(20, 11),
            "resolution_due": at(24, 9),
            "state": TicketState.NEW,
        },
        # 5: opened in February, resolved in March: round the clock, 36 elapsed hours.
        {
            "created": at(28, 12, month=2),
            "first_responded_at": at(28, 13, month=2),
            "first_response_due": at(28, 14, month=2),
            "resolved_at": at(2, 0),
            "resolution_due": at(3, 12),
            "round_the_clock": True,
            "state": TicketState.CLOSED,
            "closed_at": at(5, 10),
        },
        # 6: cancelled in March; leaves the backlog, counted as opened.
        {
            "created": at(12, 10),
            "state": TicketState.CANCELLED,
            "closed_at": at(12, 11),
        },
    ]
    tickets = make_tickets(
        [{**common, **spec} for spec in specs],
        catalog_item=printer,
        requester=requester,
        requesting_unit=org_tree["roads"],
    )
    # Another unit's ticket (software), opened in March, resolved on time.
    other = make_tickets(
        [
            {
                "created": at(11, 9),
                "first_responded_at": at(11, 9, 30),
                "first_response_due": at(11, 10),
                "resolved_at": at(11, 10),
                "resolution_due": at(11, 17),
                "state": TicketState.RESOLVED,
                "catalog_item": ebys,
                "kind": TicketKind.ACCESS,
            }
        ],
        catalog_item=ebys,
        requester=requester,
        requesting_unit=org_tree["roads"],
    )
    return {"tickets": tickets, "other": other[0], "requester": requester, "items": (printer, ebys)}


@pytest.fixture
def network_technician(make_user, org_tree):
    return make_user("technician", org_tree["network"])


def test_office_clock_matches_the_calendar(municipality):
    calendar = WorkingCalendar(OfficeHours(), declarations=[])
    clock = OfficeClock(calendar, date(2025, 3, 1), date(2025, 4, 30))
    pairs = [
        (at(7, 16, 30), at(10, 14, 30)),
        (at(8, 10), at(10, 8, 30)),
        (at(10, 11), at(10, 13, 45)),
        (at(3, 7), at(28, 23)),
        (at(28, 9), at(2, 9, month=4)),  # over the Ramazan Bayramı
    ]
    for start, end in pairs:
        assert clock.between(start, end) == calendar.office_hours_between(start, end)
    assert clock.between(*pairs[0]) == timedelta(hours=6)


def test_figures_of_the_unit_with_sub_units(dataset, network_technician, org_tree):
    stats = ticket_statistics(network_technician, period=MARCH, unit=org_tree["network"], now=NOW)
    totals = stats.totals
    assert totals["opened"] == 5  # tickets 1, 2, 3, 4, 6 (5 opened in February)
    assert totals["resolved"] == 3  # 1, 2, 5
    assert totals["backlog"] == 2  # 3 and 4 at the end of March
    assert totals["overdue"] == 2  # both past their resolution due time
    # Resolution: 1 and 5 on time, 2 late.
    assert (totals["resolution_met"], totals["resolution_measured"]) == (2, 3)
    assert totals["resolution_compliance"] == pytest.approx(66.7)
    # First response among the tickets opened in March: 1 and 2 on time, 3 late, 4 unanswered
    # past due; 6 had no due time.
    assert (totals["response_met"], totals["response_measured"]) == (2, 4)
    assert totals["response_compliance"] == 50.0
    # Mean response over answers given in March: (2 + 0 + 1.75) / 3 office hours.
    assert totals["response_hours_count"] == 3
    assert totals["response_hours_mean"] == pytest.approx(1.25)
    # Mean resolution: (6 + 12 + 36 elapsed) / 3.
    assert totals["resolution_hours_count"] == 3
    assert totals["resolution_hours_mean"] == 18.0
    # Satisfaction: ratings 5 and 2 of 3 resolved tickets.
    assert totals["rating_mean"] == 3.5
    assert totals["rated"] == 2
    assert totals["rating_response_rate"] == pytest.approx(66.7)
    assert [totals[f"rating_{n}"] for n in range(1, 6)] == [0, 1, 0, 0, 1]


def test_breakdowns_and_series(dataset, network_technician, org_tree):
    stats = ticket_statistics(network_technician, period=MARCH, unit=org_tree["network"], now=NOW)
    items = stats.breakdown("catalog_item").rows
    assert [(row["label"], row["opened"], row["resolved"], row["backlog"]) for row in items] == [
        ("Yazıcı arızası", 5, 3, 2)
    ]
    units = stats.breakdown("requesting_unit").rows
    assert units[0]["label"] == "Fen İşleri Dairesi Başkanlığı"
    devices = {row["label"]: row["opened"] for row in stats.breakdown("asset_model").rows}
    assert devices == {"PC": 2, "YZC": 1, "No device": 2} or devices == {
        "PC": 2,
        "YZC": 1,
        "Cihaz yok": 2,
    }
    weeks = {point["bucket"]: point for point in stats.series["points"]}
    assert stats.series["granularity"] == "week"
    assert stats.series["points"][0]["bucket"] == "2025-02-24"  # the week holding 1 March
    assert weeks["2025-02-24"]["resolved"] == 1  # ticket 5, on Sunday the 2nd
    assert weeks["2025-03-03"]["opened"] == 2  # Friday the 7th, Saturday the 8th
    assert weeks["2025-03-10"]["opened"] == 2
    assert weeks["2025-03-10"]["resolved"] == 2
    assert weeks["2025-03-10"]["sla"] == 50.0
    assert sum(p["opened"] for p in stats.series["points"]) == 5


def test_whole_department_includes_every_sub_unit(dataset, make_user, org_tree):
    head = make_user("department_head", org_tree["dept"])
    stats = ticket_statistics(head, period=MARCH, unit=org_tree["dept"], now=NOW)
    assert stats.totals["opened"] == 6
    assert stats.totals["resolved"] == 4
    assert {row["label"] for row in stats.breakdown("catalog_item").rows} == {
        "Yazıcı arızası",
        "EBYS yetki talebi",
    }


def test_another_units_technician_sees_only_their_scope(dataset, make_user, org_tree):
    software_technician = make_user("technician", org_tree["software"])
    stats = ticket_statistics(software_technician, period=MARCH, now=NOW)
    assert stats.totals["opened"] == 1
    assert [row["label"] for row in stats.breakdown("catalog_item").rows] == ["EBYS yetki talebi"]
    # Asking for a unit outside the scope shows nothing, not the unit's figures.
    stats = ticket_statistics(software_technician, period=MARCH, unit=org_tree["network"], now=NOW)
    assert stats.totals["opened"] == 0


def test_requester_sees_only_their_own_tickets(dataset, make_user, org_tree):
    requester_user = make_user("requester", org_tree["roads"])
    stranger = make_user("requester", org_tree["roads"])
    requester_user.person = dataset["requester"]
    requester_user.save(update_fields=["person"])
    own = ticket_statistics(requester_user, period=MARCH, now=NOW)
    assert own.totals["opened"] == 6
    assert ticket_statistics(stranger, period=MARCH, now=NOW).totals["opened"] == 0


def _bulk(n: int, dataset, org_tree):
    printer = dataset["items"][0]
    specs = [
        {
            "created": at(3 + i % 20, 9 + i % 8),
            "first_responded_at": at(3 + i % 20, 10 + i % 7),
            "first_response_due": at(3 + i % 20, 12),
            "resolved_at": at(4 + i % 20, 11) if i % 3 else None,
            "resolution_due": at(5 + i % 20, 12),
            "state": TicketState.RESOLVED if i % 3 else TicketState.IN_PROGRESS,
            "rating": (i % 5) + 1 if i % 3 else None,
            "asset_reference": f"PC-{i}",
            "title": f"Toplu {n}-{i}",
        }
        for i in range(n)
    ]
    make_tickets(
        specs,
        catalog_item=printer,
        requester=dataset["requester"],
        requesting_unit=org_tree["roads"],
    )


def _count_queries(user, org_tree) -> int:
    with CaptureQueriesContext(connection) as queries:
        ticket_statistics(user, period=MARCH, unit=org_tree["network"], now=NOW)
    return len(queries)


def test_query_count_does_not_grow_with_tickets(dataset, network_technician, org_tree):
    ticket_statistics(network_technician, period=MARCH, now=NOW)  # resolve the scope once
    _bulk(5, dataset, org_tree)
    few = _count_queries(network_technician, org_tree)
    _bulk(45, dataset, org_tree)
    many = _count_queries(network_technician, org_tree)
    assert few == many
    assert many <= 12


def test_period_presets():
    today = date(2025, 1, 15)
    assert Period.from_preset(PeriodPreset.THIS_MONTH, today=today) == Period(
        date(2025, 1, 1), date(2025, 1, 31)
    )
    assert Period.from_preset(PeriodPreset.LAST_MONTH, today=today) == Period(
        date(2024, 12, 1), date(2024, 12, 31)
    )
    assert Period.from_preset(PeriodPreset.THIS_YEAR, today=today) == Period(
        date(2025, 1, 1), date(2025, 12, 31)
    )
    custom = Period.from_preset(
        PeriodPreset.CUSTOM, today=today, first=date(2025, 3, 9), last=date(2025, 3, 2)
    )
    assert custom == Period(date(2025, 3, 2), date(2025, 3, 9))
    assert custom.days == 8


def test_a_year_is_charted_per_month(dataset, network_technician):
    year = Period.from_preset(PeriodPreset.THIS_YEAR, today=date(2025, 6, 1))
    stats = ticket_statistics(network_technician, period=year, now=NOW)
    assert stats.series["granularity"] == "month"
    months = {point["bucket"]: point["opened"] for point in stats.series["points"]}
    assert len(months) == 12
    assert months["2025-03-01"] == 5
    assert months["2025-02-01"] == 1


def test_dashboard_page(client, dataset, network_technician, org_tree):
    client.force_login(network_technician)
    url = reverse("servicedesk:stats")
    response = client.get(
        url,
        {
            "unit": org_tree["network"].pk,
            "period": "custom",
            "first": "2025-03-01",
            "last": "2025-03-31",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="stats-chart-data"' in html
    assert "Yazıcı arızası" in html
    assert "vendor/apexcharts/apexcharts.min.js" in html
    assert response.context["totals"]["opened"] == 5
    assert "export=pdf" in html and "export=xlsx" in html


def test_dashboard_refuses_a_unit_outside_the_scope(client, dataset, make_user, org_tree):
    technician = make_user("technician", org_tree["software"])
    client.force_login(technician)
    response = client.get(
        reverse("servicedesk:stats"),
        {
            "unit": org_tree["network"].pk,
            "period": "custom",
            "first": "2025-03-01",
            "last": "2025-03-31",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert response.context["totals"]["opened"] == 1  # back to their own scope


def test_dashboard_needs_login(client, db):
    response = client.get(reverse("servicedesk:stats"))
    assert response.status_code == 302


@pytest.mark.parametrize("language", ["tr", "en"])
@pytest.mark.parametrize("grouped", [False, True])
def test_breakdown_rows_written_in_python_match_the_template(language, grouped, settings):
    from django.template import engines
    from django.utils import translation

    from biys.servicedesk.stats import Breakdown
    from biys.servicedesk.stats_views import breakdown_rows

    template = engines["django"].from_string(
        """{% for row in breakdown.rows %}<tr>
            <th scope="row">{{ row.label }}</th>
            <td class="text-end">{{ row.opened }}</td><td class="text-end">{{ row.resolved }}</td><td class="text-end">{{ row.backlog }}</td>
            <td class="text-end">{{ row.resolution_compliance|default_if_none:"—" }}</td><td class="text-end">{{ row.rating_mean|default_if_none:"—" }}</td>
          </tr>{% endfor %}"""  # the template these rows replace, verbatim
    )
    breakdown = Breakdown(
        key="unit",
        title="Birim",
        columns=[],
        rows=[
            {
                "label": 'Ağ <b>"&"</b> İşletim',
                "opened": 12345,
                "resolved": 0,
                "backlog": 7,
                "resolution_compliance": 87.5,
                "rating_mean": None,
            },
            {
                "label": "Yazılım",
                "opened": 1,
                "resolved": 2,
                "backlog": 0,
                "resolution_compliance": None,
                "rating_mean": 4.25,
            },
        ],
    )
    settings.USE_THOUSAND_SEPARATOR = grouped
    with translation.override(language):
        expected = template.render({"breakdown": breakdown})
        assert str(breakdown_rows(breakdown)) == expected
    assert "&lt;b&gt;" in expected
    assert ("12345" in expected) is not grouped  # grouped: 12.345 in Turkish, 12,345 in English


def test_dashboard_units_and_labels_follow_every_change(client, dataset, make_user, org_tree):
    """The form's units and the breakdowns' labels are kept by the process under the
    catalogue's generation: a new unit, a renamed item or unit is on the next page."""
    from biys.org.models import Unit
    from biys.servicedesk.models import CatalogItem

    client.force_login(make_user(superuser=True))
    url = reverse("servicedesk:stats")
    query = {"period": "custom", "first": "2025-03-01", "last": "2025-03-31"}
    html = client.get(url, query).content.decode()
    assert "Yazıcı arızası" in html and "Yeni Şeflik" not in html
    with CaptureQueriesContext(connection) as warm:
        client.get(url, query)
    Unit.objects.create(
        name="Yeni Şeflik", kind="seflik", parent=org_tree["network"], is_it_department=True
    )
    CatalogItem.objects.filter(name="Yazıcı arızası").update(name="Yazıcı ve tarayıcı arızası")
    Unit.objects.filter(pk=org_tree["roads"].pk).update(name="Yol İşleri Dairesi Başkanlığı")
    response = client.get(url, query)
    html = response.content.decode()
    assert ">Yeni Şeflik</option>" in html
    assert "Yazıcı ve tarayıcı arızası" in html and "Yol İşleri Dairesi Başkanlığı" in html
    with CaptureQueriesContext(connection) as again:
        client.get(url, query)
    assert len(again) == len(warm)
    assert not [q["sql"] for q in again if 'FROM "org_unit"' in q["sql"]]
