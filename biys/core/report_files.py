"""Excel and PDF report files, laid out the same way by every module: a bold header row and
sized columns in Excel, a table of wrapping paragraphs in DejaVu Sans (every Turkish letter,
``biys.core.pdf_fonts``) and a header and "Page n of m" on every PDF page."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from biys.core.pdf_fonts import BOLD_FONT_NAME, FONT_NAME


def number(value, decimal_pos: int | None = None) -> str:
    """A number as the active language writes it, as the pages do (Turkish: 36,812100 and
    1.234,50 with ``decimal_pos=2``; English: 36.812100): for the PDFs, where Python's ``str``
    would print a decimal point whatever the language."""
    return number_format(value, decimal_pos=decimal_pos, use_l10n=True)


def money(value) -> str:
    """An amount with two decimals and thousands grouped (Turkish: 12.345,50)."""
    if value is None:
        return "—"
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return number(value, decimal_pos=1 if value != int(value) else 0)
    if isinstance(value, Decimal):
        return number(value)
    return str(value)


def sheet_title(text: str) -> str:
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]


def write_table(sheet, headers: list[str], rows: list[list]) -> None:
    sheet.append([str(header) for header in headers])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                ("'" + value) if isinstance(value, str) and value[:1] in "=+-@" else value
                for value in row
            ]
        )
    for index, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(row[index - 1] or "")) for row in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A2"


def cell_styles():
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    text = ParagraphStyle("cell", fontName=FONT_NAME, fontSize=8.5, leading=10.5)
    return {
        "text": text,
        "number": ParagraphStyle("number", parent=text, alignment=TA_RIGHT),
        "header": ParagraphStyle("header", parent=text, fontName=BOLD_FONT_NAME),
    }


def pdf_table(headers: list[str], rows: list[list], widths: list[float]):
    """Every cell a paragraph: long unit and service names wrap inside their column."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    styles = cell_styles()

    def cell(value, column: int):
        style = styles["number"] if column and not isinstance(value, str) else styles["text"]
        return Paragraph(escape(shown(value)), style)

    data = [[Paragraph(escape(str(header)), styles["header"]) for header in headers]]
    data += [[cell(value, column) for column, value in enumerate(row)] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                ("FONTNAME", (0, 0), (-1, 0), BOLD_FONT_NAME),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#adb5bd")),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def page_decorator(header: str, title: str):
    """The municipality at the top of every page, "Page n of m" at the bottom."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int):
            width, height = self._pagesize
            self.saveState()
            self.setStrokeColor(colors.HexColor("#adb5bd"))
            self.setLineWidth(0.4)
            self.line(50, height - 36, width - 50, height - 36)
            self.setFont(BOLD_FONT_NAME, 9)
            self.drawString(50, height - 30, header)
            self.setFont(FONT_NAME, 7.5)
            self.drawRightString(width - 50, height - 30, title[:90])
            self.line(50, 34, width - 50, 34)
            page = _("Page %(page)d of %(total)d") % {
                "page": self._pageNumber,
                "total": total,
            }
            self.drawRightString(width - 50, 24, page)
            self.drawString(50, 24, "BİYS")
            self.restoreState()

    return NumberedCanvas
