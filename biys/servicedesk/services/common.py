"""Helpers every service-desk write shares: locking, notifying, comments, routing to a unit's queue."""

import logging
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count

from biys.accounts.scope import get_scope
from biys.comments.models import Comment
from biys.servicedesk import selectors
from biys.servicedesk.choices import AssignmentRule, TicketState
from biys.servicedesk.models import Queue, Ticket, TicketResponsibility
from biys.servicedesk.selectors import NO_QUEUE

logger = logging.getLogger(__name__)
S = TicketState
WORKING_STATES = (S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD)
# Tickets that count towards a technician's load.
LOAD_STATES = (S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD)
DEFAULT_REOPEN_WORKING_DAYS = 10
DEFAULT_AUTO_CLOSE_WORKING_DAYS = 5
MAX_MINUTES_PER_ENTRY = 24 * 60


def _require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    return value


def _lock(ticket: Ticket) -> Ticket:
    """Re-read the ticket under a row lock so two technicians never act on a stale state."""
    ticket.refresh_from_db(from_queryset=Ticket.objects.select_for_update())
    return ticket


def _emit(ticket: Ticket, event: str, actor=None, *, queue=NO_QUEUE) -> None:
    """Write the event's notifications and e-mails in the ticket's own transaction, so a crash
    after the commit loses none. A failure to notify never undoes the change itself.
    ``queue``: the responsible unit's queue when the caller has just read it."""
    from biys.servicedesk.notify import notify_ticket_event

    try:
        notify_ticket_event(ticket, event, actor=actor, queue=queue)
    except Exception:
        logger.exception("Ticket %s: could not notify %s", ticket.number, event)


def _add_comment(ticket: Ticket, user, text: str, *, internal: bool) -> Comment:
    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(Ticket),
        object_id=str(ticket.pk),
        author=user if getattr(user, "is_authenticated", False) else None,
        text=text,
        is_internal=internal,
    )


def _has_perm_anywhere(user, perm: str) -> bool:
    return bool(user and user.is_authenticated and get_scope(user).has_perm(perm))


def _open_responsibility(ticket: Ticket, unit, *, user, reason: str, now: datetime) -> None:
    TicketResponsibility.objects.create(
        ticket=ticket,
        unit=unit,
        started_at=now,
        reason=reason[:300],
        changed_by=user if getattr(user, "is_authenticated", False) else None,
    )


def _pick_member(queue: Queue):
    members = list(queue.members.filter(is_active=True).order_by("pk"))
    if not members:
        return None
    if queue.assignment_rule == AssignmentRule.ROUND_ROBIN:
        after = [m for m in members if queue.last_assigned_id and m.pk > queue.last_assigned_id]
        return after[0] if after else members[0]
    loads = dict(
        Ticket.objects.filter(assignee__in=members, state__in=LOAD_STATES)
        .values_list("assignee")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return min(members, key=lambda member: (loads.get(member.pk, 0), member.pk))


def _apply_assignment_rule(ticket: Ticket, *, queue=NO_QUEUE) -> bool:
    """Assign by the queue's rule; True when someone was assigned. ``queue``: the responsible
    unit's queue when the caller has just read it."""
    if queue is NO_QUEUE:
        queue = selectors.queue_for_unit(ticket.responsible_unit)
    if queue is None or queue.assignment_rule == AssignmentRule.MANUAL:
        return False
    # The queue row is the lock: two tickets filed at once never go to the same "next" member.
    queue = Queue.objects.select_for_update().get(pk=queue.pk)
    member = _pick_member(queue)
    if member is None:
        return False
    ticket.assignee = member
    ticket.state = S.ASSIGNED
    Queue.objects.filter(pk=queue.pk).update(last_assigned=member)
    return True


def _queue_setting(ticket: Ticket, name: str, default: int) -> int:
    queue = selectors.queue_for_unit(ticket.responsible_unit)
    return getattr(queue, name) if queue is not None else default
