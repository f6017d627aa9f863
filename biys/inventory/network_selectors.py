"""Reads of the network inventory: subnets with how many addresses they give out (one query for a
page of subnets), and the fault statistics per device model from the service desk's tickets
(odunpazari 11(1)(m)), counted by the tickets' link to the register, asked through ``biys.core.assets`` since the service desk and the
inventory never import each other."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from biys.core.access import get_scope, holds_everywhere
from biys.core.assets import NetworkDeviceSummary, fault_counts
from biys.core.urlcache import pk_url
from biys.inventory.models import (
    VLAN,
    DeviceKind,
    DevicePort,
    IPAssignment,
    NetworkDevice,
    PortMode,
    Subnet,
)
from biys.org.models import Unit


def vlan_unit_ids(unit_id) -> list[int]:
    """The units whose VLANs a device of the unit ``unit_id`` may carry: that unit and every
    unit above it (a VLAN of the top unit on any device). One query."""
    path = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first() or ""
    ids = [int(part) for part in path.strip("/").split("/") if part.isdigit()]
    return ids or [unit_id]


def at_site(place, prefix: str = "") -> Q:
    """The VLANs a device at the location ``place`` (None: a device placed nowhere) may carry as
    far as sites go, after NetBox's VLAN group scope: a VLAN in no group or in a group naming
    no site anywhere; a VLAN of a group naming a site only within that site. A location is a
    room, a floor (no room) or a whole building (no floor and no room): a site holds itself
    and the locations within it (of its building and, when it names them, its floor and
    room). ``prefix``: the path to the VLAN (``"vlan__"``)."""
    site = f"{prefix}group__location"
    anywhere = Q(**{f"{prefix}group__isnull": True}) | Q(**{f"{site}__isnull": True})
    if place is None:
        return anywhere
    return anywhere | (
        Q(**{f"{site}__building": place.building})
        & (Q(**{f"{site}__floor": ""}) | Q(**{f"{site}__floor": place.floor}))
        & (Q(**{f"{site}__room": ""}) | Q(**{f"{site}__room": place.room}))
    )


def within_site(site, prefix: str = "location__") -> Q:
    """The devices within the site ``site`` (a location), as ``at_site`` has them: of its
    building and, when it names them, of its floor and room. ``prefix``: the path to the
    device's location (``"device__location__"`` from a port). A device placed nowhere is in
    no site."""
    within = Q(**{f"{prefix}building": site.building})
    if site.floor:
        within &= Q(**{f"{prefix}floor": site.floor})
    if site.room:
        within &= Q(**{f"{prefix}room": site.room})
    return within


def vlans_for_device(device):
    """The VLANs the ports of ``device`` may carry (untagged or tagged), by VLAN ID: of its unit
    or a unit above it, and of its site when their VLAN group names one (``at_site``)."""
    place = device.location if device.location_id else None
    return (
        VLAN.objects.filter(unit_id__in=vlan_unit_ids(device.unit_id))
        .filter(at_site(place))
        .order_by("vid", "pk")
    )


def port_vlan_choices(user, device=None):
    """The VLANs a port's form offers ``user``. With the port's device: exactly those the
    device may carry (``vlans_for_device``), a unit above's included though the user does not
    see them on the VLAN list (a sub-unit's officer puts the department's VLANs on their
    switches). Without one (a new port whose device is not chosen yet): the VLANs of the units
    where the user adds or changes ports and of the units above them; the service checks them
    against the device chosen. Nothing else is widened: the VLAN list, pages and API stay
    within the user's units."""
    if device is not None:
        return vlans_for_device(device)
    vlans = VLAN.objects.order_by("vid", "pk")
    if user is None:
        return vlans
    scope = get_scope(user)
    units: set[int] = set()
    for action in ("add", "change"):
        perm = f"inventory.{action}_deviceport"
        if holds_everywhere(scope, perm):
            return vlans
        units |= set(scope.units_for(perm) or ())
    above = set(units)
    for path in Unit.objects.filter(pk__in=units).values_list("path", flat=True):
        above |= {int(part) for part in path.strip("/").split("/") if part.isdigit()}
    return vlans.filter(unit_id__in=above)


def ports_carrying(vlan, user=None):
    """The ports that carry ``vlan`` and that ``user`` may see: those it is the untagged VLAN
    of, those it is tagged on, and the tagged-all ports of the devices that may carry it (of
    the VLAN's unit or a unit below it, within its group's site when the group names one),
    each once, by device and port name."""
    unit_path = Unit.objects.filter(pk=vlan.unit_id).values_list("path", flat=True).first()
    carries = Q(vlan=vlan) | Q(pk__in=vlan.tagged_ports.values("pk"))
    if unit_path:
        everything = Q(mode=PortMode.TAGGED_ALL, device__unit__path__startswith=unit_path)
        site = vlan.group.location if vlan.group_id and vlan.group.location_id else None
        if site is not None:  # only the devices within its group's site (``at_site``)
            everything &= within_site(site, "device__location__")
        carries |= everything
    ports = DevicePort.objects.all() if user is None else DevicePort.objects.restrict(user, "view")
    return (
        ports.filter(carries).select_related("device").order_by("device__sort_name", "name", "pk")
    )


