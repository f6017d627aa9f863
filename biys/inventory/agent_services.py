"""Every write of an inventory agent's report: matching it to the register, updating what the
device last reported, its software installations, and the conflicts a person resolves.

Matching, in this order: the hardware UUID, then the serial number (the register's assets and
the devices agents reported), then the MAC addresses of physical interfaces; the agent's own
device id only when the inventory carries none of these. When the keys point at different
records (the UUID at one asset, the serial at another) nothing is merged: an ``AgentConflict``
keeps the inventory for the inventory officer. A device nobody knows is recorded as discovered,
not yet registered: it gets no taşınır number until the officer registers or links it.

One report is one transaction with its change records sealed together (``changelog.batch``).
Concurrent reports: a transaction-scoped advisory lock per matching key (taken in one order, so
two reports never wait on each other in a cycle) makes two reports of one computer queue, and
software titles are created in their key's order; a deadlock the database still detects (the
change log's chain heads) is retried.
"""

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core import changelog
from biys.core.access import can
from biys.inventory import agent_formats, licence_services
from biys.inventory.agent_formats import Inventory, InventoryRefused
from biys.inventory.models import (
    AgentConflict,
    AgentDevice,
    AgentMac,
    Asset,
    InstallationSource,
    MatchedBy,
)
from biys.inventory.software import match_key

logger = logging.getLogger(__name__)

ATTEMPTS = 4
_RETRY_STATES = {"40P01", "40001"}  # deadlock detected, serialization failure

# A full inventory that does not send one of these sections has none of it.
LIST_SECTIONS = {
    "storages": "disks",
    "drives": "volumes",
    "networks": "interfaces",
    "monitors": "monitors",
    "printers": "printers",
}


@dataclass
class IngestResult:
    """What one message did: ``outcome`` is ``matched``, ``created``, ``conflict`` or, for a
    message that is not an inventory, its action (``contact``, ``prolog``)."""

    outcome: str
    inventory: Inventory | None = None
    device: AgentDevice | None = None
    matched_by: str = ""
    conflict: AgentConflict | None = None
    software: dict | None = None
    notes: list = field(default_factory=list)

    def as_dict(self) -> dict:
        device, asset = self.device, self.device.asset if self.device else None
        return {
            "outcome": self.outcome,
            "matched_by": self.matched_by or None,
            "device": (
                {
                    "id": device.pk,
                    "name": device.name,
                    "serial_number": device.serial_number,
                    "hardware_uuid": device.hardware_uuid,
                    "registered": device.is_registered,
                }
                if device
                else None
            ),
            "asset": (
                {
                    "id": asset.pk,
                    "inventory_number": asset.inventory_number,
                    "serial_number": asset.serial_number,
                }
                if asset
                else None
            ),
            "conflict": (
                {"id": self.conflict.pk, "candidates": self.conflict.candidates}
                if self.conflict
                else None
            ),
            "partial": self.inventory.partial if self.inventory else None,
            "software": self.software,
            "notes": self.notes,
        }


# --------------------------------------------------------------------------- entry points


def ingest(
    *,
    body: bytes,
    content_type: str = "",
    remote_address: str | None = None,
    at: datetime | None = None,
) -> IngestResult:
    """One message of an agent, as the endpoint and ``biys inventory ingest`` receive it.
    Raises ``InventoryRefused`` (nothing written) for a body that is not a valid inventory."""
    inventory = agent_formats.read(body, content_type)
    if inventory.action != "inventory":
        return IngestResult(outcome=inventory.action, inventory=inventory)
    return apply_inventory(inventory=inventory, remote_address=remote_address, at=at)


def apply_inventory(
    *, inventory: Inventory, remote_address: str | None = None, at: datetime | None = None
) -> IngestResult:
    """Match and apply one read inventory, retrying a transaction the database chose as a
    deadlock's victim (only when no outer transaction holds this one)."""
    attempts = 1 if connection.in_atomic_block else ATTEMPTS
    for attempt in range(1, attempts + 1):
        try:
            return _apply(inventory=inventory, remote_address=remote_address, at=at)
        except OperationalError as error:
            state = getattr(error.__cause__, "sqlstate", None)
            if state not in _RETRY_STATES or attempt == attempts:
                raise
            logger.warning("agent inventory retried after %s (attempt %s)", state, attempt)
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------- locking


