"""``PlannedReadMixin`` reads exactly what DRF's own ``Serializer.to_representation`` reads: the
same keys in the same order, the same values and types, for every field kind it plans and for
the ones it leaves to the field."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from biys.core.api.serializers import PlannedReadMixin, _run_plan, _Unplanned
from biys.org.api.serializers import BriefSerializer, PersonSerializer
from biys.org.models import Person, Title
from biys.org.tests.factories import PersonFactory, tc_kimlik_no
from biys.servicedesk import selectors
from biys.servicedesk.api.serializers import TicketSerializer
from biys.servicedesk.api.views import TICKET_READ_FIELDS
from biys.servicedesk.models import Ticket
from biys.servicedesk.tests.factories import make_ticket_in


def drf_reading(serializer_class, instance, context=None) -> dict:
    """What DRF's own Serializer.to_representation answers, bypassing the plan."""
    serializer = serializer_class(context=context or {})
    return serializers.Serializer.to_representation(serializer, instance)


def same(planned, drf):
    # Equal values, equal types (1 is not True, "1" is not 1) and the same key order.
    assert json.dumps(planned) == json.dumps(drf)
    assert list(planned) == list(drf)


@pytest.fixture
def reader(make_user, org_tree):
    request = APIRequestFactory().get("/")
    request.user = make_user("technician", org_tree["network"])
    return {"request": request}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["tr", "en"])
def test_ticket_reading_is_drfs(org_tree, reader, language):
    unit = org_tree["helpdesk"]
    plain = make_ticket_in(unit, title="Yazıcı çalışmıyor")
    busy = make_ticket_in(unit, title="Ağ yok", description="Kat 3", form_data={"oda": [1, "2"]})
    Ticket.objects.filter(pk=busy.pk).update(
        state="on_hold",
        hold_reason="supplier",
        assignee=reader["request"].user,
        under_warranty=True,
        sent_to_supplier_at=timezone.now(),
        first_responded_at=datetime(2026, 7, 1, 6, 30, 15, 123456, tzinfo=UTC),
        parent=plain,
        rating=4,
        impact=1,
    )
    queryset = Ticket.objects.select_related(*selectors.TICKET_LIST_RELATED)
    with translation.override(language), timezone.override("Europe/Istanbul"):
        for ticket in [*queryset, *queryset.only(*TICKET_READ_FIELDS)]:
            planned = TicketSerializer(ticket, context=reader).data
            same(planned, drf_reading(TicketSerializer, ticket, reader))
    assert planned["allowed_actions"]  # the technician's own actions, read through the plan


@pytest.mark.django_db
def test_ticket_list_reading_is_drfs_row_for_row(org_tree, reader):
    for index in range(3):
        make_ticket_in(org_tree["helpdesk"], title=f"Arıza {index}")
    tickets = list(Ticket.objects.select_related(*selectors.TICKET_LIST_RELATED))
    planned = TicketSerializer(tickets, many=True, context=reader).data
    for row, ticket in zip(planned, tickets, strict=True):
        same(row, drf_reading(TicketSerializer, ticket, reader))


@pytest.mark.django_db
def test_person_reading_is_drfs(org_tree):
    title = Title.objects.create(name="Şef")
    people = [
        PersonFactory(unit=org_tree["roads"], title=None, tc_kimlik_no=None),
        PersonFactory(
            unit=org_tree["network"],
            title=title,
            tc_kimlik_no=tc_kimlik_no(7),
            start_date=date(2020, 2, 29),
            email="ayse@example.org",
        ),
    ]
    for person in Person.objects.select_related("unit", "title").filter(
        pk__in=[p.pk for p in people]
    ):
        planned = PersonSerializer(person).data
        same(planned, drf_reading(PersonSerializer, person))
        assert "tc_kimlik_no" not in planned  # write-only personal data stays out


class Sample(PlannedReadMixin, serializers.Serializer):
    """Field kinds the plan reads itself and kinds it leaves to the field."""

    number = serializers.IntegerField()
    text = serializers.CharField()
    when = serializers.DateTimeField()
    day = serializers.DateField()
    flag = serializers.BooleanField(allow_null=True)
    choice = serializers.ChoiceField(choices=[(1, "one"), ("b", "bee")], allow_blank=True)
    amount = serializers.DecimalField(max_digits=6, decimal_places=2)  # left to the field
    method_source = serializers.CharField(source="shout")
    link_name = serializers.CharField(source="link.name", allow_null=True)
    brief = BriefSerializer(source="link", allow_null=True)
    computed = serializers.SerializerMethodField()

    def get_computed(self, obj) -> str:
        return f"{obj.text}!"


