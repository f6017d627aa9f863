"""The incident register: numbering, the state steps, the timeline, indicators deduplicated
across incidents, the notification clocks, evidence with its custody log, the escalation of a
service-desk ticket, and who sees what."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from biys.secops import selectors, services
from biys.secops.choices import Classification, IncidentState, Severity
from biys.secops.models import CustodyEntry, Incident, Indicator, NotificationRule

pytestmark = pytest.mark.django_db


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_incident(user, unit, **fields):
    values = {
        "title": "Web sunucusunda web shell",
        "source": "report",
        "detected_at": timezone.now() - timedelta(hours=1),
        "classification": Classification.MALWARE,
        "severity": Severity.HIGH,
    }
    values.update(fields)
    return services.create_incident(user=user, unit=unit, **values)


def test_numbers_are_yearly_and_the_detection_opens_the_timeline(member, org_tree):
    first = new_incident(member, org_tree["dept"])
    second = new_incident(member, org_tree["dept"])
    year = timezone.localtime(first.detected_at).year
    assert first.number == f"SOME-{year}-0001" and second.number == f"SOME-{year}-0002"
    assert first.state == IncidentState.OPEN
    assert first.events.count() == 1


def test_a_monitoring_incident_needs_its_ticket(member, org_tree):
    with pytest.raises(ValidationError) as error:
        new_incident(member, org_tree["dept"], source="monitoring")
    assert "ticket" in error.value.message_dict
    with pytest.raises(ValidationError):
        new_incident(member, org_tree["dept"], detected_at=timezone.now() + timedelta(days=1))
    assert not Incident.objects.exists()


def test_states_need_their_text_and_write_the_timeline(member, org_tree):
    incident = new_incident(member, org_tree["dept"])
    with pytest.raises(ValidationError) as error:
        services.change_incident_state(user=member, incident=incident, action="contain")
    assert "containment" in error.value.message_dict
    incident = services.update_incident(
        user=member, incident=incident, containment="Sunucu ağdan ayrıldı.",
        recovery="Yedekten kuruldu.", lessons="WAF kuralı eklendi.",
    )  # fmt: skip
    for action, state in (("contain", "contained"), ("recover", "recovered"), ("close", "closed")):
        incident = services.change_incident_state(user=member, incident=incident, action=action)
        assert incident.state == state
    assert incident.closed_at is not None
    with pytest.raises(ValidationError):
        services.change_incident_state(user=member, incident=incident, action="close")
    with pytest.raises(ValidationError):
        services.change_incident_state(user=member, incident=incident, action="reopen")
    incident = services.change_incident_state(
        user=member, incident=incident, action="reopen", note="Yeniden görüldü."
    )
    assert incident.state == "open" and incident.closed_at is None
    assert incident.events.count() == 5


def test_indicators_are_one_row_across_incidents(member, org_tree):
    one = new_incident(member, org_tree["dept"])
    two = new_incident(member, org_tree["dept"])
    services.add_indicator(user=member, incident=one, kind="ip", value=" 203.0.113.7 ")
    services.add_indicator(user=member, incident=two, kind="ip", value="203.0.113.7")
    services.add_indicator(user=member, incident=two, kind="ip", value="203.0.113.7")
    services.add_indicator(user=member, incident=one, kind="domain", value="Kotu.Example.COM.")
    services.add_indicator(user=member, incident=two, kind="domain", value="kotu.example.com")
    assert Indicator.objects.count() == 2
    assert Indicator.objects.get(kind="ip").incidents.count() == 2
    for kind, value in (("ip", "999.1.1.1"), ("hash", "xyz"), ("email", "a@"), ("url", "x")):
        with pytest.raises(ValidationError):
            services.add_indicator(user=member, incident=one, kind=kind, value=value)
    page = page_client(member).get(two.get_absolute_url()).content.decode()
    assert 'data-seen="2"' in page


def test_the_kvkk_clock_runs_only_for_personal_data(member, org_tree):
    detected = timezone.now() - timedelta(hours=80)
    plain = new_incident(member, org_tree["dept"], detected_at=detected)
    breach = new_incident(
        member, org_tree["dept"], detected_at=detected, personal_data=True,
        classification=Classification.DATA_BREACH,
    )  # fmt: skip
    kvkk = NotificationRule.objects.get(hours=72)
    usom = NotificationRule.objects.get(hours=24)
    assert [clock.rule for clock in selectors.clocks(plain)] == [usom]
    clocks = selectors.clocks(breach)
    assert [clock.rule for clock in clocks] == [usom, kvkk]
    assert clocks[1].deadline == detected + timedelta(hours=72)
    assert clocks[1].is_late()
    services.record_notification(
        user=member, incident=breach, rule=usom, sent_at=detected + timedelta(hours=3),
        content="USOM bildirim formu gönderildi.", reference="USOM-1",
    )  # fmt: skip
    clocks = selectors.clocks(breach)
    assert clocks[0].done and clocks[0].on_time and not clocks[0].is_late()
    with pytest.raises(ValidationError) as error:
        services.record_notification(
            user=member, incident=breach, rule=kvkk, sent_at=detected - timedelta(hours=1),
            content="x",
        )  # fmt: skip
    assert "sent_at" in error.value.message_dict
    page = page_client(member).get(breach.get_absolute_url()).content.decode()
    assert f'data-rule="{kvkk.pk}" data-late="1" data-done="0"' in page


def test_evidence_keeps_its_hash_and_custody(member, org_tree):
    incident = new_incident(member, org_tree["dept"])
    content = b"MZ\x90\x00 not really a program"
    evidence = services.add_evidence(
        user=member, incident=incident, file=ContentFile(content, name="shell.php")
    )
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    client = page_client(member)
    response = client.get(reverse("secops:evidence_download", args=[incident.pk, evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    actions = list(CustodyEntry.objects.values_list("action", flat=True))
    assert actions == ["added", "downloaded"]


def test_who_sees_incidents(member, make_user, org_tree):
    incident = new_incident(member, org_tree["dept"])
    url = incident.get_absolute_url()
    auditor = make_user("auditor", org_tree["dept"])
    technician = make_user("technician", org_tree["dept"])
    chief = make_user("chief", org_tree["dept"])
    head = make_user("department_head", org_tree["dept"])
    named = make_user("requester", org_tree["dept"])
    assert page_client(auditor).get(url).status_code == 200
    for user in (technician, chief, head, named):
        assert page_client(user).get(url).status_code == 404, user
    incident.named_people.add(named)
    assert page_client(named).get(url).status_code == 200
    with pytest.raises(PermissionDenied):
        services.add_event(user=auditor, incident=incident, text="x")
    response = page_client(auditor).post(
        reverse("secops:incident_action", args=[incident.pk, "event"]), {"event-text": "x"}
    )
    assert response.status_code == 403
    api = APIClient()
    api.force_authenticate(technician)
    assert api.get(reverse("incident-detail", args=[incident.pk])).status_code == 404


def test_the_page_actions(member, org_tree):
    incident = new_incident(member, org_tree["dept"])
    client = page_client(member)

    def act(action, data):
        return client.post(reverse("secops:incident_action", args=[incident.pk, action]), data)

    assert act("event", {"event-text": "Log incelendi."}).status_code == 302
    assert (
        act("indicator", {"indicator-kind": "hash", "indicator-value": "a" * 64}).status_code == 302
    )
    bad = act("indicator", {"indicator-kind": "ip", "indicator-value": "nope"})
    assert bad.status_code == 400 and bad.context["form"].errors.get("value")
    usom = NotificationRule.objects.get(hours=24)
    sent = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = act("notification", {"notification-rule": usom.pk, "notification-sent_at": sent,
                                     "notification-content": "Form gönderildi."})  # fmt: skip
    assert response.status_code == 302
    assert act("contain", {}).status_code == 400  # no containment steps yet
    assert incident.notifications.count() == 1 and incident.indicators.count() == 1


def test_escalating_a_ticket(member, org_tree):
    from biys.comments.models import Comment
    from biys.servicedesk.tests.factories import make_ticket_in

    ticket = make_ticket_in(org_tree["helpdesk"], title="Zabbix: olağan dışı trafik")
    client = page_client(member)
    response = client.post(
        reverse("secops:incident_escalate"),
        {"ticket_number": ticket.number, "unit": org_tree["dept"].pk, "classification": "dos",
         "severity": Severity.HIGH},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    incident = Incident.objects.get()
    assert incident.ticket == ticket and incident.source == "monitoring"
    assert incident.title == ticket.title
    note = Comment.objects.get(object_id=str(ticket.pk))
    assert incident.number in note.text and note.is_internal
    again = client.post(
        reverse("secops:incident_escalate"),
        {"ticket_number": ticket.number, "unit": org_tree["dept"].pk, "classification": "dos",
         "severity": Severity.HIGH},
    )  # fmt: skip
    assert again.status_code == 400 and Incident.objects.count() == 1


def test_a_ticket_of_another_unit_is_not_escalated(make_user, org_tree):
    """The SOME of one unit cannot make an incident of a ticket another unit handles (it would
    read its title and write a note on it): the ticket is not found for them, as one that does
    not exist; the SOME over the ticket's unit escalates it."""
    from biys.comments.models import Comment
    from biys.servicedesk.tests.factories import make_ticket_in

    ticket = make_ticket_in(org_tree["helpdesk"], title="Zabbix: olağan dışı trafik")
    body = {"ticket_number": ticket.number, "classification": "dos", "severity": Severity.HIGH}
    for role in ("some_member", "some_lead"):
        outsider = make_user(role, org_tree["roads"])
        response = page_client(outsider).post(
            reverse("secops:incident_escalate"), {**body, "unit": org_tree["roads"].pk}
        )
        assert response.status_code == 400, role
        assert "ticket_number" in response.context["form"].errors, role
        assert not Incident.objects.exists()
        assert not Comment.objects.filter(object_id=str(ticket.pk)).exists()
        with pytest.raises(ValidationError):
            services.escalate_ticket(
                user=outsider, ticket=ticket, unit=org_tree["roads"], classification="dos",
                severity=Severity.HIGH,
            )  # fmt: skip
    inside = page_client(make_user("some_member", org_tree["network"]))
    response = inside.post(
        reverse("secops:incident_escalate"), {**body, "unit": org_tree["network"].pk}
    )
    assert response.status_code == 302 and Incident.objects.get().ticket == ticket


