"""SLA due times follow the working calendar: when a leave day is declared (or withdrawn), or the
office hours change, the open tickets' due times move at once.

A due time stands for an amount of office time after the clock started (the target plus the
paused periods). The calendar changed from one instant ``R`` on (the first changed day, or when
new office hours apply); before ``R`` both calendars agree. So a due time after ``R`` keeps the
office time it had left after ``max(R, created)`` on the old calendar, placed on the new one.
"""

from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Q

from biys.calendar.models import DeclaredDay
from biys.calendar.workcalendar import Declaration, OfficeHours, WorkingCalendar
from biys.servicedesk.choices import TicketState
from biys.servicedesk.models import Ticket

RUNNING_STATES = (
    TicketState.NEW,
    TicketState.ASSIGNED,
    TicketState.IN_PROGRESS,
    TicketState.ON_HOLD,
)
DEFAULT_BATCH_SIZE = 500


def calendar_before(
    new: WorkingCalendar, changes: list[tuple[date, str]], old_hours: dict | None
) -> WorkingCalendar:
    """The calendar as it was: today's declared days with ``changes`` undone, old hours."""
    declared = {
        row[0]: Declaration(*row)
        for row in DeclaredDay.objects.values_list(
            "date", "kind", "description", "decision_reference"
        )
    }
    for day, kind_before in changes:
        if kind_before:
            declared[day] = Declaration(day, kind_before, "", "")
        else:
            declared.pop(day, None)
    hours = OfficeHours(**old_hours) if old_hours else new.hours
    return WorkingCalendar(hours, declarations=declared.values())


def _moved(old: WorkingCalendar, new: WorkingCalendar, due, start: datetime):
    if due is None or due <= start:
        return due
    return new.add_office_hours(start, old.office_hours_between(start, due))


def recompute_due_dates(
    *,
    changes: list[tuple[date, str]],
    old_hours: dict | None = None,
    since: datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> int:
    """Move the due times of running office-hours tickets after a calendar change; each batch
    in its own transaction, the rows locked. Returns how many tickets moved."""
    new = WorkingCalendar()
    old = calendar_before(new, changes, old_hours)
    starts = [datetime.combine(day, time.min, tzinfo=new.tz) for day, _kind in changes]
    if since is not None:
        starts.append(since)
    if not starts:
        return 0
    changed_from = min(starts)
    candidates = Ticket.objects.filter(state__in=RUNNING_STATES, round_the_clock=False).filter(
        Q(resolution_due__gt=changed_from)
        | Q(first_response_due__gt=changed_from, first_responded_at__isnull=True)
    )
    moved, last_pk = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                candidates.filter(pk__gt=last_pk)
                .order_by("pk")
                .select_for_update()
                .only(
                    "pk", "created", "first_response_due", "resolution_due", "first_responded_at"
                )[:batch_size]
            )
            if not batch:
                return moved
            last_pk = batch[-1].pk
            changed = []
            for ticket in batch:
                start = max(changed_from, ticket.created)
                response = ticket.first_response_due
                if ticket.first_responded_at is None:
                    response = _moved(old, new, response, start)
                resolution = _moved(old, new, ticket.resolution_due, start)
                if (response, resolution) != (ticket.first_response_due, ticket.resolution_due):
                    ticket.first_response_due, ticket.resolution_due = response, resolution
                    changed.append(ticket)
            Ticket.objects.bulk_update(changed, ["first_response_due", "resolution_due"])
            moved += len(changed)


# Celery arguments are JSON: dates, times and instants travel as ISO strings.


def encode_change(changes, old_hours=None, since=None) -> dict:
    return {
        "changes": [[day.isoformat(), kind] for day, kind in changes],
        "old_hours": {
            key: value.isoformat() if isinstance(value, time) else value
            for key, value in (old_hours or {}).items()
        }
        or None,
        "since": since.isoformat() if since else None,
    }


def decode_change(changes, old_hours=None, since=None) -> dict:
    hours = None
    if old_hours:
        hours = {
            key: time.fromisoformat(value)
            if isinstance(value, str) and key != "time_zone"
            else value
            for key, value in old_hours.items()
        }
    return {
        "changes": [(date.fromisoformat(day), kind) for day, kind in changes],
        "old_hours": hours,
        "since": datetime.fromisoformat(since) if since else None,
    }


def on_calendar_changed(sender, *, changes, old_hours=None, since=None, **kwargs) -> None:
    """Hand the recomputation to a worker (in process when no broker is configured; also when
    the configured broker cannot be reached, rather than leave the due times wrong)."""
    from biys.servicedesk.tasks import recompute_due_dates as task

    arguments = encode_change(changes, old_hours, since)
    try:
        task.delay(**arguments)
    except Exception:
        recompute_due_dates(**decode_change(**arguments))
