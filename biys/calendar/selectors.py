"""Reads of the working calendar. ``get_calendar()`` costs one query: the calendar is built from
the municipality's office hours and the declared days, and kept by the process until either
changes (their row counts and latest change times, read in that one query, are its version),
so every gunicorn worker sees a declared day as soon as it is committed. Code computing many
deadlines should still call ``get_calendar()`` once and reuse it."""

from datetime import date, datetime, timedelta

from biys.calendar.choices import CalendarMode
from biys.calendar.models import DeclaredDay
from biys.calendar.workcalendar import DayInfo, Declaration, WorkingCalendar

# The process's calendar and the version it was built at.
_shared: dict = {}


def calendar_version() -> tuple:
    """What the calendar is built from, as a value that changes with any of it: a declared day
    added, changed or removed, the office hours edited (every such write goes through a model
    save, which stamps ``last_updated``)."""
    from django.db import connection

    from biys.org.models import Municipality

    declared = connection.ops.quote_name(DeclaredDay._meta.db_table)
    municipality = connection.ops.quote_name(Municipality._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {declared}), (SELECT MAX(last_updated) FROM {declared}),"
            f" (SELECT COUNT(*) FROM {municipality}), (SELECT MAX(last_updated) FROM {municipality})"
        )
        return (connection.alias, *cursor.fetchone())


def get_calendar() -> WorkingCalendar:
    """The working calendar as committed (or as this transaction sees it)."""
    version = calendar_version()
    calendar = _shared.get(version)
    if calendar is None:
        declarations = [
            Declaration(*row)
            for row in DeclaredDay.objects.values_list(
                "date", "kind", "description", "decision_reference"
            )
        ]
        calendar = WorkingCalendar(declarations=declarations)
        _shared.clear()
        _shared[version] = calendar
    return calendar


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
