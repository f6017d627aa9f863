"""Dates and times in the active language's formats, for pages that show one per row.

``django.utils.formats.date_format`` looks the format up and parses it on every call (about
75 µs here); a list of 50 tickets shows 50 due times. ``format_datetime`` gives the same text:
the format is split into its parts once per format string, and each part is a
plain function of the value (a month's name is asked of Django once per language and month).
"""

from datetime import date, datetime
from functools import lru_cache

from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.translation import get_language


def _two(value: int) -> str:
    return f"{value:02d}"


# Format characters that are a plain number of the value; the rest go to Django's DateFormat.
_NUMBERS = {
    "d": lambda v: _two(v.day),
    "j": lambda v: str(v.day),
    "m": lambda v: _two(v.month),
    "n": lambda v: str(v.month),
    "Y": lambda v: f"{v.year:04d}",
    "y": lambda v: _two(v.year % 100),
    "H": lambda v: _two(v.hour),
    "G": lambda v: str(v.hour),
    "i": lambda v: _two(v.minute),
    "s": lambda v: _two(v.second),
}
# Month names: twelve values per language, asked of Django once.
_MONTHS = frozenset("bEFMN")


@lru_cache(maxsize=64)
def _month_names(character: str, language: str | None) -> tuple[str, ...]:
    return tuple(dateformat.format(date(2000, month, 1), character) for month in range(1, 13))


@lru_cache(maxsize=64)
def _parts(django_format: str) -> tuple:
    """The format as (literal text or None, character) pairs, escapes resolved."""
    parts = []
    escaped = False
    for character in django_format:
        if escaped:
            parts.append((character, None))
            escaped = False
        elif character == "\\":
            escaped = True
        elif character.isalpha():
            parts.append((None, character))
        else:
            parts.append((character, None))
    return tuple(parts)


def datetime_formatter(format_name: str = "SHORT_DATETIME_FORMAT"):
    """``format_datetime`` for the many values of one page: the language, the time zone and
    the format looked up once (each lookup reads the request's context-local state), then a
    plain function of the value. Call it once per page, not per process: the language and the
    time zone are the request's."""
    return _datetime_formatter(format_name, get_language(), timezone.get_current_timezone())


@lru_cache(maxsize=64)
def _datetime_formatter(format_name: str, language: str | None, zone):
    django_format = get_format(format_name, language)
    parts = _parts(django_format)
    if any(
        character is not None and character not in _NUMBERS and character not in _MONTHS
        for _literal, character in parts
    ):
        # a character Django's DateFormat answers: its own path, value by value
        def general(value):
            if isinstance(value, datetime) and timezone.is_aware(value):
                value = value.astimezone(zone)
            return format_value(value, format_name)

        return general
    # the format as one str.format() pattern of the value's fields ("d.m.Y H:i" ->
    # "{0.day:02d}.{0.month:02d}.{0.year:04d} {0.hour:02d}:{0.minute:02d}"), a month's name as
    # the month's entry of the language's names
    pattern = "".join(
        literal.replace("{", "{{").replace("}", "}}")
        if character is None
        else _FIELDS.get(character) or f"{{1[{character}]}}"
        for literal, character in parts
    )
    months = tuple({character for _literal, character in parts if character in _MONTHS})
    names = {character: _month_names(character, language) for character in months}
    if any(
        character is not None and character not in _FIELDS and character not in _MONTHS
        for _literal, character in parts
    ):
        pattern = None
    has_time = any(character in _TIME_CHARACTERS for _literal, character in parts)

    def formatted(value) -> str:
        if isinstance(value, datetime):
            if value.utcoffset() is not None:
                value = value.astimezone(zone)
        elif has_time:
            return format_value(value, format_name)  # Django's own error for a date
        if pattern is None:
            return format_value(value, format_name)
        if not months:
            return pattern.format(value, None)
        return pattern.format(
            value, {character: names[character][value.month - 1] for character in months}
        )

    return formatted


# str.format() fields for the format characters that are a plain field of the value.
_FIELDS = {
    "d": "{0.day:02d}",
    "j": "{0.day}",
    "m": "{0.month:02d}",
    "n": "{0.month}",
    "Y": "{0.year:04d}",
    "H": "{0.hour:02d}",
    "G": "{0.hour}",
    "i": "{0.minute:02d}",
    "s": "{0.second:02d}",
}


def format_datetime(value: datetime | date, format_name: str = "SHORT_DATETIME_FORMAT") -> str:
    """``date_format(localtime(value), format_name)`` for an aware datetime (a date as is)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_value(value, format_name)


# What a date (not a datetime) cannot show: Django's DateFormat refuses it.
_TIME_CHARACTERS = frozenset("aAefgGhHiOPsTuUZ")


def format_value(value: datetime | date, format_name: str) -> str:
    """``date_format(value, format_name)``, the value as given (no time zone change):
    ``format_name`` is a format setting's name or a format string ("d.m.Y H:i"), as in the
    ``date`` template filter."""
    language = get_language()
    django_format = get_format(format_name)
    if not isinstance(value, datetime) and any(
        character in _TIME_CHARACTERS for _literal, character in _parts(django_format)
    ):
        return dateformat.format(value, django_format)  # Django's own error for a date
    pieces = []
    formatter = None
    for literal, character in _parts(django_format):
        if character is None:
            pieces.append(literal)
        elif character in _NUMBERS:
            pieces.append(_NUMBERS[character](value))
        elif character in _MONTHS:
            pieces.append(_month_names(character, language)[value.month - 1])
        else:
            if formatter is None:
                formatter = dateformat.DateFormat(value)
            pieces.append(str(getattr(formatter, character)()))
    return "".join(pieces)
