"""Ticket notifications end to end: the services emit events in their transaction, notify.py picks the
people, the outbox delivers to a real SMTP server on loopback."""

# ruff: noqa: F811  (pytest fixtures shared from mailserver.py are imported, then requested)
import email
import email.policy

import pytest
from django.utils import translation

from biys.notifications.models import Notification
from biys.servicedesk import services
from biys.servicedesk.choices import HoldReason
from biys.servicedesk.notify import MESSAGES, notify_ticket_event
from biys.servicedesk.tests.mailserver import mail_desk, smtp_server, smtp_settings  # noqa: F401

pytestmark = pytest.mark.django_db


def received(smtp_server):
    """[(recipient, subject, message)] of everything the SMTP server accepted, then forget it."""
    mails = []
    for envelope in smtp_server.envelopes:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        for recipient in envelope.rcpt_tos:
            mails.append((recipient, message["Subject"].strip(), message))
    smtp_server.envelopes.clear()
    return mails


def expected_subject(ticket, event, audience) -> str:
    with translation.override("tr"):
        return f"[{ticket.number}] {MESSAGES[(event, audience)].subject % {'title': ticket.title}}"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run a service call as if its transaction committed: events fire, the outbox delivers."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def phoned_in(mail_desk, run_on_commit, smtp_server):
    """A ticket a technician filed for the caller over the phone."""
    ticket = run_on_commit(
        services.create_ticket,
        catalog_item=mail_desk.item,
        requester=mail_desk.requester.person,
        title="Yazıcı kağıt sıkıştırıyor",
        description="3. kat, oda 12",
        created_by=mail_desk.technician,
    )
    return ticket


def test_new_ticket_tells_the_requester_and_the_queue_but_not_the_filer(
    mail_desk, phoned_in, smtp_server
):
    mails = received(smtp_server)
    assert sorted((to, subject) for to, subject, _ in mails) == sorted(
        [
            (mail_desk.requester.email, expected_subject(phoned_in, "created", "requester")),
            (mail_desk.colleague.email, expected_subject(phoned_in, "created", "queue")),
        ]
    )
    (requester_mail,) = [message for to, _, message in mails if to == mail_desk.requester.email]
    assert requester_mail["Subject"].strip().startswith(f"[{phoned_in.number}] ")
    text = requester_mail.get_body(preferencelist=("plain",)).get_content()
    html = requester_mail.get_body(preferencelist=("html",)).get_content()
    assert phoned_in.number in text and "Yazıcı kağıt sıkıştırıyor" in text
    assert f"[{phoned_in.number}]" in text  # how to reply so the answer threads back
    assert "<html" in html and phoned_in.number in html
    # The filer (the actor) hears nothing; everyone told also has an in-app notification.
    assert not Notification.objects.filter(recipient=mail_desk.technician).exists()
    assert Notification.objects.filter(recipient=mail_desk.requester).count() == 1


def test_approval_goes_to_the_requesters_manager_then_back(mail_desk, run_on_commit, smtp_server):
    mail_desk.item.requires_approval = True
    mail_desk.item.save()
    ticket = run_on_commit(
        services.create_ticket,
        catalog_item=mail_desk.item,
        requester=mail_desk.requester.person,
        title="EBYS yetkisi",
        created_by=mail_desk.requester,
    )
    # The requester filed it (no mail to the actor); the queue does not see it before approval.
    assert [(to, subject) for to, subject, _ in received(smtp_server)] == [
        (mail_desk.roads_manager.email, expected_subject(ticket, "approval_requested", "approver"))
    ]

    run_on_commit(services.approve_ticket, ticket=ticket, user=mail_desk.roads_manager)
    assert sorted((to, subject) for to, subject, _ in received(smtp_server)) == sorted(
        [
            (mail_desk.requester.email, expected_subject(ticket, "approved", "requester")),
            (mail_desk.technician.email, expected_subject(ticket, "approved", "queue")),
            (mail_desk.colleague.email, expected_subject(ticket, "approved", "queue")),
        ]
    )


