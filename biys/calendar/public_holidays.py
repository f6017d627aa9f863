"""Turkish public holidays and half days from the ``holidays`` package, cached per year.

These never change for a given year and language, so they are cached for the process lifetime.
"""

from datetime import date
from functools import lru_cache

import holidays as holidays_package
from django.utils.translation import get_language

CATEGORIES = ("public", "half_day")


def package_language() -> str:
    language = (get_language() or "tr").lower()
    return "en_US" if language.startswith("en") else "tr"


@lru_cache(maxsize=256)
def _year_table(year: int, language: str) -> dict[date, tuple[str, bool]]:
    """{date: (name, is_half_day)} for one year."""
    public = holidays_package.country_holidays(
        "TR", years=year, categories=("public",), language=language
    )
    half = holidays_package.country_holidays(
        "TR", years=year, categories=("half_day",), language=language
    )
    table = {day: (name, True) for day, name in half.items()}
    table.update({day: (name, False) for day, name in public.items()})  # a full day wins
    return table


def holidays_of_year(year: int) -> dict[date, tuple[str, bool]]:
    return _year_table(year, package_language())


def public_holiday_name(day: date) -> str | None:
    """The holiday's name when ``day`` is a full public holiday."""
    entry = holidays_of_year(day.year).get(day)
    return entry[0] if entry and not entry[1] else None


def half_day_name(day: date) -> str | None:
    entry = holidays_of_year(day.year).get(day)
    return entry[0] if entry and entry[1] else None
