"""The process keeps one working calendar and rebuilds it when what it is built from changes."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from biys.calendar.choices import DeclaredDayKind
from biys.calendar.models import DeclaredDay
from biys.calendar.selectors import get_calendar

DAY = date(2041, 3, 6)  # a Wednesday, no holiday

pytestmark = pytest.mark.django_db


def declare(day=DAY, kind=DeclaredDayKind.FULL_DAY) -> DeclaredDay:
    return DeclaredDay.objects.create(
        date=day, kind=kind, description="İdari izin", decision_reference="Genelge 2041/1"
    )


def test_an_unchanged_calendar_costs_one_query(municipality):
    first = get_calendar()
    with CaptureQueriesContext(connection) as queries:
        again = get_calendar()
    assert again is first
    assert len(queries) == 1


def test_a_declared_day_is_seen_at_once_and_its_removal_too(municipality):
    assert get_calendar().is_working_day(DAY)
    declared = declare()
    assert not get_calendar().is_working_day(DAY)
    declared.kind = DeclaredDayKind.WORKING_DAY
    declared.save()
    assert get_calendar().is_working_day(DAY)
    declared.kind = DeclaredDayKind.FULL_DAY
    declared.save()
    assert not get_calendar().is_working_day(DAY)
    declared.delete()
    assert get_calendar().is_working_day(DAY)


def test_a_removed_day_replaced_by_another_is_seen(municipality):
    """Same count before and after: the latest change time tells them apart."""
    declare().delete()
    other = date(2041, 3, 7)
    declare(other)
    calendar = get_calendar()
    assert calendar.is_working_day(DAY)
    assert not calendar.is_working_day(other)


def test_new_office_hours_are_seen_at_once(municipality):
    assert get_calendar().hours.opens == municipality.office_opens
    municipality.office_opens = time(9, 0)
    municipality.save()
    assert get_calendar().hours.opens == time(9, 0)
