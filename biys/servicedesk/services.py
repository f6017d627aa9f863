"""Writes of the service desk: the ticket's life from filing to closing, SLA clocks, routing.

Every function takes keyword arguments, runs in one transaction and raises ``ValidationError``
(keyed by the field at fault) or ``PermissionDenied``. Notifications are written in the same
transaction through ``biys.servicedesk.notify.notify_ticket_event``.
"""

import calendar as calendar_module
import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.accounts.scope import get_scope
from biys.calendar.selectors import get_calendar
from biys.comments.models import Comment
from biys.core.numbering import next_number
from biys.servicedesk import selectors, workflow
from biys.servicedesk.choices import (
    PRIORITY_MATRIX,
    ApprovalDecision,
    AssignmentRule,
    Channel,
    HoldReason,
    Level,
    Recurrence,
    TicketState,
)
from biys.servicedesk.models import (
    Approval,
    FieldVisit,
    Queue,
    RecurringTicket,
    SLAPause,
    Ticket,
    TicketResponsibility,
    TimeEntry,
)

logger = logging.getLogger(__name__)
S = TicketState
TICKET_SEQUENCE = "ticket"
TICKET_NUMBER_TEMPLATE = "ARZ-{year}-{seq:06d}"
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


def _emit(ticket: Ticket, event: str, actor=None) -> None:
    """Write the event's notifications and e-mails in the ticket's own transaction, so a crash
    after the commit loses none. A failure to notify never undoes the change itself."""
    from biys.servicedesk.notify import notify_ticket_event

    try:
        with transaction.atomic():
            notify_ticket_event(ticket, event, actor=actor)
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


# SLA -----------------------------------------------------------------------------------------


def compute_priority(impact: int, urgency: int) -> int:
    return PRIORITY_MATRIX[(Level(impact), Level(urgency))]


def _set_due_dates(ticket: Ticket, *, start: datetime, calendar=None) -> None:
    """Due dates from the item's target for the priority, else the default row, else none."""
    target = selectors.sla_target_for(ticket.catalog_item_id, ticket.priority)
    if target is None:
        ticket.first_response_due = ticket.resolution_due = None
        return
    calendar = calendar or get_calendar()
    mode = selectors.sla_mode(ticket)
    ticket.first_response_due = calendar.add_duration(
        start, timedelta(minutes=target.first_response_minutes), mode=mode
    )
    ticket.resolution_due = calendar.add_duration(
        start, timedelta(minutes=target.resolution_minutes), mode=mode
    )


def _open_pause(ticket: Ticket, reason: str, now: datetime) -> None:
    SLAPause.objects.create(ticket=ticket, reason=reason, started_at=now)
    ticket.sla_paused_at = now
    ticket.hold_reason = reason


def _close_pause(ticket: Ticket, now: datetime) -> None:
    """Stop the pause and push the due dates forward by the paused time, measured in the
    ticket's own mode (office hours or round the clock)."""
    pause = ticket.sla_pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
    started = pause.started_at if pause else ticket.sla_paused_at
    if pause is not None:
        pause.ended_at = now
        pause.save(update_fields=["ended_at"])
    if started is not None:
        calendar = get_calendar()
        mode = selectors.sla_mode(ticket)
        paused = calendar.duration_between(started, now, mode=mode)
        if paused > timedelta():
            if ticket.first_response_due and ticket.first_responded_at is None:
                ticket.first_response_due = calendar.add_duration(
                    ticket.first_response_due, paused, mode=mode
                )
            if ticket.resolution_due:
                ticket.resolution_due = calendar.add_duration(
                    ticket.resolution_due, paused, mode=mode
                )
    ticket.sla_paused_at = None
    ticket.hold_reason = ""


# Responsibility and assignment -----------------------------------------------------------------


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


def _apply_assignment_rule(ticket: Ticket) -> bool:
    """Assign by the queue's rule; True when someone was assigned."""
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


# Filing ----------------------------------------------------------------------------------------


def _choice_values(choices) -> list[str]:
    values = []
    for choice in choices or []:
        if isinstance(choice, dict):
            values.append(str(choice.get("value", choice.get("label", ""))))
        elif isinstance(choice, (list, tuple)) and choice:
            values.append(str(choice[0]))
        else:
            values.append(str(choice))
    return values


def clean_form_data(catalog_item, form_data) -> dict:
    """The item's own form: required answers present, choices among the offered ones."""
    data = dict(form_data or {})
    errors = []
    for spec in catalog_item.form_fields or []:
        if not isinstance(spec, dict) or not spec.get("name"):
            continue
        name, label = spec["name"], spec.get("label") or spec["name"]
        value = data.get(name)
        if isinstance(value, str):
            value = data[name] = value.strip()
        if value in (None, "", []):
            if spec.get("required"):
                errors.append(_("“%(label)s” is required.") % {"label": label})
            continue
        if spec.get("type") == "choice" and spec.get("choices"):
            allowed = _choice_values(spec["choices"])
            given = value if isinstance(value, list) else [value]
            if any(str(item) not in allowed for item in given):
                errors.append(
                    _("Pick one of the offered answers for “%(label)s”.") % {"label": label}
                )
    if errors:
        raise ValidationError({"form_data": errors}, code="invalid")
    return data


