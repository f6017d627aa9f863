"""The ticket's life after filing: approval, assignment, transfer, work, hold, replies,
time, resolution, reopening, rating, cancelling, closing, merging, suppliers, field visits."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.calendar.selectors import get_calendar
from biys.comments.models import Comment
from biys.servicedesk import selectors, workflow
from biys.servicedesk.choices import ApprovalDecision, HoldReason
from biys.servicedesk.models import Approval, FieldVisit, Ticket, TicketResponsibility, TimeEntry
from biys.servicedesk.services.common import (
    DEFAULT_REOPEN_WORKING_DAYS,
    MAX_MINUTES_PER_ENTRY,
    S,
    _add_comment,
    _apply_assignment_rule,
    _emit,
    _lock,
    _open_responsibility,
    _queue_setting,
    _require_text,
)
from biys.servicedesk.services.sla import _close_pause, _open_pause, _set_due_dates, _stop


def _pending_approval(ticket: Ticket) -> Approval:
    approval = ticket.approvals.filter(decision=ApprovalDecision.PENDING).order_by("-pk").first()
    if approval is None:
        approval = Approval(ticket=ticket, approver_unit_id=ticket.requesting_unit_id)
    return approval


def _decide(ticket, user, decision, comment) -> Approval:
    _lock(ticket)
    action = "approve" if decision == ApprovalDecision.APPROVED else "reject"
    workflow.require(user, ticket, action)
    approval = _pending_approval(ticket)
    approval.decision = decision
    approval.decided_by = user
    approval.decided_at = timezone.now()
    approval.comment = comment
    approval.save()
    return approval


@transaction.atomic
def approve_ticket(*, ticket, user, comment="") -> Ticket:
    approval = _decide(ticket, user, ApprovalDecision.APPROVED, (comment or "").strip())
    ticket.state = S.NEW
    _set_due_dates(ticket, start=approval.decided_at)
    assigned = _apply_assignment_rule(ticket)
    ticket.save()
    _emit(ticket, "approved", user)
    if assigned:
        _emit(ticket, "assigned", user)
    return ticket


@transaction.atomic
def reject_ticket(*, ticket, user, comment) -> Ticket:
    comment = _require_text(comment, "comment", _("Say why the request is rejected."))
    _decide(ticket, user, ApprovalDecision.REJECTED, comment)
    ticket.state = S.CANCELLED
    ticket.save()
    _add_comment(
        ticket, user, _("Request rejected: %(reason)s") % {"reason": comment}, internal=False
    )
    _emit(ticket, "rejected", user)
    return ticket


def _assign(ticket: Ticket, assignee, actor) -> Ticket:
    changed = ticket.assignee_id != assignee.pk
    ticket.assignee = assignee
    if ticket.state == S.NEW:
        ticket.state = S.ASSIGNED
    ticket.save()
    if changed:
        _emit(ticket, "assigned", actor)
    return ticket


@transaction.atomic
def take_ticket(*, ticket, user) -> Ticket:
    _lock(ticket)
    workflow.require(user, ticket, "take")
    return _assign(ticket, user, user)


@transaction.atomic
def assign_ticket(*, ticket, assignee, user) -> Ticket:
    _lock(ticket)
    workflow.require(user, ticket, "assign")
    if assignee is None or not assignee.is_active or not selectors.can_work_on(assignee, ticket):
        raise ValidationError(
            {"assignee": _("Assign the ticket to a technician of the responsible unit.")},
            code="invalid",
        )
    return _assign(ticket, assignee, user)


@transaction.atomic
def transfer_ticket(*, ticket, unit, user, reason) -> Ticket:
    _lock(ticket)
    workflow.require(user, ticket, "transfer")
    reason = _require_text(reason, "reason", _("Say why the ticket is transferred."))
    if unit is None or unit.pk == ticket.responsible_unit_id:
        raise ValidationError(
            {"unit": _("Choose a unit other than the one holding the ticket.")}, code="invalid"
        )
    if not unit.is_active:
        raise ValidationError({"unit": _("This unit is no longer active.")}, code="invalid")
    if not unit.is_it_department:  # the transfer dialog offers IT units only; so does the API
        raise ValidationError(
            {"unit": _("Tickets can be transferred only to units of the IT department.")},
            code="invalid",
        )
    now = timezone.now()
    TicketResponsibility.objects.filter(ticket=ticket, ended_at__isnull=True).update(ended_at=now)
    _open_responsibility(ticket, unit, user=user, reason=reason, now=now)
    ticket.responsible_unit = unit
    ticket.assignee = None
    if ticket.state in (S.ASSIGNED, S.IN_PROGRESS):
        ticket.state = S.NEW
    assigned = ticket.state == S.NEW and _apply_assignment_rule(ticket)
    ticket.save()
    _add_comment(
        ticket,
        user,
        _("Transferred to %(unit)s: %(reason)s") % {"unit": unit, "reason": reason},
        internal=True,
    )
    _emit(ticket, "transferred", user)
    if assigned:
        _emit(ticket, "assigned", user)
    return ticket


@transaction.atomic
def start_work(*, ticket, user) -> Ticket:
    _lock(ticket)
    workflow.require(user, ticket, "start")
    newly_assigned = ticket.assignee_id is None
    if newly_assigned:
        ticket.assignee = user
    ticket.state = S.IN_PROGRESS
    ticket.save()
    if newly_assigned:
        _emit(ticket, "assigned", user)
    return ticket


@transaction.atomic
def put_on_hold(*, ticket, user, reason, note="") -> Ticket:
    _lock(ticket)
    workflow.require(user, ticket, "hold")
    if reason not in HoldReason.values:
        raise ValidationError(
            {"reason": _("Choose what the ticket is waiting for.")}, code="invalid"
        )
    _open_pause(ticket, reason, timezone.now())
    ticket.state = S.ON_HOLD
    ticket.save()
    note = (note or "").strip()
    if note:
        _add_comment(ticket, user, note, internal=False)
    _emit(ticket, "on_hold", user)
    return ticket


def _resume(ticket: Ticket, user) -> Ticket:
    _close_pause(ticket, timezone.now())
    ticket.state = S.IN_PROGRESS if ticket.assignee_id else S.NEW
    ticket.save()
    _emit(ticket, "resumed", user)
    return ticket


@transaction.atomic
def resume_ticket(*, ticket, user) -> Ticket:
    _lock(ticket)
    workflow.require(user, ticket, "resume")
    return _resume(ticket, user)


@transaction.atomic
def add_reply(*, ticket, user, text, internal=False) -> Comment:
    """A public reply or an internal note. The IT staff's first public reply is the first
    response; the requester answering a ticket waiting for them starts the clock again."""
    _lock(ticket)
    worker = selectors.can_work_on(user, ticket)
    if internal and not worker:
        raise ValidationError(
            {"internal": _("Only the IT staff of the responsible unit write internal notes.")},
            code="not_allowed",
        )
    workflow.require(user, ticket, "note" if internal else "reply")
    text = _require_text(text, "text", _("Write a reply first."))
    comment = _add_comment(ticket, user, text, internal=internal)
    if internal:
        return comment
    requester = selectors.is_requester(user, ticket)
    if worker and not requester and ticket.first_responded_at is None:
        ticket.first_responded_at = comment.created or timezone.now()
        ticket.save(update_fields=["first_responded_at", "last_updated"])
    _emit(ticket, "replied", user)
    if requester and ticket.state == S.ON_HOLD and ticket.hold_reason == HoldReason.REQUESTER:
        _resume(ticket, user)
    return comment


@transaction.atomic
def log_time(*, ticket, user, minutes, note="") -> TimeEntry:
    workflow.require(user, ticket, "time")
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= MAX_MINUTES_PER_ENTRY:
        raise ValidationError(
            {"minutes": _("Enter between 1 and %(max)d minutes.") % {"max": MAX_MINUTES_PER_ENTRY}},
            code="invalid",
        )
    return TimeEntry.objects.create(
        ticket=ticket, user=user, minutes=minutes, note=(note or "").strip()[:300]
    )


@transaction.atomic
def resolve_ticket(*, ticket, user, resolution, knowledge_article=None) -> Ticket:
    _lock(ticket)
    workflow.require(user, ticket, "resolve")
    resolution = _require_text(resolution, "resolution", _("Describe the solution."))
    if knowledge_article is not None and not (
        type(knowledge_article)
        .objects.restrict(user, "view")
        .filter(pk=knowledge_article.pk)
        .exists()
    ):
        raise ValidationError({"knowledge_article": _("Choose an article you can read.")})
    now = timezone.now()
    if ticket.state == S.ON_HOLD:
        _close_pause(ticket, now)
    ticket.state = S.RESOLVED
    ticket.resolution = resolution
    ticket.knowledge_article = knowledge_article
    ticket.resolved_at = now
    ticket.first_responded_at = ticket.first_responded_at or now
    if ticket.assignee_id is None:
        ticket.assignee = user
    ticket.save()
    _emit(ticket, "resolved", user)
    return ticket


@transaction.atomic
def reopen_ticket(*, ticket, user, reason, now=None) -> Ticket:
    _lock(ticket)
    workflow.require(user, ticket, "reopen")
    reason = _require_text(reason, "reason", _("Say why the problem is not solved."))
    now = now or timezone.now()
    days = _queue_setting(ticket, "reopen_working_days", DEFAULT_REOPEN_WORKING_DAYS)
    resolved_at = ticket.resolved_at or now
    if get_calendar().working_days_between(resolved_at, now) > days:
        raise ValidationError(
            _("Tickets can be reopened within %(days)d working days of the solution.")
            % {"days": days},
            code="reopen_window",
        )
    ticket.state = S.ASSIGNED if ticket.assignee_id else S.NEW
    ticket.resolved_at = ticket.closed_at = None
    ticket.resolution = ""
    ticket.rating = None
    ticket.rating_comment = ""
    ticket.rated_at = None
    ticket.save()
    _add_comment(ticket, user, _("Reopened: %(reason)s") % {"reason": reason}, internal=False)
    _emit(ticket, "reopened", user)
    return ticket


@transaction.atomic
def rate_ticket(*, ticket, user, rating, comment="") -> Ticket:
    _lock(ticket)
    workflow.require(user, ticket, "rate")
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")}, code="invalid")
    ticket.rating = rating
    ticket.rating_comment = (comment or "").strip()
    ticket.rated_at = timezone.now()
    ticket.save()
    return ticket


@transaction.atomic
def cancel_ticket(*, ticket, user, reason) -> Ticket:
    _lock(ticket)
    workflow.require(user, ticket, "cancel")
    reason = _require_text(reason, "reason", _("Say why the ticket is cancelled."))
    _stop(ticket, S.CANCELLED)
    ticket.approvals.filter(decision=ApprovalDecision.PENDING).delete()
    _add_comment(ticket, user, _("Cancelled: %(reason)s") % {"reason": reason}, internal=False)
    _emit(ticket, "cancelled", user)
    return ticket


@transaction.atomic
def close_ticket(*, ticket, user=None) -> Ticket:
    _lock(ticket)
    if user is not None:
        workflow.require(user, ticket, "close")
    else:  # the scheduled closing
        workflow.require_state(ticket, "close")
    ticket.state = S.CLOSED
    ticket.closed_at = timezone.now()
    ticket.save()
    _emit(ticket, "closed", user)
    return ticket


@transaction.atomic
def merge_tickets(*, duplicate, into, user) -> Ticket:
    """The duplicate is cancelled and points at the ticket it was merged into; its comments
    stay where they are."""
    _lock(duplicate)
    workflow.require(user, duplicate, "merge")
    if into is None or into.pk == duplicate.pk:
        raise ValidationError({"into": _("Choose another ticket to merge into.")}, code="invalid")
    if not selectors.can_view_ticket(user, into):
        raise ValidationError({"into": _("Choose a ticket you can see.")}, code="invalid")
    if into.state == S.CANCELLED or into.merged_into_id:
        raise ValidationError(
            {"into": _("A cancelled or merged ticket cannot take in another.")}, code="invalid"
        )
    duplicate.merged_into = into
    _stop(duplicate, S.CANCELLED)
    _add_comment(
        duplicate, user, _("Merged into %(number)s.") % {"number": into.number}, internal=False
    )
    _add_comment(
        into,
        user,
        _("%(number)s (%(title)s) was merged into this ticket.")
        % {"number": duplicate.number, "title": duplicate.title},
        internal=True,
    )
    _emit(duplicate, "merged", user)
    return duplicate


@transaction.atomic
def set_parent(*, ticket, parent, user) -> Ticket:
    _lock(ticket)
    workflow.require(user, ticket, "parent")
    if parent is not None:
        if parent.pk == ticket.pk:
            raise ValidationError({"parent": _("A ticket cannot be its own parent.")})
        if not selectors.can_view_ticket(user, parent):
            raise ValidationError({"parent": _("Choose a ticket you can see.")})
        ancestor_id, seen = parent.parent_id, {parent.pk}
        while ancestor_id is not None and ancestor_id not in seen:
            if ancestor_id == ticket.pk:
                raise ValidationError({"parent": _("This would make the tickets a loop.")})
            seen.add(ancestor_id)
            ancestor_id = (
                Ticket.objects.filter(pk=ancestor_id).values_list("parent_id", flat=True).first()
            )
    ticket.parent = parent
    ticket.save()
    return ticket


@transaction.atomic
def send_to_supplier(*, ticket, user, case_number) -> Ticket:
    """Warranty repair: the device goes to the supplier and the clock waits for it."""
    _lock(ticket)
    workflow.require(user, ticket, "supplier")
    case_number = _require_text(case_number, "case_number", _("Enter the supplier's case number."))
    now = timezone.now()
    ticket.supplier_case_number = case_number[:100]
    ticket.sent_to_supplier_at = now
    ticket.returned_from_supplier_at = None
    _open_pause(ticket, HoldReason.SUPPLIER, now)
    ticket.state = S.ON_HOLD
    if ticket.assignee_id is None:
        ticket.assignee = user
    ticket.save()
    _emit(ticket, "on_hold", user)
    return ticket


@transaction.atomic
def return_from_supplier(*, ticket, user) -> Ticket:
    _lock(ticket)
    workflow.require(user, ticket, "supplier_return")
    ticket.returned_from_supplier_at = timezone.now()
    return _resume(ticket, user)


@transaction.atomic
def schedule_field_visit(
    *, ticket, technician, start, end, location="", notes="", user
) -> FieldVisit:
    workflow.require(user, ticket, "visit")
    if technician is None or not selectors.can_work_on(technician, ticket):
        raise ValidationError(
            {"technician": _("Choose a technician of the responsible unit.")}, code="invalid"
        )
    if start is None or end is None or end <= start:
        raise ValidationError({"end": _("The visit must end after it starts.")}, code="invalid")
    return FieldVisit.objects.create(
        ticket=ticket,
        technician=technician,
        scheduled_start=start,
        scheduled_end=end,
        location=(location or ticket.location or "")[:200],
        notes=notes or "",
    )
