"""The one ticket filter behind the API and the web queue: multi-choice filters without the
DISTINCT (and the COUNT over a DISTINCT subquery) that django-filter adds by default."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from biys.servicedesk import services
from biys.servicedesk.api.views import TicketViewSet
from biys.servicedesk.filtersets import TicketFilterSet
from biys.servicedesk.models import Ticket
from biys.servicedesk.views.tickets import TicketQueueView

pytestmark = pytest.mark.django_db

MULTI = "state=new&state=assigned&priority=3&priority=4&kind=fault&kind=request&channel=web"


def file(desk, title="Yazıcı çalışmıyor"):
    return services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title=title,
        created_by=desk.requester,
    )


def ticket_selects(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("SELECT") and "servicedesk_ticket" in q["sql"]
    ]


def test_ui_and_api_share_one_ticket_filter():
    assert TicketQueueView.filterset_class is TicketFilterSet
    assert TicketViewSet.filterset_class is TicketFilterSet


def test_multi_choice_filters_add_no_distinct_in_the_api(desk):
    file(desk)
    file(desk, "İnternet yok")
    client = APIClient()
    client.force_authenticate(desk.technician)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/servicedesk/tickets/?{MULTI}&assignee=unassigned")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 2
    queries = ticket_selects(captured)
    assert queries
    for sql in queries:
        assert "DISTINCT" not in sql.upper(), sql


def test_multi_choice_filters_add_no_distinct_in_the_queue(client, desk):
    ticket = file(desk)
    client.force_login(desk.technician)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{reverse('servicedesk:ticket_list')}?{MULTI}")
    assert response.status_code == 200
    assert ticket.number in response.content.decode()
    queries = ticket_selects(captured)
    assert queries
    for sql in queries:
        assert "DISTINCT" not in sql.upper(), sql


def test_queue_panel_offers_its_filters_and_keeps_me_and_unassigned(client, desk):
    ticket = file(desk)
    other = file(desk, "İnternet yok")
    services.take_ticket(ticket=ticket, user=desk.technician)
    client.force_login(desk.technician)
    url = reverse("servicedesk:ticket_list")
    response = client.get(url, {"assignee": "me"})
    form = response.context["filter_panel"].form
    assert set(form.fields) == set(TicketFilterSet.panel_fields)
    html = response.content.decode()
    assert ticket.number in html and other.number not in html
    html = client.get(url, {"assignee": "unassigned"}).content.decode()
    assert other.number in html and ticket.number not in html
    api = APIClient()
    api.force_authenticate(desk.technician)
    both = api.get(
        "/api/v1/servicedesk/tickets/",
        {"assignee": [str(desk.technician.pk), "unassigned"]},
    ).json()
    assert both["count"] == 2
    bad = api.get("/api/v1/servicedesk/tickets/", {"assignee": "someone"})
    assert bad.status_code == 400


def test_ticket_search_uses_the_index_and_finds_closed_tickets(desk):
    from biys.core.search import filter_by_terms
    from biys.servicedesk.models import Ticket

    open_one = file(desk, "Yazıcı IŞIĞI yanıp sönüyor")
    closed = file(desk, "yazici isigi bozuk")
    Ticket.objects.filter(pk=closed.pk).update(state="closed")
    file(desk, "İnternet yok")
    client = APIClient()
    client.force_authenticate(desk.technician)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/servicedesk/tickets/", {"q": "ışığı YAZICI"})
    found = {row["number"] for row in response.json()["results"]}
    assert found == {open_one.number, closed.number}
    if connection.vendor == "sqlite":
        assert any("servicedesk_ticket_fts" in q["sql"] for q in captured)
    rows = list(Ticket.objects.all())
    for query in ("ışığı", "IŞI", "ın", "internet YOK", "zz"):
        expected = {t.pk for t in rows if all(term in t.search_text for term in query_terms(query))}
        assert set(filter_by_terms(Ticket.objects.all(), query).values_list("pk", flat=True)) == (
            expected
        ), query


def query_terms(query):
    from biys.core.text import search_terms

    return search_terms(query)


def test_queue_search_lists_newest_first_unless_a_column_sorts(client, desk):
    """The queue opens in priority and due-time order; a search lists its matches newest first
    (a common word would otherwise sort every match), and a column header still sorts them."""
    from biys.servicedesk.models import Ticket

    first, second, third = (file(desk, f"Yazıcı {n}") for n in range(3))
    Ticket.objects.filter(pk=third.pk).update(priority=4)
    Ticket.objects.filter(pk=first.pk).update(priority=1)
    client.force_login(desk.technician)
    url = reverse("servicedesk:ticket_list")

    def numbers(params):
        response = client.get(url, params)
        return [row.number for row in response.context["keyset"]["window"].rows]

    assert numbers({})[0] == first.number
    assert numbers({"q": "yazıcı"}) == [third.number, second.number, first.number]
    assert numbers({"q": "yazıcı", "sort": "-number"}) == [
        third.number,
        second.number,
        first.number,
    ]
    assert numbers({"q": "yazıcı", "sort": "priority"})[0] == first.number


NAMED = [
    "is_open=true",
    MULTI,
    "q=yazıcı&state=new",
    "unit={unit}&subtree=false",
    "created_after=2020-01-01&created_before=2999-12-31&assignee=unassigned",
    "overdue=false&catalog_item={item}",
    "state=nonsense",
    "created_after=not-a-date",
]


@pytest.mark.parametrize("query", NAMED)
def test_a_bound_filter_builds_the_named_fields_and_filters_as_the_whole_form(desk, query):
    """``NamedFiltersFormMixin``: the form holds the filters the query names, and the tickets
    (or the errors) are those of a form with every filter."""
    from django.http import QueryDict
    from django_filters import FilterSet

    for title in ("Yazıcı çalışmıyor", "Ağ yok", "Ekran kırık"):
        file(desk, title)
    data = QueryDict(query.format(unit=desk.helpdesk.pk, item=desk.printer.pk))
    queryset = Ticket.objects.all()
    named = TicketFilterSet(data, queryset=queryset)
    whole = TicketFilterSet(data, queryset=queryset)
    whole._form = FilterSet.form.fget(whole)  # django-filter's own: every filter, deep copies
    assert set(named.form.fields) == {key for key in data if key in named.filters}
    assert len(whole.form.fields) == len(TicketFilterSet.base_filters) > len(named.form.fields)
    for name, field in named.form.fields.items():
        assert field is named.filters[name].field  # the filter's own field, not a copy
    assert named.is_valid() == whole.is_valid()
    assert named.errors == whole.errors
    if named.is_valid():
        assert sorted(named.qs.values_list("pk", flat=True)) == sorted(
            whole.qs.values_list("pk", flat=True)
        )


def test_a_filtered_queue_still_shows_every_panel_field(client, desk):
    client.force_login(desk.technician)
    response = client.get(reverse("servicedesk:ticket_list"), {"is_open": "true", "state": "new"})
    form = response.context["filter_panel"].form
    assert list(form.fields) == list(TicketFilterSet.panel_fields)
    assert form["state"].value() == ["new"]


def test_the_filter_panel_is_kept_unless_it_shows_a_row_from_the_database(
    client, desk, monkeypatch
):
    from biys.core.views.generic import filter_panel, objects

    filter_panel.clear()
    built = []
    original = objects.ObjectListView.get_filter_form
    monkeypatch.setattr(
        objects.ObjectListView,
        "get_filter_form",
        lambda self, filterset: built.append(1) or original(self, filterset),
    )
    client.force_login(desk.technician)
    url = reverse("servicedesk:ticket_list")

    def panel(params=None):
        html = client.get(url, params or {}).content.decode()
        start = html.index('id="filter-form"')
        return html[start : html.index("</form>", start)]

    first = panel({"state": "new"})
    assert 'value="new"' in first and "checked" in first
    assert panel({"state": "new"}) == first and len(built) == 1  # kept: no form built
    assert panel({"state": "assigned"}) != first and len(built) == 2
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = panel({"state": "new"})
    assert "Apply" in english and len(built) == 3

    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    # A selected service shows its name, read afresh on every request.
    chosen = panel({"catalog_item": desk.printer.pk})
    assert "Yazıcı arızası" in chosen
    desk.printer.name = "Yazıcı ve tarayıcı"
    desk.printer.save()
    assert "Yazıcı ve tarayıcı" in panel({"catalog_item": desk.printer.pk})
    assert len(built) == 5


def test_ticking_every_state_filters_nothing_and_sends_no_state_condition(desk):
    """The search over every state is how the queue finds closed tickets too: all eight states
    ticked is the unfiltered list, without an OR of every state for the planner to estimate."""
    from biys.servicedesk.choices import TicketState

    open_ticket = file(desk)
    closed = file(desk, "İnternet yok")
    Ticket.objects.filter(pk=closed.pk).update(state=TicketState.CLOSED)
    client = APIClient()
    client.force_authenticate(desk.technician)
    every = "&".join(f"state={state}" for state, _label in TicketState.choices)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/servicedesk/tickets/?{every}")
    assert response.status_code == 200, response.content
    assert {row["id"] for row in response.json()["results"]} == {open_ticket.pk, closed.pk}
    for sql in ticket_selects(captured):
        assert '"state" IN' not in sql and "\"state\" = 'new'" not in sql, sql

    some = "&".join(f"state={state}" for state in (TicketState.NEW, TicketState.CLOSED))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/servicedesk/tickets/?{some}")
    assert {row["id"] for row in response.json()["results"]} == {open_ticket.pk, closed.pk}
    assert any("'new'" in sql or '"state"' in sql for sql in ticket_selects(captured))
