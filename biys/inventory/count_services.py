"""Every write of the year-end count (sayım) and of taking items off the register (kayıttan
düşme: write-off and scrapping).

A count is opened for a store by the inventory officer with its commission: what the register
expects there is fixed at that moment (the store's stock, and the fixed assets kept in the store
or, for a unit count, everything on the unit's register). The commission records what it finds:
an asset by its label (the QR code holds the asset's page address; a keyboard-style scanner or a
person types the same address, the inventory number or the serial), a consumable by the quantity
counted. Recording the same label twice changes nothing. An asset the count does not expect
(another unit's, in someone's custody during a store count, already off the register) is a
surplus with a note saying why; a label the register does not know at all is an unknown item,
identified by its model before the count closes.

Closing the count writes a draft count-surplus entry fişi (for the spending authority to approve
like any fişi) and a write-off proposal (Kayıttan Düşme Teklif ve Onay Tutanağı) for what is
missing; the spending authority's approval of a proposal issues and approves its exit fişi. A
scrapping proposal (hurdaya ayırma, by the commission's decision) takes the same road.

Functions take keyword arguments only and run in one transaction; a refusal is a
``ValidationError`` naming the field (or ``PermissionDenied``), and nothing is half-written.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core import changelog
from biys.core.access import can, can_add
from biys.core.numbering import next_number
from biys.inventory import services
from biys.inventory.models import (
    FINAL_STATUSES,
    Asset,
    AssetStatus,
    Count,
    CountAsset,
    CountLine,
    CountScope,
    CountState,
    Disposal,
    DisposalKind,
    DisposalLine,
    DisposalState,
    ItemKind,
    Slip,
    SlipKind,
    StockItem,
    Store,
)

COUNT_SEQUENCE = "tasinir-sayim"
COUNT_NUMBER_TEMPLATE = "SAY-{year}-{seq:05d}"
DISPOSAL_SEQUENCE = "kayittan-dusme"
DISPOSAL_NUMBER_TEMPLATE = "KDT-{year}-{seq:06d}"
# Statuses of an asset a store count expects to find in the store (not in anyone's custody).
IN_THE_STORE = (AssetStatus.IN_STORE, AssetStatus.FAULTY, AssetStatus.AT_REPAIR)
DISPOSAL_SLIP_KIND = {
    DisposalKind.WRITE_OFF: SlipKind.WRITE_OFF,
    DisposalKind.SCRAPPING: SlipKind.SCRAPPING,
}
# The asset page's address on a label: .../inventory/assets/<pk>/
ASSET_URL = re.compile(r"/inventory/assets/(\d+)/?(?:[?#].*)?$")


def _deny(message=None):
    raise PermissionDenied(message or _("You may not do this for this count."))


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


def _check_members(members, field: str = "members") -> list:
    members = [person for person in (members or ()) if person is not None]
    if not members:
        raise ValidationError({field: _("Name the members of the commission.")})
    return members


def expected_assets(store: Store, scope: str):
    """The fixed assets a count of ``store`` expects: those kept in the store, or for a unit
    count everything on the store's unit's register that is still on it."""
    assets = Asset.objects.filter(unit_id=store.unit_id).exclude(status__in=FINAL_STATUSES)
    if scope == CountScope.STORE:
        assets = assets.filter(status__in=IN_THE_STORE, custodian__isnull=True)
    return assets


# --------------------------------------------------------------------------- opening


@changelog.batched
def open_count(
    *, store: Store, members, scope: str = CountScope.STORE, year=None, notes: str = "", user=None
) -> Count:
    """Open a count of ``store`` with its commission; what the register expects is fixed now."""
    if user is not None and not can_add(user, Count, store.unit_id):
        _deny()
    members = _check_members(members)
    errors = {}
    if scope not in CountScope.values:
        errors["scope"] = _("Choose what is counted.")
    if not store.is_active:
        errors["store"] = _("The store is not in use.")
    this_year = timezone.localdate().year
    year = year or this_year
    if not (this_year - 1 <= int(year) <= this_year):
        errors["year"] = _("A count is for this year or the last.")
    if errors:
        raise ValidationError(errors)
    # One count of a store at a time: the store's row is the lock two officers queue on.
    Store.objects.select_for_update().filter(pk=store.pk).first()
    if Count.objects.filter(store=store).exclude(state=CountState.CLOSED).exists():
        raise ValidationError(
            {"store": _("This store is being counted already: close that first.")}
        )
    count = Count(store=store, scope=scope, year=year, notes=(notes or "").strip())
    count.number = next_number(COUNT_SEQUENCE, template=COUNT_NUMBER_TEMPLATE)
    count.full_clean(exclude=["members"])
    count.save()
    count.members.set(members)
    CountAsset.objects.bulk_create(
        CountAsset(count=count, asset_id=pk, expected=True)
        for pk in expected_assets(store, scope)
        .order_by("inventory_number")
        .values_list("pk", flat=True)
    )
    CountLine.objects.bulk_create(
        CountLine(count=count, item_model_id=item_id, expected_quantity=quantity)
        for item_id, quantity in StockItem.objects.filter(store=store)
        .order_by("item_model__sort_name", "pk")
        .values_list("item_model_id", "quantity")
    )
    return count


def _lock_count(count: Count, user, *, states=(CountState.OPEN,)) -> Count:
    locked = (
        Count.objects.select_for_update().select_related("store", "store__unit").get(pk=count.pk)
    )
    if user is not None and not can(user, "change", locked):
        _deny()
    if locked.state not in states:
        if locked.state == CountState.CLOSED:
            raise ValidationError(_("This count is closed: nothing more is recorded on it."))
        raise ValidationError(
            _("Counting has finished: reopen the counting to record more.")
            if locked.state == CountState.COUNTED
            else _("This count is still being counted.")
        )
    return locked


@changelog.batched
def update_count(*, count: Count, members, notes: str = "", user=None) -> Count:
    """The commission and the notes; once the count is closed only the notes (the commission
    signed its forms)."""
    count = _lock_count(count, user, states=tuple(CountState.values))
    members = _check_members(members)
    if count.state == CountState.CLOSED and {p.pk for p in members} != set(
        count.members.values_list("pk", flat=True)
    ):
        raise ValidationError({"members": _("The commission of a closed count does not change.")})
    count.notes = (notes or "").strip()
    count.full_clean(exclude=["members"])
    count.save()
    count.members.set(members)
    return count


# --------------------------------------------------------------------------- recording


@dataclass
class ScanResult:
    row: CountAsset
    created: bool  # False: the label had been recorded already (nothing changed)
    message: str
    surplus: bool = False


def find_asset(code: str) -> Asset | None:
    """The asset a label names: its page address (the QR code), its inventory number or its
    serial (case ignored), on the register or already off it."""
    code = (code or "").strip()
    if not code:
        return None
    match = ASSET_URL.search(code)
    if match:
        return Asset.objects.select_related("unit", "custodian").filter(pk=match[1]).first()
    candidates = list(
        Asset.objects.filter(Q(inventory_number=code) | Q(serial_number__iexact=code))
        .select_related("unit", "custodian")
        .order_by("pk")[:10]
    )
    for asset in candidates:
        if asset.inventory_number == code:
            return asset
    return candidates[0] if candidates else None


def _why_unexpected(count: Count, asset: Asset) -> str:
    if asset.is_final:
        return _("Off the register: %(status)s.") % {"status": asset.get_status_display().lower()}
    if asset.unit_id != count.store.unit_id:
        return _("On the register of another unit: %(unit)s.") % {"unit": asset.unit}
    if asset.custodian_id:
        return _("In the custody of %(person)s, not in the store.") % {"person": asset.custodian}
    return _("Not expected in this count (%(status)s).") % {
        "status": asset.get_status_display().lower()
    }


@changelog.batched
def record_scan(*, count: Count, code: str, user=None, at=None) -> ScanResult:
    """Record an asset found, by the code read from its label or typed. The same label twice
    changes nothing; an asset the count does not expect is a surplus with a note; a code the
    register does not know is an unknown item, to be identified before closing."""
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("Scan a label or type an inventory number.")})
    if len(code) > 300:
        raise ValidationError({"code": _("This is not a label's code.")})
    count = _lock_count(count, user)
    now = at or timezone.now()
    finder = _user_or_none(user)
    asset = find_asset(code)
    if asset is None:
        row = CountAsset.objects.filter(count=count, asset__isnull=True, code=code).first()
        if row is not None:
            return ScanResult(row, False, _("%(code)s: recorded already.") % {"code": code}, True)
        row = CountAsset.objects.create(
            count=count,
            code=code,
            found_at=now,
            found_by=finder,
            note=_("Not on the register: identify its model before closing the count."),
        )
        return ScanResult(
            row, True, _("%(code)s is not on the register: an unknown item.") % {"code": code}, True
        )
    row = CountAsset.objects.filter(count=count, asset=asset).first()
    if row is not None and row.found_at is not None:
        return ScanResult(
            row,
            False,
            _("%(asset)s: recorded already.") % {"asset": asset.inventory_number},
            row.is_surplus,
        )
    if row is not None:
        row.found_at, row.found_by, row.code = now, finder, code
        row.save(update_fields=["found_at", "found_by", "code"])
        return ScanResult(row, True, _("%(asset)s found.") % {"asset": asset.inventory_number})
    note = _why_unexpected(count, asset)
    row = CountAsset.objects.create(
        count=count,
        asset=asset,
        item_model_id=asset.item_model_id,
        code=code,
        found_at=now,
        found_by=finder,
        note=note,
    )
    return ScanResult(
        row,
        True,
        _("%(asset)s is a surplus here. %(note)s")
        % {"asset": asset.inventory_number, "note": note},
        True,
    )


@changelog.batched
def unrecord(*, row: CountAsset, user=None) -> None:
    """Take back a record made by mistake: an expected asset is missing again, anything else
    leaves the count."""
    _lock_count(row.count, user)
    row = CountAsset.objects.select_for_update().get(pk=row.pk)
    if row.expected:
        row.found_at = row.found_by = None
        row.save(update_fields=["found_at", "found_by"])
    else:
        row.delete()


@changelog.batched
def identify_unknown(*, row: CountAsset, item_model, value=Decimal("0"), user=None) -> CountAsset:
    """Name the model (and the value) of an item found that the register does not know: it
    enters the register by the count-surplus fişi."""
    _lock_count(row.count, user, states=(CountState.OPEN, CountState.COUNTED))
    row = CountAsset.objects.select_for_update().get(pk=row.pk)
    if row.asset_id is not None:
        raise ValidationError(_("This item is on the register already."))
    errors = {}
    if item_model is None:
        errors["item_model"] = _("This field is required.")
    elif item_model.kind != ItemKind.FIXED:
        errors["item_model"] = _("Count a consumable by its quantity instead.")
    if value is None or value < 0:
        errors["value"] = _("The value cannot be negative.")
    if errors:
        raise ValidationError(errors)
    row.item_model, row.value = item_model, value
    row.save(update_fields=["item_model", "value"])
    return row


@changelog.batched
def set_counted_quantity(*, count: Count, item_model, quantity, user=None) -> CountLine:
    """The quantity of a consumable counted; one the store's stock did not show is added with
    nothing expected (a surplus)."""
    count = _lock_count(count, user)
    if item_model is None:
        raise ValidationError({"item_model": _("This field is required.")})
    if item_model.kind != ItemKind.CONSUMABLE:
        raise ValidationError(
            {"item_model": _("A fixed asset is counted by its label, not by quantity.")}
        )
    if quantity is None or int(quantity) < 0:
        raise ValidationError({"quantity": _("The quantity cannot be negative.")})
    line, _created = CountLine.objects.get_or_create(count=count, item_model=item_model)
    line.counted_quantity = int(quantity)
    line.save(update_fields=["counted_quantity"])
    return line


@changelog.batched
def finish_counting(*, count: Count, user=None, at=None) -> Count:
    """The commission has counted everything: the count waits to be closed. Every consumable
    needs its counted quantity."""
    count = _lock_count(count, user)
    left = count.lines.filter(counted_quantity__isnull=True).count()
    if left:
        raise ValidationError(
            _("Enter the quantity counted of every consumable first (%(left)s left).")
            % {"left": left}
        )
    count.state = CountState.COUNTED
    count.counted_at = at or timezone.now()
    count.save(update_fields=["state", "counted_at", "last_updated"])
    return count


@changelog.batched
def reopen_counting(*, count: Count, user=None) -> Count:
    count = _lock_count(count, user, states=(CountState.COUNTED,))
    count.state = CountState.OPEN
    count.counted_at = None
    count.save(update_fields=["state", "counted_at", "last_updated"])
    return count


# --------------------------------------------------------------------------- results


@dataclass
class CountResult:
    found: list  # expected and found
    shortages: list  # expected, not found
    surpluses: list  # found, not expected (assets of elsewhere and unknown items)
    lines: list  # consumables

    @property
    def consumable_shortages(self) -> list:
        return [line for line in self.lines if line.difference < 0]

    @property
    def consumable_surpluses(self) -> list:
        return [line for line in self.lines if line.difference > 0]


def count_result(count: Count) -> CountResult:
    """Expected against found, in a fixed number of queries whatever the size of the count."""
    rows = list(
        count.asset_rows.select_related(
            "asset",
            "asset__item_model",
            "asset__tasinir_code",
            "asset__unit",
            "asset__custodian",
            "item_model",
            "item_model__tasinir_code",
        ).order_by("asset__inventory_number", "pk")
    )
    lines = list(
        count.lines.select_related("item_model", "item_model__tasinir_code").order_by(
            "item_model__sort_name", "pk"
        )
    )
    return CountResult(
        found=[row for row in rows if row.expected and row.found_at],
        shortages=[row for row in rows if row.is_shortage],
        surpluses=[row for row in rows if row.is_surplus],
        lines=lines,
    )


# --------------------------------------------------------------------------- closing


@changelog.batched
def close_count(*, count: Count, user=None, at=None) -> Count:
    """Close a counted count: a draft count-surplus fişi for the items found over the register
    (identified unknown items and consumables counted over the stock) and a write-off proposal
    for what is missing, both resting on the count's number."""
    count = _lock_count(count, user, states=(CountState.COUNTED,))
    result = count_result(count)
    unidentified = [row for row in result.surpluses if not row.asset_id and not row.item_model_id]
    if unidentified:
        raise ValidationError(
            _(
                "Identify the model of every unknown item found, or take it off the count,"
                " before closing (%(codes)s)."
            )
            % {"codes": ", ".join(row.code for row in unidentified)}
        )
    now = at or timezone.now()
    new_items = defaultdict(int)
    for row in result.surpluses:
        if not row.asset_id:
            new_items[(row.item_model, row.value)] += 1
    if new_items or result.consumable_surpluses:
        slip = services.save_slip(
            slip=Slip(
                store=count.store,
                kind=SlipKind.COUNT_SURPLUS,
                date=timezone.localdate(now),
                counterparty=_("Count commission"),
                document=count.number,
                created_by=_user_or_none(user),
                notes=_("Items found over the register by count %(number)s.")
                % {"number": count.number},
            )
        )
        for (item_model, value), quantity in new_items.items():
            services.add_slip_line(
                slip=slip, item_model=item_model, quantity=quantity, unit_price=value
            )
        for line in result.consumable_surpluses:
            services.add_slip_line(slip=slip, item_model=line.item_model, quantity=line.difference)
        count.surplus_slip = slip
    missing = [row.asset for row in result.shortages]
    consumables = [(line.item_model, -line.difference) for line in result.consumable_shortages]
    if missing or consumables:
        _create_disposal(
            store=count.store,
            kind=DisposalKind.WRITE_OFF,
            decision_date=timezone.localdate(now),
            reason=_("Missing at count %(number)s.") % {"number": count.number},
            members=list(count.members.all()),
            assets=missing,
            consumables=consumables,
            count=count,
            user=user,
        )
    count.state = CountState.CLOSED
    count.closed_at = now
    count.closed_by = _user_or_none(user)
    count.save(update_fields=["state", "closed_at", "closed_by", "surplus_slip", "last_updated"])
    return count


