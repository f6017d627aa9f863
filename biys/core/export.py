"""CSV (streamed) and Excel export of a list's filtered rows, all pages, as the table shows them."""

import csv
import datetime
from collections.abc import Iterable, Iterator

import tablib
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django_tables2.rows import BoundRow

EXPORT_FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 1000
# OWASP "CSV injection": a cell starting with any of these may be read as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def export_columns(table) -> list:
    return [column for column in table.columns.iterall() if not column.column.exclude_from_export]


def export_rows(table, queryset) -> Iterator[list]:
    """The header, then one list of cell values per object (django-tables2 ``value_*`` aware)."""
    columns = export_columns(table)
    yield [force_str(column.header, strings_only=True) for column in columns]
    records: Iterable = (
        queryset.iterator(chunk_size=CHUNK_SIZE) if hasattr(queryset, "iterator") else queryset
    )
    for record in records:
        row = BoundRow(record, table=table)
        yield [force_str(row.get_cell_value(column.name), strings_only=True) for column in columns]


def _safe_text(value):
    """Neutralise spreadsheet formulas (CSV injection) and localise date-times."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    if value is None:
        return ""
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(table, queryset, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # byte order mark: Excel then reads Turkish letters correctly
        for row in export_rows(table, queryset):
            yield writer.writerow([_safe_text(value) for value in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(table, queryset, filename: str) -> HttpResponse:
    rows = export_rows(table, queryset)
    dataset = tablib.Dataset(headers=next(rows), title=filename[:31])
    for row in rows:
        dataset.append([_safe_text(value) for value in row])
    response = HttpResponse(
        dataset.export("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_response(export_format: str, table, queryset, filename: str):
    if export_format == "csv":
        return csv_response(table, queryset, filename)
    return xlsx_response(table, queryset, filename)
