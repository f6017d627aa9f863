"""The legal deadline of an application: one function, used by the services, the pages, the
API and ``biys applications due``.

A period in working days (iş günü) counts working days on the working calendar (weekends,
public holidays, bayram days and declared leave days skipped; a half day counts as a working
day unless the municipality says otherwise). A period in days counts calendar days, and when its
last day is not a working day it ends on the next working day. Both start the day after receipt
unless the type counts from the day of receipt.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from biys.applications.choices import PeriodUnit
from biys.calendar.workcalendar import WorkingCalendar


@dataclass(frozen=True)
class DeadlineRule:
    period: int
    unit: str = PeriodUnit.DAYS
    extended_period: int | None = None
    count_from_receipt_day: bool = False

    @classmethod
    def of(cls, application_type) -> "DeadlineRule":
        return cls(
            period=application_type.period,
            unit=application_type.period_unit,
            extended_period=application_type.extended_period,
            count_from_receipt_day=application_type.count_from_receipt_day,
        )


class NotExtendable(ValueError):
    pass


def legal_deadline(
    rule: DeadlineRule,
    received_on: date,
    *,
    extended: bool = False,
    calendar: WorkingCalendar | None = None,
) -> date:
    """The last day to answer an application received on ``received_on``."""
    if extended and not rule.extended_period:
        raise NotExtendable(_("This type of application cannot be extended."))
    period = rule.extended_period if extended else rule.period
    if calendar is None:
        from biys.calendar.selectors import get_calendar

        calendar = get_calendar()
    # The day before the first counted day: receipt itself, or the day before it when the
    # receipt day counts.
    origin = received_on - timedelta(days=1) if rule.count_from_receipt_day else received_on
    if rule.unit == PeriodUnit.WORKING_DAYS:
        return calendar.add_working_days(origin, period)
    return calendar.add_days(origin, period)


def deadline_for(
    application_type, received_on: date, *, extended=False, channel_due_date=None, calendar=None
) -> date:
    """The deadline of an application of ``application_type``: the channel's own due date when
    the type says the channel sets it (CİMER) and one was given (moved to the next working day
    when it is not one), else the type's rule."""
    if channel_due_date and application_type.channel_sets_period and not extended:
        if calendar is None:
            from biys.calendar.selectors import get_calendar

            calendar = get_calendar()
        return calendar.next_working_day(channel_due_date)
    return legal_deadline(
        DeadlineRule.of(application_type), received_on, extended=extended, calendar=calendar
    )


def working_days_left(due: date, today: date, calendar: WorkingCalendar) -> int:
    """Working days from ``today`` to ``due``: 0 on the day itself, negative when late."""
    return calendar.working_days_between(today, due)


def objection_deadline(application_type, answered_on: date, *, calendar=None) -> date | None:
    """The last day to object to an answer of ``application_type`` given on ``answered_on``
    (4982 md. 13: 15 days from the notice), counted in days from the day after the answer and
    moved to the next working day; None when the type allows no objection."""
    if not application_type.objection_period or answered_on is None:
        return None
    rule = DeadlineRule(period=application_type.objection_period, unit=PeriodUnit.DAYS)
    return legal_deadline(rule, answered_on, calendar=calendar)
