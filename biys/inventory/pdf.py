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


def _money(value) -> str:
    """1234.5 -> 1.234,50 (Turkish)."""
    text = f"{value:,.2f}"
    return text.replace(",", "§").replace(".", ",").replace("§", ".")


def islem_fisi(slip) -> bytes:
    """The Taşınır İşlem Fişi of ``slip``, laid out as the official form: the spending unit
    and the fişi's number, date and kind; where the items came from or went to and the
    document it rests on; the lines (code, name, unit of measure, quantity, unit price,
    amount, with the inventory numbers of fixed assets); the total; the signatures of whoever
    handed over and received, the property officer, and the spending authority's approval."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    register_fonts()
    with translation.override("tr"):
        styles = _styles()
        p = para
        small, bold = styles["small"], styles["bold"]
        direction = _("Entry") if slip.is_entry else _("Exit")
        kind = slip.get_kind_display()
        if slip.reverses_id:
            kind = _("%(kind)s (reversal of %(number)s)") % {
                "kind": kind,
                "number": slip.reverses.number,
            }
        state = "" if slip.number else _("DRAFT: not approved, not valid")
        came_from = _("Received from") if slip.is_entry else _("Given to")
        other = slip.counterparty or (str(slip.target_store) if slip.target_store_id else "")
        header = [
            [p(_("Municipality"), bold), p(_municipality_name(), styles["text"]),
             p(_("Slip number"), bold), p(slip.number or "—", styles["text"])],
            [p(_("Spending unit"), bold), p(str(slip.store.unit), styles["text"]),
             p(_("Date"), bold), p(_date(slip.date), styles["text"])],
            [p(_("Store"), bold), p(str(slip.store), styles["text"]),
             p(_("Transaction"), bold), p(f"{direction}: {kind}", styles["text"])],
            [p(came_from, bold), p(other, styles["text"]),
             p(_("Supporting document"), bold), p(slip.document, styles["text"])],
        ]  # fmt: skip
        rows = [
            [
                p(text, small)
                for text in (
                    _("Item no."),
                    _("Property code"),
                    _("Name of the item"),
                    _("Unit of measure"),
                    _("Quantity"),
                    _("Unit price (TL)"),
                    _("Amount (TL)"),
                )
            ]
        ]
        total = 0
        lines = slip.lines.select_related("item_model", "item_model__tasinir_code").order_by("pk")
        for index, line in enumerate(lines, start=1):
            name = f"{line.item_model.tasinir_code.name}: {line.item_model}"
            numbers = [asset.inventory_number for asset in line.assets.order_by("inventory_number")]
            if numbers:
                name += "\n" + _("Inventory numbers: %(numbers)s") % {"numbers": ", ".join(numbers)}
            total += line.total
            rows.append(
                [
                    p(str(index), small),
                    p(line.item_model.tasinir_code.code, small),
                    p(name, small),
                    p(_("piece"), small),
                    p(str(line.quantity), small),
                    p(_money(line.unit_price), small),
                    p(_money(line.total), small),
                ]
            )
        rows.append(["", "", p(_("Total"), bold), "", "", "", p(_money(total), bold)])
        story = [
            p("T.C.", styles["centre"]),
            p(_municipality_name(), styles["centre"]),
            Spacer(1, 3 * mm),
            p("TAŞINIR İŞLEM FİŞİ", styles["title"]),
        ]
        if state:
            story += [p(state, styles["centre"])]
        story += [
            Spacer(1, 4 * mm),
            _table(header, [32 * mm, 58 * mm, 32 * mm, 58 * mm], header=False),
            Spacer(1, 4 * mm),
            _table(rows, [11 * mm, 26 * mm, 61 * mm, 16 * mm, 16 * mm, 25 * mm, 25 * mm]),
        ]
        if slip.notes:
            story += [Spacer(1, 2 * mm), p(_("Notes: %s") % slip.notes, small)]
        story += [
            Spacer(1, 6 * mm),
            _signatures(_("Handed over by"), _("Received by")),
            Spacer(1, 3 * mm),
            _signatures(_("Property officer"), _("Approved: spending authority")),
        ]
        if slip.approved_at:
            approver = slip.approved_by.get_full_name() if slip.approved_by else ""
            story += [
                Spacer(1, 3 * mm),
                p(
                    _("Approved electronically by %(user)s on %(date)s.")
                    % {"user": approver or "—", "date": _date(slip.approved_at)},
                    small,
                ),
            ]
        return _document(story, f"Taşınır İşlem Fişi {slip.number or slip.pk}")


def istek_belgesi(stock_request) -> bytes:
    """The Taşınır İstek Belgesi of ``stock_request``: the requesting unit, the store, the items
    asked for and given, the signatures of whoever asked, approved and received."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    register_fonts()
    with translation.override("tr"):
        styles = _styles()
        p = para
        small, bold = styles["small"], styles["bold"]
        header = [
            [p(_("Requesting unit"), bold), p(str(stock_request.requesting_unit), styles["text"]),
             p(_("Number"), bold), p(stock_request.number, styles["text"])],
            [p(_("Store"), bold), p(str(stock_request.store), styles["text"]),
             p(_("Date"), bold), p(_date(stock_request.created), styles["text"])],
        ]  # fmt: skip
        rows = [
            [
                p(text, small)
                for text in (
                    _("Item no."),
                    _("Property code"),
                    _("Name of the item"),
                    _("Unit of measure"),
                    _("Quantity requested"),
                    _("Quantity issued"),
                )
            ]
        ]
        lines = stock_request.lines.select_related("item_model", "item_model__tasinir_code")
        for index, line in enumerate(lines.order_by("pk"), start=1):
            rows.append(
                [
                    p(str(index), small),
                    p(line.item_model.tasinir_code.code, small),
                    p(f"{line.item_model.tasinir_code.name}: {line.item_model}", small),
                    p(_("piece"), small),
                    p(str(line.quantity), small),
                    p(str(line.issued_quantity), small),
                ]
            )
        story = [
            p("T.C.", styles["centre"]),
            p(_municipality_name(), styles["centre"]),
            Spacer(1, 3 * mm),
            p("TAŞINIR İSTEK BELGESİ", styles["title"]),
            Spacer(1, 4 * mm),
            _table(header, [32 * mm, 58 * mm, 32 * mm, 58 * mm], header=False),
            Spacer(1, 4 * mm),
            _table(rows, [11 * mm, 26 * mm, 75 * mm, 20 * mm, 24 * mm, 24 * mm]),
        ]
        if stock_request.notes:
            story += [Spacer(1, 2 * mm), p(_("Notes: %s") % stock_request.notes, small)]
        story += [
            Spacer(1, 6 * mm),
            _signatures(_("Requested by"), _("Approved by")),
            Spacer(1, 3 * mm),
            _signatures(_("Handed over by"), _("Received by")),
        ]
        return _document(story, f"Taşınır İstek Belgesi {stock_request.number}")
