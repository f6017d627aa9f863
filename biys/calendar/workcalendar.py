"""Working-calendar arithmetic: working days, periods in days, office hours.

A ``WorkingCalendar`` reads the municipality's office hours once and the declared days one
query per calendar year it touches, so a service desk can run many SLA computations on one
instance without a query per day. Every datetime it takes must be time-zone aware; every
datetime it returns is aware, in the municipality's time zone (Europe/Istanbul).

Precedence for a day: a declared day, then a public holiday, then the weekend, then a half day.

Office time is precomputed per calendar year (``YearIndex``): the office spans of every day and
the running total of office time and of working days before each day. Measuring the office time
between two instants, or finding when a duration ends, is then a lookup and a binary search: the
cost does not grow with the distance between the instants (an SLA clock of a ticket filed years
ago costs what a new one costs). The index of a year is built from the same day classification
as everything else, so a declared day or new office hours change it with the calendar.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from biys.calendar.choices import CalendarMode, DayKind, DeclaredDayKind
from biys.calendar.public_holidays import holidays_of_year, package_language

ONE_DAY = timedelta(days=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
YEAR_INDEX_CACHE_SIZE = 64
_YEAR_INDEXES: dict[tuple, "YearIndex"] = {}
# No office hours for ten years means the office hours are misconfigured, not a long holiday.
MAX_SEARCH_DAYS = 3660


@dataclass(frozen=True)
class OfficeHours:
    opens: time = time(8, 30)
    closes: time = time(17, 30)
    lunch_starts: time | None = time(12, 30)
    lunch_ends: time | None = time(13, 30)
    half_day_ends: time = time(13, 0)
    half_day_counts_as_working_day: bool = True
    time_zone: str = "Europe/Istanbul"

    @classmethod
    def from_municipality(cls, municipality) -> "OfficeHours":
        return cls(
            opens=municipality.office_opens,
            closes=municipality.office_closes,
            lunch_starts=municipality.lunch_starts,
            lunch_ends=municipality.lunch_ends,
            half_day_ends=municipality.half_day_ends,
            half_day_counts_as_working_day=municipality.half_day_counts_as_working_day,
            time_zone=municipality.time_zone or cls.time_zone,
        )

    def spans(self, *, half_day: bool) -> list[tuple[time, time]]:
        """Worked (start, end) wall-clock spans of a day, lunch taken out."""
        end = min(self.half_day_ends, self.closes) if half_day else self.closes
        if self.opens >= end:
            return []
        if not (self.lunch_starts and self.lunch_ends and self.lunch_starts < self.lunch_ends):
            return [(self.opens, end)]
        spans = [(self.opens, min(self.lunch_starts, end)), (max(self.lunch_ends, self.opens), end)]
        return [(start, stop) for start, stop in spans if start < stop]


def load_office_hours() -> OfficeHours:
    from biys.org.models import Municipality

    municipality = Municipality.objects.order_by("pk").first()
    return OfficeHours.from_municipality(municipality) if municipality else OfficeHours()


@dataclass(frozen=True)
class Declaration:
    """The part of a ``DeclaredDay`` the arithmetic needs (no model instances kept around)."""

    date: date
    kind: str
    description: str
    decision_reference: str


@dataclass(frozen=True)
class DayInfo:
    date: date
    kind: DayKind
    is_working_day: bool  # for periods counted in working days
    name: str = ""  # the holiday's or the declaration's name
    declared: bool = False
    declared_kind: str = ""
    decision_reference: str = ""

    @property
    def is_half_day(self) -> bool:
        return self.kind == DayKind.HALF_DAY


class YearIndex:
    """One year's office time as integers (microseconds since the Unix epoch, UTC).

    ``spans[i]``: the office spans of day ``i`` (0 = 1 January); ``office_before[i]``: office
    time of the year before day ``i`` (``office_before[-1]`` is the year's total);
    ``working_before[i]``: working days (for periods in working days) before day ``i``.
    """

    __slots__ = ("first", "office_before", "spans", "working_before")

    def __init__(self, calendar: "WorkingCalendar", year: int):
        self.first = date(year, 1, 1)
        self.spans: list[tuple[tuple[int, int], ...]] = []
        self.office_before = [0]
        self.working_before = [0]
        day = self.first
        while day.year == year:
            spans = tuple(
                (_micros(start), _micros(end)) for start, end in calendar.office_spans(day)
            )
            self.spans.append(spans)
            self.office_before.append(
                self.office_before[-1] + sum(end - start for start, end in spans)
            )
            self.working_before.append(self.working_before[-1] + calendar.is_working_day(day))
            day += ONE_DAY

    @property
    def total(self) -> int:
        return self.office_before[-1]

    def position(self, day_index: int, instant: int) -> int:
        """Office time of the year before ``instant``, which falls on day ``day_index``."""
        total = self.office_before[day_index]
        for start, end in self.spans[day_index]:
            if instant > start:
                total += min(instant, end) - start
        return total

    def instant_at(self, position: int) -> int:
        """The earliest instant at which ``position`` (0 < position <= total) of office time of
        the year has passed: a span's end when the position is reached exactly at closing."""
        day_index = bisect_left(self.office_before, position) - 1
        remaining = position - self.office_before[day_index]
        for start, end in self.spans[day_index]:
            if remaining <= end - start:
                return start + remaining
            remaining -= end - start
        raise AssertionError("office_before and spans disagree")  # pragma: no cover


def _micros(value: datetime) -> int:
    delta = value - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def _from_micros(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


def _require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("A time-zone aware datetime is required.")


# Positions a calendar keeps (``WorkingCalendar._position``).
POSITIONS_KEPT = 256


class WorkingCalendar:
    def __init__(
        self,
        hours: OfficeHours | None = None,
        *,
        declarations: Iterable[Declaration] | None = None,
    ):
        """``declarations`` replaces the database (for previews and tests); by default declared
        days are read from the database, one query per year, when first needed."""
        self.hours = hours if hours is not None else load_office_hours()
        self.tz = ZoneInfo(self.hours.time_zone)
        self._declared: dict[date, Declaration] = {}
        self._loaded_years: set[int] | None = set()
        if declarations is not None:
            self._declared = {d.date: d for d in declarations}
            self._loaded_years = None  # everything is known
        # per language of the holiday names: a calendar is kept by the process and serves
        # Turkish and English pages alike
        self._days_by_language: dict[str, dict[date, DayInfo]] = {}
        self._spans: dict[date, list[tuple[datetime, datetime]]] = {}
        self._years: dict[int, YearIndex] = {}
        # (instant, origin) -> office time before it: a list page measures every row's due
        # time against one "now"
        self._positions: dict[tuple[datetime, int], int] = {}

    # Declared days -------------------------------------------------------------------------

    def preload(self, first: date, last: date) -> None:
        """Read the declared days of every year from ``first`` to ``last`` in one query."""
        if self._loaded_years is None:
            return
        years = [y for y in range(first.year, last.year + 1) if y not in self._loaded_years]
        if not years:
            return
        from biys.calendar.models import DeclaredDay

        rows = DeclaredDay.objects.filter(
            date__gte=date(years[0], 1, 1), date__lte=date(years[-1], 12, 31)
        ).values_list("date", "kind", "description", "decision_reference")
        for row in rows:
            if row[0].year in years:
                self._declared[row[0]] = Declaration(*row)
        self._loaded_years.update(years)

    def declaration(self, day: date) -> Declaration | None:
        if self._loaded_years is not None and day.year not in self._loaded_years:
            self.preload(day, day)
        return self._declared.get(day)

    # Days ----------------------------------------------------------------------------------

    def day_info(self, day: date | datetime) -> DayInfo:
        day = self._local_date(day)
        language = package_language()
        days = self._days_by_language.get(language)
        if days is None:
            days = self._days_by_language[language] = {}
        info = days.get(day)
        if info is None:
            info = days[day] = self._classify(day)
        return info

    def _classify(self, day: date) -> DayInfo:
        half_counts = self.hours.half_day_counts_as_working_day
        declared = self.declaration(day)
        if declared is not None:
            kind, working = {
                DeclaredDayKind.FULL_DAY: (DayKind.DECLARED, False),
                DeclaredDayKind.HALF_DAY: (DayKind.HALF_DAY, half_counts),
                DeclaredDayKind.WORKING_DAY: (DayKind.WORKING, True),
            }[declared.kind]
            return DayInfo(
                day,
                kind,
                working,
                name=declared.description,
                declared=True,
                declared_kind=declared.kind,
                decision_reference=declared.decision_reference,
            )
        name, is_half = holidays_of_year(day.year).get(day, ("", False))
        if name and not is_half:
            return DayInfo(day, DayKind.HOLIDAY, False, name=name)
        if day.weekday() >= 5:
            return DayInfo(day, DayKind.WEEKEND, False, name=name)
        if name:
            return DayInfo(day, DayKind.HALF_DAY, half_counts, name=name)
        return DayInfo(day, DayKind.WORKING, True)

    def is_working_day(self, day: date | datetime) -> bool:
        return self.day_info(day).is_working_day

    def year_days(self, year: int) -> list[DayInfo]:
        """Every holiday, half day and declared day of ``year``, in date order."""
        self.preload(date(year, 1, 1), date(year, 12, 31))
        days = set(holidays_of_year(year)) | {d for d in self._declared if d.year == year}
        return [self.day_info(day) for day in sorted(days)]

    # Periods in days -----------------------------------------------------------------------

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, otherwise the first working day after it."""
        day = self._local_date(day)
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """The day ``n`` working days after ``start`` (before it when ``n`` is negative); the
        start day itself is not counted."""
        day = self._local_date(start)
        self.preload(day - abs(n) * 2 * ONE_DAY, day + abs(n) * 2 * ONE_DAY)
        step = ONE_DAY if n >= 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; when ``end`` is earlier,
        minus the working days from ``end`` up to but excluding ``start``. The inverse of
        ``add_working_days``."""
        start, end = self._local_date(start), self._local_date(end)
        if end < start:
            return -self.working_days_between(end - ONE_DAY, start - ONE_DAY)
        origin = start.year
        return self._working_days_up_to(end, origin) - self._working_days_up_to(start, origin)

    def add_days(self, start: date, n: int) -> date:
        """A period of ``n`` days; when its last day is not a working day it ends on the next
        working day."""
        return self.next_working_day(self._local_date(start) + n * ONE_DAY)

    # Office hours --------------------------------------------------------------------------

    def office_spans(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's office hours as (start, end) pairs in UTC."""
        spans = self._spans.get(day)
        if spans is None:
            info = self.day_info(day)
            if info.kind in (DayKind.WORKING, DayKind.HALF_DAY):
                spans = [
                    (self._instant(day, opens), self._instant(day, closes))
                    for opens, closes in self.hours.spans(half_day=info.is_half_day)
                ]
            else:
                spans = []
            self._spans[day] = spans
        return spans

    def office_hours_between(self, start: datetime, end: datetime) -> timedelta:
        """Office time between two instants: office hours of working days and half days, less
        the lunch break. Negative when ``end`` is before ``start``."""
        if start.utcoffset() is None or end.utcoffset() is None:
            raise ValueError("A time-zone aware datetime is required.")
        start, end, sign = start.astimezone(UTC), end.astimezone(UTC), 1
        if end < start:
            start, end, sign = end, start, -1
        origin = start.astimezone(self.tz).year
        return timedelta(
            microseconds=sign * (self._position(end, origin) - self._position(start, origin))
        )

    def add_office_hours(self, start: datetime, duration: timedelta) -> datetime:
        """The instant when ``duration`` of office time has passed since ``start`` (an SLA's due
        time). A duration ending exactly at closing time ends then, not next morning."""
        _require_aware(start)
        if duration < timedelta():
            raise ValueError("The duration cannot be negative.")
        cursor = start.astimezone(UTC)
        if not duration:
            return cursor.astimezone(self.tz)
        year = self._local_date(cursor).year
        index = self.year_index(year)
        # Office time still to pass, counted from the start of ``year``.
        target = index.position(self._day_index(cursor, index), _micros(cursor)) + (
            duration // timedelta(microseconds=1)
        )
        last_year = self._local_date(cursor + MAX_SEARCH_DAYS * ONE_DAY).year
        while target > index.total:
            target -= index.total
            year += 1
            if year > last_year:
                raise ValueError("No office hours found: check the municipality's office hours.")
            index = self.year_index(year)
        return _from_micros(index.instant_at(target)).astimezone(self.tz)

    def office_time_reached(self, instant: datetime) -> datetime:
        """The latest instant, not after ``instant``, at which office time was passing: the
        instant itself during office hours, else the end of the last office span before it.
        A due time ``d`` is passed in office time by ``instant`` exactly when ``d`` is before
        this (which lets a database compare due times with one value)."""
        _require_aware(instant)
        year = self._local_date(instant).year
        index = self.year_index(year)
        position = index.position(self._day_index(instant, index), _micros(instant))
        for _ in range(MAX_SEARCH_DAYS // 365 + 1):
            if position > 0:
                return _from_micros(index.instant_at(position)).astimezone(self.tz)
            year -= 1
            index = self.year_index(year)
            position = index.total
        return _from_micros(_micros(datetime(year, 1, 1, tzinfo=self.tz))).astimezone(self.tz)

    # Either mode ---------------------------------------------------------------------------

    def duration_between(
        self, start: datetime, end: datetime, *, mode: str = CalendarMode.OFFICE_HOURS
    ) -> timedelta:
        if mode == CalendarMode.ROUND_THE_CLOCK:
            _require_aware(start)
            _require_aware(end)
            return end.astimezone(UTC) - start.astimezone(UTC)
        return self.office_hours_between(start, end)

    def add_duration(
        self, start: datetime, duration: timedelta, *, mode: str = CalendarMode.OFFICE_HOURS
    ) -> datetime:
        if mode == CalendarMode.ROUND_THE_CLOCK:
            _require_aware(start)
            return (start.astimezone(UTC) + duration).astimezone(self.tz)
        return self.add_office_hours(start, duration)

    # Precomputed office time ---------------------------------------------------------------

    def year_index(self, year: int) -> YearIndex:
        index = self._years.get(year)
        if index is None:
            self.preload(date(year, 1, 1), date(year, 12, 31))
            # Shared by every calendar with the same hours and declared days of the year, so a
            # request reuses what an earlier one built; a change of either is a new key.
            key = (
                self.hours,
                year,
                tuple(sorted((d, v.kind) for d, v in self._declared.items() if d.year == year)),
            )
            index = _YEAR_INDEXES.get(key)
            if index is None:
                index = YearIndex(self, year)
                if len(_YEAR_INDEXES) >= YEAR_INDEX_CACHE_SIZE:
                    _YEAR_INDEXES.pop(next(iter(_YEAR_INDEXES)))
                _YEAR_INDEXES[key] = index
            self._years[year] = index
        return index

    def _day_index(self, instant: datetime, index: YearIndex) -> int:
        return (self._local_date(instant) - index.first).days

    def _position(self, instant: datetime, origin: int) -> int:
        """Office time from 1 January of the year ``origin`` up to ``instant`` (not earlier;
        ``instant`` aware, in UTC)."""
        key = (instant, origin)
        position = self._positions.get(key)
        if position is not None:
            return position
        day = instant.astimezone(self.tz).date()
        index = self.year_index(day.year)
        position = index.position((day - index.first).days, _micros(instant))
        if origin != day.year:
            position += sum(self.year_index(year).total for year in range(origin, day.year))
        if len(self._positions) >= POSITIONS_KEPT:
            self._positions.clear()
        self._positions[key] = position
        return position

    def _working_days_up_to(self, day: date, origin: int) -> int:
        """Working days from 1 January of the year ``origin`` up to and including ``day``."""
        index = self.year_index(day.year)
        before = sum(self.year_index(year).working_before[-1] for year in range(origin, day.year))
        return before + index.working_before[(day - index.first).days + 1]

    # Helpers -------------------------------------------------------------------------------

    def _instant(self, day: date, wall_clock: time) -> datetime:
        return datetime.combine(day, wall_clock, tzinfo=self.tz).astimezone(UTC)

    def _local_date(self, value: date | datetime) -> date:
        if isinstance(value, datetime):
            _require_aware(value)
            return value.astimezone(self.tz).date()
        return value
