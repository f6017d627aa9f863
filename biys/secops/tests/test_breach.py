"""Personal-data breaches (KVKK) on their incidents: one record per personal-data incident, the
KVKK clock being the incident's own (one definition), the Board's notification recorded as
the incident's notification, and who sees and keeps the record (the KVKK contact person
without the rest of the incident)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from biys.secops import selectors, services
from biys.secops.choices import RuleCondition
from biys.secops.models import Breach, Notification, NotificationRule
from biys.secops.tests.factories import make_breach, make_incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_rule(db):
    rule, _created = NotificationRule.objects.get_or_create(
        applies_when=RuleCondition.PERSONAL_DATA,
        defaults={"authority": "KVKK Kurulu", "name": "İhlal bildirimi", "hours": 72,
                  "source": "Kurul kararı 2019/10"},
    )  # fmt: skip
    return rule


@pytest.fixture
def contact(make_user, org_tree):
    return make_user("kvkk_contact", org_tree["dept"])


def client_for(user, api=False):
    client = APIClient() if api else Client()
    client.force_login(user) if not api else client.force_authenticate(user)
    return client


def breach_values(**extra):
    return {
        "data_categories": "Kimlik, iletişim",
        "subject_groups": "Başvuru sahipleri",
        "subjects_affected": 250,
        "records_affected": 400,
        "consequences": "Kimlik avı riski",
        "measures": "Parolalar sıfırlandı",
        **extra,
    }


def test_a_breach_is_recorded_once_on_a_personal_data_incident(contact, org_tree, board_rule):
    incident = make_incident(org_tree["dept"], personal_data=True)
    breach = services.record_breach(user=contact, incident=incident, **breach_values())
    assert breach.recorded_by == contact
    assert incident.events.filter(text__contains="KVKK").exists()
    with pytest.raises(ValidationError):
        services.record_breach(user=contact, incident=incident, **breach_values())
    other = make_incident(org_tree["dept"])
    with pytest.raises(ValidationError) as error:
        services.record_breach(user=contact, incident=other, **breach_values())
    assert "incident" in error.value.message_dict
    assert Breach.objects.count() == 1


def test_the_clock_is_the_incidents_own(contact, org_tree, board_rule):
    detected = timezone.now() - timedelta(hours=80)
    incident = make_incident(org_tree["dept"], personal_data=True, detected_at=detected)
    breach = services.record_breach(user=contact, incident=incident, **breach_values())
    clock = selectors.board_clock(incident)
    assert clock.rule == board_rule and clock.deadline == detected + timedelta(hours=72)
    assert clock.is_late()
    services.notify_board(
        user=contact,
        breach=breach,
        sent_at=timezone.now() - timedelta(hours=1),
        content="Veri ihlali bildirim formu",
        reference="KVKK-IHL-1",
    )
    notification = Notification.objects.get()
    assert notification.incident == incident and notification.rule == board_rule
    clock = selectors.board_clock(incident)
    assert clock.done and clock.on_time is False  # the incident's clocks show the same
    assert next(c for c in selectors.clocks(incident) if c.rule == board_rule).done


def test_breach_checks(contact, org_tree, board_rule):
    incident = make_incident(org_tree["dept"], personal_data=True)
    with pytest.raises(ValidationError) as error:
        services.record_breach(
            user=contact,
            incident=incident,
            **breach_values(
                data_categories="",
                subjects_notified_at=incident.detected_at - timedelta(days=1),
            ),
        )
    assert {"data_categories", "subjects_notified_at"} <= set(error.value.message_dict)
    breach = services.record_breach(user=contact, incident=incident, **breach_values())
    with pytest.raises(ValidationError) as error:
        services.update_breach(user=contact, breach=breach, subjects_notified_at=timezone.now())
    assert "subjects_notification" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.notify_board(user=contact, breach=breach, sent_at=timezone.now(), content="")


def test_who_keeps_and_who_sees_a_breach(contact, org_tree, make_user, board_rule):
    breach = make_breach(org_tree["dept"])
    member = make_user("some_member", org_tree["dept"])
    head = make_user("department_head", org_tree["dept"])
    chief = make_user("chief", org_tree["dept"])
    auditor = make_user("auditor", org_tree["dept"])
    for user in (contact, member, auditor):
        assert list(selectors.breaches_for(user)) == [breach]
    for user in (head, chief):
        assert not selectors.breaches_for(user).exists()
    # The KVKK contact person keeps the breach but does not see the incident's work.
    assert not selectors.incidents_for(contact).exists()
    services.update_breach(user=contact, breach=breach, measures="Erişim kapatıldı")
    for user in (auditor, chief):
        with pytest.raises(PermissionDenied):
            services.update_breach(user=user, breach=breach, measures="x")
    page = client_for(contact).get(breach.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert breach.incident.number in text and breach.incident.get_absolute_url() not in text
    assert client_for(contact).get(breach.incident.get_absolute_url()).status_code == 404
    assert client_for(chief).get(breach.get_absolute_url()).status_code == 404


def test_the_pages(contact, org_tree, board_rule, make_user):
    incident = make_incident(org_tree["dept"], personal_data=True)
    lead = make_user("some_lead", org_tree["dept"])
    page = client_for(lead).get(incident.get_absolute_url()).content.decode()
    assert 'id="incident-breach-add"' in page
    client = client_for(contact)
    add = reverse("secops:breach_add", args=[incident.pk])
    refused = client.post(add, {"data_categories": ""})
    assert refused.status_code == 200 and not Breach.objects.exists()  # the form, its errors
    response = client.post(
        add, {"data_categories": "Kimlik", "subject_groups": "Vatandaş", "subjects_affected": 3}
    )
    assert response.status_code == 302
    breach = Breach.objects.get()
    assert client.get(add).status_code == 404  # one per incident
    notify = reverse("secops:breach_notify_board", args=[breach.pk])
    assert client.post(notify, {"board-content": ""}).status_code == 400
    sent = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        notify, {"board-sent_at": sent, "board-content": "Form gönderildi", "board-reference": "1"}
    )
    assert response.status_code == 302
    page = client.get(breach.get_absolute_url()).content.decode()
    assert "Form gönderildi" in page and 'data-done="1"' in page
    assert (
        client_for(lead).get(incident.get_absolute_url()).content.decode().count("incident-breach")
    )
    assert client.get(reverse("secops:breach_list")).status_code == 200
    chief = make_user("chief", org_tree["dept"])
    assert client_for(chief).post(add).status_code == 404
    assert client_for(chief).post(notify, {}).status_code == 404


def test_the_api(contact, org_tree, board_rule, make_user):
    incident = make_incident(org_tree["dept"], personal_data=True)
    client = client_for(contact, api=True)
    url = reverse("breach-list")
    response = client.post(url, {"incident": incident.pk, **breach_values()}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["board_clock"]["authority"] == "KVKK Kurulu" and body["board_clock"]["sent_at"] is None
    )
    again = client.post(url, {"incident": incident.pk, **breach_values()}, format="json")
    assert again.status_code == 400
    detail = reverse("breach-detail", args=[body["id"]])
    assert client.patch(detail, {"measures": "Yeni"}, format="json").status_code == 200
    notify = reverse("breach-notify-board", args=[body["id"]])
    response = client.post(
        notify, {"sent_at": timezone.now().isoformat(), "content": "Bildirildi"}, format="json"
    )
    assert response.status_code == 200 and response.json()["board_clock"]["sent_at"]
    auditor = make_user("auditor", org_tree["dept"])
    assert client_for(auditor, api=True).get(detail).status_code == 200
    assert (
        client_for(auditor, api=True).patch(detail, {"measures": "x"}, format="json").status_code
        == 403
    )
    chief = make_user("chief", org_tree["dept"])
    assert client_for(chief, api=True).get(detail).status_code == 404


def test_the_breach_list_reads_in_the_same_queries_whatever_its_length(contact, org_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(contact)
    api = client_for(contact, api=True)
    urls = [(client, reverse("secops:breach_list")), (api, reverse("breach-list"))]

    def counts():
        result = []
        for who, url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert who.get(url).status_code == 200
            result.append(len(queries))
        return result

    make_breach(org_tree["dept"])
    counts()  # caches filled once per process
    few = counts()
    for _n in range(6):
        make_breach(org_tree["network"])
    assert counts() == few
