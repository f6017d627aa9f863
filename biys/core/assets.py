"""The seam between modules that refer to a device by its number (the service desk's asset
reference) and the module that keeps the register (``biys.inventory``), which sit side by side
in the layers and never import each other.

The register plugs in a resolver at start-up (``register_asset_resolver``); a caller asks
``find_asset(reference)``. Without a register installed, ``find_asset`` answers ``None`` and
``register_installed()`` is False, so the caller keeps its own fallback.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Value
from django.db.models.functions import Replace, Upper

from biys.core.text import fold


@dataclass(frozen=True)
class AssetSummary:
    """What a ticket shows of the device it is about."""

    pk: int
    inventory_number: str
    serial_number: str
    model: str
    status: str
    unit_id: int
    warranty_end: date | None
    custodian: str
    url: str

    @property
    def under_warranty(self) -> bool:
        return self.warranty_end is not None and self.warranty_end >= date.today()


@dataclass(frozen=True)
class FaultRecord:
    """A ticket about a device, as the asset's page lists it."""

    number: str
    title: str
    state: str
    created: object
    url: str


Resolver = Callable[[str], AssetSummary | None]
FaultLister = Callable[..., list[FaultRecord]]
_resolver: Resolver | None = None
_viewer_check: Callable | None = None
_fault_lister: FaultLister | None = None
_pk_resolver: Callable[[int], AssetSummary | None] | None = None
_matcher: Callable[[list[str]], dict[str, tuple[int, ...]]] | None = None
_linker_check: Callable | None = None


def register_asset_resolver(
    resolver: Resolver,
    *,
    may_view: Callable | None = None,
    by_pk: Callable[[int], AssetSummary | None] | None = None,
    matcher: Callable[[list[str]], dict[str, tuple[int, ...]]] | None = None,
    may_link: Callable | None = None,
) -> None:
    """``resolver(reference)``: the registered, in-service asset whose inventory number or serial
    number is ``reference``; ``may_view(user, summary)``: may the user open its page;
    ``by_pk(pk)``: the asset ``pk`` whatever its status (a ticket's link outlives a scrapping
    or a new inventory number); ``matcher(references)``: for each reference's key
    (``reference_key``) the ids of the in-service assets answering to it (several when the
    reference is ambiguous); ``may_link(user)``: may the user link the service desk's existing
    references to the register (``link_ticket_assets``)."""
    global _resolver, _viewer_check, _pk_resolver, _matcher, _linker_check
    _resolver, _viewer_check = resolver, may_view
    _pk_resolver, _matcher, _linker_check = by_pk, matcher, may_link


def register_installed() -> bool:
    return _resolver is not None


def find_asset(reference: str) -> AssetSummary | None:
    reference = (reference or "").strip()
    if not reference or _resolver is None:
        return None
    return _resolver(reference)


def may_view_asset(user, summary: AssetSummary) -> bool:
    return bool(_viewer_check and _viewer_check(user, summary))


def find_asset_by_pk(pk) -> AssetSummary | None:
    """The asset a link names (a ticket's ``asset_id``), in service or not; one query."""
    if not pk or _pk_resolver is None:
        return None
    return _pk_resolver(int(pk))


# What a device reference is compared without: a serial printed "FOC 1234-5678" on its label
# and typed "FOC12345678" (or the other way round) names the same device. The one place both
# the Python key and the database's expression are built from.
REFERENCE_SEPARATORS = (" ", "-")


def reference_key(reference: str) -> str:
    """A device reference trimmed, folded by Turkish rules and without spaces or dashes, as
    references are compared: 'PI-7701' and ' pı 7701 ' (typed on a Turkish keyboard) give
    'pi7701', 'SN 4420-A' and 'sn4420a' give 'sn4420a'."""
    key = fold(reference or "")
    for separator in REFERENCE_SEPARATORS:
        key = key.replace(separator, "")
    return key


def squeezed_upper(reference: str) -> str:
    """The reference upper-cased (plain rules) without its separators: what
    ``reference_key_expression`` computes in the database, for the lookup's values."""
    value = (reference or "").strip().upper()
    for separator in REFERENCE_SEPARATORS:
        value = value.replace(separator, "")
    return value


def reference_key_expression(field_name: str):
    """The database's side of ``reference_key`` for the column ``field_name``: upper-cased,
    without separators (``squeezed_upper``). Turkish folding is Python's alone, so a query
    finds candidates by it and the caller compares their ``reference_key``. An index on this
    very expression (the register's serial numbers) serves the lookup."""
    expression = Upper(F(field_name))
    for separator in REFERENCE_SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def match_assets(references) -> dict[str, tuple[int, ...]]:
    """For the key (``reference_key``) of each reference: the ids of the in-service assets
    whose inventory or serial number folds to it (none, one, or several when ambiguous).
    Without a register installed, nothing matches."""
    wanted = sorted(
        {reference.strip() for reference in references if reference and reference.strip()}
    )
    if not wanted or _matcher is None:
        return {}
    return _matcher(wanted)


