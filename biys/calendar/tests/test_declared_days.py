from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from biys.calendar import selectors, services
from biys.calendar.choices import DayKind, DeclaredDayKind
from biys.calendar.models import DeclaredDay
from biys.calendar.tests.factories import DeclaredDayFactory, make_declared_day
from biys.calendar.workcalendar import OfficeHours, WorkingCalendar
from biys.core.models import ObjectChange
from biys.core.testing import FACTORIES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def turkish():
    with translation.override("tr"):
        yield


def declare(day: date, **extra) -> DeclaredDay:
    values = {"description": "İdari izin", "decision_reference": "Genelge 2026/9", **extra}
    return services.declare_day(date=day, **values)


class TestDeclareDay:
    def test_declared_day_is_saved_change_logged_and_used(self, calendar_admin):
        assert selectors.is_working_day(date(2026, 5, 25))
        day = declare(date(2026, 5, 25), user=calendar_admin)
        assert day.created_by == calendar_admin
        assert ObjectChange.objects.filter(object_id=str(day.pk), action="create").exists()
        info = selectors.day_info(date(2026, 5, 25))
        assert info.kind == DayKind.DECLARED
        assert info.decision_reference == "Genelge 2026/9"
        assert selectors.add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)

    def test_same_date_twice_is_refused_at_the_date(self):
        declare(date(2026, 5, 25))
        with pytest.raises(ValidationError) as error:
            declare(date(2026, 5, 25))
        assert error.value.message_dict["date"] == ["Bu tarih zaten ilan edilmiş."]

    def test_decision_reference_is_required(self):
        with pytest.raises(ValidationError) as error:
            declare(date(2026, 5, 25), decision_reference="")
        assert error.value.message_dict["decision_reference"] == [
            "Hükümet kararının sayısını girin."
        ]

    def test_day_off_on_a_weekend_or_holiday_is_refused(self):
        for day in (date(2026, 3, 7), date(2026, 3, 20)):
            with pytest.raises(ValidationError) as error:
                declare(day)
            assert "date" in error.value.message_dict

    def test_extra_working_day_only_on_a_weekend_or_holiday(self):
        with pytest.raises(ValidationError) as error:
            declare(date(2026, 3, 4), kind=DeclaredDayKind.WORKING_DAY)
        assert "date" in error.value.message_dict
        declare(date(2026, 6, 6), kind=DeclaredDayKind.WORKING_DAY, description="Telafi")
        assert selectors.is_working_day(date(2026, 6, 6))

    def test_arife_may_be_declared_a_full_day_off(self):
        declare(date(2026, 5, 26))
        assert selectors.day_info(date(2026, 5, 26)).kind == DayKind.DECLARED

    def test_update_and_delete(self):
        day = declare(date(2026, 5, 25))
        services.update_declared_day(declared_day=day, date=date(2026, 5, 26))
        assert not selectors.is_working_day(date(2026, 5, 26))
        assert selectors.is_working_day(date(2026, 5, 25))
        services.delete_declared_day(declared_day=day)
        assert not DeclaredDay.objects.exists()
        assert selectors.day_info(date(2026, 5, 26)).kind == DayKind.HALF_DAY


class TestCalendarFromDatabase:
    def test_defaults_without_a_municipality(self):
        assert WorkingCalendar().hours == OfficeHours()

    def test_municipality_hours_and_half_day_rule(self, municipality):
        municipality.office_opens = time(9)
        municipality.office_closes = time(18)
        municipality.half_day_ends = time(12)
        municipality.half_day_counts_as_working_day = False
        municipality.save()
        cal = WorkingCalendar()
        assert cal.hours.opens == time(9)
        assert not cal.is_working_day(date(2026, 3, 19))
        assert cal.add_working_days(date(2026, 3, 18), 1) == date(2026, 3, 23)
        eve = cal.office_spans(date(2026, 10, 28))
        assert sum((end - start for start, end in eve), timedelta()) == timedelta(hours=3)

    def test_declared_days_are_read_once_per_year(self, django_assert_num_queries, municipality):
        DeclaredDayFactory.create_batch(3)
        declare(date(2026, 5, 25))
        cal = WorkingCalendar()
        with django_assert_num_queries(1):  # 2026 and 2027 in one query, not one per day
            cal.add_working_days(date(2026, 12, 1), 40)
            cal.office_hours_between(
                cal.add_office_hours(
                    cal._instant(date(2026, 5, 20), time(9)), timedelta(hours=100)
                ),
                cal._instant(date(2027, 1, 20), time(9)),
            )
            assert cal.year_days(2026)[0].date == date(2026, 1, 1)

    def test_year_days_selector_includes_declared_days(self):
        declare(date(2026, 5, 25))
        days = {d.date: d for d in selectors.year_days(2026)}
        assert days[date(2026, 5, 25)].declared
        assert days[date(2026, 5, 27)].name == "Kurban Bayramı"


def test_factory_is_registered_and_ignores_the_unit(org_tree):
    assert FACTORIES[DeclaredDay] is make_declared_day
    first = FACTORIES[DeclaredDay](org_tree["roads"])
    second = FACTORIES[DeclaredDay](org_tree["dept"])
    assert first.date != second.date
    first.full_clean()
