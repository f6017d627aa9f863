"""Awareness training: sessions and their attendees, who has not been trained in the last
twelve months per unit and by name (kocaeli MADDE 4 (y)), its CSV for Turkish Excel; who may
do what; the API; lists with a constant number of queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from biys.bgys import training_selectors as selectors
from biys.bgys import training_services as services
from biys.bgys.models import TrainingAttendance, TrainingSession
from biys.bgys.tests.factories import make_training_session
from biys.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def test_attendance_and_who_is_not_trained(manager, make_user, org_tree):
    staff = [make_user(None, org_tree[name]).person for name in ("network", "network", "helpdesk")]
    recent = services.save_session(
        session=TrainingSession(unit=org_tree["network"], title=" Oltalama ", held_on=days_ago(30)),
        user=manager,
    )
    assert recent.title == "Oltalama"
    old = make_training_session(org_tree["network"], held_on=days_ago(400))
    assert services.record_attendance(session=recent, people=staff[:1], user=manager) == 1
    assert services.record_attendance(session=recent, people=staff[:1], user=manager) == 0
    services.record_attendance(session=old, people=staff[1:2], user=manager)

    per_unit = {row.unit_id: row for row in selectors.per_unit(manager)}
    network = per_unit[org_tree["network"].pk]
    # The network branch: the manager's own person is not (the manager works in the network).
    assert network.trained == 1 and network.untrained == network.total - 1
    names = list(selectors.untrained(manager))
    assert staff[0] not in names and staff[1] in names and staff[2] in names
    last = {person.pk: person.last_trained_on for person in names}
    assert last[staff[1].pk] == days_ago(400) and last[staff[2].pk] is None
    # Those who left are not counted.
    Person.objects.filter(pk=staff[2].pk).update(status="left")
    assert staff[2] not in list(selectors.untrained(manager))

    # A session is recorded once held.
    coming = make_training_session(org_tree["network"], held_on=days_ago(-3))
    with pytest.raises(ValidationError, match="held"):
        services.record_attendance(session=coming, people=staff[:1], user=manager)


def test_who_may_record(manager, member, make_user, org_tree):
    chief = make_user("chief", org_tree["network"])
    person = make_user(None, org_tree["network"]).person
    session = make_training_session(org_tree["network"], held_on=days_ago(5))
    assert services.record_attendance(session=session, people=[person], user=member) == 1
    with pytest.raises(PermissionDenied):
        services.record_attendance(session=session, people=[person], user=chief)
    with pytest.raises(PermissionDenied):
        services.save_session(
            session=TrainingSession(unit=org_tree["network"], title="X", held_on=days_ago(1)),
            user=chief,
        )
    outside = make_user("bgys_manager", org_tree["roads"])
    with pytest.raises(PermissionDenied):
        services.record_attendance(session=session, people=[person], user=outside)
    # The compliance of units outside one's scope is not shown.
    assert org_tree["network"].pk not in {row.unit_id for row in selectors.per_unit(outside)}


def test_the_pages_and_the_csv(client, manager, make_user, org_tree):
    trained = make_user(None, org_tree["network"]).person
    untrained = make_user(None, org_tree["helpdesk"]).person
    session = make_training_session(org_tree["network"], held_on=days_ago(10))
    client.force_login(manager)
    response = client.post(
        reverse("bgys:training_attendees", args=[session.pk]), {"people": [trained.pk]}
    )
    assert response.status_code == 302
    assert TrainingAttendance.objects.filter(session=session, person=trained).exists()
    tab = client.get(session.get_absolute_url(), {"tab": "attendees"}).content.decode()
    assert str(trained) in tab
    page = client.get(reverse("bgys:training_compliance")).content.decode()
    assert 'data-testid="training-per-unit"' in page and str(untrained) in page
    one_unit = client.get(reverse("bgys:training_compliance"), {"unit": org_tree["helpdesk"].pk})
    assert str(trained) not in one_unit.content.decode().split("training-untrained")[1]
    with translation.override("tr"):
        csv = client.get(reverse("bgys:training_compliance_csv"))
    body = b"".join(csv.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff") and ";" in body.splitlines()[0]
    assert str(untrained) in body and str(trained) not in body

    client.force_login(make_user(None, org_tree["network"]))
    assert client.get(reverse("bgys:training_compliance")).status_code == 403
    assert client.get(reverse("bgys:training_compliance_csv")).status_code == 403
    assert (
        client.post(
            reverse("bgys:training_attendees", args=[session.pk]), {"people": [trained.pk]}
        ).status_code
        == 404
    )


def test_the_api(manager, member, make_user, org_tree):
    person = make_user(None, org_tree["network"]).person
    api = api_client(member)
    answer = api.post(
        "/api/v1/bgys/training-sessions/",
        {"unit": org_tree["network"].pk, "title": "Parola güvenliği",
         "held_on": str(days_ago(2)), "duration_minutes": 45},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    bad = api.post(
        "/api/v1/bgys/training-sessions/",
        {"unit": org_tree["network"].pk, "title": "X", "held_on": str(days_ago(2)),
         "duration_minutes": 1},
        format="json",
    )  # fmt: skip
    assert bad.status_code == 400
    attended = api.post(
        "/api/v1/bgys/training-attendance/",
        {"session": answer.json()["id"], "person": person.pk, "quiz_score": 85},
        format="json",
    )
    assert attended.status_code == 201, attended.content
    too_high = api.post(
        "/api/v1/bgys/training-attendance/",
        {"session": answer.json()["id"], "person": manager.person_id, "quiz_score": 120},
        format="json",
    )
    assert too_high.status_code == 400
    compliance = api_client(manager).get("/api/v1/bgys/training-sessions/compliance/").json()
    network = next(row for row in compliance["units"] if row["unit"] == org_tree["network"].pk)
    assert network["trained"] == 1
    outsider = api_client(make_user(None, org_tree["roads"]))
    assert outsider.get("/api/v1/bgys/training-sessions/compliance/").status_code == 403


def test_lists_read_a_constant_number_of_queries(client, manager, make_user, org_tree):
    client.force_login(manager)
    api = api_client(manager)
    urls = [reverse("bgys:trainingsession_list"), reverse("bgys:trainingattendance_list"),
            reverse("bgys:training_compliance")]  # fmt: skip
    api_urls = ["/api/v1/bgys/training-sessions/", "/api/v1/bgys/training-attendance/"]

    def add():
        session = make_training_session(org_tree["network"], held_on=days_ago(3))
        people = [make_user(None, org_tree["network"]).person for _ in range(2)]
        services.record_attendance(session=session, people=people, user=manager)
        make_user(None, org_tree["helpdesk"])
        return session

    def counts(session):
        result = []
        for url in [*urls, session.get_absolute_url() + "?tab=attendees"]:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            result.append(len(queries))
        for url in api_urls:
            with CaptureQueriesContext(connection) as queries:
                assert api.get(url).status_code == 200, url
            result.append(len(queries))
        return result

    session = add()
    counts(session)
    few = counts(session)
    for _ in range(4):
        add()
    assert counts(session) == few
