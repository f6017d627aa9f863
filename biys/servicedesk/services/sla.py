"""SLA clocks: priority, due dates on the working calendar, pauses, and the breach check."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from biys.calendar.selectors import get_calendar
from biys.servicedesk import selectors
from biys.servicedesk.choices import PRIORITY_MATRIX, Level
from biys.servicedesk.models import SLAPause, Ticket
from biys.servicedesk.services.common import S, _emit


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


def _stop(ticket: Ticket, state: str) -> None:
    if ticket.state == S.ON_HOLD:
        _close_pause(ticket, timezone.now())
    ticket.state = state
    ticket.save()


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
