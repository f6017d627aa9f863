"""The Statement of Applicability as a PDF to print and sign, in Turkish whatever the reader's
language (auditors read it with the guide): per measure its number, title and level, whether it
applies and why, the implementation state (the guide's EK-C.3 scale), the owner and the
evidence, with the sources' attribution. ReportLab with the DejaVu fonts every BİYS PDF embeds."""

import io
from html import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from biys.core.pdf_fonts import BOLD_FONT_NAME, FONT_NAME, register_fonts


def _para(text, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def statement_of_applicability(entries, *, scope: str, attributions: list[str]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    from biys.org.models import Municipality

    register_fonts()
    with translation.override("tr"):
        text = ParagraphStyle("text", fontName=FONT_NAME, fontSize=8, leading=10)
        bold = ParagraphStyle("bold", parent=text, fontName=BOLD_FONT_NAME)
        title = ParagraphStyle(
            "title", parent=text, fontName=BOLD_FONT_NAME, fontSize=13, leading=17, alignment=1
        )
        small = ParagraphStyle("small", parent=text, fontSize=7, leading=9)
        municipality = Municipality.objects.only("name").first()
        story = [
            _para(municipality.name if municipality else "", bold),
            _para(_("Statement of Applicability"), title),
            _para(
                _("%(scope)s · printed %(date)s")
                % {"scope": scope, "date": timezone.localtime().strftime("%d.%m.%Y %H:%M")},
                text,
            ),
            Spacer(1, 4 * mm),
        ]
        header = [
            _("Measure"),
            pgettext("bgys", "Title"),
            pgettext("bgys", "Level"),
            _("Applicable"),
            _("Reason"),
            _("Implementation state"),
            _("Owner"),
            _("Evidence links"),
        ]
        rows = [[_para(cell, bold) for cell in header]]
        for entry in entries:
            measure = entry.measure
            rows.append(
                [
                    _para(measure.number, text),
                    _para(measure.title, text),
                    _para(measure.level or "", text),
                    _para(_("Yes") if entry.applicable else _("No"), text),
                    _para(entry.reason, text),
                    _para(entry.get_state_display() if entry.applicable else "", text),
                    _para(entry.owner or "", text),
                    _para("\n".join(entry.links), small),
                ]
            )
        widths = [18, 60, 12, 18, 60, 28, 30, 41]
        table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#6c757d")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ]
            )
        )
        story += [table, Spacer(1, 4 * mm)]
        for attribution in attributions:
            story.append(_para(f"{_('Source and licence')}: {attribution}", small))
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=landscape(A4),
            leftMargin=10 * mm,
            rightMargin=10 * mm,
            topMargin=12 * mm,
            bottomMargin=12 * mm,
            title=_("Statement of Applicability"),
            author="BİYS",
        )
        document.build(story)
        return buffer.getvalue()
