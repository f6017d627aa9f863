"""The applications report as Excel and PDF (the CSV is the page's own): per type and unit, or
per month, type and unit, in a period — what the yearly bilgi edinme report to the Board and the
activity report quote."""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from biys.applications.selectors import ReportRow
from biys.core.pdf_fonts import BOLD_FONT_NAME, FONT_NAME, register_fonts
from biys.core.report_files import page_decorator, pdf_table, sheet_title, write_table


def headers(by_month: bool) -> list[str]:
    columns = [
        _("Type"), _("Responsible unit"), _("Received"), _("Answered on time"), _("Late"),
        _("Open"), _("Average days to answer"), *outcome_headers(),
    ]  # fmt: skip
    return [_("Month"), *columns] if by_month else columns


def outcome_headers() -> list[str]:
    """The outcomes the yearly bilgi edinme report to the Board counts, after the timing."""
    return [_("Answered"), _("Partly answered"), _("Refused"),
            _("Forwarded to another institution")]  # fmt: skip


def outcome_cells(row: ReportRow) -> list[int]:
    return [row.answered, row.partly, row.refused, row.forwarded]


def table_rows(rows: list[ReportRow], total: ReportRow, by_month: bool) -> list[list]:
    lines = []
    for row in [*rows, total]:
        cells = [
            row.type_name or _("Total"),
            row.unit_name,
            row.received,
            row.answered_on_time,
            row.late,
            row.open,
            row.average_days,
            *outcome_cells(row),
        ]
        lines.append([row.period, *cells] if by_month else cells)
    return lines


def title(date_from: date, date_to: date) -> str:
    return _("Applications report, %(first)s – %(last)s") % {
        "first": date_from.strftime("%d.%m.%Y"),
        "last": date_to.strftime("%d.%m.%Y"),
    }


def filename(date_from: date, date_to: date, extension: str) -> str:
    return f"basvuru-raporu-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{extension}"


def build_xlsx(rows, total, *, date_from: date, date_to: date, by_month: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(_("Applications report"))
    sheet.append([title(date_from, date_to)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Prepared"), timezone.localtime().strftime("%d.%m.%Y %H:%M")])
    sheet.append([])
    write_table(sheet, headers(by_month), table_rows(rows, total, by_month))
    sheet.freeze_panes = "A5"
    for cell in sheet[sheet.max_row]:  # the total
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_pdf(rows, total, *, date_from: date, date_to: date, by_month: bool) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from biys.org.models import Municipality

    register_fonts()
    heading_text = title(date_from, date_to)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=heading_text,
        author="BİYS",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=2.0 * cm,
        bottomMargin=1.8 * cm,
    )
    heading = ParagraphStyle("heading", fontName=BOLD_FONT_NAME, fontSize=14, leading=18)
    small = ParagraphStyle("small", fontName=FONT_NAME, fontSize=8, leading=10)
    width = document.width
    names = headers(by_month)
    numbers = 9  # received, on time, late, open, average and the four outcomes
    number_width = width * 0.058
    month_width = width * 0.07 if by_month else 0
    text_width = (width - number_width * numbers - month_width) / 2  # type and unit
    widths = [month_width] if by_month else []
    widths += [text_width, text_width] + [number_width] * numbers
    lines = (
        table_rows(rows, total, by_month)
        if rows
        else [[_("No applications received in this period.")] + [""] * (len(names) - 1)]
    )
    story = [
        Paragraph(escape(heading_text), heading),
        Paragraph(f"{_('Prepared')}: {timezone.localtime():%d.%m.%Y %H:%M}", small),
        Spacer(1, 8),
        pdf_table(names, lines, widths),
        Spacer(1, 8),
        Paragraph(
            escape(
                _(
                    "Received in the period; answered on time: by the legal deadline on the "
                    "working calendar; late: answered after it or still open past it; average "
                    "days: from receipt to the answer, in calendar days."
                )
            ),
            small,
        ),
    ]
    municipality = Municipality.objects.only("name").first()
    header = municipality.name if municipality else _("Applications")
    document.build(story, canvasmaker=page_decorator(header, heading_text))
    return buffer.getvalue()
