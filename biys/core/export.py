"""CSV (streamed) and Excel export of a list's filtered rows, all pages, as the table shows them.

Turkish Excel splits CSV on ``;`` (its list separator) and needs the UTF-8 byte order mark, so
``csv`` follows the active language and ``csv-comma`` is always comma-separated. Excel files
are written row by row (openpyxl's write-only mode) up to ``XLSX_MAX_ROWS``.
"""

import csv
import datetime
import decimal
import tempfile
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from django.utils import formats, timezone
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tables2.rows import BoundRow
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from biys.core.text import transliterate

EXPORT_FORMATS = ("csv", "csv-comma", "xlsx")
CHUNK_SIZE = 1000
XLSX_MAX_ROWS = 100_000  # beyond this a spreadsheet is the wrong tool: CSV streams any size
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


def csv_delimiter() -> str:
    return ";" if (get_language() or "").startswith("tr") else ","


def _csv_text(value):
    """A cell as the language writes it: Turkish dates 30.11.2026 14:05 and decimals 3,5."""
    value = _safe_text(value)
    turkish = (get_language() or "").startswith("tr")
    if isinstance(value, datetime.datetime):  # numeric: Turkish Excel reads it as a date
        return value.strftime("%d.%m.%Y %H:%M" if turkish else "%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y" if turkish else "%Y-%m-%d")
    if isinstance(value, float | decimal.Decimal):
        return formats.number_format(value, use_l10n=True)
    return value


def attachment_header(filename: str) -> str:
    """RFC 6266: an ASCII fallback (Turkish letters transliterated) and the UTF-8 name."""
    fallback = transliterate(filename).encode("ascii", "ignore").decode().replace('"', "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


class _Echo:
    def write(self, value):
        return value


def csv_response(table, queryset, filename: str, delimiter: str | None = None):
    writer = csv.writer(_Echo(), delimiter=delimiter or csv_delimiter())

    def stream():
        yield "\ufeff"  # byte order mark: Excel then reads Turkish letters correctly
        for row in export_rows(table, queryset):
            yield writer.writerow([_csv_text(value) for value in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_header(f"{filename}.csv")
    return response


def _xlsx_cell(sheet, value):
    value = _safe_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.datetime):
        cell.number_format = "dd.mm.yyyy hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "dd.mm.yyyy"
    return cell


def xlsx_response(table, queryset, filename: str, max_rows: int = XLSX_MAX_ROWS) -> FileResponse:
    """Rows go to a temporary file as they are read (openpyxl's write-only mode keeps no cell
    objects), the file is streamed from there, and it holds at most ``max_rows`` rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=transliterate(filename)[:31])
    rows = export_rows(table, queryset)
    sheet.append(next(rows))
    for count, row in enumerate(rows, start=1):
        if count > max_rows:
            sheet.append(
                [
                    _(
                        "Only the first %(count)s rows are in this file: narrow the filter or "
                        "export CSV."
                    )
                    % {"count": formats.number_format(max_rows, force_grouping=True)}
                ]
            )
            break
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    workbook.save(output)
    output.seek(0)
    # Streamed from the temporary file, which the response closes: a worker never holds the file.
    response = FileResponse(
        output,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = attachment_header(f"{filename}.xlsx")
    return response


def export_response(export_format: str, table, queryset, filename: str):
    if export_format == "csv":
        return csv_response(table, queryset, filename)
    if export_format == "csv-comma":
        return csv_response(table, queryset, filename, delimiter=",")
    return xlsx_response(table, queryset, filename)
