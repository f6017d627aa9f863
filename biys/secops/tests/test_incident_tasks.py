"""Responders' tasks on an incident (assignee, due, state) and the incident report with its
tasks and its personal-data breach."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from biys.secops import services
from biys.secops.models import IncidentEvent, IncidentTask
from biys.secops.tests.factories import make_breach, make_incident

pytestmark = pytest.mark.django_db


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_task_for_a_responder_who_sees_the_incident(member, lead, make_user, org_tree):
    incident = make_incident(org_tree["dept"])
    due = timezone.now() + timedelta(hours=4)
    task = services.add_task(
        user=lead, incident=incident, title="Güvenlik duvarı kayıtlarını topla",
        assignee=member, due=due,
    )  # fmt: skip
    assert task.state == "open" and task.assignee == member and task.created_by == lead
    assert IncidentEvent.objects.filter(
        incident=incident, text__contains="Güvenlik duvarı"
    ).exists()
    stranger = make_user("technician", org_tree["network"])
    with pytest.raises(ValidationError) as error:
        services.add_task(user=lead, incident=incident, title="x", assignee=stranger)
    assert "assignee" in error.value.message_dict
    incident.named_people.add(stranger)  # named on it: may be given a task
    services.add_task(user=lead, incident=incident, title="Sunucuyu ağdan ayır",
                      assignee=stranger)  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.add_task(
            user=lead, incident=incident, title=" ",
            due=incident.detected_at - timedelta(days=1),
        )  # fmt: skip
    assert set(error.value.message_dict) == {"title", "due"}
    with pytest.raises(PermissionDenied):
        services.add_task(user=make_user("auditor", org_tree["dept"]), incident=incident,
                          title="x")  # fmt: skip
    assert IncidentTask.objects.count() == 2


def test_the_assignee_starts_and_finishes_and_the_team_cancels_and_reopens(
    lead, make_user, org_tree
):
    incident = make_incident(org_tree["dept"])
    outsider = make_user("auditor", org_tree["roads"])
    named = make_user("technician", org_tree["roads"])
    incident.named_people.add(named)
    task = services.add_task(user=lead, incident=incident, title="Kayıtları topla",
                             assignee=named)  # fmt: skip
    task.incident = incident
    assert services.task_actions(named, task) == ["start", "done"]
    services.change_task(user=named, task=task, action="start")
    with pytest.raises(PermissionDenied):
        services.change_task(user=named, task=task, action="cancel")
    with pytest.raises(PermissionDenied):
        services.change_task(user=outsider, task=task, action="done")
    done = services.change_task(user=named, task=task, action="done", note="Toplandı.")
    assert done.state == "done" and done.done_at is not None and "Toplandı." in done.note
    assert (
        IncidentEvent.objects.filter(incident=incident, text__contains="Kayıtları topla").count()
        == 2
    )
    with pytest.raises(ValidationError):
        services.change_task(user=lead, task=task, action="start")
    reopened = services.change_task(user=lead, task=task, action="reopen")
    assert reopened.state == "open" and reopened.done_at is None


def test_the_page_adds_a_task_and_the_assignee_finishes_it(member, lead, make_user, org_tree):
    incident = make_incident(org_tree["dept"])
    client = page_client(lead)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert 'id="task-form"' in page
    due = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("secops:incident_action", args=[incident.pk, "task"])
    response = client.post(url, {"task-title": "İmajı al", "task-assignee": member.pk,
                                 "task-due": due})  # fmt: skip
    assert response.status_code == 302
    task = IncidentTask.objects.get()
    refused = client.post(url, {"task-title": ""})
    assert refused.status_code == 400 and IncidentTask.objects.count() == 1
    mine = page_client(member)
    assert "İmajı al" in mine.get(reverse("secops:my_tasks")).content.decode()
    step = reverse("secops:incident_task_step", args=[incident.pk, task.pk, "done"])
    assert mine.post(step).status_code == 302
    task.refresh_from_db()
    assert task.state == "done"
    assert "İmajı al" not in mine.get(reverse("secops:my_tasks")).content.decode()
    technician = page_client(make_user("technician", org_tree["dept"]))
    assert technician.post(step).status_code == 404
    auditor = page_client(make_user("auditor", org_tree["dept"]))
    reopen = reverse("secops:incident_task_step", args=[incident.pk, task.pk, "reopen"])
    assert auditor.post(reopen).status_code == 403


def test_the_api_adds_and_moves_tasks(member, lead, make_user, org_tree):
    incident = make_incident(org_tree["dept"])
    api = APIClient()
    api.force_authenticate(lead)
    url = f"/api/v1/secops/incidents/{incident.pk}/tasks/"
    body = api.post(url, {"title": "Parolaları sıfırla", "assignee": member.pk}, format="json")
    assert body.status_code == 200, body.content
    task = body.json()["tasks"][0]
    assert task["assignee"] == member.pk and task["state"] == "open"
    refused = api.post(url, {"title": "x", "assignee": make_user("chief", org_tree["roads"]).pk},
                       format="json")  # fmt: skip
    assert refused.status_code == 400 and "assignee" in refused.json()["errors"]
    api.force_authenticate(member)
    moved = api.post(f"{url}{task['id']}/", {"action": "done"}, format="json")
    assert moved.status_code == 200 and moved.json()["tasks"][0]["state"] == "done"
    api.force_authenticate(make_user("auditor", org_tree["dept"]))
    assert api.post(f"{url}{task['id']}/", {"action": "reopen"}, format="json").status_code == 403


def test_the_report_shows_the_tasks_and_the_breach(member, org_tree):
    from pypdf import PdfReader

    incident = make_incident(org_tree["dept"], personal_data=True)
    services.add_task(user=member, incident=incident, title="Etkilenen kişileri belirle",
                      assignee=member)  # fmt: skip
    url = reverse("secops:incident_report", args=[incident.pk])

    def text():
        content = page_client(member).get(url).content
        pages = PdfReader(io.BytesIO(content)).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())

    before = text()
    assert "Etkilenen kişileri belirle" in before and "Kişisel veri ihlali" in before
    make_breach(org_tree["dept"], incident=incident, subjects_affected=1250,
                measures="Hesap kapatıldı, parolalar sıfırlandı.")  # fmt: skip
    after = text()
    assert "1250" in after and "Hesap kapatıldı" in after and "Kimlik, iletişim" in after