class Link:
    def __init__(self, id, name):
        self.id, self.name = id, name

    def __str__(self):
        return f"<{self.name}>"


def sample(**overrides):
    values = {
        "number": 7,
        "text": "şey",
        "when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "day": date(2026, 1, 2),
        "flag": True,
        "choice": 1,
        "amount": Decimal("1.50"),
        "link": Link(3, "Fen"),
    }
    values.update(overrides)
    obj = SimpleNamespace(**values)
    obj.shout = lambda: obj.text.upper()
    return obj


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"link": None, "flag": None, "choice": "", "day": None},
        {"choice": "b", "flag": False, "when": datetime(2026, 6, 1, 12, 0, tzinfo=UTC)},
        {"choice": "1", "number": 0, "text": ""},
        {"when": datetime(2026, 1, 2, 3, 4, 5)},  # naive: read by DRF's own path
        {"flag": 1},  # not a bool: read by DRF's own path
    ],
)
def test_every_planned_kind_reads_as_drf(overrides):
    obj = sample(**overrides)
    with timezone.override("Europe/Istanbul"):
        same(Sample(obj).data, drf_reading(Sample, obj))


def test_plan_reads_known_kinds_itself_and_leaves_the_rest():
    kinds = dict((name, step[0]) for name, step in Sample.read_plan())
    assert kinds["amount"] == "field"
    assert kinds["link_name"] == "path"
    assert kinds["brief"] == "nested"
    assert kinds["computed"] == "method"
    assert {kinds[name] for name in ("number", "text", "when", "day", "flag", "choice")} == {
        "value"
    }
    assert not [name for name, step in TicketSerializer.read_plan() if step[0] == "field"]
    assert not [name for name, step in PersonSerializer.read_plan() if step[0] == "field"]


def test_a_list_reads_as_drf():
    objects = [
        sample(number=index, when=timezone.now() - timedelta(days=index)) for index in range(4)
    ]
    planned = Sample(objects, many=True).data
    assert [dict(row) for row in planned] == [drf_reading(Sample, obj) for obj in objects]


@pytest.mark.django_db
def test_ticket_list_page_read_as_rows_is_the_orms_reading(org_tree, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    chief = make_user("chief", org_tree["dept"])
    for index in range(4):
        ticket = make_ticket_in(org_tree["helpdesk"], title=f"Arıza {index}")
        if index % 2:
            Ticket.objects.filter(pk=ticket.pk).update(assignee=chief, state="assigned")
    client = APIClient()
    client.force_authenticate(chief)
    client.get("/api/v1/servicedesk/tickets/?per_page=3")  # the scope, kept on the user object
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/servicedesk/tickets/?per_page=3&ordering=-created").json()
    assert len(queries) == 2  # the count, the page: no query per row
    request = APIRequestFactory().get("/")
    request.user = chief
    tickets = Ticket.objects.select_related(*selectors.TICKET_LIST_RELATED).order_by("-created")
    expected = [drf_reading(TicketSerializer, ticket, {"request": request}) for ticket in tickets]
    assert body["results"] == json.loads(json.dumps(expected[:3]))
    following = client.get(body["next"]).json()
    assert following["results"] == json.loads(json.dumps(expected[3:]))


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"link": None, "flag": None, "choice": "", "day": None},
        {"choice": "b", "flag": False, "amount": Decimal("0.05")},
    ],
)
def test_compiled_plan_reads_as_the_plan(overrides):
    """``read_function`` (the plan written out as one function) reads what ``_run_plan``
    reads, key for key, for every kind of step."""
    obj, serializer = sample(**overrides), Sample()
    with timezone.override("Europe/Istanbul"):
        zone = timezone.get_current_timezone()
        compiled = Sample.read_function()(serializer, obj, zone)
        same(compiled, _run_plan(Sample.read_plan(), serializer, obj, zone))


def test_compiled_plan_raises_where_the_plan_does():
    """A value the plan does not expect leaves the row to DRF on both paths."""
    obj = sample(when=datetime(2026, 1, 2, 3, 4, 5))  # naive
    with pytest.raises(_Unplanned):
        Sample.read_function()(Sample(), obj, timezone.get_current_timezone())
    with pytest.raises(_Unplanned):
        _run_plan(Sample.read_plan(), Sample(), obj, timezone.get_current_timezone())
