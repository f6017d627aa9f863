"""Keyset pages: every row exactly once forwards and backwards, NULLs and ties included, the
same number of queries at any page size and depth, and counts capped past a limit."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from biys.core import pagination
from biys.core.pagination import capped_count, paginate, window_count
from biys.org.models import Person
from biys.org.tests.factories import PersonFactory
from biys.servicedesk.models import Ticket
from biys.servicedesk.tests.factories import make_ticket_in

pytestmark = pytest.mark.django_db


def walk(queryset, per_page):
    rows, cursor, seen = [], None, 0
    while True:
        window = paginate(queryset, per_page, cursor)
        rows += [row.pk for row in window.rows]
        seen += 1
        assert seen < 100
        if window.next_cursor is None:
            return rows, window
        cursor = window.next_cursor


def walk_back(queryset, per_page, last_window):
    rows, window = [row.pk for row in last_window.rows], last_window
    while window.previous_cursor:
        window = paginate(queryset, per_page, window.previous_cursor)
        rows = [row.pk for row in window.rows] + rows
    return rows


@pytest.fixture
def tickets(org_tree):
    unit = org_tree["helpdesk"]
    made = [make_ticket_in(unit, title=f"Arıza {index}") for index in range(23)]
    rng = random.Random(5)
    now = timezone.now()
    for ticket in made:  # ties on priority, some NULL due times
        due = None if rng.random() < 0.3 else now + timedelta(hours=rng.choice([1, 2, 3]))
        Ticket.objects.filter(pk=ticket.pk).update(
            priority=rng.choice([1, 2, 3]), resolution_due=due
        )
    return made


@pytest.mark.parametrize(
    "ordering",
    [
        ("-id",),
        ("priority", "resolution_due", "-id"),
        ("-resolution_due",),
        ("priority",),
        ("-priority", "-created"),
        ("priority", "number"),
    ],
)
def test_keyset_walks_every_row_once_both_ways(tickets, ordering):
    queryset = Ticket.objects.order_by(*ordering)
    forward, last = walk(queryset, 4)
    assert sorted(forward) == sorted(ticket.pk for ticket in tickets)
    assert len(forward) == len(set(forward))
    assert walk_back(queryset, 4, last) == forward
    # The walk follows the requested order (NULL due times last going up, first going down).
    keys = [(t.priority, t.resolution_due) for t in (Ticket.objects.get(pk=pk) for pk in forward)]
    if ordering[0] == "priority":
        assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    if ordering[0] == "-resolution_due":
        dues = [k[1] for k in keys]
        nulls = dues.count(None)
        assert dues[:nulls] == [None] * nulls
        assert dues[nulls:] == sorted(dues[nulls:], reverse=True)


def test_one_direction_without_nulls_seeks_by_row_comparison(tickets):
    from django.db import connection as db

    with CaptureQueriesContext(db) as captured:
        window = paginate(Ticket.objects.order_by("priority", "number"), 3)
        paginate(Ticket.objects.order_by("priority", "number"), 3, window.next_cursor)
    sql = captured.captured_queries[-1]["sql"]
    if db.features.supports_tuple_lookups:  # PostgreSQL; Django spells it out on SQLite
        assert " OR " not in sql and ") > (" in sql.replace('"', ""), sql


@pytest.mark.parametrize("ordering", [("-id",), ("priority", "resolution_due", "-id")])
def test_a_joined_page_is_picked_by_key_before_the_join(tickets, ordering):
    """With select_related, the page's keys come from a subquery on the table alone, so the
    database joins one page of rows, not every match; the rows are the same either way."""
    joined = Ticket.objects.select_related("requester", "responsible_unit").order_by(*ordering)
    with CaptureQueriesContext(connection) as captured:
        forward, last = walk(joined, 4)
    assert forward == walk(Ticket.objects.order_by(*ordering), 4)[0]
    assert walk_back(joined, 4, last) == forward
    assert all(" IN (SELECT " in query["sql"] for query in captured.captured_queries)
    window = paginate(joined, 4)
    with CaptureQueriesContext(connection) as captured:
        assert window.rows[0].requester.pk and window.rows[0].responsible_unit.pk
    assert not captured.captured_queries


def test_an_order_by_relation_pages_by_offset(tickets):
    forward, _ = walk(Ticket.objects.order_by("responsible_unit", "-id"), 5)
    assert sorted(forward) == sorted(ticket.pk for ticket in tickets)


def test_a_page_beyond_any_table_is_empty_without_a_query(tickets, make_user):
    """A page number whose offset the database cannot hold (PostgreSQL: "bigint out of range",
    which also aborts the request's transaction) is simply past the end."""
    huge = 25195585733609017344
    with CaptureQueriesContext(connection) as queries:
        window = paginate(Ticket.objects.order_by("responsible_unit", "-id"), 5, page=huge)
    assert window.rows == [] and window.next_cursor is None and len(queries) == 0
    client = APIClient()
    client.force_authenticate(make_user(superuser=True))
    url = "/api/v1/servicedesk/tickets/"
    past_the_end = client.get(url, {"page": 1000, "ordering": "responsible_unit"})
    response = client.get(url, {"page": huge, "ordering": "responsible_unit"})
    assert response.status_code == past_the_end.status_code != 500
    assert client.get(url).status_code == 200  # the connection is still usable


def test_count_is_capped(org_tree, monkeypatch):
    PersonFactory.create_batch(6, unit=org_tree["roads"])
    assert capped_count(Person.objects.all(), limit=10).exact
    capped = capped_count(Person.objects.all(), limit=3)
    assert not capped.exact
    if connection.vendor == "sqlite":
        assert capped.value == 3 and str(capped) == "3+"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL estimates")
def test_an_estimate_is_asked_once_a_minute_per_query(org_tree, monkeypatch):
    PersonFactory.create_batch(6, unit=org_tree["roads"])
    clock = [1_000.0]
    monkeypatch.setattr(pagination.time, "monotonic", lambda: clock[0])

    def count(queryset):
        with CaptureQueriesContext(connection) as captured:
            counted = capped_count(queryset, limit=3)
        return counted, sum("EXPLAIN" in query["sql"] for query in captured)

    people = Person.objects.filter(unit=org_tree["roads"])
    first, asked = count(people)
    assert asked == 1 and not first.exact
    again, asked = count(people)
    assert asked == 0 and again == first
    _, asked = count(people.filter(first_name__gte=""))  # another query is its own
    assert asked == 1
    clock[0] += pagination.ESTIMATE_KEPT_SECONDS
    _, asked = count(people)
    assert asked == 1


def test_api_pages_by_cursor_with_constant_queries(tickets, make_user, org_tree, monkeypatch):
    chief = make_user("chief", org_tree["dept"])
    client = APIClient()
    client.force_authenticate(chief)
    url = "/api/v1/servicedesk/tickets/"

    def get(params):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200, response.content
        return response.json(), len(captured)

    get({"per_page": 1})  # warm: the caller's scope, content types
    small, small_queries = get({"per_page": 2})
    _, large_queries = get({"per_page": 20})
    assert small_queries == large_queries
    assert small["count"] == 23 and small["count_is_exact"] and small["previous"] is None
    numbers, body = [], small
    while True:
        numbers += [row["number"] for row in body["results"]]
        if not body["next"]:
            break
        body, deep_queries = get(
            {"per_page": 2, "cursor": body["next"].split("cursor=")[1].split("&")[0]}
        )
        assert deep_queries == small_queries
    assert len(numbers) == len(set(numbers)) == 23
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 5)
    capped, _ = get({"per_page": 2})
    assert capped["count_is_exact"] is False
    bad = client.get(url, {"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and "cursor" in bad.json()["errors"]


def test_queue_and_people_page_by_cursor_with_constant_queries(
    client, tickets, make_user, org_tree, monkeypatch
):
    PersonFactory.create_batch(30, unit=org_tree["roads"])
    chief = make_user("chief", org_tree["dept"])
    client.force_login(chief)
    for name in ("servicedesk:ticket_list", "org:person_list"):
        url = reverse(name)
        client.get(url)  # warm caches

        def get(params, url=url):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, params)
            assert response.status_code == 200
            return response, len(captured)

        first, few = get({"per_page": 10})
        assert first.context["keyset"]["rows"] == 10
        _, many = get({"per_page": 20})
        assert few == many, name
        cursor = first.context["keyset"]["window"].next_cursor
        assert cursor and 'rel="next"' in first.content.decode()
        second, deep = get({"per_page": 10, "cursor": cursor})
        assert deep == few, name
        assert second.context["keyset"]["window"].previous_cursor
        shown = {row.pk for row in first.context["keyset"]["window"].rows}
        assert shown.isdisjoint(row.pk for row in second.context["keyset"]["window"].rows)
        monkeypatch.setattr(pagination, "COUNT_LIMIT", 10)
        estimated, _ = get({"per_page": 5})
        assert "data-count-estimated" in estimated.content.decode()
        monkeypatch.setattr(pagination, "COUNT_LIMIT", 1_000)


def test_keyset_lists_never_count_every_row(client, tickets, make_user, org_tree):
    PersonFactory.create_batch(3, unit=org_tree["roads"])
    client.force_login(make_user("chief", org_tree["dept"]))
    for name, table in (
        ("servicedesk:ticket_list", "servicedesk_ticket"),
        ("org:person_list", "org_person"),
    ):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name), {"per_page": 2}).status_code == 200
        counts = [q["sql"] for q in captured if "COUNT(" in q["sql"] and table in q["sql"]]
        assert counts and all("LIMIT" in sql for sql in counts), counts


def test_a_first_page_that_holds_every_row_is_its_own_count(tickets, make_user, org_tree):
    people = Person.objects.order_by("-id")
    PersonFactory.create_batch(4, unit=org_tree["roads"])
    total = people.count()
    whole = paginate(people, total)
    with CaptureQueriesContext(connection) as captured:
        count = window_count(people, whole, first=True)
    assert (count.value, count.exact, len(captured)) == (total, True, 0)
    first = paginate(people, 2)
    assert window_count(people, first, first=True).value == total
    # a cursor past the end: an empty window with no neighbours, which is not the list
    assert window_count(people, pagination.Window([], None, None), first=False).value == total

    client = APIClient()
    client.force_authenticate(make_user("chief", org_tree["dept"]))
    url = "/api/v1/servicedesk/tickets/"
    client.get(url, {"per_page": 1})  # warm
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url, {"per_page": 100}).json()
    assert body["count"] == len(body["results"]) == 23 and body["count_is_exact"]
    assert not [q for q in captured if "COUNT(" in q["sql"] and "servicedesk_ticket" in q["sql"]]
    paged = client.get(url, {"per_page": 5, "page": 2}).json()
    assert paged["count"] == 23