# --------------------------------------------------------------------------- write-off, scrapping


def _check_disposal_items(store: Store, kind: str, assets, consumables) -> None:
    errors = []
    for asset in assets:
        if asset.unit_id != store.unit_id:
            errors.append(_("%(asset)s is not on this unit's register.") % {"asset": asset})
        elif asset.is_final:
            errors.append(_("%(asset)s is off the register already.") % {"asset": asset})
    for item_model, quantity in consumables:
        if item_model.kind != ItemKind.CONSUMABLE:
            errors.append(_("%(item)s is not a consumable.") % {"item": item_model})
        if quantity < 1:
            errors.append(_("The quantity must be at least 1."))
    if not assets and not consumables:
        errors.append(_("Name at least one item to take off the register."))
    busy = DisposalLine.objects.filter(
        asset__in=[asset.pk for asset in assets], disposal__state=DisposalState.PROPOSED
    ).select_related("disposal", "asset")
    for line in busy:
        errors.append(
            _("%(asset)s is on proposal %(number)s already.")
            % {"asset": line.asset, "number": line.disposal.number}
        )
    if errors:
        raise ValidationError({"assets": errors})


def _create_disposal(
    *, store, kind, decision_date, reason, members, assets=(), consumables=(), count=None,
    decision_number: str = "", notes: str = "", user=None,
) -> Disposal:  # fmt: skip
    members = _check_members(members)
    assets, consumables = list(assets), list(consumables)
    errors = {}
    if kind not in DisposalKind.values:
        errors["kind"] = _("Choose the kind of proposal.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for taking the items off the register.")
    if decision_date and decision_date > timezone.localdate():
        errors["decision_date"] = _("The date cannot be in the future.")
    if kind == DisposalKind.SCRAPPING and consumables:
        errors["assets"] = _("Scrapping takes fixed assets off the register.")
    if errors:
        raise ValidationError(errors)
    _check_disposal_items(store, kind, assets, consumables)
    disposal = Disposal(
        store=store,
        kind=kind,
        count=count,
        decision_date=decision_date,
        decision_number=(decision_number or "").strip(),
        reason=reason.strip(),
        notes=(notes or "").strip(),
    )
    disposal.number = next_number(DISPOSAL_SEQUENCE, template=DISPOSAL_NUMBER_TEMPLATE)
    disposal.full_clean(exclude=["members"])
    disposal.save()
    disposal.members.set(members)
    DisposalLine.objects.bulk_create(
        [DisposalLine(disposal=disposal, item_model_id=a.item_model_id, asset=a) for a in assets]
        + [
            DisposalLine(disposal=disposal, item_model=item, quantity=quantity)
            for item, quantity in consumables
        ]
    )
    return disposal