def _lock_id(key: str) -> int:
    digest = hashlib.blake2b(f"biys-agent:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _keys(inventory: Inventory) -> list[str]:
    keys = []
    if inventory.hardware_uuid:
        keys.append(f"uuid:{inventory.hardware_uuid}")
    if inventory.serial_number:
        keys.append(f"serial:{inventory.serial_number.upper()}")
    keys += [f"mac:{mac}" for mac in inventory.macs]
    if inventory.device_id:
        keys.append(f"deviceid:{inventory.device_id}")
    return keys


def _lock_keys(keys: list[str]) -> None:
    """Advisory locks held until the transaction ends, in ascending order (no cycles).
    SQLite serialises writers by itself."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for lock in sorted({_lock_id(key) for key in keys}):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])


# --------------------------------------------------------------------------- matching


@dataclass
class Candidate:
    matched_by: str
    kind: str  # "asset" or "device"
    id: int
    label: str

    @property
    def identity(self) -> tuple[str, int]:
        return self.kind, self.id

    def as_dict(self) -> dict:
        return {
            "matched_by": self.matched_by,
            "kind": self.kind,
            "id": self.id,
            "label": self.label,
        }


def _device_candidate(how: str, device: AgentDevice) -> Candidate:
    if device.asset_id:
        return Candidate(how, "asset", device.asset_id, device.asset.inventory_number)
    return Candidate(how, "device", device.pk, str(device))


def candidates(inventory: Inventory) -> list[Candidate]:
    """Every record a key of the inventory finds, key by key in the matching order."""
    found: list[Candidate] = []
    devices = AgentDevice.objects.select_related("asset")
    if inventory.hardware_uuid:
        for device in devices.filter(hardware_uuid=inventory.hardware_uuid):
            found.append(_device_candidate(MatchedBy.UUID, device))
    if inventory.serial_number:
        for asset in Asset.objects.filter(serial_number__iexact=inventory.serial_number):
            found.append(Candidate(MatchedBy.SERIAL, "asset", asset.pk, asset.inventory_number))
        for device in devices.filter(serial_number__iexact=inventory.serial_number):
            found.append(_device_candidate(MatchedBy.SERIAL, device))
    if inventory.macs:
        for device in devices.filter(macs__mac__in=inventory.macs).distinct():
            found.append(_device_candidate(MatchedBy.MAC, device))
    if not found and inventory.device_id and not _keys_without_device_id(inventory):
        for device in devices.filter(device_id=inventory.device_id):
            found.append(_device_candidate(MatchedBy.DEVICE_ID, device))
    return found


def _keys_without_device_id(inventory: Inventory) -> bool:
    return bool(inventory.hardware_uuid or inventory.serial_number or inventory.macs)


def _resolve(found: list[Candidate]) -> tuple[str, Candidate | None, list[Candidate]]:
    """("new", None, []), ("match", the candidate, []) or ("conflict", None, the candidates).
    One exception to a conflict: a discovered device (no asset) and an asset of the register
    with no device, the asset found by the serial number the device itself reports: that is
    the device being registered, and it is linked."""
    identities = {candidate.identity for candidate in found}
    if not identities:
        return "new", None, []
    if len(identities) == 1:
        return "match", found[0], []
    if len(identities) == 2:
        devices = [c for c in found if c.kind == "device"]
        assets = [c for c in found if c.kind == "asset"]
        if (
            {c.id for c in devices} and len({c.id for c in devices}) == 1
            and len({c.id for c in assets}) == 1
            and all(c.matched_by == MatchedBy.SERIAL for c in assets)
            and not AgentDevice.objects.filter(asset_id=assets[0].id).exists()
        ):  # fmt: skip
            return "link", found[0], [devices[0], assets[0]]
    unique: dict = {}
    for candidate in found:
        unique.setdefault((candidate.matched_by, *candidate.identity), candidate)
    return "conflict", None, list(unique.values())


# --------------------------------------------------------------------------- units


def discovery_unit(tag: str = ""):
    """The unit a device not yet registered is kept by: the unit whose short name is the
    agent's tag, else ``BIYS_AGENT_UNIT`` (a unit's id or short name), else the IT
    department's top unit."""
    from biys.org.models import Unit

    units = Unit.objects.filter(is_active=True)
    if tag:
        unit = units.filter(short_name__iexact=tag).first()
        if unit:
            return unit
    configured = str(getattr(settings, "BIYS_AGENT_UNIT", "") or "").strip()
    if configured:
        unit = (
            units.filter(pk=int(configured)).first()
            if configured.isdigit()
            else units.filter(short_name__iexact=configured).first()
        )
        if unit:
            return unit
    unit = units.filter(is_it_department=True).order_by("depth", "pk").first()
    unit = unit or units.order_by("depth", "pk").first()
    if unit is None:
        raise InventoryRefused(_("No unit can keep the devices agents report: add the units."))
    return unit


