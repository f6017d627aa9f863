"""The workflow table (biys.servicedesk.workflow) is what the services, the ticket page, its
action view and the API obey: a reader (the auditor) may do nothing; an action name outside the
table is never run."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from biys.comments.models import Comment
from biys.servicedesk import services, workflow
from biys.servicedesk.api.views import TicketViewSet
from biys.servicedesk.choices import TicketState
from biys.servicedesk.views import tickets as ticket_views

pytestmark = pytest.mark.django_db


def file_ticket(desk):
    return services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title="Yazıcı kağıt sıkıştırıyor",
        created_by=desk.requester,
    )


@pytest.fixture
def resolved(desk):
    ticket = file_ticket(desk)
    services.resolve_ticket(ticket=ticket, user=desk.technician, resolution="Toner değişti.")
    return ticket


@pytest.fixture
def auditors(desk, make_user):
    """An auditor over each unit the ticket touches (requesting and responsible)."""
    return [make_user("auditor", desk.roads), make_user("auditor", desk.tree["dept"])]


def test_the_auditor_may_run_no_action_on_the_page(client, desk, resolved, auditors):
    for auditor in auditors:
        assert workflow.allowed_actions(auditor, resolved) == []
        client.force_login(auditor)
        page = client.get(reverse("servicedesk:ticket", args=[resolved.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="reopen-card"' not in html and "/do/" not in html
        for name, data in [
            ("reopen", {"reopen-reason": "Hâlâ bozuk"}),
            ("comment", {"comment-text": "Denetim notu"}),
            ("reply", {"reply-text": "Denetim yanıtı"}),
        ]:
            url = reverse("servicedesk:ticket_action", args=[resolved.pk, name])
            assert client.post(url, data).status_code == 403, name
            assert client.get(url).status_code == 403, name
    resolved.refresh_from_db()
    assert resolved.state == TicketState.RESOLVED
    assert not Comment.objects.filter(text__startswith="Denetim").exists()


def test_the_auditor_may_run_no_action_through_the_api(desk, resolved, auditors):
    api = APIClient()
    api.force_authenticate(auditors[1])
    url = f"/api/v1/servicedesk/tickets/{resolved.pk}"
    assert api.get(f"{url}/").json()["allowed_actions"] == []
    assert api.post(f"{url}/reopen/", {"reason": "x"}).status_code == 403
    assert api.post(f"{url}/reply/", {"text": "x"}).status_code == 403
    assert api.post(f"{url}/log-time/", {"minutes": 5}).status_code == 403
    resolved.refresh_from_db()
    assert resolved.state == TicketState.RESOLVED


def test_the_services_refuse_the_auditor(desk, resolved, auditors):
    with pytest.raises(PermissionDenied):
        services.reopen_ticket(ticket=resolved, user=auditors[0], reason="x")
    with pytest.raises(PermissionDenied):
        services.add_reply(ticket=resolved, user=auditors[1], text="x")


def test_requester_and_manager_get_their_actions_and_no_more(desk, resolved):
    assert workflow.allowed_actions(desk.requester, resolved) == [
        "reply",
        "attach",
        "reopen",
        "rate",
        "close",
    ]
    assert workflow.allowed_actions(desk.roads_chief, resolved) == ["reply", "attach", "reopen"]
    assert "resolve" not in workflow.allowed_actions(desk.technician, resolved)


def test_no_messages_on_a_cancelled_ticket(client, desk):
    ticket = file_ticket(desk)
    services.cancel_ticket(ticket=ticket, user=desk.requester, reason="Vazgeçtim")
    with pytest.raises(ValidationError):
        services.add_reply(ticket=ticket, user=desk.requester, text="Bir şey daha")
    client.force_login(desk.requester)
    url = reverse("servicedesk:ticket_action", args=[ticket.pk, "comment"])
    assert client.post(url, {"comment-text": "Bir şey daha"}).status_code == 400
    assert not Comment.objects.filter(text="Bir şey daha").exists()


def test_every_page_and_api_action_is_in_the_table():
    for name in ticket_views.ACTIONS:
        assert ticket_views.WORKFLOW_NAME.get(name, name) in workflow.TRANSITIONS, name
        assert name in ticket_views.PAGE_ORDER, name
    from biys.servicedesk.api.views import WORKFLOW_ACTIONS

    writing = {
        extra.__name__ for extra in TicketViewSet.get_extra_actions() if "post" in extra.mapping
    }
    assert writing <= set(WORKFLOW_ACTIONS), writing - set(WORKFLOW_ACTIONS)
    assert set(WORKFLOW_ACTIONS.values()) <= set(workflow.TRANSITIONS)


def test_the_documented_table_names_every_action():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "roles-and-permissions.md").read_text()
    for name in workflow.TRANSITIONS:
        assert f"`{name}`" in doc, name