@changelog.batched
def propose_disposal(
    *, store: Store, kind: str, decision_date, reason: str, members, assets=(), consumables=(),
    decision_number: str = "", notes: str = "", user=None,
) -> Disposal:  # fmt: skip
    """A Kayıttan Düşme Teklif ve Onay Tutanağı: the commission proposes scrapping ``assets``
    (by its decision, numbered and dated) or writing off assets and quantities of consumables
    (``consumables``: (item model, quantity) pairs)."""
    if user is not None and not can_add(user, Disposal, store.unit_id):
        _deny(_("You may not do this for this store."))
    return _create_disposal(
        store=store,
        kind=kind,
        decision_date=decision_date,
        decision_number=decision_number,
        reason=reason,
        members=members,
        assets=assets,
        consumables=consumables,
        notes=notes,
        user=user,
    )


def _lock_disposal(disposal: Disposal) -> Disposal:
    return (
        Disposal.objects.select_for_update()
        .select_related("store", "store__unit")
        .get(pk=disposal.pk)
    )


@changelog.batched
def update_disposal(
    *, disposal: Disposal, decision_date, reason: str, members, assets=None,
    decision_number: str = "", notes: str = "", user=None,
) -> Disposal:  # fmt: skip
    """Edit a proposal before it is decided; ``assets`` (when given) replaces its assets."""
    disposal = _lock_disposal(disposal)
    if user is not None and not can(user, "change", disposal):
        _deny(_("You may not do this for this store."))
    members = _check_members(members)
    if not disposal.is_proposed:
        # Decided: only the notes change (the decision and its items are on the signed form).
        same = (
            decision_date == disposal.decision_date
            and (decision_number or "").strip() == disposal.decision_number
            and (reason or "").strip() == disposal.reason
            and {p.pk for p in members} == set(disposal.members.values_list("pk", flat=True))
            and (
                assets is None
                or {a.pk for a in assets}
                == set(disposal.lines.filter(asset__isnull=False).values_list("asset", flat=True))
            )
        )
        if not same:
            raise ValidationError(_("A decided proposal cannot be changed."))
        disposal.notes = (notes or "").strip()
        disposal.save(update_fields=["notes", "last_updated"])
        return disposal
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Give the reason for taking the items off the register.")}
        )
    if decision_date and decision_date > timezone.localdate():
        raise ValidationError({"decision_date": _("The date cannot be in the future.")})
    if assets is not None:
        assets = list(assets)
        consumables = [
            (line.item_model, line.quantity)
            for line in disposal.lines.filter(asset__isnull=True).select_related("item_model")
        ]
        disposal.lines.filter(asset__isnull=False).delete()
        _check_disposal_items(disposal.store, disposal.kind, assets, consumables)
        DisposalLine.objects.bulk_create(
            DisposalLine(disposal=disposal, item_model_id=a.item_model_id, asset=a) for a in assets
        )
    disposal.decision_date = decision_date
    disposal.decision_number = (decision_number or "").strip()
    disposal.reason = reason.strip()
    disposal.notes = (notes or "").strip()
    disposal.full_clean(exclude=["members"])
    disposal.save()
    disposal.members.set(members)
    return disposal