def network_device_summaries(*, unit_ids=None, pks=None) -> list[NetworkDeviceSummary]:
    """Other modules' view of the network devices (``biys.core.assets``): those of the units
    ``unit_ids`` (every unit when None), with the ids ``pks`` when given, in Turkish
    alphabetical order of their names. One query."""
    devices = NetworkDevice.objects.order_by("sort_name", "pk")
    if unit_ids is not None:
        devices = devices.filter(unit_id__in=list(unit_ids))
    if pks is not None:
        devices = devices.filter(pk__in=list(pks))
    kinds = dict(DeviceKind.choices)
    return [
        NetworkDeviceSummary(
            pk=pk,
            name=name,
            kind=str(kinds.get(kind, kind)),
            management_ip=management_ip,
            unit_id=unit_id,
            url=pk_url("inventory:networkdevice", pk),
        )
        for pk, name, kind, management_ip, unit_id in devices.values_list(
            "pk", "name", "kind", "management_ip", "unit_id"
        )
    ]


def may_view_network_device(user, summary: NetworkDeviceSummary) -> bool:
    return get_scope(user).has_perm("inventory.view_networkdevice", summary.unit_id)


def subnets_with_usage(queryset=None):
    """Subnets annotated with ``used``: the addresses given out in them (each address counts in
    its narrowest subnet only). ``Subnet.size`` and ``used`` give the utilisation."""
    queryset = Subnet.objects.all() if queryset is None else queryset
    used = (
        IPAssignment.objects.filter(subnet=OuterRef("pk"))
        .order_by()
        .values("subnet")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(used=Coalesce(Subquery(used, output_field=IntegerField()), Value(0)))


def utilisation(subnet) -> float | None:
    """The share of the subnet's addresses given out, in percent (``used`` annotated)."""
    used = getattr(subnet, "used", None)
    if used is None or not subnet.size:
        return None
    return round(100 * used / subnet.size, 1)


@dataclass
class ModelFaults:
    """The fault figures of one device model."""

    manufacturer: str
    model: str
    kind: str
    devices: int
    faults: int

    @property
    def kind_label(self) -> str:
        return DeviceKind(self.kind).label if self.kind in DeviceKind.values else self.kind

    @property
    def per_device(self) -> float:
        return round(self.faults / self.devices, 2) if self.devices else 0.0


def fault_statistics(user, *, since: date | None = None) -> list[ModelFaults]:
    """Per device model (manufacturer and model) of the network devices ``user`` may see: how
    many devices, and how many service desk tickets are about one of them, opened since
    ``since`` when given: those linked to its asset on the register (``Ticket.asset_id``), and
    those linked to no asset whose device reference names it (its serial number, or its
    asset's inventory or serial number, compared by ``biys.core.assets.reference_key``), as its
    fault history counts them. Most faults per device first. Two queries whatever the number
    of devices: the devices, and the tickets' counts grouped."""
    devices = (
        NetworkDevice.objects.restrict(user, "view")
        .order_by()
        .values_list(
            "manufacturer",
            "model",
            "kind",
            "serial_number",
            "asset_id",
            "asset__inventory_number",
            "asset__serial_number",
        )
    )
    groups: dict[tuple, dict] = {}
    asset_ids: set[int] = set()
    references: set[str] = set()
    for manufacturer, model, kind, serial, asset_id, number, asset_serial in devices:
        group = groups.setdefault(
            (manufacturer, model, kind), {"devices": 0, "assets": set(), "references": set()}
        )
        group["devices"] += 1
        if asset_id is not None:
            group["assets"].add(asset_id)
            asset_ids.add(asset_id)
        own = {reference for reference in (serial, number, asset_serial) if reference}
        group["references"] |= own
        references |= own
    counts = fault_counts(asset_ids=asset_ids, references=references, since=since)
    rows = [
        ModelFaults(
            manufacturer=manufacturer,
            model=model,
            kind=kind,
            devices=group["devices"],
            faults=counts.of(group["assets"], group["references"]),
        )
        for (manufacturer, model, kind), group in groups.items()
    ]
    rows.sort(key=lambda row: (-row.per_device, -row.faults, row.manufacturer, row.model))
    return rows
