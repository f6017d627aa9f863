"""Date and datetime cells rendered by ``core.tables.render_rows`` read as django-tables2's own
``{{ value|date:FORMAT|default:default }}`` does, for named formats and format strings, in both
languages and across time zones (``biys.core.dates.format_value``)."""

import random
import re
from datetime import UTC, date, datetime, timedelta

import django_tables2 as tables
import pytest
from django.template import Context
from django.template.base import render_value_in_context
from django.utils import translation

from biys.core.dates import format_value
from biys.core.models import ObjectChange
from biys.core.tables import BiysTable, render_rows


class DatesTable(BiysTable):
    time = tables.DateTimeColumn(format="d.m.Y H:i")
    time_named = tables.DateTimeColumn(accessor="time")
    time_short = tables.DateTimeColumn(accessor="time", short=True)
    time_words = tables.DateTimeColumn(accessor="time", format=r"j F Y, l \s\a\a\t G")
    day = tables.DateColumn(accessor="time__date", format="d.m.Y")
    day_named = tables.DateColumn(accessor="time__date")
    empty = tables.DateColumn(accessor="request_id", default="—")

    class Meta(BiysTable.Meta):
        model = ObjectChange
        fields = ("time",)
        sequence = ("time", "time_named", "time_short", "time_words", "day", "day_named", "empty")


def _records():
    rng = random.Random(11)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        ObjectChange(
            pk=index,
            time=start + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)),
            request_id="",
        )
        for index in range(1, 120)
    ]


def _library_cells(table) -> list:
    context = Context(autoescape=True)
    return [
        [render_value_in_context(cell, context) for _column, cell in row.items()]
        for row in table.paginated_rows
    ]


def _rendered_cells(table) -> list:
    html = str(render_rows(table, Context(autoescape=True)))
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in html.split("<tr ")[1:]]


@pytest.mark.parametrize("language", ["tr", "en"])
@pytest.mark.parametrize("zone", ["Europe/Istanbul", "UTC"])
def test_date_cells_read_as_the_library_renders_them(settings, language, zone):
    settings.TIME_ZONE = zone
    records = _records()
    with translation.override(language):
        table = DatesTable(records)
        rendered, library = _rendered_cells(table), _library_cells(table)
    assert len(rendered) == len(records)
    assert rendered == library
    assert all(row[-1] == "—" for row in rendered)  # an empty value shows the default


def test_format_value_refuses_a_time_on_a_date_as_django_does():
    with pytest.raises(TypeError):
        format_value(date(2026, 3, 1), "d.m.Y H:i")
    assert format_value(date(2026, 3, 1), "d.m.Y") == "01.03.2026"


class NumbersTable(BiysTable):
    object_id = tables.Column()
    amount = tables.Column(accessor="request_id")

    class Meta(BiysTable.Meta):
        model = ObjectChange
        fields = ("object_id",)


@pytest.mark.parametrize("language", ["tr", "en"])
def test_numbers_formatted_once_per_value_read_as_the_library_renders_them(settings, language):
    from decimal import Decimal

    settings.USE_THOUSAND_SEPARATOR = True
    values = [Decimal("7.50"), Decimal("7.5"), 7.5, 7, 12345, 12345, Decimal("0.1"), -0.0, 0.0]
    records = [
        ObjectChange(pk=index, object_id=str(index), request_id=value)
        for index, value in enumerate(values, 1)
    ]
    with translation.override(language):
        table = NumbersTable(records)
        rendered, library = _rendered_cells(table), _library_cells(table)
    assert [row[1] for row in rendered] == [row[1] for row in library]
    assert rendered[0][1] != rendered[1][1]  # 7.50 and 7.5 are equal, not the same text


@pytest.mark.parametrize("language", ["tr", "en"])
@pytest.mark.parametrize("zone", ["Europe/Istanbul", "UTC", "America/New_York"])
@pytest.mark.parametrize(
    "format_name",
    [
        "SHORT_DATETIME_FORMAT",
        "DATETIME_FORMAT",
        "SHORT_DATE_FORMAT",
        "DATE_FORMAT",
        "d.m.y H:i",
        r"j F Y, l \s\a\a\t G",
        "{d} N E b",
    ],
)
def test_a_page_formatter_reads_as_format_datetime(settings, language, zone, format_name):
    """``datetime_formatter`` (one lookup of language, zone and format per page, then one
    ``str.format`` per value) gives ``format_datetime``'s text for datetimes and dates."""
    from django.utils import timezone

    from biys.core.dates import datetime_formatter, format_datetime

    settings.TIME_ZONE = zone
    values = [record.time for record in _records()] + [date(2026, 2, 28), date(2025, 12, 1)]
    with translation.override(language), timezone.override(zone):
        formatted = datetime_formatter(format_name)
        for value in values:
            try:
                expected = format_datetime(value, format_name)
            except (TypeError, ValueError) as error:
                with pytest.raises(type(error)):
                    formatted(value)
                continue
            assert formatted(value) == expected, value
