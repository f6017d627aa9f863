"""The legal deadline, against a table of cases worked out by hand on the 2026 calendar:
weekends, Ramazan (20–22 March) and Kurban Bayramı (27–30 May, arife 26 May a half day),
29 Ekim (28 Ekim a half day), 1 Ocak, declared leave days, half days that do or do not count."""

from datetime import date

import pytest

from biys.applications.choices import PeriodUnit
from biys.applications.deadlines import DeadlineRule, NotExtendable, legal_deadline
from biys.calendar.choices import DeclaredDayKind
from biys.calendar.workcalendar import Declaration, OfficeHours, WorkingCalendar

BILGI_EDINME = DeadlineRule(15, PeriodUnit.WORKING_DAYS, extended_period=30)
DILEKCE = DeadlineRule(30, PeriodUnit.DAYS)
ITIRAZ = DeadlineRule(15, PeriodUnit.DAYS)
ITIRAZ_SAME_DAY = DeadlineRule(15, PeriodUnit.DAYS, count_from_receipt_day=True)


def leave(day: date) -> Declaration:
    return Declaration(day, DeclaredDayKind.FULL_DAY, "İdari izin", "Genelge 2026/1")


def half(day: date) -> Declaration:
    return Declaration(day, DeclaredDayKind.HALF_DAY, "Yarım gün idari izin", "Genelge 2026/2")


PLAIN = ()
CASES = [
    # (case, rule, received, extended, declarations, half days count, expected)
    (
        "15 working days, plain weeks",
        BILGI_EDINME,
        date(2026, 11, 2),
        False,
        PLAIN,
        True,
        date(2026, 11, 23),
    ),
    (
        "received on a Saturday: counting starts on Monday",
        BILGI_EDINME,
        date(2026, 11, 7),
        False,
        PLAIN,
        True,
        date(2026, 11, 27),
    ),
    (
        "across Kurban Bayramı and 19 Mayıs; the arife half day counts",
        BILGI_EDINME,
        date(2026, 5, 22),
        False,
        PLAIN,
        True,
        date(2026, 6, 17),
    ),
    (
        "across Kurban Bayramı, the arife half day does not count",
        BILGI_EDINME,
        date(2026, 5, 22),
        False,
        PLAIN,
        False,
        date(2026, 6, 18),
    ),
    (
        "extended to 30 working days",
        BILGI_EDINME,
        date(2026, 11, 2),
        True,
        PLAIN,
        True,
        date(2026, 12, 14),
    ),
    (
        "a declared leave day on the last day moves it",
        BILGI_EDINME,
        date(2026, 11, 2),
        False,
        (leave(date(2026, 11, 23)),),
        True,
        date(2026, 11, 24),
    ),
    (
        "a declared leave day inside the period pushes it a day",
        BILGI_EDINME,
        date(2026, 11, 2),
        False,
        (leave(date(2026, 11, 10)),),
        True,
        date(2026, 11, 24),
    ),
    (
        "a declared half day counts as a working day",
        BILGI_EDINME,
        date(2026, 11, 2),
        False,
        (half(date(2026, 11, 10)),),
        True,
        date(2026, 11, 23),
    ),
    (
        "across the new year (1 Ocak)",
        BILGI_EDINME,
        date(2026, 12, 15),
        False,
        PLAIN,
        True,
        date(2027, 1, 6),
    ),
    (
        "30 days ending on a working day",
        DILEKCE,
        date(2026, 10, 5),
        False,
        PLAIN,
        True,
        date(2026, 11, 4),
    ),
    (
        "30 days ending on a Sunday: next Monday",
        DILEKCE,
        date(2026, 11, 6),
        False,
        PLAIN,
        True,
        date(2026, 12, 7),
    ),
    (
        "30 days ending on 29 Ekim: the next working day",
        DILEKCE,
        date(2026, 9, 29),
        False,
        PLAIN,
        True,
        date(2026, 10, 30),
    ),
    (
        "30 days ending on the 28 Ekim half day: that day",
        DILEKCE,
        date(2026, 9, 28),
        False,
        PLAIN,
        True,
        date(2026, 10, 28),
    ),
    (
        "30 days ending on 28 Ekim when half days do not count",
        DILEKCE,
        date(2026, 9, 28),
        False,
        PLAIN,
        False,
        date(2026, 10, 30),
    ),
    (
        "30 days ending in Ramazan Bayramı: the Monday after",
        DILEKCE,
        date(2026, 2, 18),
        False,
        PLAIN,
        True,
        date(2026, 3, 23),
    ),
    (
        "30 days ending on a declared leave day",
        DILEKCE,
        date(2026, 10, 5),
        False,
        (leave(date(2026, 11, 4)),),
        True,
        date(2026, 11, 5),
    ),
    (
        "15 days from the day after receipt",
        ITIRAZ,
        date(2026, 11, 2),
        False,
        PLAIN,
        True,
        date(2026, 11, 17),
    ),
    (
        "15 days counted from the receipt day",
        ITIRAZ_SAME_DAY,
        date(2026, 11, 2),
        False,
        PLAIN,
        True,
        date(2026, 11, 16),
    ),
]


@pytest.mark.parametrize(
    "rule,received,extended,declarations,half_counts,expected",
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_deadline_table(rule, received, extended, declarations, half_counts, expected):
    calendar = WorkingCalendar(
        OfficeHours(half_day_counts_as_working_day=half_counts), declarations=declarations
    )
    assert legal_deadline(rule, received, extended=extended, calendar=calendar) == expected


def test_a_working_day_deadline_is_always_a_working_day():
    calendar = WorkingCalendar(OfficeHours(), declarations=())
    for offset in range(366):
        received = date(2026, 1, 1).toordinal() + offset
        due = legal_deadline(BILGI_EDINME, date.fromordinal(received), calendar=calendar)
        assert calendar.is_working_day(due)
        assert calendar.working_days_between(date.fromordinal(received), due) == 15


def test_a_rule_without_extension_refuses_to_extend():
    with pytest.raises(NotExtendable):
        legal_deadline(
            DILEKCE,
            date(2026, 11, 2),
            extended=True,
            calendar=WorkingCalendar(OfficeHours(), declarations=()),
        )


@pytest.mark.django_db
def test_the_calendars_own_declared_days_move_the_deadline(municipality):
    """Through ``get_calendar()``: a leave day an administrator declares is in the next
    computation (the product's calendar, not a copy)."""
    from biys.applications.deadlines import deadline_for
    from biys.applications.tests.factories import make_application_type
    from biys.calendar.models import DeclaredDay

    application_type = make_application_type()
    assert deadline_for(application_type, date(2026, 11, 2)) == date(2026, 11, 23)
    DeclaredDay.objects.create(
        date=date(2026, 11, 23),
        kind=DeclaredDayKind.FULL_DAY,
        description="İdari izin",
        decision_reference="Genelge 2026/3",
    )
    assert deadline_for(application_type, date(2026, 11, 2)) == date(2026, 11, 24)
    cimer = make_application_type(
        channel_sets_period=True, period=30, period_unit=PeriodUnit.DAYS, extended_period=None
    )
    # The channel's own due date wins, moved off a Sunday.
    assert deadline_for(cimer, date(2026, 11, 2), channel_due_date=date(2026, 11, 8)) == date(
        2026, 11, 9
    )