def test_replies_assignment_hold_and_resolution(mail_desk, phoned_in, run_on_commit, smtp_server):
    ticket = phoned_in
    received(smtp_server)

    run_on_commit(services.take_ticket, ticket=ticket, user=mail_desk.colleague)
    assert received(smtp_server) == []  # took it themselves: nobody else to tell

    run_on_commit(
        services.assign_ticket,
        ticket=ticket,
        assignee=mail_desk.technician,
        user=mail_desk.colleague,
    )
    assert [(to, s) for to, s, _ in received(smtp_server)] == [
        (mail_desk.technician.email, expected_subject(ticket, "assigned", "assignee"))
    ]

    run_on_commit(
        services.add_reply, ticket=ticket, user=mail_desk.technician, text="Not", internal=True
    )
    assert received(smtp_server) == []  # internal notes never reach the requester

    run_on_commit(
        services.add_reply, ticket=ticket, user=mail_desk.technician, text="Toner değişecek."
    )
    assert [(to, s) for to, s, _ in received(smtp_server)] == [
        (mail_desk.requester.email, expected_subject(ticket, "replied", "requester"))
    ]

    run_on_commit(
        services.put_on_hold,
        ticket=ticket,
        user=mail_desk.technician,
        reason=HoldReason.REQUESTER,
        note="Yazıcının seri numarası nedir?",
    )
    assert [(to, s) for to, s, _ in received(smtp_server)] == [
        (mail_desk.requester.email, expected_subject(ticket, "on_hold", "requester"))
    ]

    run_on_commit(services.add_reply, ticket=ticket, user=mail_desk.requester, text="SN-12345")
    assert [(to, s) for to, s, _ in received(smtp_server)] == [
        (mail_desk.technician.email, expected_subject(ticket, "replied", "assignee"))
    ]

    run_on_commit(
        services.resolve_ticket,
        ticket=ticket,
        user=mail_desk.technician,
        resolution="Toner değişti.",
    )
    ((to, subject, message),) = received(smtp_server)
    assert (to, subject) == (
        mail_desk.requester.email,
        expected_subject(ticket, "resolved", "requester"),
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Toner değişti." in text
    assert f"/servicedesk/tickets/{ticket.pk}/#rate" in text  # the link to rate the solution

    run_on_commit(
        services.reopen_ticket, ticket=ticket, user=mail_desk.requester, reason="Yine bozuk"
    )
    assert [(to, s) for to, s, _ in received(smtp_server)] == [
        (mail_desk.technician.email, expected_subject(ticket, "reopened", "assignee"))
    ]


def test_links_use_the_configured_base_url(mail_desk, phoned_in, smtp_server, settings):
    settings.BIYS_BASE_URL = "https://biys.ornek.bel.tr/"
    from biys.notifications.services import deliver_outbox

    received(smtp_server)

    notify_ticket_event(phoned_in, "closed", actor=mail_desk.technician)
    deliver_outbox()
    ((to, _subject, message),) = received(smtp_server)
    assert to == mail_desk.requester.email
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert f"https://biys.ornek.bel.tr/servicedesk/tickets/{phoned_in.pk}/" in text


def test_sla_breach_escalates_to_the_responsible_units_manager(mail_desk, phoned_in, smtp_server):
    from biys.notifications.services import deliver_outbox

    services.assign_ticket(
        ticket=phoned_in, assignee=mail_desk.technician, user=mail_desk.colleague
    )
    deliver_outbox()  # the assignment's own message, written with the assignment
    received(smtp_server)
    notify_ticket_event(phoned_in, "sla_breached")
    deliver_outbox()
    assert sorted((to, s) for to, s, _ in received(smtp_server)) == sorted(
        [
            (
                mail_desk.network_manager.email,
                expected_subject(phoned_in, "sla_breached", "manager"),
            ),
            (mail_desk.technician.email, expected_subject(phoned_in, "sla_breached", "assignee")),
        ]
    )


def test_nobody_hears_of_their_own_action_and_unknown_events_are_silent(mail_desk, phoned_in):
    from biys.servicedesk.notify import recipients

    assert recipients(phoned_in, "resolved", actor=mail_desk.requester) == []
    assert recipients(phoned_in, "resumed", actor=mail_desk.technician) == []
    assert recipients(phoned_in, "no-such-event") == []
    mail_desk.requester.is_active = False
    mail_desk.requester.save()
    phoned_in.refresh_from_db()
    assert recipients(phoned_in, "closed") == []


def test_check_sla_command_escalates_a_breached_ticket(
    mail_desk, phoned_in, django_capture_on_commit_callbacks
):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from biys.servicedesk.models import SLATarget, Ticket

    SLATarget.objects.create(
        catalog_item=mail_desk.item,
        priority=phoned_in.priority,
        first_response_minutes=60,
        resolution_minutes=240,
    )
    long_ago = timezone.now() - timedelta(days=3)
    Ticket.objects.filter(pk=phoned_in.pk).update(
        first_response_due=long_ago, resolution_due=long_ago
    )
    output = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("servicedesk", "check-sla", stdout=output)

    assert "escalated=1" in output.getvalue()
    (notice,) = Notification.objects.filter(recipient=mail_desk.network_manager)
    assert notice.title == expected_subject(phoned_in, "sla_breached", "manager")


def test_notifications_commit_with_the_ticket_without_on_commit_callbacks(
    mail_desk, django_capture_on_commit_callbacks
):
    """A web process killed right after the commit must not lose the ticket's notifications."""
    from biys.notifications.models import OutboxMessage

    with django_capture_on_commit_callbacks(execute=False):
        ticket = services.create_ticket(
            catalog_item=mail_desk.item,
            requester=mail_desk.requester.person,
            title="Ekran kırık",
            created_by=mail_desk.technician,
        )
    told = Notification.objects.filter(target_object_id=str(ticket.pk))
    assert sorted(told.values_list("recipient__username", flat=True)) == sorted(
        [mail_desk.requester.username, mail_desk.colleague.username]
    )
    queued = OutboxMessage.objects.filter(subject__startswith=f"[{ticket.number}]")
    assert sorted(queued.values_list("to", flat=True)) == sorted(
        [mail_desk.requester.email, mail_desk.colleague.email]
    )
    assert len(set(queued.values_list("message_id", flat=True))) == 2


def test_a_resent_message_keeps_its_message_id(mail_desk, smtp_server):
    """A worker killed after sending but before recording it sends again: same Message-ID."""
    from biys.notifications.models import OutboxMessage
    from biys.notifications.services import deliver_outbox, queue_email

    message = queue_email(to="ayse@example.org", subject="Deneme", body="Merhaba")
    assert message.message_id.startswith("<") and message.message_id.endswith(">")
    deliver_outbox()
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.QUEUED)
    deliver_outbox()
    mails = received(smtp_server)
    assert len(mails) == 2
    assert [mail["Message-ID"] for _, _, mail in mails] == [message.message_id] * 2


