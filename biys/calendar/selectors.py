"""Reads of the working calendar. Each call builds a fresh ``WorkingCalendar`` (one query for the
office hours, one per year for declared days); code computing many deadlines should call
``get_calendar()`` once and reuse it."""

from datetime import date, datetime, timedelta

from biys.calendar.choices import CalendarMode
from biys.calendar.models import DeclaredDay
from biys.calendar.workcalendar import DayInfo, WorkingCalendar


def get_calendar() -> WorkingCalendar:
    return WorkingCalendar()


def declared_day_list():
    return DeclaredDay.objects.select_related("created_by")


def is_working_day(day: date) -> bool:
    return get_calendar().is_working_day(day)


def day_info(day: date) -> DayInfo:
    return get_calendar().day_info(day)


def year_days(year: int) -> list[DayInfo]:
    return get_calendar().year_days(year)


def add_working_days(start: date, n: int) -> date:
    return get_calendar().add_working_days(start, n)


def add_days(start: date, n: int) -> date:
    return get_calendar().add_days(start, n)


def office_hours_between(start: datetime, end: datetime) -> timedelta:
    return get_calendar().office_hours_between(start, end)


def add_office_hours(start: datetime, duration: timedelta) -> datetime:
    return get_calendar().add_office_hours(start, duration)


def duration_between(
    start: datetime, end: datetime, *, mode: str = CalendarMode.OFFICE_HOURS
) -> timedelta:
    return get_calendar().duration_between(start, end, mode=mode)


def add_duration(
    start: datetime, duration: timedelta, *, mode: str = CalendarMode.OFFICE_HOURS
) -> datetime:
    return get_calendar().add_duration(start, duration, mode=mode)