def asset_is_registered(reference: str) -> bool:
    """Seam for the inventory module: until it lands, any reference counts as registered."""
    return bool((reference or "").strip())


def unregistered_asset_policy() -> str:
    return getattr(settings, "SERVICEDESK_UNREGISTERED_ASSET", "flag")


def _check_asset(catalog_item, asset_reference: str) -> bool:
    """True when the ticket must be flagged for an unregistered device; raises when refused."""
    if not catalog_item.requires_asset or asset_is_registered(asset_reference):
        return False
    if unregistered_asset_policy() == "refuse":
        raise ValidationError(
            {
                "asset_reference": _(
                    "Only devices in the municipal inventory are serviced: enter the device's"
                    " inventory number."
                )
            },
            code="unregistered_asset",
        )
    return True


def _check_may_file_for(created_by, requester) -> None:
    """Anyone files for themselves; filing for someone else (a phone call) is IT staff's job."""
    if created_by is None or not created_by.is_authenticated:
        return
    if created_by.is_superuser or getattr(created_by, "person_id", None) == requester.pk:
        return
    if not _has_perm_anywhere(created_by, selectors.CHANGE_TICKET):
        raise PermissionDenied(_("Only IT staff may file a ticket on someone else's behalf."))


@transaction.atomic
def create_ticket(
    *,
    catalog_item,
    requester,
    title,
    description="",
    form_data=None,
    created_by=None,
    channel=Channel.WEB,
    contact_phone=None,
    location=None,
    asset_reference="",
    impact=None,
    urgency=None,
    parent=None,
) -> Ticket:
    errors = {}
    if catalog_item is None:
        errors["catalog_item"] = _("Choose what the ticket is about.")
    elif not catalog_item.is_active:
        errors["catalog_item"] = _("This catalogue item is no longer offered.")
    if requester is None:
        errors["requester"] = _("Choose the person the ticket is for.")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Write a short subject.")
    elif len(title) > 200:
        errors["title"] = _("Keep the subject under 200 characters.")
    if errors:
        raise ValidationError(errors, code="invalid")
    _check_may_file_for(created_by, requester)
    form_data = clean_form_data(catalog_item, form_data)
    asset_reference = (asset_reference or "").strip()
    flagged = _check_asset(catalog_item, asset_reference)
    impact = impact or catalog_item.default_impact
    urgency = urgency or catalog_item.default_urgency
    if impact not in Level.values or urgency not in Level.values:
        raise ValidationError(
            {"impact" if impact not in Level.values else "urgency": _("Choose a valid level.")}
        )

    now = timezone.now()
    ticket = Ticket(
        number=next_number(TICKET_SEQUENCE, at=now, template=TICKET_NUMBER_TEMPLATE),
        kind=catalog_item.kind,
        catalog_item=catalog_item,
        title=title,
        description=(description or "").strip(),
        form_data=form_data,
        channel=channel,
        requester=requester,
        requesting_unit_id=requester.unit_id,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        contact_phone=(requester.work_phone if contact_phone is None else contact_phone)[:30],
        location=(requester.location if location is None else location)[:200],
        responsible_unit_id=catalog_item.unit_id,
        impact=impact,
        urgency=urgency,
        priority=compute_priority(impact, urgency),
        asset_reference=asset_reference,
        asset_unregistered=flagged,
        round_the_clock=catalog_item.round_the_clock,
        parent=parent,
    )
    approval_needed = catalog_item.requires_approval
    assigned = False
    if approval_needed:
        # The SLA clock starts when the IT unit first sees the ticket: at the approval.
        ticket.state = S.PENDING_APPROVAL
    else:
        ticket.state = S.NEW
        _set_due_dates(ticket, start=now)
        assigned = _apply_assignment_rule(ticket)
    ticket.save()
    # The responsible unit is already loaded (routing, SLA calendar): no need to fetch it again.
    _open_responsibility(
        ticket, ticket.responsible_unit, user=created_by, reason=_("Filed"), now=now
    )
    _emit(ticket, "created", created_by)
    if approval_needed:
        Approval.objects.create(ticket=ticket, approver_unit_id=ticket.requesting_unit_id)
        _emit(ticket, "approval_requested", created_by)
    elif assigned:
        _emit(ticket, "assigned", created_by)
    return ticket


