"""The record sheet of a base-station site (baz istasyonu yer kayıt föyü) as a PDF in Turkish:
the site and its operator, the location and parcel, the permit application and its decision,
the inspection, the fee or rent contract with its yearly accruals, the right-of-way agreement
and the residents' complaints tied to it (their numbers, state and finding; never the
complainants' personal data)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from biys.applications import pdf
from biys.applications.basestation.models import latitude_text, longitude_text
from biys.core.pdf_fonts import BOLD_FONT_NAME
from biys.core.report_files import money, pdf_table


def _day(value) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def _text(value) -> str:
    return str(value) if value not in (None, "") else "—"


def build_site_sheet_pdf(site, *, accruals, complaints, documents) -> bytes:
    """``accruals`` and ``complaints`` are the rows to show (the complaints the reader may
    see); ``documents`` the pairs (name, received) of the documents the type requires."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer

    application = site.application
    operator = site.operator
    heading_text = _("Base-station site record")
    sheet = pdf.start(heading_text, title=f"{heading_text} {application.number}")
    heading, text = sheet.heading, sheet.text
    section = ParagraphStyle(
        "section", fontName=BOLD_FONT_NAME, fontSize=11, leading=14, spaceBefore=10, spaceAfter=4
    )
    width = sheet.width
    pair_widths = [width * 0.34, width * 0.66]

    def pairs(title, rows):
        return [
            Paragraph(escape(title), section),
            pdf_table([_("Field"), _("Value")], [[label, _text(value)] for label, value in rows],
                      pair_widths),
        ]  # fmt: skip

    unit = application.responsible_unit
    inspector = site.inspector
    story = sheet.story
    story += [
        Paragraph(escape(heading_text), heading),
        Spacer(1, 4),
        Paragraph(
            escape(
                _("Application %(number)s · %(state)s")
                % {"number": application.number, "state": site.get_state_display()}
            ),
            text,
        ),
    ]
    story += pairs(
        _("Site and operator"),
        [
            (_("Operator"), operator.name),
            (_("Tax number (VKN)"), operator.tax_number),
            (_("BTK authorisation"), operator.authorisation),
            (_("Operator's site code"), site.site_code),
            (_("Kind"), site.get_kind_display()),
        ],
    )
    story += pairs(
        _("Location and parcel"),
        [
            (_("Latitude"), latitude_text(site.latitude)),
            (_("Longitude"), longitude_text(site.longitude)),
            (_("Neighbourhood (mahalle)"), site.neighbourhood),
            (_("Address"), site.address),
            (_("Block (ada)"), site.block),
            (_("Parcel (parsel)"), site.parcel),
        ],
    )
    story += pairs(
        _("Permit"),
        [
            (_("Received on"), _day(application.received_on)),
            (_("Legal deadline"), _day(application.due_date)),
            (_("Responsible unit"), unit.name if unit else ""),
            (
                _("Documents"),
                "; ".join(
                    f"{name} ({_('received') if received else _('missing')})"
                    for name, received in documents
                ),
            ),
            (_("Inspected on"), _day(site.inspected_on)),
            (_("Inspector"), (inspector.get_full_name() or inspector.get_username())
             if inspector else ""),
            (_("Inspection note"), site.inspection_note),
            (_("Decided on"), _day(site.decided_on)),
            (_("Decision number"), site.decision_number),
            (_("Decision note"), site.decision_note),
        ],
    )  # fmt: skip
    story += pairs(
        _("Contract and right of way"),
        [
            (_("Contract kind"), site.get_contract_kind_display() if site.contract_kind else ""),
            (_("Contract number"), site.contract_number),
            (
                _("Contract period"),
                f"{_day(site.contract_start)} – {_day(site.contract_end)}"
                if site.contract_start
                else "",
            ),
            (_("Yearly amount (TRY)"),
             money(site.yearly_amount) if site.yearly_amount is not None else ""),
            (_("Right-of-way agreement number"), site.right_of_way_number),
            (_("Right-of-way agreement signed on"), _day(site.right_of_way_signed_on)
             if site.right_of_way_number else ""),
            (_("Right-of-way route"), site.right_of_way_route),
        ],
    )  # fmt: skip

    story.append(Paragraph(escape(_("Yearly accruals")), section))
    if accruals:
        story.append(
            pdf_table(
                [_("Year"), _("Accrual number"), _("Amount (TRY)"), _("Accrued on"),
                 _("Paid on"), _("Payment reference")],
                [[str(accrual.year), accrual.accrual_number, money(accrual.amount),
                  _day(accrual.accrued_on), _day(accrual.paid_on),
                  _text(accrual.payment_reference)] for accrual in accruals],
                [width * share for share in (0.1, 0.22, 0.16, 0.15, 0.15, 0.22)],
            )
        )  # fmt: skip
    else:
        story.append(Paragraph(escape(_("No accrual yet.")), text))

    story.append(Paragraph(escape(_("Complaints")), section))
    if complaints:
        story.append(
            pdf_table(
                [_("Application"), _("Received on"), _("State"), _("Answered on"),
                 _("Finding")],
                [[complaint.application.number, _day(complaint.application.received_on),
                  complaint.get_state_display(), _day(complaint.answered_on),
                  _text(complaint.finding)] for complaint in complaints],
                [width * share for share in (0.2, 0.14, 0.14, 0.14, 0.38)],
            )
        )  # fmt: skip
    else:
        story.append(Paragraph(escape(_("No complaint about this site.")), text))

    story.append(Spacer(1, 12))
    return sheet.finish(_("Base-station sites"))