def test_filing_through_the_api_runs_few_queries(mail_desk, django_capture_on_commit_callbacks):
    """Issue 6: filing a ticket (numbering, SLA, routing, change log, two people notified by
    app and e-mail) took 46 queries through the API, then 30; now at most 22, and the change
    log is sealed once per filing (one chain head locked and moved, at the end)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(mail_desk.requester)
    payload = {"catalog_item": mail_desk.item.pk, "title": "Yazıcı"}
    assert client.post("/api/v1/servicedesk/tickets/", payload, format="json").status_code == 201
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=False),
    ):
        response = client.post("/api/v1/servicedesk/tickets/", payload, format="json")
    assert response.status_code == 201
    assert Notification.objects.filter(target_object_id=str(response.json()["id"])).count() == 2
    # Every change record of one filing is sealed together in one chain: lock its head, then
    # insert and move the head (one statement on PostgreSQL, two on SQLite).
    sql = [q["sql"] for q in queries.captured_queries]
    chain_heads = [q for q in sql if "core_auditchainhead" in q]
    assert len(sql) - len(chain_heads) <= 22, "\n".join(q[:120] for q in sql)
    assert len(chain_heads) == 2, chain_heads


def test_the_queue_hears_through_its_active_members_in_name_order(mail_desk, phoned_in, make_user):
    from biys.servicedesk.notify import queue_users, unit_manager_user

    later = make_user("technician", mail_desk.network, username="zeynep")
    earlier = make_user("technician", mail_desk.network, username="ahmet")
    mail_desk.queue.members.add(later, earlier)
    users = queue_users(mail_desk.network)
    assert [user.username for user in users] == sorted(
        user.username for user in (later, earlier, mail_desk.technician, mail_desk.colleague)
    )
    later.is_active = False
    later.save()
    assert later not in queue_users(mail_desk.network)
    # A queue whose members have all left falls back to the unit's manager.
    mail_desk.queue.members.update(is_active=False)
    manager = unit_manager_user(mail_desk.network)
    assert manager is not None and not mail_desk.queue.members.filter(pk=manager.pk).exists()
    assert queue_users(mail_desk.network) == [manager]
