"""A declared leave day, its withdrawal or new office hours move the open tickets' due times at
once (before, a ticket simply lost the day's office hours).

The printer item: first response within 1 office hour, resolution within 4. 13 November 2026 is a
Friday: a ticket filed at 16:30 has 1 hour on Friday and 3 on Monday, so it is due Monday 11:30.
"""

from datetime import date, time

import pytest

from biys.calendar import services as calendar_services
from biys.calendar.choices import DeclaredDayKind
from biys.servicedesk import services
from biys.servicedesk.choices import HoldReason
from biys.servicedesk.models import CatalogItem, SLATarget, Ticket
from biys.servicedesk.sla import recompute_due_dates
from biys.servicedesk.tests.conftest import at

MONDAY = date(2026, 11, 16)


def _file(desk, title="Yazıcı", item=None):
    return services.create_ticket(
        catalog_item=item or desk.printer,
        requester=desk.requester.person,
        title=title,
        created_by=desk.requester,
    )


@pytest.fixture
def friday_ticket(desk, clock):
    clock.set(2026, 11, 13, 16, 30)
    ticket = _file(desk)
    assert ticket.resolution_due == at(2026, 11, 16, 11, 30)
    assert ticket.first_response_due == at(2026, 11, 13, 17, 30)
    clock.set(2026, 11, 14, 10, 0)  # Saturday: the government declares Monday a leave day
    return ticket


def _declare(day=MONDAY, kind=DeclaredDayKind.FULL_DAY):
    return calendar_services.declare_day(
        date=day, kind=kind, description="İdari izin", decision_reference="Genelge 2026/20"
    )


def _due(ticket):
    ticket.refresh_from_db()
    return ticket.resolution_due


def test_a_declared_leave_day_moves_the_due_time(friday_ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        declared = _declare()
    assert _due(friday_ticket) == at(2026, 11, 17, 11, 30)
    # The first response was due on Friday, before the change: it stays.
    assert friday_ticket.first_response_due == at(2026, 11, 13, 17, 30)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_services.update_declared_day(declared_day=declared, kind=DeclaredDayKind.HALF_DAY)
    assert _due(friday_ticket) == at(2026, 11, 16, 11, 30)  # 08:30-12:30 is still worked
    with django_capture_on_commit_callbacks(execute=True):
        calendar_services.update_declared_day(
            declared_day=declared, kind=DeclaredDayKind.FULL_DAY, date=date(2026, 11, 17)
        )
    assert _due(friday_ticket) == at(2026, 11, 16, 11, 30)  # Tuesday is after the due time
    with django_capture_on_commit_callbacks(execute=True):
        calendar_services.update_declared_day(declared_day=declared, date=MONDAY)
    assert _due(friday_ticket) == at(2026, 11, 17, 11, 30)
    with django_capture_on_commit_callbacks(execute=True):
        declared.delete()  # the generic delete view's path: no service in between
    assert _due(friday_ticket) == at(2026, 11, 16, 11, 30)


def test_only_running_office_hours_tickets_move(desk, clock, django_capture_on_commit_callbacks):
    duty_team = CatalogItem.objects.create(
        name="Sunucu", kind="fault", unit=desk.helpdesk, round_the_clock=True
    )
    duty_team.default_impact, duty_team.default_urgency = 3, 2
    duty_team.save()
    SLATarget.objects.create(
        catalog_item=duty_team, priority=4, first_response_minutes=60, resolution_minutes=240
    )
    clock.set(2026, 11, 13, 16, 30)
    running, on_hold, solved = _file(desk), _file(desk), _file(desk)
    duty = _file(desk, item=duty_team)
    services.put_on_hold(ticket=on_hold, user=desk.technician, reason=HoldReason.SUPPLIER)
    services.resolve_ticket(ticket=solved, user=desk.technician, resolution="Tamam")
    before = {t.pk: t.resolution_due for t in Ticket.objects.all()}
    clock.set(2026, 11, 14, 10, 0)
    with django_capture_on_commit_callbacks(execute=True):
        _declare()
    after = {t.pk: t.resolution_due for t in Ticket.objects.all()}
    assert after[running.pk] == after[on_hold.pk] == at(2026, 11, 17, 11, 30)
    assert after[solved.pk] == before[solved.pk]
    assert after[duty.pk] == before[duty.pk]
    # The pause still pushes the moved due time forward by the office time it lasted.
    # On hold from Friday 16:30 to Tuesday 09:30: 2 office hours, Monday being off.
    clock.set(2026, 11, 17, 9, 30)
    services.resume_ticket(ticket=on_hold, user=desk.technician)
    on_hold.refresh_from_db()
    assert on_hold.resolution_due == at(2026, 11, 17, 14, 30)


def test_batches_and_the_task_give_the_same_result(friday_ticket, desk, clock):
    clock.set(2026, 11, 13, 16, 30)
    others = [_file(desk, title=f"Yazıcı {n}") for n in range(4)]
    clock.set(2026, 11, 14, 10, 0)
    _declare()  # no commit callbacks: recompute by hand, one ticket per batch
    moved = recompute_due_dates(changes=[(MONDAY, "")], batch_size=1)
    assert moved == 5
    assert {_due(t) for t in [friday_ticket, *others]} == {at(2026, 11, 17, 11, 30)}


def test_new_office_hours_move_the_due_times(
    friday_ticket, municipality, clock, django_capture_on_commit_callbacks
):
    # From Saturday on, the office opens at 09:30: the 3 hours left for Monday end at 12:30.
    municipality.office_opens = time(9, 30)
    with django_capture_on_commit_callbacks(execute=True):
        municipality.save()
    assert _due(friday_ticket) == at(2026, 11, 16, 12, 30)
