"""The quote (fiyat teklifi) of a GIS data sale as a PDF in Turkish: the buyer, the tariff and
its council decision, one line per requested layer (quantity, unit price, amount, KDV) and the
totals, KDV apart; the accrual number and payment once there."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _

from biys.applications import pdf
from biys.core.report_files import money, pdf_table


def quantity(value) -> str:
    return formats.number_format(value.normalize() if value is not None else 0, use_l10n=True)


def build_quote_pdf(sale, items) -> bytes:
    from reportlab.platypus import Paragraph, Spacer

    application = sale.application
    heading_text = _("GIS data quote %(number)s") % {"number": application.number}
    sheet = pdf.start(heading_text)
    text, small = sheet.text, sheet.small

    def line(label, value):
        return Paragraph(f"<b>{escape(label)}:</b> {escape(str(value or '—'))}", text)

    buyer_id = (
        application.masked_tc_kimlik_no
        if application.tc_kimlik_no
        else (application.tax_number or "—")
    )
    tariff = sale.tariff
    story = sheet.story
    story += [
        sheet.paragraph(heading_text, sheet.heading),
        Spacer(1, 6),
        line(_("Applicant"), application.applicant_name),
        line(_("TC kimlik / tax number"), buyer_id),
        line(_("Received on"), application.received_on.strftime("%d.%m.%Y")),
        line(_("Area"), sale.area_description),
        line(_("Intended use"), sale.purpose),
        line(
            _("Tariff"),
            f"{tariff.name} ({tariff.council_decision})" if tariff else _("not quoted yet"),
        ),
        line(_("Quoted on"), sale.quoted_on.strftime("%d.%m.%Y") if sale.quoted_on else ""),
    ]
    if sale.accrual_number:
        story.append(line(_("Accrual number"), sale.accrual_number))
    if sale.paid_on:
        story.append(
            line(
                _("Paid"),
                f"{sale.paid_on:%d.%m.%Y} · {sale.payment_reference} · {money(sale.paid_amount)} TL",
            )
        )
    story.append(Spacer(1, 10))
    headers = [_("Data layer"), _("Format"), _("Quantity"), _("Unit price (TRY)"),
               _("Amount before KDV"), _("KDV rate (%)"), _("KDV"), _("Total (TRY)")]  # fmt: skip
    rows = []
    minimum_note = _("minimum charge")
    for item in items:
        unit_label = item.get_charge_unit_display() if item.charge_unit else ""
        minimum = (
            f" ({minimum_note})"
            if item.minimum_charge is not None
            and item.net_amount is not None
            and item.net_amount == item.minimum_charge
            and item.unit_price * item.quantity < item.minimum_charge
            else ""
        )
        rows.append(
            [
                item.layer.name,
                item.get_data_format_display(),
                f"{quantity(item.quantity)} {unit_label}".strip(),
                money(item.unit_price),
                money(item.net_amount) + minimum,
                money(item.kdv_rate),
                money(item.kdv_amount),
                money(item.total_amount),
            ]
        )
    rows.append(["", "", "", "", money(sale.net_total), "", money(sale.kdv_total),
                 money(sale.total)])  # fmt: skip
    rows[-1][0] = _("Total")
    width = sheet.width
    widths = [width * share for share in (0.22, 0.1, 0.12, 0.11, 0.13, 0.08, 0.11, 0.13)]
    story.append(pdf_table(headers, rows, widths))
    story.append(Spacer(1, 10))
    story.append(
        Paragraph(
            escape(
                _(
                    "Prices by the tariff valid on the day the application was received; each "
                    "line rounded to the kuruş, KDV shown separately. The data is delivered once "
                    "the accrual is paid and the buyer's signed undertaking is on file."
                )
            ),
            small,
        )
    )
    return sheet.finish(_("GIS data sales"))
