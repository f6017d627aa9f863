"""Issue 6: what one filing through the API costs, so that it cannot creep back. The bench
(``python -m bench.filing``) measures its CPU; these tests hold its statements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from biys.accounts.tokens import new_key, store_key
from biys.notifications.models import Notification
from biys.servicedesk.models import CatalogItem, Queue, Ticket

pytestmark = pytest.mark.django_db

URL = "/api/v1/servicedesk/tickets/"


def _statements(queries) -> list[str]:
    """What the filing sent, without its savepoints (the transaction's own bookkeeping)."""
    return [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))
    ]


@pytest.fixture
def filing(desk):
    """A technician's token, the helpdesk's queue with one member, every chain head in place
    (as in a running installation), and one filing already made (caches warm)."""
    queue = Queue.objects.create(unit=desk.helpdesk)
    queue.members.add(desk.network_technician)
    key = new_key()
    store_key(desk.technician, key)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    payload = {
        "catalog_item": desk.printer.pk,
        "requester": desk.requester.person.pk,
        "title": "Yazıcı çalışmıyor",
        "channel": "phone",
    }
    assert client.post(URL, payload, format="json").status_code == 201
    return client, payload


def test_a_filing_runs_nine_statements(filing, desk, django_capture_on_commit_callbacks):
    """The generations, the requester, the number, the ticket with its statistics and
    responsibility, the notifications, and the change log's chain (lock the head; append and
    move it: one statement on PostgreSQL, two on SQLite). The token's user, the catalogue
    item, the queue and its members come from the process's caches, not from queries."""
    client, payload = filing
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=False),
    ):
        response = client.post(URL, payload, format="json")
    assert response.status_code == 201, response.content
    sql = _statements(queries)
    chain = 2 if connection.vendor == "postgresql" else 3
    assert len(sql) == 7 + chain, "\n".join(statement[:150] for statement in sql)
    tables = ("servicedesk_catalogitem", "servicedesk_queue", "accounts_apitoken")
    for table in tables:
        assert not [statement for statement in sql if table in statement], table
    ticket = Ticket.objects.get(pk=response.json()["id"])
    told = set(
        Notification.objects.filter(target_object_id=str(ticket.pk)).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {desk.requester.username, desk.network_technician.username}


def test_the_catalogue_cache_sees_every_change_at_once(filing, desk):
    """An item withdrawn, changed or added is seen by the next filing (the cache is kept by the
    database's generation of the catalogue and unit tables)."""
    client, payload = filing
    CatalogItem.objects.filter(pk=desk.printer.pk).update(is_active=False)
    response = client.post(URL, payload, format="json")
    assert response.status_code == 400
    assert "catalog_item" in response.json()["errors"] or "catalog_item" in str(response.json())
    CatalogItem.objects.filter(pk=desk.printer.pk).update(is_active=True, default_urgency=1)
    response = client.post(URL, payload, format="json")
    assert response.status_code == 201
    assert response.json()["urgency"] == 1
    other = CatalogItem.objects.create(name="Ekran", kind="fault", unit=desk.tree["network"])
    response = client.post(URL, {**payload, "catalog_item": other.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["responsible_unit"]["id"] == desk.tree["network"].pk


@pytest.mark.parametrize("value", ["abc", True, [1], 10**30, 0, "8.5"])
def test_a_wrong_catalogue_item_is_the_field_error_drf_gives(filing, value):
    """The cached lookup answers as DRF's ``PrimaryKeyRelatedField`` over the active items."""
    from rest_framework import serializers

    client, payload = filing
    plain = serializers.PrimaryKeyRelatedField(queryset=CatalogItem.objects.filter(is_active=True))
    with pytest.raises(serializers.ValidationError) as expected:
        plain.run_validation(value)
    response = client.post(URL, {**payload, "catalog_item": value}, format="json")
    assert response.status_code == 400, response.content
    assert str(expected.value.detail[0]) in str(response.json())


def test_a_unit_without_a_queue_is_looked_up_once(desk, monkeypatch):
    """The filing looks for the responsible unit's queue once; finding none, the
    notification goes to the unit's manager without looking again."""
    from biys.servicedesk import selectors
    from biys.servicedesk.services import create_ticket

    Queue.objects.filter(unit=desk.helpdesk).delete()
    looked = []
    original = selectors.queue_for_unit
    monkeypatch.setattr(
        selectors, "queue_for_unit", lambda unit: looked.append(unit.pk) or original(unit)
    )
    create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title="Yazıcı",
        created_by=desk.technician,
    )
    assert looked == [desk.printer.unit_id]


@pytest.mark.parametrize("value", [987654321, -1, 0, "abc", True, 10**30, 2**63 - 1])
def test_a_wrong_requester_is_the_field_error_drf_gives(filing, value):
    """The requester's lookup compiled once answers as DRF's ``PrimaryKeyRelatedField``."""
    from rest_framework import serializers

    from biys.org.models import Person

    client, payload = filing
    plain = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    with pytest.raises(serializers.ValidationError) as expected:
        plain.run_validation(value)
    response = client.post(URL, {**payload, "requester": value}, format="json")
    assert response.status_code == 400, response.content
    assert str(expected.value.detail[0]) in str(response.json())


def test_the_requester_found_by_the_compiled_lookup_is_the_one_asked_for(filing, desk):
    from biys.org.models import Person

    client, payload = filing
    other = Person.objects.exclude(pk=desk.requester.person.pk).first()
    for person in (desk.requester.person, other, desk.requester.person):
        response = client.post(URL, {**payload, "requester": person.pk}, format="json")
        assert response.status_code == 201, response.content
        assert Ticket.objects.get(pk=response.json()["id"]).requester_id == person.pk


def _told(response) -> set[str]:
    assert response.status_code == 201, response.content
    return set(
        Notification.objects.filter(target_object_id=str(response.json()["id"])).values_list(
            "recipient__username", flat=True
        )
    )


def test_the_routing_cache_sees_every_change_at_once(filing, desk):
    """Who hears of a filing is kept by the process under the generation of the queue, its
    members and the logins: every change is seen by the next filing, however it is written."""
    from biys.accounts.models import User

    client, payload = filing
    queue = Queue.objects.get(unit=desk.helpdesk)
    requester = desk.requester.username
    queue.members.add(desk.software_technician)
    assert _told(client.post(URL, payload, format="json")) == {
        requester,
        desk.network_technician.username,
        desk.software_technician.username,
    }
    queue.members.remove(desk.network_technician)
    assert _told(client.post(URL, payload, format="json")) == {
        requester,
        desk.software_technician.username,
    }
    User.objects.filter(pk=desk.software_technician.pk).update(is_active=False)
    # nobody active in the queue: the unit's manager hears instead (none here: only the requester)
    assert _told(client.post(URL, payload, format="json")) == {requester}
    with connection.cursor() as cursor:  # written in SQL: the database notices, not the ORM
        cursor.execute(
            "UPDATE accounts_user SET is_active = %s WHERE id = %s",
            [True, desk.software_technician.pk],
        )
    assert _told(client.post(URL, payload, format="json")) == {
        requester,
        desk.software_technician.username,
    }
    Queue.objects.filter(pk=queue.pk).update(assignment_rule="round_robin")
    response = client.post(URL, payload, format="json")
    assert response.json()["assignee"]["id"] == desk.software_technician.pk


def test_a_sign_in_and_a_round_robin_turn_keep_the_routing_cache(filing, desk):
    """The two writes that come with the daily work change no answer and renew nothing."""
    from django.utils import timezone

    from biys.accounts.models import User
    from biys.core import generations
    from biys.servicedesk.selectors import ROUTING_GENERATION

    queue = Queue.objects.get(unit=desk.helpdesk)
    before = generations.current(ROUTING_GENERATION)
    User.objects.filter(pk=desk.network_technician.pk).update(last_login=timezone.now())
    Queue.objects.filter(pk=queue.pk).update(last_assigned=desk.network_technician)
    assert generations.current(ROUTING_GENERATION) == before
    Queue.objects.filter(pk=queue.pk).update(include_subtree=False)
    assert generations.current(ROUTING_GENERATION) != before
    renewed = generations.current(ROUTING_GENERATION)
    User.objects.filter(pk=desk.network_technician.pk).update(email="yeni@example.org")
    assert generations.current(ROUTING_GENERATION) != renewed


def test_the_manager_cache_sees_a_new_holder_at_once(desk, make_user):
    """The unit's manager is kept by the process under the generation of the logins,
    positions and units: a new holder, a manager position moved or a login switched off is
    seen by the next question."""
    from biys.accounts.models import User
    from biys.accounts.selectors import MANAGER_GENERATION, unit_manager_user
    from biys.core import generations
    from biys.org.models import Position, Unit

    network = desk.tree["network"]
    first, second = make_user("chief", network), make_user("chief", network)
    position = Position.objects.create(
        unit=network, name="Şube Müdürü", holder=first.person, is_manager=True
    )
    Unit.objects.filter(pk=network.pk).update(manager_position=position)
    assert unit_manager_user(desk.helpdesk) == first
    Position.objects.filter(pk=position.pk).update(holder=second.person)
    assert unit_manager_user(desk.helpdesk) == second
    before = generations.current(MANAGER_GENERATION)
    User.objects.filter(pk=second.pk).update(last_login="2026-11-30T09:00:00Z")
    assert generations.current(MANAGER_GENERATION) == before
    User.objects.filter(pk=second.pk).update(is_active=False)
    assert unit_manager_user(desk.helpdesk) is None
    Unit.objects.filter(pk=network.pk).update(manager_position=None)
    Unit.objects.filter(pk=desk.helpdesk.pk).update(manager_position=position)
    User.objects.filter(pk=second.pk).update(is_active=True)
    assert unit_manager_user(desk.tree["network"]) is None
    assert unit_manager_user(desk.helpdesk) == second
    # what the cache hands out is a copy: a caller's attribute stays with its caller
    unit_manager_user(desk.helpdesk).first_name = "Değişti"
    assert unit_manager_user(desk.helpdesk).first_name != "Değişti"


def test_the_filing_form_copies_its_fields_as_copy_copies_them():
    """Each filing's form gets its own copy of every declared field, the same as
    ``copy.copy`` gives (class and attributes), never the declared field itself."""
    import copy

    from biys.servicedesk.api.serializers import TicketCreateSerializer

    declared = TicketCreateSerializer._declared_fields
    fields = TicketCreateSerializer().get_fields()
    assert list(fields) == list(declared)
    for name, field in fields.items():
        expected = copy.copy(declared[name])
        assert field is not declared[name]
        assert type(field) is type(expected)
        assert field.__dict__ == expected.__dict__, name
