"""Who hears about what happens to a ticket, in the app and by e-mail.

``notify_ticket_event`` is called by the services inside the ticket's own transaction: the
in-app notifications and outbox e-mails commit with the change they report (a crash right after
the commit loses none), and a worker delivers the e-mails. Each event has
audiences (the requester, the requester's unit manager, the assignee, the responsible unit's
queue, the responsible unit's manager); a user hears of an event once, in the words meant for
the first audience they belong to, and never of their own action. E-mails are rendered in the
installation's language and carry ``[ARZ-YYYY-NNNNNN]`` in the subject, so a reply threads back
to the ticket through the mail intake.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from biys.notifications.models import Notification, OutboxMessage
from biys.notifications.services import store
from biys.servicedesk.selectors import NO_QUEUE

logger = logging.getLogger(__name__)
_silenced: ContextVar[bool] = ContextVar("biys_ticket_notifications_silenced", default=False)


@contextmanager
def silenced():
    """Tell nobody about the ticket events inside the block (demo history, imports)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


REQUESTER = "requester"
APPROVER = "approver"
ASSIGNEE = "assignee"
QUEUE = "queue"
MANAGER = "manager"


@dataclass(frozen=True)
class Message:
    subject: str  # after "[number] "; %(title)s is the ticket's subject
    headline: str  # first line of the body


MESSAGES = {
    ("created", REQUESTER): Message(
        _("Your request has been received: %(title)s"),
        _("Your request has been recorded. You can follow it with the link below."),
    ),
    ("created", QUEUE): Message(
        _("New ticket in your queue: %(title)s"),
        _("A new ticket is waiting in your unit's queue."),
    ),
    ("approval_requested", APPROVER): Message(
        _("Your approval is needed: %(title)s"),
        _("A request from your unit needs your approval before the IT unit can work on it."),
    ),
    ("approved", REQUESTER): Message(
        _("Your request was approved: %(title)s"),
        _("Your unit's manager approved your request; it has been sent to the IT unit."),
    ),
    ("approved", QUEUE): Message(
        _("New approved ticket in your queue: %(title)s"),
        _("An approved request is waiting in your unit's queue."),
    ),
    ("rejected", REQUESTER): Message(
        _("Your request was not approved: %(title)s"),
        _("Your unit's manager did not approve your request."),
    ),
    ("assigned", ASSIGNEE): Message(
        _("A ticket was assigned to you: %(title)s"),
        _("A ticket was assigned to you."),
    ),
    ("transferred", ASSIGNEE): Message(
        _("Ticket transferred: %(title)s"),
        _("A ticket you work on was transferred to another unit."),
    ),
    ("transferred", QUEUE): Message(
        _("Ticket transferred to your unit: %(title)s"),
        _("A ticket was transferred to your unit's queue."),
    ),
    ("replied", REQUESTER): Message(
        _("New reply to your request: %(title)s"),
        _("The IT unit replied to your request."),
    ),
    ("replied", ASSIGNEE): Message(
        _("The requester replied: %(title)s"),
        _("The requester replied to a ticket assigned to you."),
    ),
    ("replied", QUEUE): Message(
        _("The requester replied: %(title)s"),
        _("The requester replied to a ticket in your unit's queue."),
    ),
    ("on_hold", REQUESTER): Message(
        _("Your answer is needed: %(title)s"),
        _("Work on your request is waiting for information from you."),
    ),
    ("resolved", REQUESTER): Message(
        _("Your request was resolved: %(title)s"),
        _("Your request was resolved. Please rate the solution with the link below."),
    ),
    ("reopened", REQUESTER): Message(
        _("Your request was reopened: %(title)s"),
        _("Your request was reopened."),
    ),
    ("reopened", ASSIGNEE): Message(
        _("Ticket reopened: %(title)s"),
        _("A ticket you resolved was reopened."),
    ),
    ("reopened", QUEUE): Message(
        _("Ticket reopened: %(title)s"),
        _("A ticket in your unit's queue was reopened."),
    ),
    ("cancelled", REQUESTER): Message(
        _("Your request was cancelled: %(title)s"),
        _("Your request was cancelled."),
    ),
    ("merged", REQUESTER): Message(
        _("Your request was merged into another: %(title)s"),
        _("Your request was merged into another ticket about the same problem."),
    ),
    ("closed", REQUESTER): Message(
        _("Your request was closed: %(title)s"),
        _("Your request was closed."),
    ),
    ("sla_warning", ASSIGNEE): Message(
        _("Deadline approaching: %(title)s"),
        _("The ticket's service level deadline is approaching."),
    ),
    ("sla_warning", QUEUE): Message(
        _("Deadline approaching: %(title)s"),
        _("The service level deadline of a ticket in your unit's queue is approaching."),
    ),
    ("sla_breached", MANAGER): Message(
        _("Deadline missed (escalation): %(title)s"),
        _("A ticket of your unit missed its service level deadline and is escalated to you."),
    ),
    ("sla_breached", ASSIGNEE): Message(
        _("Deadline missed: %(title)s"),
        _("The ticket's service level deadline has passed."),
    ),
}


def _user_of(person):
    # The reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError, without a login.
    return getattr(person, "user", None) if person is not None else None


def unit_manager_user(unit):
    from biys.accounts.selectors import unit_manager_user as manager_of

    return manager_of(unit) if unit is not None else None


def queue_users(unit, queue=NO_QUEUE) -> list:
    """Members of the queue serving ``unit``; the unit's manager when it has none. ``queue``:
    that queue (or ``None``: the unit has none) when the caller has just read it; ``NO_QUEUE``:
    look it up."""
    from biys.servicedesk.selectors import active_queue_members, queue_for_unit

    if queue is NO_QUEUE:
        queue = queue_for_unit(unit)
    members = active_queue_members(queue) if queue else []
    if members:
        return members
    manager = unit_manager_user(unit)
    return [manager] if manager else []