# --------------------------------------------------------------------------- applying


@changelog.batched
def _apply(*, inventory: Inventory, remote_address, at) -> IngestResult:
    now = at or timezone.now()
    _lock_keys(_keys(inventory))
    found = candidates(inventory)
    verdict, chosen, involved = _resolve(found)
    if verdict == "conflict":
        return IngestResult(
            outcome="conflict",
            inventory=inventory,
            conflict=_record_conflict(inventory, involved, now),
        )
    notes = []
    if verdict == "new":
        device = AgentDevice(unit=discovery_unit(inventory.tag))
        how, outcome = MatchedBy.NEW, "created"
    elif verdict == "link":
        device_candidate, asset_candidate = involved
        device = AgentDevice.objects.select_for_update().get(pk=device_candidate.id)
        asset = Asset.objects.get(pk=asset_candidate.id)
        device.asset, device.unit = asset, asset.unit
        how, outcome = chosen.matched_by, "matched"
        notes.append(_("Linked to the asset with the same serial number."))
    else:
        how, outcome = chosen.matched_by, "matched"
        if chosen.kind == "asset":
            device = AgentDevice.objects.select_for_update().filter(asset_id=chosen.id).first()
            if device is None:
                asset = Asset.objects.get(pk=chosen.id)
                device = AgentDevice(unit=asset.unit, asset=asset)
                notes.append(_("The asset's first agent report."))
        else:
            device = AgentDevice.objects.select_for_update().get(pk=chosen.id)
    return _update_device(
        device=device,
        inventory=inventory,
        how=how,
        outcome=outcome,
        remote_address=remote_address,
        now=now,
        notes=notes,
    )


def _record_conflict(inventory: Inventory, involved: list[Candidate], now) -> AgentConflict:
    """The open conflict of this agent (its device id, else its keys) updated, or a new one."""
    open_conflicts = AgentConflict.objects.select_for_update().filter(resolved_at__isnull=True)
    if inventory.device_id:
        conflict = open_conflicts.filter(device_id=inventory.device_id).first()
    else:
        conflict = open_conflicts.filter(
            device_id="",
            hardware_uuid=inventory.hardware_uuid,
            serial_number=inventory.serial_number,
        ).first()
    unit = _conflict_unit(involved) or discovery_unit(inventory.tag)
    if conflict is None:
        conflict = AgentConflict(device_id=inventory.device_id, first_seen=now, reports=0)
    conflict.unit = unit
    conflict.name = inventory.name
    conflict.hardware_uuid = inventory.hardware_uuid
    conflict.serial_number = inventory.serial_number
    conflict.macs = inventory.macs
    conflict.candidates = [candidate.as_dict() for candidate in involved]
    conflict.inventory = inventory.as_dict()
    conflict.reports += 1
    conflict.last_seen = now
    conflict.save()
    return conflict


