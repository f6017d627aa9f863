"""The numbering certificate (numarataj belgesi) as a PDF in Turkish: its number and date, the
address given (neighbourhood, street, door and inner numbers, block and parcel), the applicant
and the issuing unit."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core.pdf_fonts import BOLD_FONT_NAME, FONT_NAME, register_fonts
from biys.core.report_files import page_decorator, pdf_table


def build_certificate_pdf(numbering) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from biys.org.models import Municipality

    register_fonts()
    application = numbering.application
    street = numbering.street
    heading_text = _("Numbering certificate")
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=f"{heading_text} {numbering.certificate_number}",
        author="BİYS", leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2.2 * cm,
        bottomMargin=2 * cm,
    )  # fmt: skip
    heading = ParagraphStyle("heading", fontName=BOLD_FONT_NAME, fontSize=15, leading=20)
    text = ParagraphStyle("text", fontName=FONT_NAME, fontSize=10, leading=14)
    small = ParagraphStyle("small", fontName=FONT_NAME, fontSize=8, leading=10)
    municipality = Municipality.objects.only("name").first()
    unit = application.responsible_unit
    issuer = " / ".join(
        part for part in (municipality.name if municipality else "", unit.name if unit else "")
        if part
    )  # fmt: skip
    story = [
        Paragraph(escape(heading_text), heading),
        Spacer(1, 4),
        Paragraph(
            escape(
                _("Certificate no. %(number)s · %(date)s")
                % {
                    "number": numbering.certificate_number,
                    "date": numbering.certificate_issued_on.strftime("%d.%m.%Y"),
                }
            ),
            text,
        ),
        Spacer(1, 12),
    ]
    rows = [
        [_("Neighbourhood (mahalle)"), street.neighbourhood],
        [_("Street"), f"{street.name} {street.get_kind_display()}"],
        [_("Door number (dış kapı no)"), numbering.door_number],
        [_("Inner door numbers (iç kapı)"), numbering.inner_numbers or "—"],
        [_("Block (ada)"), numbering.block],
        [_("Parcel (parsel)"), numbering.parcel],
        [_("Address"), numbering.address],
        [_("Applicant"), application.applicant_name],
        [_("Application"), f"{application.number} · {application.received_on:%d.%m.%Y}"],
        [_("Accrual number"), numbering.accrual_number or "—"],
        [_("Issuing unit"), issuer or "—"],
    ]
    story.append(pdf_table([_("Field"), _("Value")], rows, [document.width * 0.35,
                                                           document.width * 0.65]))  # fmt: skip
    story.append(Spacer(1, 14))
    story.append(
        Paragraph(
            escape(
                _(
                    "The address above was given by the municipality after the field visit of "
                    "%(date)s and entered in its address register."
                )
                % {
                    "date": numbering.visited_on.strftime("%d.%m.%Y")
                    if numbering.visited_on
                    else "—"
                }
            ),
            text,
        )
    )
    story.append(Spacer(1, 30))
    story.append(Paragraph(escape(issuer), text))
    story.append(Spacer(1, 20))
    story.append(
        Paragraph(f"{escape(_('Prepared'))}: {timezone.localtime():%d.%m.%Y %H:%M}", small)
    )
    header = municipality.name if municipality else _("Address numbering")
    document.build(story, canvasmaker=page_decorator(header, heading_text))
    return buffer.getvalue()