def test_the_api(member, org_tree):
    api = APIClient()
    api.force_authenticate(member)
    response = api.post(
        reverse("incident-list"),
        {"unit": org_tree["dept"].pk, "title": "Oltalama", "source": "report",
         "detected_at": (timezone.now() - timedelta(hours=1)).isoformat(),
         "classification": "phishing", "severity": Severity.MEDIUM, "personal_data": True},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert len(response.json()["clocks"]) == 2
    response = api.post(
        reverse("incident-indicators", args=[pk]),
        {"kind": "email", "value": "Sahte@Example.com"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["indicators"][0]["value"] == "sahte@example.com"
    refused = api.post(reverse("incident-close", args=[pk]), {}, format="json")
    assert refused.status_code == 400


def test_the_report_is_a_turkish_pdf(member, make_user, org_tree):
    import io

    from pypdf import PdfReader

    incident = new_incident(member, org_tree["dept"], personal_data=True)
    services.add_indicator(user=member, incident=incident, kind="ip", value="192.0.2.5")
    url = reverse("secops:incident_report", args=[incident.pk])
    response = page_client(member).get(url)
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert incident.number in text and "192.0.2.5" in text and "KVKK Kurulu" in text
    assert "Siber güvenlik olay raporu" in text
    assert page_client(make_user("technician", org_tree["dept"])).get(url).status_code == 404