@transaction.atomic
def update_ticket(*, ticket, user, **changes) -> Ticket:
    """Edit the description fields; a new impact or urgency recomputes the priority and the
    SLA due dates (from the filing time)."""
    _lock(ticket)
    workflow.require(user, ticket, "edit")
    allowed = {
        "title",
        "description",
        "contact_phone",
        "location",
        "asset_reference",
        "under_warranty",
        "impact",
        "urgency",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if "title" in changes:
        changes["title"] = _require_text(changes["title"], "title", _("Write a short subject."))
    for name, value in changes.items():
        setattr(ticket, name, value)
    if "asset_reference" in changes:
        ticket.asset_unregistered = _check_asset(ticket.catalog_item, ticket.asset_reference)
    if {"impact", "urgency"} & set(changes):
        priority = compute_priority(ticket.impact, ticket.urgency)
        if priority != ticket.priority:
            ticket.priority = priority
            if ticket.state != S.PENDING_APPROVAL:
                _set_due_dates(ticket, start=ticket.created)
    ticket.full_clean(exclude=["number"])
    ticket.save()
    return ticket


# Approval --------------------------------------------------------------------------------------


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


# Work ------------------------------------------------------------------------------------------


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


def _queue_setting(ticket: Ticket, name: str, default: int) -> int:
    queue = selectors.queue_for_unit(ticket.responsible_unit)
    return getattr(queue, name) if queue is not None else default


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


def _stop(ticket: Ticket, state: str) -> None:
    if ticket.state == S.ON_HOLD:
        _close_pause(ticket, timezone.now())
    ticket.state = state
    ticket.save()


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


# Scheduled work ------------------------------------------------------------------------------


def close_resolved_tickets(*, now=None) -> int:
    """Close tickets resolved at least the queue's number of working days ago."""
    now = now or timezone.now()
    calendar = get_calendar()
    days_by_unit: dict[int, int] = {}
    closed = 0
    resolved = Ticket.objects.filter(state=S.RESOLVED, resolved_at__lte=now).select_related(
        "responsible_unit"
    )
    for ticket in resolved.iterator():
        unit_id = ticket.responsible_unit_id
        if unit_id not in days_by_unit:
            days_by_unit[unit_id] = _queue_setting(
                ticket, "auto_close_working_days", DEFAULT_AUTO_CLOSE_WORKING_DAYS
            )
        if calendar.working_days_between(ticket.resolved_at, now) >= days_by_unit[unit_id]:
            close_ticket(ticket=ticket)
            closed += 1
    return closed


def check_sla(*, now=None) -> dict:
    """Warn once when a ticket has used its warning share of a clock, escalate once to the
    responsible unit's manager when a clock is breached."""
    now = now or timezone.now()
    calendar = get_calendar()
    targets: dict = {}
    result = {"warned": 0, "escalated": 0}
    candidates = Ticket.objects.filter(
        state__in=(S.NEW, S.ASSIGNED, S.IN_PROGRESS),
        sla_escalated_at__isnull=True,
        resolution_due__isnull=False,
    ).select_related("requester", "responsible_unit", "catalog_item")
    for ticket in candidates.iterator():
        key = (ticket.catalog_item_id, ticket.priority)
        if key not in targets:
            targets[key] = selectors.sla_target_for(*key)
        status = selectors.sla_status(ticket, now=now, calendar=calendar, target=targets[key])
        states = {status["response"]["state"], status["resolution"]["state"]}
        if "breached" in states:
            with transaction.atomic():
                Ticket.objects.filter(pk=ticket.pk).update(
                    sla_escalated_at=now, sla_warned_at=ticket.sla_warned_at or now
                )
                ticket.sla_escalated_at = now
                _emit(ticket, "sla_breached")
            result["escalated"] += 1
        elif "warning" in states and ticket.sla_warned_at is None:
            with transaction.atomic():
                Ticket.objects.filter(pk=ticket.pk).update(sla_warned_at=now)
                ticket.sla_warned_at = now
                _emit(ticket, "sla_warning")
            result["warned"] += 1
    return result


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar_module.monthrange(year, month)[1]))


def next_run_after(day: date, recurrence: str) -> date:
    if recurrence == Recurrence.WEEKLY:
        return day + timedelta(days=7)
    months = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3, Recurrence.YEARLY: 12}[recurrence]
    return _add_months(day, months)


def create_recurring_tickets(*, today=None) -> list[Ticket]:
    """Open the periodic tickets that are due; a schedule that fell behind opens one ticket
    and moves on to its next future date."""
    today = today or timezone.localdate()
    created = []
    due_ids = RecurringTicket.objects.filter(is_active=True, next_run__lte=today).values_list(
        "pk", flat=True
    )
    for pk in list(due_ids):
        with transaction.atomic():
            recurring = (
                RecurringTicket.objects.select_for_update()
                .select_related("catalog_item", "requester")
                .get(pk=pk)
            )
            if recurring.next_run > today:
                continue
            ticket = create_ticket(
                catalog_item=recurring.catalog_item,
                requester=recurring.requester,
                title=recurring.title,
                description=recurring.description,
                channel=Channel.RECURRING,
            )
            if recurring.responsible_unit_id != ticket.responsible_unit_id:
                # Through save(): the statistics summary and the change log follow.
                ticket.responsible_unit_id = recurring.responsible_unit_id
                ticket.save(update_fields=["responsible_unit", "last_updated"])
                TicketResponsibility.objects.filter(ticket=ticket).update(
                    unit_id=recurring.responsible_unit_id
                )
            next_run = recurring.next_run
            while next_run <= today:
                next_run = next_run_after(next_run, recurring.recurrence)
            recurring.next_run = next_run
            recurring.last_ticket = ticket
            recurring.save()
            created.append(ticket)
    return created