@changelog.batched
def decide_disposal(*, disposal: Disposal, approve: bool, user=None, notes: str = "", at=None):
    """The spending authority approves a proposal, which issues its exit fişi (write-off or
    scrapping) and approves it at once: the assets leave the register, the consumables the
    stock. Any refusal (an asset in someone's custody, too little stock) leaves nothing
    changed. Or it refuses the proposal, with a reason."""
    disposal = _lock_disposal(disposal)
    if user is not None and not can(user, "approve", disposal):
        raise PermissionDenied(_("Only the spending authority approves write-off proposals."))
    if not disposal.is_proposed:
        raise ValidationError(_("This proposal has been decided already."))
    now = at or timezone.now()
    if not approve:
        if not (notes or "").strip():
            raise ValidationError({"notes": _("Give the reason for the refusal.")})
        disposal.state = DisposalState.REJECTED
    else:
        lines = list(disposal.lines.select_related("item_model", "asset").order_by("pk"))
        slip = services.save_slip(
            slip=Slip(
                store=disposal.store,
                kind=DISPOSAL_SLIP_KIND[disposal.kind],
                date=timezone.localdate(now),
                counterparty=_("Write-off commission"),
                document=disposal.number,
                created_by=_user_or_none(user),
                notes=disposal.reason,
            )
        )
        by_model = defaultdict(list)
        for line in lines:
            if line.asset_id:
                by_model[(line.item_model, line.asset.value)].append(line.asset)
            else:
                services.add_slip_line(
                    slip=slip, item_model=line.item_model, quantity=line.quantity
                )
        for (item_model, value), assets in by_model.items():
            services.add_slip_line(
                slip=slip, item_model=item_model, unit_price=value, assets=assets
            )
        # The proposal's approval is the fişi's: the same spending authority signs both.
        slip = services.approve_slip(slip=slip, user=user, at=now)
        disposal.slip = slip
        disposal.state = DisposalState.APPROVED
    disposal.decided_by = _user_or_none(user)
    disposal.decided_at = now
    if notes:
        disposal.notes = "\n".join(filter(None, [disposal.notes, notes.strip()]))
    disposal.save()
    return disposal
