"""Printable asset labels: an A4 sheet of self-adhesive labels, each with a QR code of the asset's
page, its inventory number and model, and the municipality's name. Scanning a label with a
phone opens the asset's page (the page works on a phone); a keyboard-style scanner types the
URL the same way.

The sheets are the common A4 layouts sold in Türkiye (the label sizes printed on the box);
the sizes and margins are data, so a municipality's own sheet is one more entry.
"""

import io
import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext

from biys.core.pdf_fonts import BOLD_FONT_NAME, FONT_NAME, register_fonts

MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class LabelSheet:
    code: str
    columns: int
    rows: int
    width_mm: float
    height_mm: float
    top_mm: float
    left_mm: float
    column_gap_mm: float = 0.0
    row_gap_mm: float = 0.0

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def title(self) -> str:
        size = f"{self.width_mm:g} × {self.height_mm:g}"
        if translation.get_language() == "tr":
            size = size.replace(".", ",")
        return gettext("%(size)s mm, %(count)s per sheet") % {
            "size": size,
            "count": self.per_sheet,
        }


SHEETS = {
    sheet.code: sheet
    for sheet in (
        LabelSheet("70x37", 3, 8, 70, 37, 0.5, 0),
        LabelSheet("63.5x38.1", 3, 7, 63.5, 38.1, 15.1, 7.2, 2.5),
        LabelSheet("48.5x25.4", 4, 11, 48.5, 25.4, 8.8, 8, 0),
        LabelSheet("38x21.2", 5, 13, 38.1, 21.2, 10.7, 4.7, 2.5),
    )
}
DEFAULT_SHEET = "70x37"
MAX_LABELS = 1000


@dataclass(frozen=True)
class Label:
    url: str
    number: str
    model: str


def label_sheets_pdf(labels: list[Label], sheet: LabelSheet, *, municipality: str = "") -> bytes:
    """The labels laid out on as many sheets as they need, left to right, top to bottom."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    register_fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    with translation.override("tr"):
        page.setTitle("Demirbaş etiketleri")
    _page_width, page_height = A4
    width, height = sheet.width_mm * MM, sheet.height_mm * MM
    padding = min(2.5 * MM, height * 0.08)
    qr_size = height - 2 * padding
    small = sheet.height_mm < 30
    for index, label in enumerate(labels):
        slot = index % sheet.per_sheet
        if slot == 0 and index:
            page.showPage()
        row, column = divmod(slot, sheet.columns)
        x = (sheet.left_mm + column * (sheet.width_mm + sheet.column_gap_mm)) * MM
        y = page_height - (sheet.top_mm + (row + 1) * sheet.height_mm + row * sheet.row_gap_mm) * MM

        widget = QrCodeWidget(label.url, barLevel="M")
        left, bottom, right, top = widget.getBounds()
        drawing = Drawing(
            qr_size,
            qr_size,
            transform=[qr_size / (right - left), 0, 0, qr_size / (top - bottom), 0, 0],
        )
        drawing.add(widget)
        renderPDF.draw(drawing, page, x + padding, y + padding)

        text_x = x + qr_size + 2 * padding
        text_width = width - qr_size - 3 * padding
        top = y + height - padding
        blocks = []
        if municipality and not small:
            blocks.append((municipality, FONT_NAME, 6, 2))
        blocks.append((label.number, BOLD_FONT_NAME, 8 if small else 10, 2))
        if label.model:
            blocks.append((label.model, FONT_NAME, 6 if small else 7, 1 if small else 2))
        for text, font, largest, most in blocks:
            # The largest size at which the text fits whole, at most three points smaller.
            for size in range(largest, max(largest - 4, 4), -1):
                lines = _wrap(page, text, font, size, text_width, most)
                if not any(line.endswith("…") for line in lines):
                    break
            page.setFont(font, size)
            for line in lines:
                top -= size + 1
                page.drawString(text_x, top, line)
            top -= 2
    page.showPage()
    page.save()
    return buffer.getvalue()


def _wrap(page, text: str, font: str, size: float, width: float, most: int) -> list[str]:
    """``text`` in at most ``most`` lines of ``width`` points, broken after a space or a hyphen
    (an inventory number ``253.02.01.01-2026-00026`` breaks between code and year), the last
    line shortened with an ellipsis if the rest still does not fit."""
    pieces = [piece for piece in re.split(r"(?<=[ -])", text) if piece]
    lines, current = [], ""
    for piece in pieces:
        if current and page.stringWidth(current + piece, font, size) > width:
            lines.append(current.rstrip())
            current = piece
        else:
            current += piece
    lines.append(current.rstrip())
    if len(lines) > most:
        lines = [*lines[: most - 1], " ".join(lines[most - 1 :])]
    return [_fit(page, line, font, size, width) for line in lines]


def _fit(page, text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis until it fits ``width`` points."""
    if page.stringWidth(text, font, size) <= width:
        return text
    while text and page.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"
