"""Reads of the working calendar. The calendar is built from the municipality's office hours and
the declared days, and kept by the process until either changes: their tables are watched
(``biys.core.generations``), so every gunicorn worker sees a declared day as soon as it is
committed, and a request pays for it with the one query that reads every cache's generation.
Code computing many deadlines should still call ``get_calendar()`` once and reuse it."""

from datetime import date, datetime, timedelta

from biys.calendar.choices import CalendarMode
from biys.calendar.models import DeclaredDay
from biys.calendar.workcalendar import DayInfo, Declaration, WorkingCalendar
from biys.core.generations import GenerationCache

CALENDAR_GENERATION = "calendar"
_calendars = GenerationCache(CALENDAR_GENERATION, maxsize=4)


def calendar_tables() -> list[str]:
    from biys.org.models import Municipality

    return [DeclaredDay._meta.db_table, Municipality._meta.db_table]


def _build_calendar() -> WorkingCalendar:
    declarations = [
        Declaration(*row)
        for row in DeclaredDay.objects.values_list(
            "date", "kind", "description", "decision_reference"
        )
    ]
    return WorkingCalendar(declarations=declarations)


def get_calendar() -> WorkingCalendar:
    """The working calendar as committed (or as this transaction sees it)."""
    return _calendars.get("calendar", _build_calendar)


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
