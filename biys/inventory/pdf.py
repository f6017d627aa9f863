"""The inventory's printed forms, in Turkish whatever the reader's language (they are official
forms): the Zimmet Fişi of a custody, to sign, and a person's handover list (devir listesi).
ReportLab with the DejaVu fonts every BİYS PDF embeds (``biys.core.pdf_fonts``)."""

import io
from html import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from biys.core.pdf_fonts import BOLD_FONT_NAME, FONT_NAME, register_fonts


def _municipality_name() -> str:
    from biys.org.models import Municipality

    municipality = Municipality.objects.only("name").first()
    return municipality.name if municipality else ""


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    return value.strftime("%d.%m.%Y")


def _styles():
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    text = ParagraphStyle("text", fontName=FONT_NAME, fontSize=9.5, leading=12.5)
    return {
        "text": text,
        "small": ParagraphStyle("small", parent=text, fontSize=8.5, leading=10.5),
        "bold": ParagraphStyle("bold", parent=text, fontName=BOLD_FONT_NAME),
        "title": ParagraphStyle(
            "title", parent=text, fontName=BOLD_FONT_NAME, fontSize=13, leading=17, alignment=1
        ),
        "centre": ParagraphStyle("centre", parent=text, alignment=TA_CENTER),
    }


def _table(rows, widths, *, header: bool = True):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#6c757d")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")))
    table.setStyle(TableStyle(style))
    return table


def _document(story, title: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="BİYS",
    )
    document.build(story)
    return buffer.getvalue()


def _signatures(left: str, right: str):
    from reportlab.lib.units import mm

    styles = _styles()
    rows = [
        [para(left, styles["bold"]), para(right, styles["bold"])],
        [para(_("Name, surname, signature"), styles["small"])] * 2,
        ["", ""],
    ]
    table = _table(rows, [90 * mm, 90 * mm], header=False)
    table._argH[2] = 22 * mm
    return table


def para(text, style):
    """A Paragraph of escaped text."""
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def zimmet_fisi(custody) -> bytes:
    """The Zimmet Fişi of ``custody``: the asset, the person, the date, two signatures."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    register_fonts()
    with translation.override("tr"):
        styles = _styles()
        asset, person = custody.asset, custody.person
        p = para
        story = [
            p(_municipality_name(), styles["centre"]),
            p(str(custody.unit), styles["centre"]),
            Spacer(1, 4 * mm),
            p("ZİMMET FİŞİ", styles["title"]),
            Spacer(1, 4 * mm),
            _table(
                [
                    [p(_("Form number"), styles["bold"]), p(custody.number, styles["text"])],
                    [p(_("Date"), styles["bold"]), p(_date(custody.started_at), styles["text"])],
                    [p(_("Given to"), styles["bold"]), p(person.full_name, styles["text"])],
                    [
                        p(_("Unit and title"), styles["bold"]),
                        p(
                            " / ".join(
                                str(x) for x in (person.unit, person.title, person.sicil_no) if x
                            ),
                            styles["text"],
                        ),
                    ],
                ],
                [45 * mm, 135 * mm],
                header=False,
            ),
            Spacer(1, 5 * mm),
            _table(
                [
                    [
                        p(_("Item no."), styles["small"]),
                        p(_("Property code"), styles["small"]),
                        p(_("Inventory number"), styles["small"]),
                        p(_("Item"), styles["small"]),
                        p(_("Serial number"), styles["small"]),
                        p(_("Quantity"), styles["small"]),
                    ],
                    [
                        p("1", styles["small"]),
                        p(asset.tasinir_code.code, styles["small"]),
                        p(asset.inventory_number, styles["small"]),
                        p(
                            f"{asset.tasinir_code.name}: {asset.item_model}",
                            styles["small"],
                        ),
                        p(asset.serial_number or "", styles["small"]),
                        p(_("1 piece"), styles["small"]),
                    ],
                ],
                [11 * mm, 25 * mm, 44 * mm, 55 * mm, 30 * mm, 15 * mm],
            ),
            Spacer(1, 4 * mm),
            p(
                _(
                    "I have received the item above in working order and answer for it under the"
                    " Movable Property Regulation; I will return it when asked, when I leave or when"
                    " I change unit."
                ),
                styles["text"],
            ),
        ]
        if custody.notes:
            story += [Spacer(1, 2 * mm), p(_("Notes: %s") % custody.notes, styles["small"])]
        story += [
            Spacer(1, 8 * mm),
            _signatures(_("Handed over by (property officer)"), _("Received by")),
        ]
        if custody.acknowledged_at:
            story += [
                Spacer(1, 4 * mm),
                p(
                    _("Acknowledged electronically by the custodian on %(date)s.")
                    % {"date": _date(custody.acknowledged_at)},
                    styles["small"],
                ),
            ]
        return _document(story, f"Zimmet Fişi {custody.number}")


def handover_list(person, assets) -> bytes:
    """Everything ``person`` holds, for the handover when they leave or change unit."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    register_fonts()
    with translation.override("tr"):
        styles = _styles()
        p = para
        rows = [
            [
                p(header, styles["small"])
                for header in (
                    _("Item no."),
                    _("Inventory number"),
                    _("Item"),
                    _("Serial number"),
                    _("Custody date"),
                    _("Returned"),
                )
            ]
        ]
        for index, (asset, since) in enumerate(assets, start=1):
            rows.append(
                [
                    p(str(index), styles["small"]),
                    p(asset.inventory_number, styles["small"]),
                    p(str(asset.item_model), styles["small"]),
                    p(asset.serial_number or "", styles["small"]),
                    p(_date(since), styles["small"]),
                    p("☐", styles["small"]),
                ]
            )
        story = [
            p(_municipality_name(), styles["centre"]),
            Spacer(1, 4 * mm),
            p("ZİMMET DEVİR LİSTESİ", styles["title"]),
            Spacer(1, 4 * mm),
            p(
                _("%(person)s (%(unit)s): %(count)s items in custody on %(date)s.")
                % {
                    "person": person.full_name,
                    "unit": person.unit,
                    "count": len(assets),
                    "date": _date(timezone.localdate()),
                },
                styles["text"],
            ),
            Spacer(1, 4 * mm),
            _table(rows, [11 * mm, 44 * mm, 55 * mm, 30 * mm, 25 * mm, 15 * mm]),
            Spacer(1, 10 * mm),
            _signatures(_("Handed back by"), _("Taken back by (property officer)")),
        ]
        return _document(story, f"Zimmet devir listesi {person.full_name}")
