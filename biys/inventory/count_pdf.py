"""The count's and the write-off's printed forms, in Turkish whatever the reader's language (they
are official forms of the Taşınır Mal Yönetmeliği), laid out like them: the Sayım Tutanağı (per
item: on the register, counted, surplus, shortage; the commission's signatures), the Taşınır
Sayım ve Döküm Cetveli (per taşınır code: quantity and value found) and the Kayıttan Düşme
Teklif ve Onay Tutanağı (the commission's proposal and the spending authority's approval).
Same library, fonts and helpers as ``pdf``."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from biys.core.pdf_fonts import register_fonts
from biys.inventory.count_services import count_result
from biys.inventory.pdf import _date, _document, _money, _municipality_name, _styles, _table, para


@dataclass
class CountRow:
    code: str
    name: str
    expected: int = 0
    counted: int = 0
    value: Decimal = Decimal("0")  # of what was counted (fixed assets: their registered value)
    numbers: tuple = ()

    @property
    def surplus(self) -> int:
        return max(self.counted - self.expected, 0)

    @property
    def shortage(self) -> int:
        return max(self.expected - self.counted, 0)


def count_rows(count) -> list[CountRow]:
    """Per item model: expected and counted, fixed assets and consumables, in code order."""
    result = count_result(count)
    rows: dict = {}

    def row_for(item_model):
        if item_model.pk not in rows:
            code = item_model.tasinir_code
            rows[item_model.pk] = CountRow(code.code, f"{code.name}: {item_model}")
        return rows[item_model.pk]

    for found, asset_rows in ((True, result.found), (False, result.shortages)):
        for asset_row in asset_rows:
            row = row_for(asset_row.asset.item_model)
            row.expected += 1
            if found:
                row.counted += 1
                row.value += asset_row.asset.value
    for asset_row in result.surpluses:
        model = asset_row.asset.item_model if asset_row.asset_id else asset_row.item_model
        if model is None:
            continue
        row = row_for(model)
        row.counted += 1
        row.value += asset_row.asset.value if asset_row.asset_id else asset_row.value
    for line in result.lines:
        row = row_for(line.item_model)
        row.expected += line.expected_quantity
        row.counted += line.counted_quantity or 0
    return sorted(rows.values(), key=lambda row: (row.code, row.name))


def _header(count, styles):
    from reportlab.lib.units import mm

    p, bold, text = para, styles["bold"], styles["text"]
    return _table(
        [
            [
                p(_("Spending unit"), bold),
                p(str(count.store.unit), text),
                p(_("Number"), bold),
                p(count.number, text),
            ],
            [
                p(_("Store"), bold),
                p(str(count.store), text),
                p(_("Year"), bold),
                p(str(count.year), text),
            ],
            [
                p(_("What is counted"), bold),
                p(count.get_scope_display(), text),
                p(_("Date"), bold),
                p(_date(count.counted_at or timezone.now()), text),
            ],
        ],
        [32 * mm, 58 * mm, 32 * mm, 58 * mm],
        header=False,
    )


def _commission(members, title: str):
    """Signature boxes of a commission: the chair and the members, three to a row."""
    from reportlab.lib.units import mm

    styles = _styles()
    people = list(members) or [None]
    cells = []
    for index, person in enumerate(people):
        role = _("Chair") if index == 0 else _("Member")
        name = person.full_name if person else ""
        cells.append(para(f"{role}\n{name}", styles["small"]))
    rows = [cells[i : i + 3] for i in range(0, len(cells), 3)]
    rows[-1] += [""] * (3 - len(rows[-1]))
    table_rows = [[para(title, styles["bold"]), "", ""]]
    for row in rows:
        table_rows += [row, ["", "", ""]]
    table = _table(table_rows, [60 * mm, 60 * mm, 60 * mm], header=False)
    for index in range(2, len(table_rows), 2):
        table._argH[index] = 16 * mm
    return table


def sayim_tutanagi(count) -> bytes:
    """The Sayım Tutanağı: per item, the quantity on the register, the quantity counted, the
    surplus and the shortage; signed by the count commission."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    register_fonts()
    with translation.override("tr"):
        styles = _styles()
        p, small = para, styles["small"]
        rows = [
            [
                p(text, small)
                for text in (
                    _("Item no."),
                    _("Property code"),
                    _("Name of the item"),
                    _("Unit of measure"),
                    _("On the register"),
                    _("Counted"),
                    _("Count surplus"),
                    _("Count shortage"),
                )
            ]
        ]
        for index, row in enumerate(count_rows(count), start=1):
            rows.append(
                [
                    p(str(index), small),
                    p(row.code, small),
                    p(row.name, small),
                    p(_("piece"), small),
                    p(str(row.expected), small),
                    p(str(row.counted), small),
                    p(str(row.surplus or ""), small),
                    p(str(row.shortage or ""), small),
                ]
            )
        result = count_result(count)
        notes = [
            f"{asset_row.asset.inventory_number if asset_row.asset_id else asset_row.code}: "
            f"{asset_row.note}"
            for asset_row in result.surpluses
        ] + [
            _("%(number)s (%(model)s) was not found.")
            % {"number": row.asset.inventory_number, "model": row.asset.item_model}
            for row in result.shortages
        ]
        story = [
            p("T.C.", styles["centre"]),
            p(_municipality_name(), styles["centre"]),
            Spacer(1, 3 * mm),
            p("SAYIM TUTANAĞI", styles["title"]),
        ]
        if count.state != "closed":
            story += [p(_("DRAFT: the count is not closed"), styles["centre"])]
        story += [
            Spacer(1, 4 * mm),
            _header(count, styles),
            Spacer(1, 4 * mm),
            _table(rows, [11 * mm, 24 * mm, 55 * mm, 14 * mm, 19 * mm, 19 * mm, 19 * mm, 19 * mm]),
            Spacer(1, 3 * mm),
            p(
                _(
                    "The items in the store were counted one by one by the commission; the"
                    " results are shown above."
                ),
                styles["text"],
            ),
        ]
        if notes:
            story += [Spacer(1, 2 * mm), p(_("Explanations:") + "\n" + "\n".join(notes), small)]
        story += [
            Spacer(1, 6 * mm),
            _commission(count.members.all(), _("Count commission")),
        ]
        return _document(story, f"Sayım Tutanağı {count.number}")


