"""The precomputed office time (``YearIndex``) against a plain day-by-day loop, and its cost.

The loop below is the definition: office spans of each local day, clipped to the interval. The
calendar's fast path must give exactly the same answers over random spans crossing bayrams, half
days, declared leave days and make-up working days, and must not walk the days between the ends.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from biys.calendar.choices import DeclaredDayKind
from biys.calendar.workcalendar import Declaration, OfficeHours, WorkingCalendar

IST = ZoneInfo("Europe/Istanbul")
ONE_DAY = timedelta(days=1)

DECLARATIONS = (
    Declaration(date(2026, 3, 23), DeclaredDayKind.FULL_DAY, "Ramazan idari izin", "Genelge"),
    Declaration(date(2026, 5, 25), DeclaredDayKind.FULL_DAY, "Kurban idari izin", "Genelge"),
    Declaration(date(2026, 6, 6), DeclaredDayKind.WORKING_DAY, "Telafi", "Genelge"),
    Declaration(date(2027, 12, 31), DeclaredDayKind.HALF_DAY, "Yılbaşı arifesi", "Genelge"),
    Declaration(date(2027, 3, 12), DeclaredDayKind.FULL_DAY, "Köprü", "Genelge"),
)
# Built once: the examples then compare lookups in the same, already built, year indexes.
CALENDARS = {
    "standard": WorkingCalendar(OfficeHours(), declarations=DECLARATIONS),
    "strict_half_days": WorkingCalendar(
        OfficeHours(half_day_counts_as_working_day=False), declarations=DECLARATIONS
    ),
    "no_lunch": WorkingCalendar(
        OfficeHours(opens=time(9), closes=time(18), lunch_starts=None, lunch_ends=None),
        declarations=DECLARATIONS,
    ),
}


def loop_office_hours_between(cal: WorkingCalendar, start: datetime, end: datetime) -> timedelta:
    if end < start:
        return -loop_office_hours_between(cal, end, start)
    total, day = timedelta(), start.astimezone(cal.tz).date()
    while day <= end.astimezone(cal.tz).date():
        for opens, closes in cal.office_spans(day):
            overlap = min(closes, end) - max(opens, start)
            if overlap > timedelta():
                total += overlap
        day += ONE_DAY
    return total


def loop_add_office_hours(cal: WorkingCalendar, start: datetime, duration: timedelta):
    cursor = start.astimezone(UTC)
    if not duration:
        return cursor
    remaining, day = duration, cursor.astimezone(cal.tz).date()
    while True:
        for opens, closes in cal.office_spans(day):
            if closes <= cursor:
                continue
            begin = max(opens, cursor)
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
        day += ONE_DAY


def loop_working_days_between(cal: WorkingCalendar, start: date, end: date) -> int:
    if end < start:
        return -loop_working_days_between(cal, end - ONE_DAY, start - ONE_DAY)
    return sum(cal.is_working_day(start + n * ONE_DAY) for n in range(1, (end - start).days + 1))


INSTANTS = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2028, 2, 1), timezones=st.just(IST)
)
# Minutes on a quarter-hour grid hit opening, lunch and closing times exactly, plus odd seconds.
ON_GRID = st.builds(
    lambda day, quarter: (
        datetime.combine(day, time(), tzinfo=IST) + timedelta(minutes=15 * quarter)
    ),
    st.dates(min_value=date(2025, 12, 1), max_value=date(2028, 2, 1)),
    st.integers(min_value=0, max_value=95),
)
ANY_INSTANT = st.one_of(INSTANTS, ON_GRID)


@pytest.fixture(autouse=True)
def turkish():
    with translation.override("tr"):
        yield


@pytest.mark.parametrize("name", sorted(CALENDARS))
@settings(max_examples=120, deadline=None)
@given(start=ANY_INSTANT, end=ANY_INSTANT)
def test_office_hours_between_equals_the_loop(name, start, end):
    with translation.override("tr"):
        cal = CALENDARS[name]
        assert cal.office_hours_between(start, end) == loop_office_hours_between(cal, start, end)


@pytest.mark.parametrize("name", sorted(CALENDARS))
@settings(max_examples=120, deadline=None)
@given(
    start=ANY_INSTANT,
    minutes=st.one_of(
        st.integers(min_value=0, max_value=60 * 8 * 120),
        st.sampled_from([30, 60, 240, 270, 480, 960]),  # ends on lunch and closing times
    ),
    seconds=st.integers(min_value=0, max_value=59),
)
def test_add_office_hours_equals_the_loop(name, start, minutes, seconds):
    with translation.override("tr"):
        cal = CALENDARS[name]
        duration = timedelta(minutes=minutes, seconds=seconds)
        assert cal.add_office_hours(start, duration) == loop_add_office_hours(cal, start, duration)


@settings(max_examples=150, deadline=None)
@given(
    start=st.dates(min_value=date(2025, 12, 1), max_value=date(2028, 2, 1)),
    end=st.dates(min_value=date(2025, 12, 1), max_value=date(2028, 2, 1)),
)
def test_working_days_between_equals_the_loop(start, end):
    with translation.override("tr"):
        cal = CALENDARS["strict_half_days"]
        assert cal.working_days_between(start, end) == loop_working_days_between(cal, start, end)


def test_a_declared_leave_day_extends_the_bayram():
    # Ramazan Bayramı 2026: arife 19 March (half day), 20-22 March; 23 March declared leave.
    start = datetime(2026, 3, 18, 16, tzinfo=IST)
    plain = WorkingCalendar(OfficeHours(), declarations=())
    declared = CALENDARS["standard"]
    assert plain.add_office_hours(start, timedelta(hours=6)) == datetime(2026, 3, 23, 9, tzinfo=IST)
    assert declared.add_office_hours(start, timedelta(hours=6)) == datetime(
        2026, 3, 24, 9, tzinfo=IST
    )


class CountingCalendar(WorkingCalendar):
    """Counts how many single days the arithmetic looks at."""

    day_steps = 0

    def office_spans(self, day):
        type(self).day_steps += 1
        return super().office_spans(day)


def test_old_tickets_cost_no_day_steps():
    cal = CountingCalendar(OfficeHours(), declarations=DECLARATIONS)
    now = datetime(2027, 11, 30, 10, tzinfo=IST)
    cal.office_hours_between(datetime(2025, 1, 2, 9, tzinfo=IST), now)  # builds the years
    built = CountingCalendar.day_steps
    assert built <= 3 * 366  # one pass over each year, once
    for age_days in (1, 30, 400, 1000):
        due = now - timedelta(days=age_days)
        cal.office_hours_between(due, now)
        cal.add_office_hours(due, timedelta(hours=8 * age_days // 2))
        cal.working_days_between(due.date(), now.date())
    assert CountingCalendar.day_steps == built


def test_year_indexes_are_shared_until_the_calendar_changes():
    first = WorkingCalendar(OfficeHours(), declarations=())
    second = WorkingCalendar(OfficeHours(), declarations=())
    assert first.year_index(2026) is second.year_index(2026)
    declared = WorkingCalendar(OfficeHours(), declarations=DECLARATIONS[:1])
    assert declared.year_index(2026).total == first.year_index(2026).total - 8 * 3600 * 10**6
    shorter = WorkingCalendar(OfficeHours(closes=time(16, 30)), declarations=())
    assert shorter.year_index(2026) is not first.year_index(2026)