def audiences(ticket, event: str, *, actor=None, queue=NO_QUEUE) -> list[tuple[str, list]]:
    """[(audience, users)] for the event, most specific audience first. ``queue``: the
    responsible unit's queue when the caller has just read it."""
    from biys.servicedesk import selectors
    from biys.servicedesk.choices import HoldReason, TicketState

    requester = [_user_of(ticket.requester)]
    assignee = [ticket.assignee]
    if event == "created":
        if ticket.state == TicketState.PENDING_APPROVAL:
            return [(REQUESTER, requester)]
        if ticket.assignee_id:  # assigned by the queue's rule: the assignee hears "assigned"
            return [(REQUESTER, requester)]
        return [(REQUESTER, requester), (QUEUE, queue_users(ticket.responsible_unit, queue))]
    if event == "approval_requested":
        return [(APPROVER, [unit_manager_user(ticket.requesting_unit)])]
    if event == "approved":
        if ticket.assignee_id:  # assigned by the queue's rule: the assignee hears "assigned"
            return [(REQUESTER, requester)]
        return [(REQUESTER, requester), (QUEUE, queue_users(ticket.responsible_unit))]
    if event == "rejected":
        return [(REQUESTER, requester)]
    if event == "assigned":
        return [(ASSIGNEE, assignee)]
    if event == "transferred":
        return [(ASSIGNEE, assignee), (QUEUE, queue_users(ticket.responsible_unit))]
    if event == "replied":  # the services announce public replies only
        if selectors.can_work_on(actor, ticket):
            return [(REQUESTER, requester)]
        it_side = (
            (ASSIGNEE, assignee)
            if ticket.assignee_id
            else (QUEUE, queue_users(ticket.responsible_unit))
        )
        return [it_side, (REQUESTER, requester)]  # e.g. the unit's manager commented
    if event == "on_hold":
        return [(REQUESTER, requester)] if ticket.hold_reason == HoldReason.REQUESTER else []
    if event in ("resolved", "closed", "cancelled", "merged"):
        return [(REQUESTER, requester)]
    if event == "reopened":
        it_side = (
            (ASSIGNEE, assignee)
            if ticket.assignee_id
            else (QUEUE, queue_users(ticket.responsible_unit))
        )
        return [(REQUESTER, requester), it_side]
    if event == "sla_warning":
        return [(ASSIGNEE, assignee), (QUEUE, queue_users(ticket.responsible_unit))]
    if event == "sla_breached":
        return [(MANAGER, [unit_manager_user(ticket.responsible_unit)]), (ASSIGNEE, assignee)]
    return []  # resumed and unknown events: nobody needs a message


def recipients(ticket, event: str, *, actor=None, queue=NO_QUEUE) -> list[tuple[str, object]]:
    """[(audience, user)]: each active user once, never the actor."""
    seen = {getattr(actor, "pk", None)}
    chosen = []
    for audience, users in audiences(ticket, event, actor=actor, queue=queue):
        if (event, audience) not in MESSAGES:
            continue
        for user in users:
            if user is None or not user.is_active or user.pk in seen:
                continue
            seen.add(user.pk)
            chosen.append((audience, user))
    return chosen


def ticket_link(ticket, *, anchor: str = "") -> str:
    path = ticket.get_absolute_url() or ""
    if not path:
        return ""
    base = getattr(settings, "BIYS_BASE_URL", "").rstrip("/")
    return f"{base}{path}{anchor}"


def render_email(ticket, event: str, audience: str, *, actor=None) -> dict[str, str]:
    """subject, headline, text and html of the message, in the installation's language."""
    message = MESSAGES[(event, audience)]
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"[{ticket.number}] {message.subject % {'title': ticket.title}}"
        context = {
            "ticket": ticket,
            "event": event,
            "audience": audience,
            "subject": subject,
            "headline": str(message.headline),
            "actor": actor,
            "link": ticket_link(ticket),
            "rate_link": ticket_link(ticket, anchor="#rate") if event == "resolved" else "",
        }
        text = render_to_string("servicedesk/email/ticket_event.txt", context)
        html = render_to_string("servicedesk/email/ticket_event.html", context)
    return {
        "subject": subject,
        "headline": context["headline"],
        "text": text.strip() + "\n",
        "html": html,
    }


def notify_ticket_event(ticket, event: str, *, actor=None, queue=NO_QUEUE) -> int:
    """Tell everyone the event matters to; returns how many people were told. ``queue``: the
    responsible unit's queue when the caller has just read it.

    The recipients are read and the messages rendered first; only the writes run in a savepoint
    of the caller's transaction, so a failure to store them never undoes the change itself, and
    an event nobody hears of costs no savepoint at all."""
    if _silenced.get():
        return 0
    chosen = recipients(ticket, event, actor=actor, queue=queue)
    if not chosen:
        return 0
    url = ticket.get_absolute_url() or ""
    target_type = ContentType.objects.get_for_model(ticket)
    notifications, messages = [], []
    for audience, user in chosen:
        email = render_email(ticket, event, audience, actor=actor)
        notifications.append(
            Notification(
                recipient=user,
                title=email["subject"][:200],
                body=email["headline"],
                target_content_type=target_type,
                target_object_id=str(ticket.pk),
                url=url[:500],
            )
        )
        if user.email:
            messages.append(
                OutboxMessage(
                    to=user.email, subject=email["subject"], body=email["text"], html=email["html"]
                )
            )
    with transaction.atomic():
        store(notifications=notifications, messages=messages)
    logger.info("Ticket %s: %s told to %d people", ticket.number, event, len(chosen))
    return len(chosen)