def may_link_assets(user) -> bool:
    """May ``user`` link the service desk's existing device references to the register: the
    register's answer (whoever keeps a register), superusers always."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(_linker_check and _linker_check(user))


def register_fault_lister(lister: FaultLister) -> None:
    """``lister(user, references, limit, asset_pk=None)``: the tickets ``user`` may see that
    are linked to the asset ``asset_pk`` or, not linked to any asset, whose device reference is
    one of ``references`` (an asset's inventory and serial numbers), newest first."""
    global _fault_lister
    _fault_lister = lister


def fault_history(user, references, *, asset_pk=None, limit: int = 50) -> list[FaultRecord]:
    wanted = [reference for reference in references if reference]
    if (not wanted and not asset_pk) or _fault_lister is None:
        return []
    return _fault_lister(user, wanted, limit, asset_pk=asset_pk)


# Fault counts (the network inventory's fault statistics per device model) ------------------


@dataclass(frozen=True)
class FaultCounts:
    """Tickets per device: ``by_asset`` those linked to each asset (``Ticket.asset_id``),
    ``by_reference`` those linked to none, per ``reference_key`` of the device reference they
    name. A ticket is counted once, by its link when it has one."""

    by_asset: dict
    by_reference: dict

    def of(self, asset_ids=(), references=()) -> int:
        """The tickets of one device (or a group of devices): linked to one of ``asset_ids``,
        or unlinked and naming one of ``references`` (each key counted once)."""
        keys = {reference_key(reference) for reference in references} - {""}
        return sum(self.by_asset.get(pk, 0) for pk in set(asset_ids)) + sum(
            self.by_reference.get(key, 0) for key in keys
        )


FaultCounter = Callable[..., FaultCounts]
_fault_counter: FaultCounter | None = None


def register_fault_counter(counter: FaultCounter | None) -> None:
    """``counter(asset_ids, references, since=None)``: the ``FaultCounts`` of the tickets linked
    to one of the assets ``asset_ids`` or, linked to none, naming one of the device
    ``references`` (an inventory or serial number, compared by ``reference_key``), opened on or
    after ``since`` when given. Only figures leave the service desk, never a ticket, so the
    counts are of every ticket."""
    global _fault_counter
    _fault_counter = counter


def fault_counts(*, asset_ids=(), references=(), since=None) -> FaultCounts:
    asset_ids = sorted({int(pk) for pk in asset_ids if pk})
    references = sorted({reference.strip() for reference in references if reference})
    references = [reference for reference in references if reference_key(reference)]
    if (not asset_ids and not references) or _fault_counter is None:
        return FaultCounts(by_asset={}, by_reference={})
    return _fault_counter(asset_ids, references, since=since)


# Network addresses (a scanner names a host by IP address or host name) ------------------

AddressResolver = Callable[[list[str]], dict[str, AssetSummary]]
_address_resolver: AddressResolver | None = None


def register_address_resolver(resolver: AddressResolver | None) -> None:
    """``resolver(addresses)``: for the IP addresses and host names it knows, the registered
    asset answering to each (``{address: summary}``). The register plugs it in when it keeps
    addresses; the security findings use it to find the unit owning a scanned host."""
    global _address_resolver
    _address_resolver = resolver


def find_assets_by_address(addresses) -> dict[str, AssetSummary]:
    wanted = sorted({address.strip() for address in addresses if address and address.strip()})
    if not wanted or _address_resolver is None:
        return {}
    return _address_resolver(wanted)


# Network devices (a log source names the device that writes its logs) ------------------------


@dataclass(frozen=True)
class NetworkDeviceSummary:
    """What another module shows of a device of the network inventory."""

    pk: int
    name: str
    kind: str
    management_ip: str
    unit_id: int
    url: str

    def __str__(self) -> str:
        return f"{self.name} ({self.management_ip})" if self.management_ip else self.name


NetworkDeviceLister = Callable[..., list[NetworkDeviceSummary]]
_device_lister: NetworkDeviceLister | None = None
_device_viewer_check: Callable | None = None


def register_network_device_lister(
    lister: NetworkDeviceLister | None, *, may_view: Callable | None = None
) -> None:
    """``lister(unit_ids=None, pks=None)``: the network devices of those units (every unit when
    None) and, when given, with those ids, by name; ``may_view(user, summary)``: may the user
    open the device's page. The register plugs them in when it keeps network devices."""
    global _device_lister, _device_viewer_check
    _device_lister, _device_viewer_check = lister, may_view


def network_devices_installed() -> bool:
    return _device_lister is not None


def network_devices(*, unit_ids=None) -> list[NetworkDeviceSummary]:
    """The devices of the units ``unit_ids`` (None: of every unit), by name."""
    if _device_lister is None:
        return []
    if unit_ids is not None:
        unit_ids = sorted(set(unit_ids))
        if not unit_ids:
            return []
    return _device_lister(unit_ids=unit_ids)


def find_network_device(pk) -> NetworkDeviceSummary | None:
    if not pk or _device_lister is None:
        return None
    found = _device_lister(unit_ids=None, pks=[int(pk)])
    return found[0] if found else None


def may_view_network_device(user, summary: NetworkDeviceSummary) -> bool:
    return bool(_device_viewer_check and _device_viewer_check(user, summary))
