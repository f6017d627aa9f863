"""Working-calendar arithmetic around the 2026 and 2027 bayrams.

The religious holiday dates asserted here are the ``holidays`` package's (confirmed by Diyanet):
Ramazan Bayramı 2026 is 20–22 March (arife 19 March), Kurban Bayramı 2026 is 27–30 May (arife
26 May); Ramazan Bayramı 2027 is 9–11 March (arife 8 March), Kurban Bayramı 2027 is 16–19 May
(arife 15 May, a Saturday).
These tests need no database: the calendar is given its declared days directly.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from biys.calendar.choices import CalendarMode, DayKind, DeclaredDayKind
from biys.calendar.public_holidays import holidays_of_year
from biys.calendar.workcalendar import Declaration, OfficeHours, WorkingCalendar

IST = ZoneInfo("Europe/Istanbul")


def make_calendar(*declarations: Declaration, **hours) -> WorkingCalendar:
    return WorkingCalendar(OfficeHours(**hours), declarations=declarations)


def at(day: date, hour: int, minute: int = 0, tz=IST) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


@pytest.fixture(autouse=True)
def turkish():
    with translation.override("tr"):
        yield


@pytest.fixture
def cal() -> WorkingCalendar:
    return make_calendar()


class TestHolidayData:
    def test_2026_bayrams_as_the_package_has_them(self):
        table = holidays_of_year(2026)
        ramazan = sorted(d for d, (name, half) in table.items() if "Ramazan" in name and not half)
        kurban = sorted(d for d, (name, half) in table.items() if "Kurban" in name and not half)
        assert ramazan == [date(2026, 3, 20), date(2026, 3, 21), date(2026, 3, 22)]
        assert kurban == [date(2026, 5, d) for d in (27, 28, 29, 30)]
        halves = sorted(d for d, (_name, half) in table.items() if half)
        assert halves == [date(2026, 3, 19), date(2026, 5, 26), date(2026, 10, 28)]

    def test_2027_bayrams_as_the_package_has_them(self):
        table = holidays_of_year(2027)
        ramazan = sorted(d for d, (name, half) in table.items() if "Ramazan" in name and not half)
        kurban = sorted(d for d, (name, half) in table.items() if "Kurban" in name and not half)
        assert ramazan == [date(2027, 3, 9), date(2027, 3, 10), date(2027, 3, 11)]
        assert kurban == [date(2027, 5, d) for d in (16, 17, 18, 19)]
        halves = sorted(d for d, (_name, half) in table.items() if half)
        assert halves == [date(2027, 3, 8), date(2027, 5, 15), date(2027, 10, 28)]

    def test_names_follow_the_active_language(self, cal):
        assert cal.day_info(date(2026, 1, 1)).name == "Yılbaşı"
        with translation.override("en"):
            assert make_calendar().day_info(date(2026, 1, 1)).name == "New Year's Day"


class TestDayInfo:
    def test_ordinary_weekday_and_weekend(self, cal):
        assert cal.day_info(date(2026, 3, 4)).kind == DayKind.WORKING
        assert cal.is_working_day(date(2026, 3, 4))
        saturday = cal.day_info(date(2026, 3, 7))
        assert saturday.kind == DayKind.WEEKEND
        assert not saturday.is_working_day

    def test_first_of_january(self, cal):
        info = cal.day_info(date(2027, 1, 1))
        assert (info.kind, info.name, info.is_working_day) == (DayKind.HOLIDAY, "Yılbaşı", False)

    def test_29_ekim_holiday_and_28_ekim_half_day(self, cal):
        republic_day = cal.day_info(date(2026, 10, 29))
        assert republic_day.kind == DayKind.HOLIDAY
        assert republic_day.name == "Cumhuriyet Bayramı"
        eve = cal.day_info(date(2026, 10, 28))
        assert eve.kind == DayKind.HALF_DAY
        assert eve.name == "Cumhuriyet Bayramı (saat 13.00'ten)"
        assert eve.is_working_day

    def test_half_day_counts_per_municipality_setting(self):
        strict = make_calendar(half_day_counts_as_working_day=False)
        assert strict.day_info(date(2026, 3, 19)).kind == DayKind.HALF_DAY
        assert not strict.is_working_day(date(2026, 3, 19))

    def test_bayram_on_a_weekend_is_a_holiday(self, cal):
        assert cal.day_info(date(2026, 3, 21)).kind == DayKind.HOLIDAY
        assert cal.day_info(date(2026, 5, 30)).kind == DayKind.HOLIDAY

    def test_arife_on_a_saturday_stays_a_weekend_day(self, cal):
        info = cal.day_info(date(2027, 5, 15))
        assert info.kind == DayKind.WEEKEND
        assert "Kurban" in info.name

    def test_two_holidays_on_one_day_keep_both_names(self, cal):
        name = cal.day_info(date(2027, 5, 19)).name
        assert "Atatürk" in name and "Kurban Bayramı" in name

    def test_declared_day_wins_and_carries_its_reference(self):
        cal = make_calendar(
            Declaration(date(2026, 5, 25), DeclaredDayKind.FULL_DAY, "İdari izin", "Genelge 2026/9")
        )
        info = cal.day_info(date(2026, 5, 25))
        assert info.kind == DayKind.DECLARED
        assert info.declared and info.decision_reference == "Genelge 2026/9"
        assert not info.is_working_day

    def test_declared_extra_working_day_on_a_saturday(self):
        cal = make_calendar(
            Declaration(date(2026, 6, 6), DeclaredDayKind.WORKING_DAY, "Telafi", "Genelge 2026/9")
        )
        assert cal.day_info(date(2026, 6, 6)).kind == DayKind.WORKING
        assert cal.is_working_day(date(2026, 6, 6))

    def test_aware_datetime_is_read_in_istanbul(self, cal):
        # 21:30 UTC on Thursday 19 March is already Friday 20 March (Ramazan Bayramı) in Istanbul.
        assert not cal.is_working_day(datetime(2026, 3, 19, 21, 30, tzinfo=UTC))
        with pytest.raises(ValueError):
            cal.is_working_day(datetime(2026, 3, 19, 12, 0))

    def test_year_days_lists_holidays_half_days_and_declared_days(self):
        cal = make_calendar(
            Declaration(date(2026, 5, 25), DeclaredDayKind.FULL_DAY, "İdari izin", "Genelge 2026/9")
        )
        days = cal.year_days(2026)
        assert [d.date for d in days] == sorted(d.date for d in days)
        by_date = {d.date: d for d in days}
        assert by_date[date(2026, 5, 25)].declared
        assert by_date[date(2026, 3, 19)].kind == DayKind.HALF_DAY
        assert by_date[date(2026, 8, 30)].kind == DayKind.HOLIDAY  # Zafer Bayramı on a Sunday
        assert date(2026, 3, 7) not in by_date  # an ordinary weekend is not listed
        assert len(days) == len(holidays_of_year(2026)) + 1


class TestAddWorkingDays:
    def test_across_ramazan_bayrami_2026(self, cal):
        # 19 (arife, counts) = 1; 20-22 bayram and weekend; 23 = 2; 24 = 3
        assert cal.add_working_days(date(2026, 3, 18), 3) == date(2026, 3, 24)

    def test_across_ramazan_bayrami_2026_when_half_days_do_not_count(self):
        cal = make_calendar(half_day_counts_as_working_day=False)
        assert cal.add_working_days(date(2026, 3, 18), 3) == date(2026, 3, 25)

    def test_across_kurban_bayrami_2026(self, cal):
        # 26 (arife) = 1; 27-30 bayram; 31 Sunday; 1 June = 2
        assert cal.add_working_days(date(2026, 5, 25), 2) == date(2026, 6, 1)

    def test_across_bayrams_2027(self, cal):
        # 8 March (arife, Monday) = 1; 9-11 bayram; 12 March = 2
        assert cal.add_working_days(date(2027, 3, 5), 2) == date(2027, 3, 12)
        # 15 May arife is a Saturday; 16-19 bayram; Thursday 20 May is the first working day
        assert cal.add_working_days(date(2027, 5, 14), 1) == date(2027, 5, 20)

    def test_declared_idari_izin_extends_the_bayram(self, cal):
        assert cal.add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 25)
        extended = make_calendar(
            Declaration(date(2026, 5, 25), DeclaredDayKind.FULL_DAY, "İdari izin", "Genelge"),
            Declaration(date(2026, 5, 26), DeclaredDayKind.FULL_DAY, "İdari izin", "Genelge"),
        )
        assert extended.add_working_days(date(2026, 5, 22), 1) == date(2026, 6, 1)

    def test_around_29_ekim(self, cal):
        # 28 Ekim (half day) = 1; 29 Ekim holiday; 30 Ekim = 2
        assert cal.add_working_days(date(2026, 10, 27), 2) == date(2026, 10, 30)

    def test_zero_and_negative(self, cal):
        assert cal.add_working_days(date(2026, 3, 21), 0) == date(2026, 3, 21)
        assert cal.add_working_days(date(2026, 3, 23), -1) == date(2026, 3, 19)
        assert cal.add_working_days(date(2026, 3, 23), -2) == date(2026, 3, 18)

    def test_working_days_between(self, cal):
        assert cal.working_days_between(date(2026, 3, 18), date(2026, 3, 24)) == 3
        assert cal.working_days_between(date(2026, 3, 24), date(2026, 3, 18)) == -3
        # backwards the start day is excluded and the end day counted
        assert cal.working_days_between(date(2027, 1, 1), date(2026, 12, 31)) == -1


class TestAddDays:
    def test_last_day_on_a_working_day_stays(self, cal):
        assert cal.add_days(date(2026, 3, 2), 10) == date(2026, 3, 12)

    def test_last_day_on_a_sunday_moves_to_monday(self, cal):
        assert cal.add_days(date(2026, 3, 12), 3) == date(2026, 3, 16)

    def test_last_day_in_a_bayram_moves_past_it(self, cal):
        # 20 March is Ramazan Bayramı, then a weekend: the period ends Monday 23 March.
        assert cal.add_days(date(2026, 3, 10), 10) == date(2026, 3, 23)

    def test_last_day_on_1_ocak_moves_past_the_weekend(self, cal):
        assert cal.add_days(date(2026, 12, 30), 2) == date(2027, 1, 4)

    def test_last_day_on_a_half_day_depends_on_the_setting(self):
        assert make_calendar().add_days(date(2026, 10, 21), 7) == date(2026, 10, 28)
        strict = make_calendar(half_day_counts_as_working_day=False)
        assert strict.add_days(date(2026, 10, 21), 7) == date(2026, 10, 30)

    def test_last_day_on_a_declared_day_moves(self):
        cal = make_calendar(
            Declaration(date(2026, 5, 25), DeclaredDayKind.FULL_DAY, "İdari izin", "Genelge"),
            Declaration(date(2026, 5, 26), DeclaredDayKind.FULL_DAY, "İdari izin", "Genelge"),
        )
        assert cal.add_days(date(2026, 5, 15), 10) == date(2026, 6, 1)


class TestOfficeHoursBetween:
    def test_a_full_day_is_eight_hours(self, cal):
        day = date(2026, 3, 2)
        assert cal.office_hours_between(at(day, 8, 30), at(day, 17, 30)) == timedelta(hours=8)
        assert cal.office_hours_between(at(day, 0), at(day, 23, 59)) == timedelta(hours=8)

    def test_across_lunch(self, cal):
        day = date(2026, 3, 2)
        assert cal.office_hours_between(at(day, 12), at(day, 14)) == timedelta(hours=1)
        assert cal.office_hours_between(at(day, 12, 40), at(day, 13, 20)) == timedelta()

    def test_across_a_weekend(self, cal):
        friday, monday = date(2026, 3, 6), date(2026, 3, 9)
        assert cal.office_hours_between(at(friday, 16), at(monday, 10)) == timedelta(hours=3)

    def test_on_a_half_day_until_13_00_less_lunch(self, cal):
        # 28 Ekim: 08:30-13:00, and the lunch break starting 12:30 is not worked.
        eve = date(2026, 10, 28)
        assert cal.office_hours_between(at(eve, 8, 30), at(eve, 17, 30)) == timedelta(hours=4)
        assert cal.office_hours_between(at(eve, 9), at(eve, 12)) == timedelta(hours=3)

    def test_half_day_without_a_lunch_break(self):
        cal = make_calendar(lunch_starts=None, lunch_ends=None)
        eve = date(2026, 10, 28)
        assert cal.office_hours_between(at(eve, 8), at(eve, 18)) == timedelta(hours=4, minutes=30)

    def test_across_ramazan_bayrami(self, cal):
        # Wed 18 Mar 17:00-17:30 = 0:30; arife 08:30-12:30 = 4:00; Mon 23 Mar 08:30-09:30 = 1:00
        start, end = at(date(2026, 3, 18), 17), at(date(2026, 3, 23), 9, 30)
        assert cal.office_hours_between(start, end) == timedelta(hours=5, minutes=30)

    def test_same_instants_in_any_offset_give_the_same_answer(self, cal):
        start, end = at(date(2026, 3, 6), 16), at(date(2026, 3, 30), 10)
        expected = cal.office_hours_between(start, end)
        berlin = ZoneInfo("Europe/Berlin")  # switches to summer time on 29 March 2026
        assert cal.office_hours_between(start.astimezone(UTC), end.astimezone(berlin)) == expected
        assert cal.office_hours_between(
            datetime(2026, 3, 2, 5, 30, tzinfo=UTC), datetime(2026, 3, 2, 15, 30, tzinfo=berlin)
        ) == timedelta(hours=8)

    def test_reversed_is_negative_and_naive_is_refused(self, cal):
        day = date(2026, 3, 2)
        assert cal.office_hours_between(at(day, 14), at(day, 12)) == -timedelta(hours=1)
        with pytest.raises(ValueError):
            cal.office_hours_between(datetime(2026, 3, 2, 9), at(day, 12))

    def test_municipality_hours_are_used(self):
        cal = make_calendar(
            opens=time(9), closes=time(18), lunch_starts=time(12), lunch_ends=time(13)
        )
        day = date(2026, 3, 2)
        assert cal.office_hours_between(at(day, 8), at(day, 12, 30)) == timedelta(hours=3)


class TestAddOfficeHours:
    def test_within_a_day_and_overnight(self, cal):
        monday = date(2026, 3, 2)
        assert cal.add_office_hours(at(monday, 9), timedelta(hours=2)) == at(monday, 11)
        assert cal.add_office_hours(at(monday, 16, 30), timedelta(hours=2)) == at(
            date(2026, 3, 3), 9, 30
        )

    def test_ending_exactly_at_closing_time(self, cal):
        monday = date(2026, 3, 2)
        assert cal.add_office_hours(at(monday, 16, 30), timedelta(hours=1)) == at(monday, 17, 30)

    def test_lunch_and_weekend_are_skipped(self, cal):
        monday, saturday = date(2026, 3, 2), date(2026, 3, 7)
        assert cal.add_office_hours(at(monday, 12, 45), timedelta(minutes=30)) == at(monday, 14)
        assert cal.add_office_hours(at(saturday, 10), timedelta(hours=1)) == at(
            date(2026, 3, 9), 9, 30
        )

    def test_spanning_ramazan_bayrami(self, cal):
        # 18 Mar 16:00-17:30 = 1:30; arife 19 Mar 08:30-12:30 = 4:00; 20-22 off; 23 Mar 08:30+0:30
        result = cal.add_office_hours(at(date(2026, 3, 18), 16), timedelta(hours=6))
        assert result == at(date(2026, 3, 23), 9)

    def test_spanning_kurban_bayrami_2027(self, cal):
        # Fri 14 May 17:00-17:30 = 0:30; 15-19 May off; Thursday 20 May 08:30 + 1:30
        result = cal.add_office_hours(at(date(2027, 5, 14), 17), timedelta(hours=2))
        assert result == at(date(2027, 5, 20), 10)

    def test_result_is_aware_in_istanbul(self, cal):
        result = cal.add_office_hours(datetime(2026, 3, 2, 6, 0, tzinfo=UTC), timedelta(hours=1))
        assert result.tzinfo == IST
        assert result.utcoffset() == timedelta(hours=3)
        assert result == at(date(2026, 3, 2), 10)

    def test_zero_and_negative_durations(self, cal):
        saturday_noon = at(date(2026, 3, 7), 12)
        assert cal.add_office_hours(saturday_noon, timedelta()) == saturday_noon
        with pytest.raises(ValueError):
            cal.add_office_hours(saturday_noon, -timedelta(hours=1))

    def test_no_office_hours_at_all_is_an_error(self):
        cal = make_calendar(opens=time(9), closes=time(9))
        with pytest.raises(ValueError):
            cal.add_office_hours(at(date(2026, 3, 2), 9), timedelta(hours=1))


class TestCalendarMode:
    def test_round_the_clock_is_plain_time(self, cal):
        start = at(date(2026, 3, 19), 16)
        due = cal.add_duration(start, timedelta(hours=48), mode=CalendarMode.ROUND_THE_CLOCK)
        assert due == at(date(2026, 3, 21), 16)
        assert cal.duration_between(start, due, mode=CalendarMode.ROUND_THE_CLOCK) == timedelta(
            hours=48
        )

    def test_office_hours_mode_is_the_default(self, cal):
        start = at(date(2026, 3, 18), 16)
        assert cal.add_duration(start, timedelta(hours=6)) == at(date(2026, 3, 23), 9)
        assert cal.duration_between(start, at(date(2026, 3, 23), 9)) == timedelta(hours=6)


DATES = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))
PROPERTY_CALENDAR = make_calendar(
    Declaration(date(2026, 5, 25), DeclaredDayKind.FULL_DAY, "İdari izin", "Genelge"),
    Declaration(date(2026, 6, 6), DeclaredDayKind.WORKING_DAY, "Telafi", "Genelge"),
)


@settings(max_examples=150, deadline=None)
@given(start=DATES, n=st.integers(min_value=-60, max_value=60))
def test_add_working_days_lands_on_a_working_day_and_counts_back(start, n):
    with translation.override("tr"):
        result = PROPERTY_CALENDAR.add_working_days(start, n)
        if n:
            assert PROPERTY_CALENDAR.is_working_day(result)
            assert (result > start) == (n > 0)
        assert PROPERTY_CALENDAR.working_days_between(start, result) == n


@settings(max_examples=100, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
    ),
    minutes=st.integers(min_value=1, max_value=60 * 200),
)
def test_add_office_hours_and_office_hours_between_agree(start, minutes):
    with translation.override("tr"):
        duration = timedelta(minutes=minutes)
        due = PROPERTY_CALENDAR.add_office_hours(start, duration)
        assert due > start
        assert PROPERTY_CALENDAR.office_hours_between(start, due) == duration


def test_one_calendar_names_the_holidays_in_each_page_language():
    """The process keeps one calendar for every page: an English page after a Turkish one
    must not show the names the Turkish page cached."""
    calendar = WorkingCalendar(OfficeHours(), declarations=[])
    with translation.override("tr"):
        turkish = calendar.day_info(date(2026, 3, 20)).name
    with translation.override("en"):
        english = calendar.day_info(date(2026, 3, 20)).name
    assert "Ramazan" in turkish
    assert english and english != turkish and "Bayram" not in english