def sayim_doekum_cetveli(count) -> bytes:
    """The Taşınır Sayım ve Döküm Cetveli: per taşınır code, the quantity and the value found
    at the count; signed by the property officer, the controller and the spending authority."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from biys.inventory.pdf import _signatures

    register_fonts()
    with translation.override("tr"):
        styles = _styles()
        p, small, bold = para, styles["small"], styles["bold"]
        by_code: dict = {}
        for row in count_rows(count):
            code, name = row.code, row.name.split(":", 1)[0]
            entry = by_code.setdefault(code, [name, 0, Decimal("0")])
            entry[1] += row.counted
            entry[2] += row.value
        rows = [
            [
                p(text, small)
                for text in (
                    _("Item no."),
                    _("Property code"),
                    _("Name of the property"),
                    _("Unit of measure"),
                    _("Quantity"),
                    _("Amount (TL)"),
                )
            ]
        ]
        total = Decimal("0")
        for index, (code, (name, quantity, value)) in enumerate(sorted(by_code.items()), 1):
            total += value
            rows.append(
                [
                    p(str(index), small),
                    p(code, small),
                    p(name, small),
                    p(_("piece"), small),
                    p(str(quantity), small),
                    p(_money(value), small),
                ]
            )
        rows.append(["", "", p(_("Total"), bold), "", "", p(_money(total), bold)])
        story = [
            p("T.C.", styles["centre"]),
            p(_municipality_name(), styles["centre"]),
            Spacer(1, 3 * mm),
            p("TAŞINIR SAYIM VE DÖKÜM CETVELİ", styles["title"]),
            Spacer(1, 4 * mm),
            _header(count, styles),
            Spacer(1, 4 * mm),
            _table(rows, [11 * mm, 28 * mm, 71 * mm, 18 * mm, 22 * mm, 30 * mm]),
            Spacer(1, 2 * mm),
            p(
                _(
                    "Consumables are shown by quantity; their amount is kept on the fişler, not"
                    " on the count."
                ),
                small,
            ),
            Spacer(1, 6 * mm),
            _signatures(_("Property officer"), _("Property controller")),
            Spacer(1, 3 * mm),
            _signatures(_("Approved: spending authority"), _("Count commission chair")),
        ]
        return _document(story, f"Taşınır Sayım ve Döküm Cetveli {count.number}")


def kayittan_dusme(disposal) -> bytes:
    """The Kayıttan Düşme Teklif ve Onay Tutanağı: the items, the commission's proposal with its
    reason and signatures, and the spending authority's approval."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from biys.inventory.pdf import _signatures

    register_fonts()
    with translation.override("tr"):
        styles = _styles()
        p, small, bold, text = para, styles["small"], styles["bold"], styles["text"]
        header = _table(
            [
                [
                    p(_("Spending unit"), bold),
                    p(str(disposal.store.unit), text),
                    p(_("Number"), bold),
                    p(disposal.number, text),
                ],
                [
                    p(_("Store"), bold),
                    p(str(disposal.store), text),
                    p(_("Kind"), bold),
                    p(disposal.get_kind_display(), text),
                ],
                [
                    p(_("Decision date"), bold),
                    p(_date(disposal.decision_date), text),
                    p(_("Decision number"), bold),
                    p(disposal.decision_number or "—", text),
                ],
            ],
            [32 * mm, 58 * mm, 32 * mm, 58 * mm],
            header=False,
        )
        rows = [
            [
                p(t, small)
                for t in (
                    _("Item no."),
                    _("Property code"),
                    _("Inventory number"),
                    _("Name of the item"),
                    _("Unit of measure"),
                    _("Quantity"),
                    _("Amount (TL)"),
                )
            ]
        ]
        total = Decimal("0")
        lines = disposal.lines.select_related(
            "item_model", "item_model__tasinir_code", "asset"
        ).order_by("pk")
        for index, line in enumerate(lines, start=1):
            value = line.asset.value if line.asset_id else Decimal("0")
            total += value
            rows.append(
                [
                    p(str(index), small),
                    p(line.item_model.tasinir_code.code, small),
                    p(line.asset.inventory_number if line.asset_id else "—", small),
                    p(f"{line.item_model.tasinir_code.name}: {line.item_model}", small),
                    p(_("piece"), small),
                    p(str(line.quantity), small),
                    p(_money(value) if line.asset_id else "—", small),
                ]
            )
        rows.append(["", "", "", p(_("Total"), bold), "", "", p(_money(total), bold)])
        story = [
            p("T.C.", styles["centre"]),
            p(_municipality_name(), styles["centre"]),
            Spacer(1, 3 * mm),
            p("KAYITTAN DÜŞME TEKLİF VE ONAY TUTANAĞI", styles["title"]),
            Spacer(1, 4 * mm),
            header,
            Spacer(1, 4 * mm),
            _table(rows, [11 * mm, 24 * mm, 38 * mm, 55 * mm, 14 * mm, 14 * mm, 24 * mm]),
            Spacer(1, 3 * mm),
            p(_("Reason: %(reason)s") % {"reason": disposal.reason}, text),
            Spacer(1, 2 * mm),
            p(
                _("The commission proposes that the items above be taken off the register."),
                text,
            ),
            Spacer(1, 4 * mm),
            _commission(disposal.members.all(), _("Commission")),
            Spacer(1, 6 * mm),
            p("ONAY", styles["title"]),
        ]
        if disposal.state == "approved":
            approver = disposal.decided_by.get_full_name() if disposal.decided_by else "—"
            story += [
                p(
                    _("Approved electronically by %(user)s on %(date)s; exit slip %(slip)s.")
                    % {
                        "user": approver,
                        "date": _date(disposal.decided_at),
                        "slip": disposal.slip.number if disposal.slip else "—",
                    },
                    small,
                )
            ]
        elif disposal.state == "rejected":
            story += [p(_("Refused on %(date)s.") % {"date": _date(disposal.decided_at)}, small)]
        story += [
            Spacer(1, 3 * mm),
            _signatures(_("Property officer"), _("Approved: spending authority")),
        ]
        return _document(story, f"Kayıttan Düşme Teklif ve Onay Tutanağı {disposal.number}")
