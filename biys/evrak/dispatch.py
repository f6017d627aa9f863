"""The day's paper dispatch list for the post (posta gönderi listesi): the signed outgoing
documents sent on paper that day, each line with its sayı, date, addressee, address and
subject (a Gizli or Çok Gizli one only as "Gizli"), with the signatures of who hands it over
and who takes it for the post. In Turkish whatever the reader's language (it is a form), as a
PDF (ReportLab with the DejaVu fonts every BİYS PDF embeds) and as a CSV for a Turkish Excel
(``;``, UTF-8 with BOM)."""

import csv
import io
from html import escape

from django.utils import translation

from biys.core.pdf_fonts import BOLD_FONT_NAME, FONT_NAME, register_fonts

CSV_HEADER = ("Sıra", "Sayı", "Tarih", "Gönderilen", "Adres", "Konu", "Birim")


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _municipality_name() -> str:
    from biys.org.models import Municipality

    municipality = Municipality.objects.only("name").first()
    return municipality.name if municipality else ""


def dispatch_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for index, row in enumerate(rows, start=1):
        writer.writerow(
            [
                index,
                row["number"],
                _date(row["date"]),
                _cell(row["addressee"]),
                _cell(row["address"]),
                _cell(str(row["subject"])),
                _cell(str(row["unit"])),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value: str) -> str:
    """A cell Excel never runs as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def dispatch_pdf(rows, *, day) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_fonts()
    text = ParagraphStyle("text", fontName=FONT_NAME, fontSize=9, leading=11.5)
    bold = ParagraphStyle("bold", parent=text, fontName=BOLD_FONT_NAME)
    title = ParagraphStyle(
        "title", parent=text, fontName=BOLD_FONT_NAME, fontSize=13, leading=17, alignment=1
    )
    centre = ParagraphStyle("centre", parent=text, alignment=1)

    def cell(value, style=text):
        return Paragraph(escape(str(value or "")), style)

    with translation.override("tr"):
        story = [
            Paragraph("T.C.", title),
            Paragraph(escape(_municipality_name()), title),
            Spacer(1, 3 * mm),
            Paragraph(f"POSTA GÖNDERİ LİSTESİ — {_date(day)}", title),
            Spacer(1, 5 * mm),
        ]
        header = [cell(h, bold) for h in CSV_HEADER]
        data = [header]
        for index, row in enumerate(rows, start=1):
            data.append(
                [
                    cell(index),
                    cell(row["number"]),
                    cell(_date(row["date"])),
                    cell(row["addressee"]),
                    cell(row["address"]),
                    cell(row["subject"]),
                    cell(row["unit"]),
                ]
            )
        if not rows:
            data.append([cell("Bu gün kâğıtla gönderilen evrak yok."), "", "", "", "", "", ""])
        widths = [12 * mm, 50 * mm, 20 * mm, 45 * mm, 60 * mm, 60 * mm, 20 * mm]
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#6c757d")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
        ]
        if not rows:
            style.append(("SPAN", (0, 1), (-1, 1)))
        table.setStyle(TableStyle(style))
        story += [
            table,
            Spacer(1, 6 * mm),
            Paragraph(f"Toplam: {len(rows)} gönderi", bold),
            Spacer(1, 12 * mm),
        ]
        signatures = Table(
            [
                [cell("Teslim Eden", centre), cell("Teslim Alan (Posta)", centre)],
                [cell("Adı Soyadı / İmza", centre), cell("Adı Soyadı / İmza", centre)],
            ],
            colWidths=[130 * mm, 130 * mm],
            rowHeights=[8 * mm, 20 * mm],
        )
        story.append(signatures)
        buffer = io.BytesIO()
        SimpleDocTemplate(
            buffer,
            pagesize=landscape(A4),
            leftMargin=12 * mm,
            rightMargin=12 * mm,
            topMargin=12 * mm,
            bottomMargin=12 * mm,
            title=f"Posta gönderi listesi {_date(day)}",
            author="BİYS",
        ).build(story)
        return buffer.getvalue()
