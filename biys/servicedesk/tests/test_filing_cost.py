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


def test_a_filing_runs_eleven_statements(filing, desk, django_capture_on_commit_callbacks):
    """The token, the generations, the requester, the queue, the number, the ticket with its
    statistics and responsibility, the queue's members, their notifications, and the change
    log's chain (lock the head; append and move it: one statement on PostgreSQL, two on
    SQLite). The catalogue item comes from the process's cache, not from a query."""
    client, payload = filing
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=False),
    ):
        response = client.post(URL, payload, format="json")
    assert response.status_code == 201, response.content
    sql = _statements(queries)
    chain = 2 if connection.vendor == "postgresql" else 3
    assert len(sql) == 10 + chain, "\n".join(statement[:150] for statement in sql)
    assert not [statement for statement in sql if "servicedesk_catalogitem" in statement]
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
