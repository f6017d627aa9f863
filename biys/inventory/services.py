"""Every write of the inventory: registering and editing assets, their status, custody (hand
over, take back, transfer, acknowledge), item models, locations and the taşınır code list.

Functions take keyword arguments only and run in one transaction; a refusal is a
``ValidationError`` naming the field (or ``PermissionDenied``), and nothing is half-written.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core import changelog
from biys.core.access import can, can_add
from biys.core.numbering import next_number, next_numbers
from biys.inventory.models import (
    ENTRY_KINDS,
    FINAL_STATUSES,
    AcquisitionMethod,
    Asset,
    AssetStatus,
    Custody,
    CustodyEnd,
    ItemKind,
    ItemModel,
    Location,
    RequestState,
    Slip,
    SlipAsset,
    SlipKind,
    SlipLine,
    SlipState,
    StockItem,
    StockRequest,
    StockRequestLine,
    Store,
    TasinirCode,
)

DEFAULT_NUMBER_FORMAT = "{code}-{year}-{seq:05d}"
CUSTODY_SEQUENCE = "zimmet"
CUSTODY_NUMBER_TEMPLATE = "ZF-{year}-{seq:06d}"

# Fields of an asset that registering and editing may set; status, custodian and number move
# only through the actions below.
ASSET_FIELDS = (
    "unit",
    "item_model",
    "serial_number",
    "location",
    "acquisition_method",
    "acquired_on",
    "value",
    "supplier",
    "invoice_number",
    "contract",
    "warranty_end",
    "notes",
)

# Where an asset may go by ``set_status`` ("in_service": back in custody or in store).
IN_SERVICE = "in_service"
STATUS_MOVES = {
    AssetStatus.IN_STORE: {AssetStatus.FAULTY, AssetStatus.AT_REPAIR, *FINAL_STATUSES},
    AssetStatus.IN_CUSTODY: {AssetStatus.FAULTY, AssetStatus.AT_REPAIR},
    AssetStatus.FAULTY: {IN_SERVICE, AssetStatus.AT_REPAIR, *FINAL_STATUSES},
    AssetStatus.AT_REPAIR: {IN_SERVICE, AssetStatus.FAULTY, *FINAL_STATUSES},
    AssetStatus.SCRAPPED: set(),
    AssetStatus.WRITTEN_OFF: set(),
}


def number_format() -> str:
    return getattr(settings, "BIYS_INVENTORY_NUMBER_FORMAT", "") or DEFAULT_NUMBER_FORMAT


def sequence_name(code: str) -> str:
    return f"asset-{code.replace('.', '-')}"[:50]


def next_inventory_number(*, code: TasinirCode, at: datetime | None = None) -> str:
    """The taşınır code's next number of the year, formatted by ``BIYS_INVENTORY_NUMBER_FORMAT``
    (placeholders ``{code}``, ``{year}``, ``{seq}``). One yearly sequence per code."""
    return next_inventory_numbers(code=code, count=1, at=at)[0]


def next_inventory_numbers(*, code: TasinirCode, count: int, at: datetime | None = None) -> list:
    """``count`` consecutive numbers of the code's yearly sequence, taken in one statement."""
    moment = timezone.localtime(at or timezone.now())
    taken = next_numbers(sequence_name(code.code), count, at=moment, template="{seq}")
    return [number_format().format(code=code.code, year=moment.year, seq=int(seq)) for seq in taken]


def _require(user, allowed: bool) -> None:
    if user is not None and not allowed:
        raise PermissionDenied(_("You may not do this for this asset."))


def _lock(asset: Asset) -> Asset:
    """The asset's row, locked for the rest of the transaction (two officers acting at once
    queue here), read fresh."""
    return Asset.objects.select_for_update().get(pk=asset.pk)


def check_asset_fields(values: dict, *, today=None) -> None:
    """The rules of an asset's description (registering, editing, importing)."""
    errors = {}
    item_model = values.get("item_model")
    if item_model is not None and item_model.kind != ItemKind.FIXED:
        errors["item_model"] = _("A consumable is kept as stock, not registered as an asset.")
    acquired_on, warranty_end = values.get("acquired_on"), values.get("warranty_end")
    if acquired_on and acquired_on > (today or timezone.localdate()):
        errors["acquired_on"] = _("The acquisition date cannot be in the future.")
    if acquired_on and warranty_end and warranty_end < acquired_on:
        errors["warranty_end"] = _("The warranty cannot end before the acquisition.")
    value = values.get("value")
    if value is not None and value < 0:
        errors["value"] = _("The value cannot be negative.")
    if errors:
        raise ValidationError(errors)


def _clean_serial(values: dict) -> None:
    if "serial_number" in values:
        serial = (values["serial_number"] or "").strip()
        values["serial_number"] = serial or None


