"""``read_rows`` reads a list page with its columns' SQL written once: the objects are those
Django's ``values()`` query gives (``rows_query`` read by ``built_rows``), for any filter,
order, join and slice, in one query, and a query it cannot rewrite is read Django's way."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from biys.core.querysets import _row_shape, built_rows, read_rows, rows_query
from biys.org.models import Person, Unit
from biys.org.tests.factories import PersonFactory, TitleFactory
from biys.servicedesk.models import Ticket
from biys.servicedesk.tests.factories import make_ticket_in
from biys.servicedesk.views.common import TICKET_LIST_READ, TICKET_LIST_UNREAD

pytestmark = pytest.mark.django_db


def _state(obj, depth=0) -> dict:
    """An object's values and the related objects it holds, recursively."""
    if obj is None:
        return None
    values = {name: value for name, value in obj.__dict__.items() if name != "_state"}
    cached = {name: _state(related, depth + 1) for name, related in obj._state.fields_cache.items()}
    return {"type": type(obj), "values": values, "cached": cached, "db": obj._state.db,
            "adding": obj._state.adding}  # fmt: skip


def _django_way(queryset, exclude, related) -> list:
    return built_rows(
        rows_query(queryset, exclude=exclude, related=related), exclude=exclude, related=related
    )


def _assert_same(queryset, exclude=(), related=None):
    with CaptureQueriesContext(connection) as queries:
        fast = read_rows(queryset, exclude=exclude, related=related)
    assert len(queries) == 1
    expected = _django_way(queryset, exclude, related)
    assert [_state(obj) for obj in fast] == [_state(obj) for obj in expected]
    return fast


@pytest.fixture
def tickets(org_tree):
    network, roads = org_tree["network"], org_tree["roads"]
    made = [make_ticket_in(network, title=f"Yazıcı <{n}> & ağ") for n in range(4)]
    made += [make_ticket_in(roads, title="İnternet yok")]
    made[1].assignee = None
    Ticket.objects.filter(pk=made[2].pk).update(
        resolution_due=None, resolved_at=timezone.now() - timedelta(hours=3), priority=1
    )
    return made


@pytest.mark.parametrize(
    "order",
    [
        ("priority", "resolution_due", "-id"),
        ("-id",),
        ("requester__last_name", "requester__first_name", "id"),  # a join in the query
        ("responsible_unit__name", "-created"),
    ],
)
def test_a_ticket_page_reads_as_the_values_query(tickets, order):
    queryset = Ticket.objects.filter(state__in=["new", "assigned"]).order_by(*order)
    rows = _assert_same(queryset[:3], TICKET_LIST_UNREAD, TICKET_LIST_READ)
    assert len(rows) == 3
    _assert_same(queryset[1:4], TICKET_LIST_UNREAD, TICKET_LIST_READ)
    _assert_same(queryset, TICKET_LIST_UNREAD, TICKET_LIST_READ)


def test_every_column_and_no_relation(tickets):
    rows = _assert_same(Ticket.objects.order_by("-id"))
    assert rows[0].number == Ticket.objects.order_by("-id")[0].number


def test_a_relation_of_a_relation_is_read_on_the_related_object(org_tree):
    units = [org_tree["helpdesk"], org_tree["network"], org_tree["roads"]]
    for n, unit in enumerate(units):
        PersonFactory(first_name=f"Ayşe {n}", unit=unit, title=None if n == 1 else TitleFactory())
    related = {"unit": ("name",), "unit__parent": ("name", "is_it_department"), "title": ("name",)}
    people = _assert_same(Person.objects.order_by("first_name"), ("search_text",), related)
    with CaptureQueriesContext(connection) as queries:
        shown = [(p.unit.name, p.unit.parent and p.unit.parent.name, p.title) for p in people]
    assert not queries  # read with the row
    assert shown[0][:2] == (units[0].name, org_tree["network"].name)
    assert shown[1][2] is None and shown[2][1] is None  # no title; a unit without a parent


def test_a_column_left_out_is_loaded_when_asked_for(tickets):
    row = read_rows(Ticket.objects.filter(pk=tickets[0].pk), exclude=("description",))[0]
    assert "description" not in row.__dict__
    with CaptureQueriesContext(connection) as queries:
        assert row.description == tickets[0].description
    assert len(queries) == 1


def test_an_empty_query_asks_the_database_nothing(tickets):
    for queryset in (Ticket.objects.none(), Ticket.objects.filter(pk__in=[])):
        with CaptureQueriesContext(connection) as queries:
            assert read_rows(queryset, related=TICKET_LIST_READ) == []
        assert not queries


def test_a_query_it_cannot_rewrite_is_read_the_django_way(tickets):
    shape = _row_shape(Ticket, TICKET_LIST_UNREAD, tuple(
        (name, tuple(items)) for name, items in TICKET_LIST_READ.items()
    ), "default")  # fmt: skip
    for queryset in (
        Ticket.objects.order_by("-id").distinct(),
        Ticket.objects.filter(pk=tickets[0].pk).union(Ticket.objects.filter(pk=tickets[1].pk)),
    ):
        assert shape.fetch(queryset) is None
    distinct = Ticket.objects.filter(responsible_unit__name__startswith="").distinct()
    expected = _django_way(distinct.order_by("id"), TICKET_LIST_UNREAD, TICKET_LIST_READ)
    found = read_rows(distinct.order_by("id"), exclude=TICKET_LIST_UNREAD, related=TICKET_LIST_READ)
    assert [_state(obj) for obj in found] == [_state(obj) for obj in expected]


def test_the_select_list_is_compiled_once_per_shape(tickets):
    related = (("responsible_unit", ("name",)),)
    assert _row_shape(Ticket, (), related, "default") is _row_shape(Ticket, (), related, "default")
    assert Unit.objects.count()  # the fixture's units exist; the shape holds no parameters
