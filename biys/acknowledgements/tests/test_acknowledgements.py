"""The shared acknowledgement feature: the audience asked (due in working days from the request
or a newcomer's first day), only the person themselves acknowledges, once, while the document
asks; withdrawn requests, reminders once every few days, the person's own page and API with a
constant number of queries, and the per-unit summary."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from biys.acknowledgements import selectors, services
from biys.acknowledgements.models import Acknowledgement
from biys.acknowledgements.tests.factories import ask
from biys.notifications.models import Notification
from biys.org.models import Person

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture
def document(org_tree):
    """Any model is a document to acknowledge; a unit here."""
    return org_tree["software"]


def test_the_audience_is_asked_with_due_dates_in_working_days(document, org_tree, make_user):
    reader = make_user(None, org_tree["network"])
    newcomer = make_user(None, org_tree["helpdesk"])
    Person.objects.filter(pk=newcomer.person_id).update(start_date=datetime.date(2026, 3, 9))
    people = Person.objects.filter(pk__in=[reader.person_id, newcomer.person_id])

    assert ask(document, people) == {"requested": 2, "withdrawn": 0, "notified": 2}
    rows = {row.person_id: row for row in Acknowledgement.objects.of(document)}
    assert rows[reader.person_id].due_on == datetime.date(2026, 3, 9)  # five working days
    assert rows[newcomer.person_id].due_on == datetime.date(2026, 3, 16)  # from the first day
    told = Notification.objects.get(recipient=reader)
    assert "09.03.2026" in told.title and told.url == document.get_absolute_url()

    # Asking again adds nobody; one left out of the audience is withdrawn.
    only_reader = Person.objects.filter(pk=reader.person_id)
    assert ask(document, only_reader) == {"requested": 0, "withdrawn": 1, "notified": 0}


def test_only_the_person_acknowledges_once(document, org_tree, make_user):
    reader = make_user(None, org_tree["network"])
    other = make_user("bgys_manager", org_tree["dept"])
    ask(document, Person.objects.filter(pk=reader.person_id))
    row = Acknowledgement.objects.of(document).get()
    with pytest.raises(PermissionDenied):
        services.acknowledge(acknowledgement=row, user=other)
    done = services.acknowledge(acknowledgement=row, user=reader, statement="Okudum, kabul ettim.")
    assert done.acknowledged_by == reader and done.acknowledged_at
    assert done.statement == "Okudum, kabul ettim."
    with pytest.raises(ValidationError):
        services.acknowledge(acknowledgement=row, user=reader)
    # Given acknowledgements stay when the request is withdrawn.
    assert services.withdraw_requests(target=document) == 0
    assert Acknowledgement.objects.of(document).done().count() == 1


def test_a_document_that_no_longer_asks_is_not_acknowledged(
    document, org_tree, make_user, monkeypatch
):
    reader = make_user(None, org_tree["network"])
    ask(document, Person.objects.filter(pk=reader.person_id))
    row = Acknowledgement.objects.of(document).get()
    monkeypatch.setattr(type(document), "accepts_acknowledgements", False, raising=False)
    with translation.override("en"), pytest.raises(ValidationError, match="no longer"):
        services.acknowledge(acknowledgement=row, user=reader)


def test_late_ones_are_reminded_then_every_few_days(document, org_tree, make_user, settings):
    settings.BIYS_ACKNOWLEDGEMENT_REMIND_DAYS = 7
    late = make_user(None, org_tree["network"])
    done = make_user(None, org_tree["network"])
    no_login = Person.objects.create(
        first_name="Girişi", last_name="Olmayan", employment_type="memur", unit=org_tree["network"]
    )
    people = Person.objects.filter(pk__in=[late.person_id, done.person_id, no_login.pk])
    ask(document, people, notify=False)
    services.acknowledge(
        acknowledgement=Acknowledgement.objects.of(document).get(person_id=done.person_id),
        user=done,
    )
    assert services.send_reminders(today=datetime.date(2026, 3, 9)) == {
        "reminded": 0,
        "notified": 0,
    }  # due that day: not late yet
    day = datetime.date(2026, 3, 10)
    assert services.send_reminders(today=day) == {"reminded": 2, "notified": 1}
    told = Notification.objects.get(recipient=late)
    assert "09.03.2026" in told.title
    assert services.send_reminders(today=day + datetime.timedelta(days=6))["reminded"] == 0
    assert services.send_reminders(today=day + datetime.timedelta(days=7))["reminded"] == 2
    # The keeper's button reminds every pending one now.
    assert services.remind_pending(target=document, today=day) == 1


def test_the_summary_per_unit(document, org_tree, make_user):
    users = [make_user(None, org_tree[name]) for name in ("network", "network", "roads")]
    ask(document, Person.objects.filter(pk__in=[user.person_id for user in users]))
    row = Acknowledgement.objects.of(document).get(person_id=users[0].person_id)
    services.acknowledge(acknowledgement=row, user=users[0])
    per_unit = {row.unit_name: row for row in selectors.per_unit(document, MONDAY)}
    network = per_unit[org_tree["network"].name]
    assert (network.total, network.done, network.pending, network.rate) == (2, 1, 1, 50)
    assert per_unit[org_tree["roads"].name].done == 0
    late = selectors.totals(document, datetime.date(2026, 3, 10))
    assert late == {"total": 3, "done": 1, "overdue": 2}
    assert selectors.totals_by_target([document], datetime.date(2026, 3, 10))[document.pk][
        "rate"
    ] == round(100 / 3)


def test_my_page_and_the_accept_form(client, document, org_tree, make_user):
    reader = make_user(None, org_tree["network"])
    outsider = make_user(None, org_tree["roads"])
    ask(document, Person.objects.filter(pk=reader.person_id))
    row = Acknowledgement.objects.of(document).get()
    client.force_login(outsider)
    assert "ack-row" not in client.get(reverse("acknowledgements:mine")).content.decode()
    assert (
        client.post(
            reverse("acknowledgements:accept", args=[row.pk]), {"accept": "yes"}
        ).status_code
        == 404
    )
    client.force_login(reader)
    page = client.get(reverse("acknowledgements:mine")).content.decode()
    assert "ack-row" in page and str(document) in page
    # Without the box ticked nothing is recorded.
    client.post(reverse("acknowledgements:accept", args=[row.pk]), {})
    row.refresh_from_db()
    assert row.acknowledged_at is None
    response = client.post(
        reverse("acknowledgements:accept", args=[row.pk]),
        {"accept": "yes", "next": "https://example.com/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("acknowledgements:mine")
    row.refresh_from_db()
    assert row.acknowledged_by == reader


def test_the_api_lists_mine_and_accepts(document, org_tree, make_user):
    reader = make_user(None, org_tree["network"])
    outsider = make_user(None, org_tree["roads"])
    ask(document, Person.objects.filter(pk=reader.person_id))
    row = Acknowledgement.objects.of(document).get()
    api = APIClient()
    api.force_authenticate(outsider)
    assert api.get("/api/v1/acknowledgements/").json()["count"] == 0
    assert (
        api.post(f"/api/v1/acknowledgements/{row.pk}/accept/", {}, format="json").status_code == 404
    )
    api.force_authenticate(reader)
    listed = api.get("/api/v1/acknowledgements/", {"pending": "true"}).json()
    assert listed["count"] == 1 and listed["results"][0]["document"] == str(document)
    answer = api.post(f"/api/v1/acknowledgements/{row.pk}/accept/", {}, format="json")
    assert answer.status_code == 200 and answer.json()["acknowledged_at"]
    again = api.post(f"/api/v1/acknowledgements/{row.pk}/accept/", {}, format="json")
    assert again.status_code == 400 and again["Content-Type"].startswith("application/problem+json")
    assert api.get("/api/v1/acknowledgements/", {"pending": "true"}).json()["count"] == 0


def test_my_list_reads_a_constant_number_of_queries(client, org_tree, make_user):
    reader = make_user(None, org_tree["network"])
    me = Person.objects.filter(pk=reader.person_id)
    client.force_login(reader)
    api = APIClient()
    api.force_authenticate(reader)

    def counts():
        result = []
        for send, url in (
            (client.get, reverse("acknowledgements:mine")),
            (api.get, "/api/v1/acknowledgements/"),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert send(url).status_code == 200
            result.append(len(queries))
        return result

    ask(org_tree["dept"], me, notify=False)
    counts()
    few = counts()
    for name in ("network", "helpdesk", "software", "roads"):
        ask(org_tree[name], me, notify=False)
    assert counts() == few