def _conflict_unit(involved: list[Candidate]):
    """The unit of the first record the conflict involves (the UUID's, when it found one)."""
    for candidate in involved:
        if candidate.kind == "asset":
            asset = Asset.objects.filter(pk=candidate.id).select_related("unit").first()
            if asset:
                return asset.unit
        else:
            device = AgentDevice.objects.filter(pk=candidate.id).select_related("unit").first()
            if device:
                return device.unit
    return None


def _update_device(*, device, inventory, how, outcome, remote_address, now, notes):
    sections = inventory.sections
    device.device_id = inventory.device_id or device.device_id
    device.itemtype = inventory.itemtype or device.itemtype
    device.tag = inventory.tag
    device.agent_version = inventory.agent_version or device.agent_version
    device.remote_address = remote_address or None
    device.matched_by = how
    device.last_inventory_at = now
    if inventory.name:
        device.name = inventory.name
    if inventory.hardware_uuid:
        device.hardware_uuid = inventory.hardware_uuid
    if inventory.serial_number:
        device.serial_number = inventory.serial_number
    hardware = sections.get("hardware")
    if hardware:
        device.manufacturer = hardware["manufacturer"]
        device.model = hardware["model"]
        device.chassis = hardware["chassis"]
        if "memories" not in sections and hardware["memory_mb"]:
            device.memory_mb = hardware["memory_mb"]
    if "cpus" in sections:
        device.cpu = sections["cpus"]["cpu"]
        device.cpu_cores = sections["cpus"]["cpu_cores"]
    if "memories" in sections:
        device.memory_mb = sections["memories"]["memory_mb"] or (hardware or {}).get("memory_mb")
    if "operatingsystem" in sections:
        system = sections["operatingsystem"]
        device.os_name, device.os_version, device.os_arch = (
            system["name"],
            system["version"],
            system["arch"],
        )
    for section, attribute in LIST_SECTIONS.items():
        if section in sections:
            setattr(device, attribute, sections[section])
        elif not inventory.partial:
            setattr(device, attribute, [])
    if not inventory.partial:
        device.last_full_inventory_at = now
    # Installations change only when the software section is sent (an agent told to skip
    # software sends full inventories without it: that is not "everything was uninstalled").
    software_sent = "softwares" in sections
    lines = sections.get("softwares", [])
    complete = not inventory.partial
    asset = device.asset
    if asset is None:
        if software_sent:
            device.software = lines
    else:
        if not software_sent and device.software:  # reported before the device was linked
            lines, software_sent, complete = device.software, True, True
        device.software = []
    device.full_clean(exclude=["asset", "unit"])
    device.save()
    if inventory.macs or "networks" in sections or not inventory.partial:
        _replace_macs(device, inventory.macs)
    report = None
    if asset is not None and software_sent:
        if asset.is_final:
            notes.append(_("A scrapped or written-off asset: its software was not recorded."))
        else:
            report = licence_services.report_installed_software(
                asset=asset,
                software=_in_key_order(lines),
                complete=complete,
                source=InstallationSource.AGENT,
                at=now,
            ).as_dict()
    return IngestResult(
        outcome=outcome,
        inventory=inventory,
        device=device,
        matched_by=how,
        software=report,
        notes=notes,
    )


def _in_key_order(lines: list[dict]) -> list[dict]:
    """Lines in their titles' key order: two reports creating the same new titles insert them
    in one order, so neither waits for the other in a cycle."""
    return sorted(lines, key=lambda line: match_key(line["publisher"], line["name"]))


def _replace_macs(device: AgentDevice, macs: list[str]) -> None:
    current = set(device.macs.values_list("mac", flat=True))
    wanted = set(macs)
    if current - wanted:
        device.macs.filter(mac__in=current - wanted).delete()
    if wanted - current:
        AgentMac.objects.bulk_create(
            [AgentMac(device=device, mac=mac) for mac in sorted(wanted - current)],
            ignore_conflicts=True,
        )


