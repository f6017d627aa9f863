"""The numbering certificate (numarataj belgesi) as a PDF in Turkish: its number and date, the
address given (neighbourhood, street, door and inner numbers, block and parcel), the applicant
and the issuing unit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from biys.applications import pdf
from biys.core.report_files import pdf_table


def build_certificate_pdf(numbering) -> bytes:
    from reportlab.platypus import Spacer

    application = numbering.application
    street = numbering.street
    heading_text = _("Numbering certificate")
    sheet = pdf.start(
        heading_text,
        title=f"{heading_text} {numbering.certificate_number}",
        margins=(2, 2, 2.2, 2),
        heading_size=(15, 20),
        text_size=(10, 14),
    )
    municipality = sheet.municipality
    unit = application.responsible_unit
    issuer = " / ".join(
        part for part in (municipality.name if municipality else "", unit.name if unit else "")
        if part
    )  # fmt: skip
    story = sheet.story
    story += [
        sheet.paragraph(heading_text, sheet.heading),
        Spacer(1, 4),
        sheet.paragraph(
            _("Certificate no. %(number)s · %(date)s")
            % {
                "number": numbering.certificate_number,
                "date": numbering.certificate_issued_on.strftime("%d.%m.%Y"),
            }
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
    story.append(pdf_table([_("Field"), _("Value")], rows, [sheet.width * 0.35,
                                                           sheet.width * 0.65]))  # fmt: skip
    story.append(Spacer(1, 14))
    story.append(
        sheet.paragraph(
            _(
                "The address above was given by the municipality after the field visit of "
                "%(date)s and entered in its address register."
            )
            % {"date": numbering.visited_on.strftime("%d.%m.%Y") if numbering.visited_on else "—"}
        )
    )
    story.append(Spacer(1, 30))
    story.append(sheet.paragraph(issuer))
    story.append(Spacer(1, 20))
    return sheet.finish(_("Address numbering"))
