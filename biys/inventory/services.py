"""Every write of the inventory: registering and editing assets, their status, custody (hand
over, take back, transfer, acknowledge), item models, locations and the taşınır code list.

Functions take keyword arguments only and run in one transaction; a refusal is a
``ValidationError`` naming the field (or ``PermissionDenied``), and nothing is half-written.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core import changelog
from biys.core.access import can, can_add
from biys.core.numbering import next_number
from biys.inventory.models import (
    FINAL_STATUSES,
    Asset,
    AssetStatus,
    Custody,
    CustodyEnd,
    ItemKind,
    ItemModel,
    Location,
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
    moment = timezone.localtime(at or timezone.now())
    seq = int(next_number(sequence_name(code.code), at=moment, template="{seq}"))
    return number_format().format(code=code.code, year=moment.year, seq=seq)


def _require(user, allowed: bool) -> None:
    if user is not None and not allowed:
        raise PermissionDenied(_("You may not do this for this asset."))


def _lock(asset: Asset) -> Asset:
    """The asset's row, locked for the rest of the transaction (two officers acting at once
    queue here), read fresh."""
    return Asset.objects.select_for_update().get(pk=asset.pk)


def _check_asset_fields(values: dict) -> None:
    errors = {}
    item_model = values.get("item_model")
    if item_model is not None and item_model.kind != ItemKind.FIXED:
        errors["item_model"] = _("A consumable is kept as stock, not registered as an asset.")
    acquired_on, warranty_end = values.get("acquired_on"), values.get("warranty_end")
    if acquired_on and acquired_on > timezone.localdate():
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
    _check_asset_fields(values)
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
    _check_asset_fields(
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