# --------------------------------------------------------------------------- people's decisions


@changelog.batched
def link_device(*, device: AgentDevice, asset: Asset, user=None) -> AgentDevice:
    """The officer says which asset of the register a discovered device is: the device moves to
    the asset's unit and the software it reported is recorded on the asset."""
    if user is not None and not (can(user, "change", device) and can(user, "change", asset)):
        raise PermissionDenied(_("You may not link this device to this asset."))
    device = AgentDevice.objects.select_for_update().get(pk=device.pk)
    if device.asset_id:
        raise ValidationError({"asset": _("This device is already linked to an asset.")})
    if AgentDevice.objects.filter(asset=asset).exists():
        raise ValidationError({"asset": _("Another device is already linked to this asset.")})
    pending = device.software
    device.asset, device.unit, device.software = asset, asset.unit, []
    device.save()
    if pending and not asset.is_final:
        licence_services.report_installed_software(
            asset=asset,
            software=_in_key_order(pending),
            complete=True,
            source=InstallationSource.AGENT,
        )
    return device


def resolve_conflict(
    *, conflict: AgentConflict, choice: str, user=None, at: datetime | None = None
) -> IngestResult | None:
    """The officer decides a conflict: ``asset:ID`` or ``device:ID`` (one of its candidates)
    applies the kept inventory to that record; ``new`` records it as a new device; ``dismiss``
    drops it. The conflict is closed with who decided and how."""
    if user is not None and not can(user, "change", conflict):
        raise PermissionDenied(_("You may not resolve this conflict."))
    with changelog.batch():
        conflict = AgentConflict.objects.select_for_update().get(pk=conflict.pk)
        if not conflict.is_open:
            raise ValidationError(_("This conflict is already resolved."))
        allowed = {f"{c['kind']}:{c['id']}" for c in conflict.candidates} | {"new", "dismiss"}
        if choice not in allowed:
            raise ValidationError({"choice": _("Choose one of the records the conflict names.")})
        inventory = Inventory.from_dict(conflict.inventory)
        now = at or timezone.now()
        result = None
        if choice != "dismiss":
            kind, _sep, ident = choice.partition(":")
            if kind == "new":
                device, how = AgentDevice(unit=conflict.unit), MatchedBy.NEW
            elif kind == "asset":
                asset = Asset.objects.get(pk=int(ident))
                device = AgentDevice.objects.select_for_update().filter(asset=asset).first()
                device = device or AgentDevice(unit=asset.unit, asset=asset)
                how = _how_for(conflict, choice)
            else:
                device = AgentDevice.objects.select_for_update().get(pk=int(ident))
                how = _how_for(conflict, choice)
            _take_keys(device, inventory)
            result = _update_device(
                device=device,
                inventory=inventory,
                how=how,
                outcome="matched" if kind != "new" else "created",
                remote_address=None,
                now=now,
                notes=[],
            )
        conflict.resolved_at = now
        conflict.resolved_by = user
        conflict.resolution = choice
        conflict.save()
    return result


def _take_keys(device: AgentDevice, inventory: Inventory) -> None:
    """The chosen device takes the inventory's keys: the other devices lose those that pointed
    at them (the person decided they were wrong), so the next report matches without a
    conflict."""
    others = AgentDevice.objects.exclude(pk=device.pk) if device.pk else AgentDevice.objects
    if inventory.hardware_uuid:
        others.filter(hardware_uuid=inventory.hardware_uuid).update(hardware_uuid="")
    if inventory.serial_number:
        others.filter(serial_number__iexact=inventory.serial_number).update(serial_number="")
    if inventory.macs:
        macs = AgentMac.objects.filter(mac__in=inventory.macs)
        (macs.exclude(device=device) if device.pk else macs).delete()


def _how_for(conflict: AgentConflict, choice: str) -> str:
    for candidate in conflict.candidates:
        if f"{candidate['kind']}:{candidate['id']}" == choice:
            return candidate["matched_by"]
    return MatchedBy.NEW