@changelog.batched
def register_asset(*, user=None, at: datetime | None = None, **values) -> Asset:
    """A new asset on ``unit``'s register, in store, numbered from its model's taşınır code."""
    unknown = set(values) - set(ASSET_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    _clean_serial(values)
    errors = {}
    for name in ("unit", "item_model", "acquired_on"):
        if values.get(name) is None:
            errors[name] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    check_asset_fields(values)
    _require(user, can_add(user, Asset, values["unit"].pk) if user else True)
    asset = Asset(**values, status=AssetStatus.IN_STORE)
    asset.tasinir_code = values["item_model"].tasinir_code
    asset.full_clean(exclude=["inventory_number"])
    # The number comes last: its yearly counter row is locked until the commit.
    asset.inventory_number = next_inventory_number(code=asset.tasinir_code, at=at)
    asset.save()
    return asset


@changelog.batched
def update_asset(*, asset: Asset, user=None, **changes) -> Asset:
    """Edit an asset's description; its number, status and custodian move only by actions. A
    new model keeps the number (it was given for the code at registration)."""
    unknown = set(changes) - set(ASSET_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    asset = _lock(asset)
    _require(user, can(user, "change", asset) if user else True)
    if asset.is_final:
        raise ValidationError(_("A scrapped or written-off asset cannot be changed."))
    _clean_serial(changes)
    check_asset_fields(
        {
            "item_model": changes.get("item_model", asset.item_model),
            "acquired_on": changes.get("acquired_on", asset.acquired_on),
            "warranty_end": changes.get("warranty_end", asset.warranty_end),
            "value": changes.get("value", asset.value),
        }
    )
    for name, value in changes.items():
        setattr(asset, name, value)
    asset.full_clean()
    asset.save()
    return asset


def _open_custody(asset: Asset) -> Custody | None:
    return Custody.objects.filter(asset=asset, ended_at__isnull=True).first()


def _check_person(person, field: str = "person") -> None:
    if person is None:
        raise ValidationError({field: _("Choose the person who takes the asset.")})
    if person.status != "active":
        raise ValidationError({field: _("Only active staff can take an asset into custody.")})


def _start_custody(*, asset: Asset, person, user, now, notes: str) -> Custody:
    custody = Custody(
        asset=asset,
        person=person,
        unit_id=asset.unit_id,
        started_at=now,
        handed_by=user if getattr(user, "is_authenticated", False) else None,
        notes=(notes or "").strip(),
    )
    custody.number = next_number(CUSTODY_SEQUENCE, at=now, template=CUSTODY_NUMBER_TEMPLATE)
    custody.save()
    return custody


@changelog.batched
def hand_over(*, asset: Asset, person, user=None, notes: str = "", at=None) -> Custody:
    """Zimmet: an asset in store goes into ``person``'s custody, with a numbered Zimmet Fişi."""
    asset = _lock(asset)
    _require(user, can(user, "change", asset) if user else True)
    _check_person(person)
    if _open_custody(asset) is not None:
        raise ValidationError(
            {"person": _("The asset is in someone's custody: transfer it or take it back first.")}
        )
    if asset.status != AssetStatus.IN_STORE:
        raise ValidationError(
            {
                "asset": _("Only an asset in store can be handed over (it is %(status)s).")
                % {"status": asset.get_status_display().lower()}
            }
        )
    now = at or timezone.now()
    custody = _start_custody(asset=asset, person=person, user=user, now=now, notes=notes)
    asset.custodian = person
    asset.status = AssetStatus.IN_CUSTODY
    asset.save(update_fields=["custodian", "status", "last_updated"])
    return custody


@changelog.batched
def take_back(*, asset: Asset, user=None, notes: str = "", at=None) -> Custody:
    """The custodian returns the asset: the custody ends; a working asset goes back to store,
    a faulty one stays faulty."""
    asset = _lock(asset)
    _require(user, can(user, "change", asset) if user else True)
    custody = _open_custody(asset)
    if custody is None:
        raise ValidationError({"asset": _("The asset is not in anyone's custody.")})
    now = at or timezone.now()
    _end(custody, user=user, now=now, reason=CustodyEnd.RETURNED, notes=notes)
    asset.custodian = None
    if asset.status == AssetStatus.IN_CUSTODY:
        asset.status = AssetStatus.IN_STORE
    asset.save(update_fields=["custodian", "status", "last_updated"])
    return custody


def _end(custody: Custody, *, user, now, reason: str, notes: str = "") -> None:
    custody.ended_at = now
    custody.ended_by = user if getattr(user, "is_authenticated", False) else None
    custody.end_reason = reason
    if notes:
        custody.notes = "\n".join(filter(None, [custody.notes, notes.strip()]))
    custody.save()


@changelog.batched
def transfer(*, asset: Asset, person, user=None, notes: str = "", at=None) -> Custody:
    """From one custodian to another: the old custody ends, a new Zimmet Fişi starts."""
    asset = _lock(asset)
    _require(user, can(user, "change", asset) if user else True)
    _check_person(person)
    current = _open_custody(asset)
    if current is None:
        raise ValidationError(
            {"asset": _("The asset is not in anyone's custody: hand it over instead.")}
        )
    if current.person_id == person.pk:
        raise ValidationError({"person": _("The asset is already in this person's custody.")})
    now = at or timezone.now()
    _end(current, user=user, now=now, reason=CustodyEnd.TRANSFERRED)
    custody = _start_custody(asset=asset, person=person, user=user, now=now, notes=notes)
    asset.custodian = person
    asset.save(update_fields=["custodian", "last_updated"])
    return custody


@changelog.batched
def acknowledge(*, custody: Custody, user, at=None) -> Custody:
    """The custodian confirms, in their own portal, that they received the asset."""
    person_id = getattr(user, "person_id", None)
    if person_id is None or person_id != custody.person_id:
        raise PermissionDenied(_("Only the custodian can acknowledge a custody."))
    custody = Custody.objects.select_for_update().get(pk=custody.pk)
    if not custody.is_open:
        raise ValidationError(_("This custody has ended."))
    if custody.acknowledged_at is None:
        custody.acknowledged_at = at or timezone.now()
        custody.save(update_fields=["acknowledged_at", "last_updated"])
    return custody


@changelog.batched
def set_status(*, asset: Asset, status: str, user=None, notes: str = "") -> Asset:
    """Faulty, at repair, back in service, scrapped or written off, along ``STATUS_MOVES``."""
    asset = _lock(asset)
    _require(user, can(user, "change", asset) if user else True)
    allowed = STATUS_MOVES.get(asset.status, set())
    if status not in allowed:
        raise ValidationError(
            {
                "status": _("An asset that is %(current)s cannot become %(new)s.")
                % {
                    "current": asset.get_status_display().lower(),
                    "new": status_label(status).lower(),
                }
            }
        )
    open_custody = _open_custody(asset)
    if status in FINAL_STATUSES and open_custody is not None:
        raise ValidationError({"status": _("Take the asset back from its custodian first.")})
    if status in FINAL_STATUSES and not (notes or "").strip():
        raise ValidationError({"notes": _("Give the decision or reason.")})
    if status == IN_SERVICE:
        status = AssetStatus.IN_CUSTODY if open_custody else AssetStatus.IN_STORE
    asset.status = status
    if notes:
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        asset.notes = "\n".join(filter(None, [asset.notes, f"{stamp}: {notes.strip()}"]))
    asset.save(update_fields=["status", "notes", "last_updated"])
    return asset


def status_label(status: str) -> str:
    if status == IN_SERVICE:
        return _("Back in service")
    return str(AssetStatus(status).label)


def status_choices(asset: Asset) -> list[tuple[str, str]]:
    moves = STATUS_MOVES.get(asset.status, set())
    order = [AssetStatus.FAULTY, AssetStatus.AT_REPAIR, IN_SERVICE, *FINAL_STATUSES]
    return [(status, status_label(status)) for status in order if status in moves]


# --------------------------------------------------------------------------- reference data


@transaction.atomic
def save_item_model(*, item_model: ItemModel, user=None) -> ItemModel:
    """An item model's kind follows its taşınır code (account 150 is consumable)."""
    code = item_model.tasinir_code if item_model.tasinir_code_id else None
    if code is not None and item_model.kind and item_model.kind != code.kind:
        raise ValidationError(
            {
                "kind": _("Code %(code)s is a %(kind)s code.")
                % {"code": code.code, "kind": ItemKind(code.kind).label.lower()}
            }
        )
    if code is not None and not item_model.kind:
        item_model.kind = code.kind
    item_model.full_clean()
    item_model.save()
    return item_model


@transaction.atomic
def save_location(*, location: Location, user=None) -> Location:
    location.full_clean()
    location.save()
    return location


def _may_delete(user, obj) -> None:
    if user is not None and not can(user, "delete", obj):
        raise PermissionDenied(_("You may not delete this record."))


@changelog.batched
def delete_item_model(*, item_model: ItemModel, user=None) -> None:
    """Delete an item model nothing names: an asset, stock, a fişi, request, count or proposal
    line refuses it (the foreign keys protect it: ``ProtectedError`` naming them, the delete
    page's 409)."""
    _may_delete(user, item_model)
    item_model.delete()


@changelog.batched
def delete_location(*, location: Location, user=None) -> None:
    """Delete a room no asset, store or network device is in (they refuse it)."""
    _may_delete(user, location)
    location.delete()


# --------------------------------------------------------------------------- stores and stock

SLIP_SEQUENCE = "tasinir-islem-fisi"
SLIP_NUMBER_TEMPLATE = "TIF-{year}-{seq:06d}"
REQUEST_SEQUENCE = "tasinir-istek-belgesi"
REQUEST_NUMBER_TEMPLATE = "TIB-{year}-{seq:06d}"
LOW_STOCK_ROLES = ("inventory_officer",)

# What an exit of a fixed asset leaves it as (a transfer moves it to the receiving unit).
EXIT_STATUS = {
    SlipKind.SCRAPPING: AssetStatus.SCRAPPED,
    SlipKind.WRITE_OFF: AssetStatus.WRITTEN_OFF,
    SlipKind.COUNT_SHORTAGE: AssetStatus.WRITTEN_OFF,
}
ACQUISITION = {
    SlipKind.PURCHASE: AcquisitionMethod.PURCHASE,
    SlipKind.DONATION: AcquisitionMethod.DONATION,
    SlipKind.TRANSFER_IN: AcquisitionMethod.TRANSFER_IN,
    SlipKind.COUNT_SURPLUS: AcquisitionMethod.COUNT_SURPLUS,
}
# Statuses from which an asset may leave the register by an exit fişi (not in anyone's custody).
MAY_EXIT = (AssetStatus.IN_STORE, AssetStatus.FAULTY, AssetStatus.AT_REPAIR)


def _deny(message=None):
    raise PermissionDenied(message or _("You may not do this for this store."))


@transaction.atomic
def save_store(*, store: Store, user=None) -> Store:
    if user is not None:
        allowed = can(user, "change", store) if store.pk else can_add(user, Store, store.unit_id)
        if not allowed:
            _deny()
    store.full_clean()
    store.save()
    return store


@changelog.batched
def delete_store(*, store: Store, user=None) -> None:
    """Delete a store never used: its stock rows, fişler, requests, counts and proposals refuse
    it (a store used once is kept with its history; mark it no longer in use)."""
    if user is not None and not can(user, "delete", store):
        _deny()
    store.delete()


@transaction.atomic
def save_stock_item(*, stock_item: StockItem, user=None) -> StockItem:
    """A store's stock line of a consumable, with its minimum level (the quantity moves only by
    fişler)."""
    if stock_item.item_model_id and stock_item.item_model.kind != ItemKind.CONSUMABLE:
        raise ValidationError(
            {"item_model": _("Only consumables are kept as stock; fixed assets are registered.")}
        )
    stock_item.full_clean()
    stock_item.save()
    _check_low(StockItem.objects.select_related("store", "item_model").get(pk=stock_item.pk))
    return stock_item


def low_stock_recipients(unit) -> list:
    """Active logins holding the inventory officer role over ``unit`` (or an ancestor with its
    sub-units)."""
    from biys.accounts.models import User

    ancestors = [int(part) for part in unit.path.strip("/").split("/") if part] or [unit.pk]
    return list(
        User.objects.filter(
            Q(role_assignments__role__slug__in=LOW_STOCK_ROLES)
            & (
                Q(role_assignments__unit=unit)
                | Q(role_assignments__unit__in=ancestors, role_assignments__include_subtree=True)
            ),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _check_low(stock: StockItem) -> None:
    """Once per fall below the minimum level: a notification to the store's inventory officers
    (the next one after the stock has been refilled above it)."""
    from biys.notifications.services import notify

    if stock.is_low and stock.low_alerted_at is None:
        notify(
            recipients=low_stock_recipients(stock.store.unit),
            title=_("Low stock: %(item)s in %(store)s")
            % {"item": stock.item_model, "store": stock.store},
            body=_("%(quantity)s left, the minimum level is %(minimum)s.")
            % {"quantity": stock.quantity, "minimum": stock.minimum_level},
            target=stock,
        )
        StockItem.objects.filter(pk=stock.pk).update(low_alerted_at=timezone.now())
    elif not stock.is_low and stock.low_alerted_at is not None:
        StockItem.objects.filter(pk=stock.pk).update(low_alerted_at=None)


def _stock_add(store: Store, item_model: ItemModel, quantity: int) -> None:
    stock, _created = StockItem.objects.get_or_create(store=store, item_model=item_model)
    StockItem.objects.filter(pk=stock.pk).update(quantity=F("quantity") + quantity)
    _check_low(StockItem.objects.select_related("store", "item_model").get(pk=stock.pk))


def _stock_take(store: Store, item_model: ItemModel, quantity: int) -> None:
    """Takes ``quantity`` out of the stock in one conditional UPDATE: two issues at once can
    never take the stock below zero (the second one finds too little and is refused)."""
    taken = StockItem.objects.filter(
        store=store, item_model=item_model, quantity__gte=quantity
    ).update(quantity=F("quantity") - quantity)
    if not taken:
        left = (
            StockItem.objects.filter(store=store, item_model=item_model)
            .values_list("quantity", flat=True)
            .first()
        )
        raise ValidationError(
            _("Not enough %(item)s in %(store)s: %(left)s in stock, %(wanted)s needed.")
            % {"item": item_model, "store": store, "left": left or 0, "wanted": quantity}
        )
    _check_low(
        StockItem.objects.select_related("store", "item_model").get(
            store=store, item_model=item_model
        )
    )


# --------------------------------------------------------------------------- işlem fişi


def _lock_slip(slip: Slip) -> Slip:
    return Slip.objects.select_for_update().select_related("store", "store__unit").get(pk=slip.pk)


def _require_draft(slip: Slip) -> None:
    if slip.state != SlipState.DRAFT:
        raise ValidationError(_("An approved slip cannot be changed: reverse it instead."))


def _check_slip_header(slip: Slip) -> None:
    errors = {}
    if slip.kind == SlipKind.TRANSFER_OUT:
        if slip.target_store_id is None:
            errors["target_store"] = _("Choose the store that receives the items.")
        elif slip.target_store_id == slip.store_id:
            errors["target_store"] = _("The receiving store must be another store.")
    elif slip.target_store_id is not None:
        errors["target_store"] = _("Only a transfer out has a receiving store.")
    if slip.date and slip.date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


@changelog.batched
def save_slip(*, slip: Slip, user=None) -> Slip:
    """Write or edit a draft fişi's header; an approved one never changes."""
    if slip.pk:
        current = _lock_slip(slip)
        _require_draft(current)
        if current.reverses_id and (slip.kind != current.kind or slip.store_id != current.store_id):
            raise ValidationError(_("A reversing slip keeps the kind and store of the original."))
        if user is not None and not can(user, "change", current):
            _deny()
        if slip.store_id != current.store_id and slip.lines.filter(assets__isnull=False).exists():
            raise ValidationError({"store": _("Remove the asset lines before changing store.")})
        if (slip.kind in ENTRY_KINDS) != (current.kind in ENTRY_KINDS) and slip.lines.exists():
            raise ValidationError(
                {"kind": _("Remove the lines before turning an entry into an exit or back.")}
            )
    else:
        if user is not None and not can_add(user, Slip, slip.store.unit_id):
            _deny()
        if getattr(user, "is_authenticated", False):
            slip.created_by = user
    _check_slip_header(slip)
    slip.full_clean(exclude=["number"])
    slip.save()
    return slip


@changelog.batched
def add_slip_line(
    *, slip: Slip, item_model: ItemModel, quantity: int = 0, unit_price=0, assets=(), user=None
) -> SlipLine:
    """A line on a draft fişi. An exit of fixed assets names the assets (the quantity is their
    number); an entry of fixed assets creates them on approval."""
    slip = _lock_slip(slip)
    if user is not None and not can(user, "change", slip):
        _deny()
    _require_draft(slip)
    if slip.reverses_id:
        raise ValidationError(_("A reversing slip carries the lines of the original."))
    assets = list(assets or ())
    fixed = item_model.kind == ItemKind.FIXED
    entry = slip.kind in ENTRY_KINDS
    errors = {}
    if fixed and not entry:
        if slip.kind == SlipKind.CONSUMPTION:
            errors["item_model"] = _("Fixed assets are not consumed: scrap or write them off.")
        elif not assets:
            errors["assets"] = _("Choose the assets that leave the register.")
        quantity = len(assets)
        for asset in assets:
            if asset.item_model_id != item_model.pk:
                errors["assets"] = _("%(asset)s is not a %(model)s.") % {
                    "asset": asset,
                    "model": item_model,
                }
            elif asset.unit_id != slip.store.unit_id:
                errors["assets"] = _("%(asset)s is not on this unit's register.") % {"asset": asset}
        if assets and SlipAsset.objects.filter(asset__in=assets, line__slip=slip).exists():
            errors["assets"] = _("An asset is already on this slip.")
    elif assets:
        errors["assets"] = _("Only an exit of fixed assets names assets.")
    if not quantity or quantity < 1:
        errors.setdefault("quantity", _("The quantity must be at least 1."))
    if unit_price is None or unit_price < 0:
        errors["unit_price"] = _("The unit price cannot be negative.")
    if errors:
        raise ValidationError(errors)
    line = SlipLine.objects.create(
        slip=slip, item_model=item_model, quantity=quantity, unit_price=unit_price
    )
    SlipAsset.objects.bulk_create([SlipAsset(line=line, asset=asset) for asset in assets])
    Slip.objects.filter(pk=slip.pk).update(last_updated=timezone.now())
    return line


@changelog.batched
def remove_slip_line(*, line: SlipLine, user=None) -> None:
    slip = _lock_slip(line.slip)
    if user is not None and not can(user, "change", slip):
        _deny()
    _require_draft(slip)
    if slip.reverses_id:
        raise ValidationError(_("A reversing slip carries the lines of the original."))
    line.delete()


def _move_asset(asset: Asset, *, status=None, unit=None, note: str = "") -> None:
    fields = ["last_updated"]
    if status is not None:
        asset.status = status
        fields.append("status")
    if unit is not None:
        asset.unit = unit
        fields.append("unit")
    if note:
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        asset.notes = "\n".join(filter(None, [asset.notes, f"{stamp}: {note}"]))
        fields.append("notes")
    asset.save(update_fields=fields)


def _apply_entry(slip: Slip, line: SlipLine, user) -> None:
    if line.item_model.kind == ItemKind.CONSUMABLE:
        _stock_add(slip.store, line.item_model, line.quantity)
        return
    for _n in range(line.quantity):
        asset = register_asset(
            unit=slip.store.unit,
            item_model=line.item_model,
            acquisition_method=ACQUISITION.get(slip.kind, AcquisitionMethod.OTHER),
            acquired_on=slip.date,
            value=line.unit_price,
            supplier=slip.counterparty,
            invoice_number=slip.document[:50],
            notes=_("Entered by slip %(number)s.") % {"number": slip.number},
        )
        SlipAsset.objects.create(line=line, asset=asset)


def _apply_exit(slip: Slip, line: SlipLine) -> None:
    if line.item_model.kind == ItemKind.CONSUMABLE:
        _stock_take(slip.store, line.item_model, line.quantity)
        if slip.kind == SlipKind.TRANSFER_OUT:
            _stock_add(slip.target_store, line.item_model, line.quantity)
        return
    for link in line.asset_links.select_related("asset"):
        asset = _lock(link.asset)
        if asset.unit_id != slip.store.unit_id:
            raise ValidationError(
                _("%(asset)s is not on this unit's register any more.") % {"asset": asset}
            )
        if asset.status not in MAY_EXIT or _open_custody(asset) is not None:
            raise ValidationError(
                _("%(asset)s is %(status)s: take it back into the store first.")
                % {"asset": asset, "status": asset.get_status_display().lower()}
            )
        link.status_before, link.unit_before_id = asset.status, asset.unit_id
        link.save(update_fields=["status_before", "unit_before"])
        note = _("Slip %(number)s.") % {"number": slip.number}
        if slip.kind == SlipKind.TRANSFER_OUT:
            if asset.status != AssetStatus.IN_STORE:
                raise ValidationError(
                    _("%(asset)s is %(status)s: only an asset in store is transferred.")
                    % {"asset": asset, "status": asset.get_status_display().lower()}
                )
            _move_asset(asset, unit=slip.target_store.unit, note=note)
        else:
            _move_asset(asset, status=EXIT_STATUS[slip.kind], note=note)


def _undo_entry(slip: Slip, line: SlipLine, original_line: SlipLine) -> None:
    """Reverse an entry: the stock it added goes out again; the assets it created leave the
    register (written off, their history kept) if they are still untouched in store."""
    if line.item_model.kind == ItemKind.CONSUMABLE:
        _stock_take(slip.store, line.item_model, line.quantity)
        return
    for original in original_line.asset_links.select_related("asset"):
        asset = _lock(original.asset)
        if (
            asset.status != AssetStatus.IN_STORE
            or asset.unit_id != slip.store.unit_id
            or _open_custody(asset) is not None
        ):
            raise ValidationError(
                _("%(asset)s has moved since (%(status)s): bring it back into the store first.")
                % {"asset": asset, "status": asset.get_status_display().lower()}
            )
        SlipAsset.objects.update_or_create(
            line=line,
            asset=asset,
            defaults={"status_before": asset.status, "unit_before_id": asset.unit_id},
        )
        _move_asset(
            asset,
            status=AssetStatus.WRITTEN_OFF,
            note=_("Entry cancelled by slip %(number)s.") % {"number": slip.number},
        )


def _undo_exit(slip: Slip, line: SlipLine, original_line: SlipLine) -> None:
    """Reverse an exit: the stock comes back; each asset returns to the status and unit it had
    before the original fişi, provided it is still where that fişi left it."""
    original_slip = original_line.slip
    if line.item_model.kind == ItemKind.CONSUMABLE:
        if original_slip.kind == SlipKind.TRANSFER_OUT:
            _stock_take(original_slip.target_store, line.item_model, line.quantity)
        _stock_add(slip.store, line.item_model, line.quantity)
        return
    for original in original_line.asset_links.select_related("asset"):
        asset = _lock(original.asset)
        if original_slip.kind == SlipKind.TRANSFER_OUT:
            where_left = (
                asset.unit_id == original_slip.target_store.unit_id
                and asset.status == AssetStatus.IN_STORE
                and _open_custody(asset) is None
            )
        else:
            where_left = asset.status == EXIT_STATUS[original_slip.kind]
        if not where_left or not original.status_before:
            raise ValidationError(
                _("%(asset)s has moved since the slip (%(status)s) and cannot be put back.")
                % {"asset": asset, "status": asset.get_status_display().lower()}
            )
        SlipAsset.objects.update_or_create(
            line=line,
            asset=asset,
            defaults={"status_before": asset.status, "unit_before_id": asset.unit_id},
        )
        _move_asset(
            asset,
            status=original.status_before,
            unit=original.unit_before or slip.store.unit,
            note=_("Back on the register by slip %(number)s.") % {"number": slip.number},
        )


def _check_lines(slip: Slip, lines: list[SlipLine]) -> None:
    """Each line as its fişi's kind wants it, whatever was edited since it was added: an entry
    of fixed assets names none yet, an exit names exactly as many as its quantity, and fixed
    assets are never consumed."""
    entry = slip.kind in ENTRY_KINDS
    for line in lines:
        named = line.asset_links.count()
        if line.item_model.kind != ItemKind.FIXED:
            continue
        if entry and named:
            raise ValidationError(
                _("Line %(line)s names assets: an entry creates them.") % {"line": line}
            )
        if not entry and (slip.kind == SlipKind.CONSUMPTION or named != line.quantity or not named):
            raise ValidationError(
                _("Line %(line)s must name the assets that leave the register.") % {"line": line}
            )


@changelog.batched
def approve_slip(*, slip: Slip, user=None, at=None) -> Slip:
    """The spending authority approves a draft: it is numbered (yearly sequence) and applied
    to the stock and the register in one transaction; any refusal leaves nothing changed."""
    slip = _lock_slip(slip)
    if user is not None and not can(user, "approve", slip):
        raise PermissionDenied(_("Only the spending authority approves slips."))
    _require_draft(slip)
    lines = list(slip.lines.select_related("item_model").order_by("pk"))
    if not lines:
        raise ValidationError(_("A slip without lines cannot be approved."))
    if not slip.reverses_id:
        _check_lines(slip, lines)
    now = at or timezone.now()
    slip.number = next_number(SLIP_SEQUENCE, at=now, template=SLIP_NUMBER_TEMPLATE)
    slip.state = SlipState.APPROVED
    slip.approved_at = now
    slip.approved_by = user if getattr(user, "is_authenticated", False) else None
    slip.save(update_fields=["number", "state", "approved_at", "approved_by", "last_updated"])
    if slip.reverses_id:
        original = Slip.objects.select_related("store", "target_store").get(pk=slip.reverses_id)
        original_lines = list(original.lines.select_related("item_model", "slip").order_by("pk"))
        for line, original_line in zip(lines, original_lines, strict=True):
            if original.kind in ENTRY_KINDS:
                _undo_entry(slip, line, original_line)
            else:
                _undo_exit(slip, line, original_line)
        if original.stock_request_id:
            # The issue is undone: the request is approved again, to be issued anew.
            StockRequest.objects.filter(pk=original.stock_request_id).update(
                state=RequestState.APPROVED, last_updated=now
            )
            StockRequestLine.objects.filter(request_id=original.stock_request_id).update(
                issued_quantity=0
            )
    else:
        for line in lines:
            if slip.kind in ENTRY_KINDS:
                _apply_entry(slip, line, user)
            else:
                _apply_exit(slip, line)
    return slip


@changelog.batched
def discard_slip(*, slip: Slip, user=None) -> None:
    """A draft written by mistake goes away (an approved fişi never does)."""
    slip = _lock_slip(slip)
    if user is not None and not can(user, "change", slip):
        _deny()
    _require_draft(slip)
    if slip.stock_request_id:
        raise ValidationError(_("A slip issued against a request is not discarded."))
    slip.delete()


@changelog.batched
def reverse_slip(*, slip: Slip, user=None, notes: str = "") -> Slip:
    """A draft fişi that undoes an approved one (its lines and assets), to be approved like
    any fişi. A reversal is not reversed again, and a fişi is reversed once."""
    slip = _lock_slip(slip)
    if user is not None and not can_add(user, Slip, slip.store.unit_id):
        _deny()
    if slip.state != SlipState.APPROVED:
        raise ValidationError(_("Only an approved slip is reversed; edit the draft instead."))
    if slip.reverses_id:
        raise ValidationError(_("A reversing slip is not reversed again."))
    if Slip.objects.filter(reverses=slip).exists():
        raise ValidationError(_("This slip has been reversed already."))
    if not (notes or "").strip():
        raise ValidationError({"notes": _("Give the reason for the reversal.")})
    reversal = Slip.objects.create(
        store=slip.store,
        kind=slip.kind,
        date=timezone.localdate(),
        counterparty=slip.counterparty,
        document=slip.document,
        target_store=slip.target_store,
        reverses=slip,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        notes=notes.strip(),
    )
    for line in slip.lines.order_by("pk"):
        SlipLine.objects.create(
            slip=reversal,
            item_model_id=line.item_model_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
        )
    return reversal


# --------------------------------------------------------------------------- istek belgesi


@changelog.batched
def request_stock(
    *, store: Store, requesting_unit, lines, requested_by=None, notes: str = "", user=None
) -> StockRequest:
    """A Taşınır İstek Belgesi: ``lines`` is a list of (consumable item model, quantity)."""
    if user is not None and not can_add(user, StockRequest, store.unit_id):
        _deny()
    lines = [(item, int(quantity or 0)) for item, quantity in lines if item is not None]
    errors = {}
    if not lines:
        errors["lines"] = _("Ask for at least one item.")
    for item, quantity in lines:
        if item.kind != ItemKind.CONSUMABLE:
            errors["lines"] = _("%(item)s is not a consumable.") % {"item": item}
        if quantity < 1:
            errors["lines"] = _("The quantity must be at least 1.")
    if errors:
        raise ValidationError(errors)
    request = StockRequest(
        store=store, requesting_unit=requesting_unit, requested_by=requested_by, notes=notes
    )
    request.number = next_number(REQUEST_SEQUENCE, template=REQUEST_NUMBER_TEMPLATE)
    request.full_clean()
    request.save()
    StockRequestLine.objects.bulk_create(
        [StockRequestLine(request=request, item_model=item, quantity=q) for item, q in lines]
    )
    return request


@transaction.atomic
def save_stock_request(*, stock_request: StockRequest, user=None) -> StockRequest:
    """Edit a submitted request's header (the generic form)."""
    if stock_request.pk:
        current = StockRequest.objects.select_for_update().get(pk=stock_request.pk)
        if current.state != RequestState.SUBMITTED:
            raise ValidationError(_("Only a submitted request can be changed."))
    else:
        stock_request.number = next_number(REQUEST_SEQUENCE, template=REQUEST_NUMBER_TEMPLATE)
    stock_request.full_clean()
    stock_request.save()
    return stock_request


def require_issue(user, stock_request: StockRequest) -> None:
    """Deciding and issuing ``stock_request``: the services check it, and the API checks it
    before it reads a body."""
    if user is not None and not can(user, "issue", stock_request):
        _deny(_("Only the store's inventory officer approves and issues requests."))


def _lock_request(stock_request: StockRequest, user) -> StockRequest:
    locked = (
        StockRequest.objects.select_for_update()
        .select_related("store", "store__unit")
        .get(pk=stock_request.pk)
    )
    require_issue(user, locked)
    return locked


@changelog.batched
def decide_request(*, stock_request: StockRequest, approve: bool, user=None, notes: str = ""):
    stock_request = _lock_request(stock_request, user)
    if stock_request.state != RequestState.SUBMITTED:
        raise ValidationError(_("This request has been decided already."))
    if approve and not stock_request.lines.exists():
        raise ValidationError(_("A request without lines cannot be approved."))
    if not approve and not (notes or "").strip():
        raise ValidationError({"notes": _("Give the reason for the refusal.")})
    stock_request.state = RequestState.APPROVED if approve else RequestState.REJECTED
    stock_request.decided_by = user if getattr(user, "is_authenticated", False) else None
    stock_request.decided_at = timezone.now()
    if notes:
        stock_request.notes = "\n".join(filter(None, [stock_request.notes, notes.strip()]))
    stock_request.save()
    return stock_request


@changelog.batched
def issue_request(*, stock_request: StockRequest, user=None) -> Slip:
    """Issue an approved request from stock: a consumption fişi, approved at once on the strength
    of the approved request, takes every line out of the store. Too little of any item refuses
    the whole issue (nothing is taken)."""
    stock_request = _lock_request(stock_request, user)
    if stock_request.state != RequestState.APPROVED:
        raise ValidationError(_("Only an approved request is issued."))
    slip = Slip.objects.create(
        store=stock_request.store,
        kind=SlipKind.CONSUMPTION,
        date=timezone.localdate(),
        counterparty=str(stock_request.requesting_unit),
        document=stock_request.number,
        stock_request=stock_request,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    lines = list(stock_request.lines.select_related("item_model"))
    for line in lines:
        SlipLine.objects.create(slip=slip, item_model=line.item_model, quantity=line.quantity)
        line.issued_quantity = line.quantity
        line.save(update_fields=["issued_quantity"])
    now = timezone.now()
    slip.number = next_number(SLIP_SEQUENCE, at=now, template=SLIP_NUMBER_TEMPLATE)
    slip.state = SlipState.APPROVED
    slip.approved_at = now
    slip.approved_by = slip.created_by
    slip.save(update_fields=["number", "state", "approved_at", "approved_by", "last_updated"])
    for line in slip.lines.select_related("item_model"):
        _apply_exit(slip, line)
    stock_request.state = RequestState.ISSUED
    stock_request.save(update_fields=["state", "last_updated"])
    return slip


@transaction.atomic
def add_request_line(*, stock_request: StockRequest, item_model, quantity: int, user=None):
    locked = StockRequest.objects.select_for_update().get(pk=stock_request.pk)
    if user is not None and not can(user, "change", locked):
        _deny()
    if locked.state != RequestState.SUBMITTED:
        raise ValidationError(_("Only a submitted request can be changed."))
    if item_model.kind != ItemKind.CONSUMABLE:
        raise ValidationError(
            {"item_model": _("%(item)s is not a consumable.") % {"item": item_model}}
        )
    if not quantity or quantity < 1:
        raise ValidationError({"quantity": _("The quantity must be at least 1.")})
    return StockRequestLine.objects.create(request=locked, item_model=item_model, quantity=quantity)
