"""Scheduled jobs: auto-closing resolved tickets and filing recurring tickets (Celery beat)."""

import calendar as calendar_module
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from biys.calendar.selectors import get_calendar
from biys.servicedesk.choices import Channel, Recurrence
from biys.servicedesk.models import RecurringTicket, Ticket, TicketResponsibility
from biys.servicedesk.services.actions import close_ticket
from biys.servicedesk.services.common import DEFAULT_AUTO_CLOSE_WORKING_DAYS, S, _queue_setting
from biys.servicedesk.services.filing import create_ticket


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
