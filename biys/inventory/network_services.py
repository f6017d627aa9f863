"""Every write of the network inventory: VRFs, VLANs, devices and their ports, subnets and the
addresses given out in them.

A VLAN's number (VID, 1-4094) is used once in its VLAN group and within the group's range (in no
group: once among its unit's group-less VLANs); a subnet or a port names a VLAN the user
may see, and a VLAN still named by subnets or ports (untagged or tagged) is not deleted (409
naming them). A port's VLANs are of its device's unit or a unit above it (whether or not the
user sees them on the VLAN list) and, when their VLAN group names a site, of a device within
that site; only a port in tagged mode has tagged VLANs, its untagged VLAN is not tagged too,
and no two of its VLANs have one VLAN ID. Moving a device (unit, location), a VLAN group (its
site) or a VLAN (unit, group) so that a port would carry a VLAN those rules refuse is refused
at the field that moves it, naming the ports.

An address is given out once in its address space (the global table, or one VRF): a second
assignment of it there is refused at the ``address`` field, as is a device's management address
already given to someone else; the same address in another VRF is another address. A prefix is
likewise recorded once per address space. An address's subnet is the narrowest subnet of its
own VRF holding it, found by the service; an address in no subnet is kept and flagged. Adding or
changing a subnet moves the addresses it now holds.
Functions take keyword arguments only and run in one transaction; a refusal is a
``ValidationError`` naming the field (or ``PermissionDenied``), and nothing is half-written.

Deleting follows the same rules: a VRF still holding subnets or addresses, a device still holding
addresses other than its management address, and a device's management address itself are
refused (``ProtectedError`` naming what holds them, the delete page's 409); deleting a device
frees its management address and its ports; deleting a subnet moves its addresses to the next
narrower subnet that holds them.

Every address keeps its history (``AddressHolding``): who held it from when to when, opened
when it is given out or passes to another holder (another device or host), closed when it
passes on, moves to another address or VRF, or is freed.
"""

import ipaddress
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from biys.core import changelog
from biys.core.access import can, can_add
from biys.inventory.models import (
    FINAL_STATUSES,
    VLAN,
    VRF,
    AddressHolding,
    DevicePort,
    IPAssignment,
    NetworkDevice,
    PortMode,
    Subnet,
    VLANGroup,
)
from biys.org.models import Unit

_MAC_DIGITS = re.compile(r"^[0-9a-f]{12}$")


def _deny(message=None):
    raise PermissionDenied(message or _("You may not do this for this network record."))


def _may_save(user, obj, model, unit_id) -> bool:
    if user is None:
        return True
    return can(user, "change", obj) if obj.pk else can_add(user, model, unit_id)


# --------------------------------------------------------------------------- normalising


def address_key(address) -> str:
    """``4:`` or ``6:`` and the address as 32 hex digits: sorts like the addresses, and a
    subnet's range is two such keys."""
    return f"{address.version}:{int(address):032x}"


def parse_address(value, field_name: str = "address"):
    """An ``ipaddress`` address from what a person typed (a prefix length is not an address)."""
    text = str(value or "").strip()
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise ValidationError(
            {field_name: _("Enter a valid IPv4 or IPv6 address, like 10.12.0.15.")}
        ) from None


def parse_prefix(value, field_name: str = "prefix"):
    text = str(value or "").strip()
    if "/" not in text:
        raise ValidationError(
            {field_name: _("Write the prefix with its length, like 10.12.0.0/24.")}
        )
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError:
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise ValidationError(
                {field_name: _("Enter a valid prefix, like 10.12.0.0/24.")}
            ) from None
        raise ValidationError(
            {
                field_name: _("The address has host bits set: the subnet is %(prefix)s.")
                % {"prefix": network.with_prefixlen}
            }
        ) from None


def normalise_mac(value, field_name: str = "mac_address") -> str:
    """``aa:bb:cc:dd:ee:ff`` from the usual spellings (dashes, Cisco's dots, none)."""
    text = str(value or "").strip().lower()
    if not text:
        return ""
    digits = re.sub(r"[:\-.\s]", "", text)
    if not _MAC_DIGITS.match(digits):
        raise ValidationError({field_name: _("Enter a valid MAC address, like 00:1a:2b:3c:4d:5e.")})
    return ":".join(digits[index : index + 2] for index in range(0, 12, 2))


def subnet_of(address, vrf_id=None) -> Subnet | None:
    """The narrowest subnet of the VRF ``vrf_id`` (None: the global table) holding ``address``
    (an ``ipaddress`` address)."""
    key = address_key(address)
    return (
        Subnet.objects.filter(
            vrf_id=vrf_id, family=address.version, start_key__lte=key, end_key__gte=key
        )
        .order_by("-prefix_length", "pk")
        .first()
    )


def _space(vrf_id) -> str:
    """How a message names an address space."""
    if vrf_id is None:
        return str(_("the global table"))
    return str(VRF.objects.filter(pk=vrf_id).values_list("name", flat=True).first() or "")


def _check_vrf(obj, user, field_name: str = "vrf") -> None:
    vrf_id = getattr(obj, f"{field_name}_id")
    if vrf_id and user is not None and not can(user, "view", getattr(obj, field_name)):
        raise ValidationError({field_name: _("Select a VRF of your units.")})


# --------------------------------------------------------------------------- VRFs


@transaction.atomic
def save_vrf(*, vrf: VRF, user=None) -> VRF:
    """Add or edit a VRF: its name once, its route distinguisher (when given) once."""
    if not _may_save(user, vrf, VRF, vrf.unit_id):
        _deny()
    vrf.name = (vrf.name or "").strip()
    vrf.rd = (vrf.rd or "").strip()
    if vrf.rd and VRF.objects.filter(rd=vrf.rd).exclude(pk=vrf.pk).exists():
        raise ValidationError({"rd": _("Another VRF has this route distinguisher.")})
    vrf.full_clean()
    vrf.save()
    return vrf


# --------------------------------------------------------------------------- VLANs


def _check_vlan(obj, user) -> None:
    if obj.vlan_id and user is not None and not can(user, "view", obj.vlan):
        raise ValidationError({"vlan": _("Select a VLAN of your units.")})


# --------------------------------------------------------------------------- ports in the way


def _ports_named(ports, user) -> str:
    """The ports as a refusal names them, by device and name: those ``user`` may see (ten at
    most), the others counted only."""
    ports = sorted(set(ports), key=lambda port: (port.device.sort_name, port.name, port.pk))
    shown = [port for port in ports if user is None or can(user, "view", port)][:10]
    if not shown:
        return ngettext("%(count)s port", "%(count)s ports", len(ports)) % {"count": len(ports)}
    names = ", ".join(str(port) for port in shown)
    if len(ports) > len(shown):
        return _("%(ports)s and %(count)s more") % {
            "ports": names,
            "count": len(ports) - len(shown),
        }
    return names


def _ports_of_vlans(**vlan) -> list[DevicePort]:
    """The ports carrying, untagged or tagged, a VLAN ``vlan`` selects (``pk=`` or ``group=``),
    each once, with their device and its unit. A tagged-all port carries whatever its device
    may carry: no change leaves it with a VLAN it should not have."""
    untagged = Q(**{f"vlan__{key}": value for key, value in vlan.items()})
    tagged = Q(**{f"tagged_vlans__{key}": value for key, value in vlan.items()})
    return list(
        DevicePort.objects.filter(
            pk__in=DevicePort.objects.filter(untagged | tagged).values("pk")
        ).select_related("device__unit")
    )


def _moved_device_errors(device: NetworkDevice, user) -> dict:
    """What moving ``device`` to another unit or location would break, at the field that moves
    it: its ports carrying (untagged or tagged) a VLAN the device could not carry there
    (``network_selectors.vlans_for_device``). NetBox refuses such a move too; the ports' VLANs
    are changed first."""
    from biys.inventory.network_selectors import at_site, vlan_unit_ids

    if not device.pk:
        return {}
    before = (
        NetworkDevice.objects.filter(pk=device.pk).values_list("unit_id", "location_id").first()
    )
    if before is None or before == (device.unit_id, device.location_id):
        return {}
    carried = [
        (port, vlan)
        for port in DevicePort.objects.filter(device_id=device.pk)
        .select_related("device", "vlan")
        .prefetch_related("tagged_vlans")
        for vlan in [port.vlan, *port.tagged_vlans.all()]
        if vlan is not None
    ]
    if not carried:
        return {}
    errors = {}
    if device.unit_id != before[0]:
        units = set(vlan_unit_ids(device.unit_id))
        ports = [port for port, vlan in carried if vlan.unit_id not in units]
        if ports:
            errors["unit"] = _(
                "In this unit the device could not carry the VLANs of some of its ports "
                "(%(ports)s): only VLANs of its unit or of a unit above it. Change their VLANs "
                "first."
            ) % {"ports": _ports_named(ports, user)}
    if device.location_id != before[1]:
        place = device.location if device.location_id else None
        accepted = set(
            VLAN.objects.filter(pk__in={vlan.pk for _port, vlan in carried})
            .filter(at_site(place))
            .values_list("pk", flat=True)
        )
        ports = [port for port, vlan in carried if vlan.pk not in accepted]
        if ports:
            errors["location"] = _(
                "At this location the device could not carry the VLANs of some of its ports "
                "(%(ports)s): their VLAN group names another site. Change their VLANs first."
            ) % {"ports": _ports_named(ports, user)}
    return errors


def _outside_site(ports: list[DevicePort], site) -> list[DevicePort]:
    """Those of ``ports`` whose device is not within the site ``site`` (placed nowhere, or
    elsewhere); none when there is no site."""
    from biys.inventory.network_selectors import within_site

    if site is None or not ports:
        return []
    inside = set(
        DevicePort.objects.filter(pk__in=[port.pk for port in ports])
        .filter(within_site(site, "device__location__"))
        .values_list("pk", flat=True)
    )
    return [port for port in ports if port.pk not in inside]


def _regrouped_vlan_errors(vlan: VLAN, user) -> dict:
    """What moving ``vlan`` to another unit or VLAN group would break, at that field: the ports
    carrying it (untagged or tagged) whose device could no longer carry it: of a unit not at
    or below its new unit, or outside its new group's site."""
    if not vlan.pk:
        return {}
    before = VLAN.objects.filter(pk=vlan.pk).values_list("unit_id", "group_id").first()
    if before is None or before == (vlan.unit_id, vlan.group_id):
        return {}
    ports = _ports_of_vlans(pk=vlan.pk)
    if not ports:
        return {}
    errors = {}
    if vlan.unit_id != before[0]:
        path = Unit.objects.filter(pk=vlan.unit_id).values_list("path", flat=True).first() or ""
        below = {
            port.pk for port in ports if path and (port.device.unit.path or "").startswith(path)
        }
        outside = [port for port in ports if port.pk not in below]
        if outside:
            errors["unit"] = _(
                "Ports carry the VLAN on devices outside this unit and its sub-units "
                "(%(ports)s): change their VLANs first."
            ) % {"ports": _ports_named(outside, user)}
    if vlan.group_id != before[1] and vlan.group_id:
        group = vlan.group
        outside = _outside_site(ports, group.location if group.location_id else None)
        if outside:
            errors["group"] = _(
                "The group's site is %(site)s and ports carry the VLAN on devices outside it "
                "(%(ports)s): change their VLANs first."
            ) % {"site": group.location, "ports": _ports_named(outside, user)}
    return errors


def _resited_group_errors(group: VLANGroup, user) -> dict:
    """What giving ``group`` another site would break, at ``location``: the ports carrying one
    of its VLANs (untagged or tagged) on a device outside the new site."""
    if not group.pk or not group.location_id:
        return {}
    before = VLANGroup.objects.filter(pk=group.pk).values_list("location_id", flat=True).first()
    if before == group.location_id:
        return {}
    outside = _outside_site(_ports_of_vlans(group=group.pk), group.location)
    if not outside:
        return {}
    return {
        "location": _(
            "Ports carry VLANs of the group on devices outside this site (%(ports)s): change "
            "their VLANs first."
        )
        % {"ports": _ports_named(outside, user)}
    }


# --------------------------------------------------------------------------- VLAN groups


@transaction.atomic
def save_vlan_group(*, group: VLANGroup, user=None) -> VLANGroup:
    """Add or edit a VLAN group: its name once in its unit, its range of VLAN IDs from 1 to
    4094, lowest first, holding every VLAN already in the group; its site (optional) a location
    the user may see."""
    if not _may_save(user, group, VLANGroup, group.unit_id):
        _deny()
    if group.location_id and user is not None and not can(user, "view", group.location):
        raise ValidationError({"location": _("Select a location you may see.")})
    group.name = (group.name or "").strip()
    group.description = (group.description or "").strip()
    if group.min_vid is not None and group.max_vid is not None:
        if group.min_vid > group.max_vid:
            raise ValidationError({"max_vid": _("The highest VLAN ID cannot be below the lowest.")})
        if group.pk is not None:
            outside = (
                VLAN.objects.filter(group=group)
                .exclude(vid__gte=group.min_vid, vid__lte=group.max_vid)
                .order_by("vid")
                .values_list("vid", flat=True)
            )
            if outside:
                raise ValidationError(
                    {
                        "min_vid": _("The group's VLANs %(vids)s would fall outside the range.")
                        % {"vids": ", ".join(str(vid) for vid in outside[:10])}
                    }
                )
    if (
        VLANGroup.objects.filter(unit_id=group.unit_id, name=group.name)
        .exclude(pk=group.pk)
        .exists()
    ):
        raise ValidationError({"name": _("The unit already has a VLAN group of this name.")})
    group.full_clean(validate_constraints=False)
    if errors := _resited_group_errors(group, user):
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:  # recorded at the same moment by someone else
        raise ValidationError(
            {"name": _("The unit already has a VLAN group of this name.")}
        ) from None
    return group


def _check_group(vlan: VLAN, user) -> None:
    """The VLAN's group: one the user may see, its VLAN ID within the group's range."""
    if not vlan.group_id:
        return
    if user is not None and not can(user, "view", vlan.group):
        raise ValidationError({"group": _("Select a VLAN group of your units.")})
    group = vlan.group
    if vlan.vid is not None and not group.min_vid <= vlan.vid <= group.max_vid:
        raise ValidationError(
            {
                "vid": _("The group %(group)s uses VLAN IDs %(low)s to %(high)s.")
                % {"group": group.name, "low": group.min_vid, "high": group.max_vid}
            }
        )


@transaction.atomic
def save_vlan(*, vlan: VLAN, user=None) -> VLAN:
    """Add or edit a VLAN: its VLAN ID from 1 to 4094, once in its group and within the
    group's range, or, in no group, once among its unit's group-less VLANs."""
    if not _may_save(user, vlan, VLAN, vlan.unit_id):
        _deny()
    vlan.name = (vlan.name or "").strip()
    vlan.description = (vlan.description or "").strip()
    if vlan.vid is not None and not 1 <= vlan.vid <= 4094:
        raise ValidationError({"vid": _("A VLAN is numbered from 1 to 4094.")})
    _check_group(vlan, user)
    if vlan.group_id:
        twins = VLAN.objects.filter(group_id=vlan.group_id, vid=vlan.vid)
        taken = _("The group already has this VLAN ID (%(name)s).")
        clash = _("The group already has this VLAN ID.")
    else:
        twins = VLAN.objects.filter(unit_id=vlan.unit_id, group__isnull=True, vid=vlan.vid)
        taken = _("The unit already has this VLAN ID (%(name)s).")
        clash = _("The unit already has this VLAN ID.")
    twin = twins.exclude(pk=vlan.pk).values_list("name", flat=True).first()
    if twin is not None:
        raise ValidationError({"vid": taken % {"name": twin}})
    vlan.full_clean(validate_constraints=False)
    if errors := _regrouped_vlan_errors(vlan, user):
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            vlan.save()
    except IntegrityError:  # recorded at the same moment by someone else
        raise ValidationError({"vid": clash}) from None
    return vlan


# --------------------------------------------------------------------------- subnets


def _relink(keys: list[tuple[str, str, int | None]]) -> None:
    """Each address in the ranges (start, end, VRF) given its narrowest subnet again."""
    condition = Q()
    for start, end, vrf_id in keys:
        condition |= Q(vrf_id=vrf_id, sort_key__gte=start, sort_key__lte=end)
    for assignment in IPAssignment.objects.filter(condition).select_for_update():
        subnet = subnet_of(ipaddress.ip_address(assignment.address), assignment.vrf_id)
        if assignment.subnet_id != (subnet.pk if subnet else None):
            assignment.subnet = subnet
            assignment.save(update_fields=["subnet", "last_updated"])


@changelog.batched
def save_subnet(*, subnet: Subnet, user=None) -> Subnet:
    """Add or edit a subnet; the addresses it holds (and those it held) find their subnet
    again. A prefix is one subnet in its VRF (or the global table); subnets may nest."""
    if not _may_save(user, subnet, Subnet, subnet.unit_id):
        _deny()
    _check_vrf(subnet, user)
    _check_vlan(subnet, user)
    network = parse_prefix(subnet.prefix)
    subnet.prefix = network.with_prefixlen
    subnet.family = network.version
    subnet.prefix_length = network.prefixlen
    subnet.start_key = address_key(network.network_address)
    subnet.end_key = address_key(network.broadcast_address)
    if subnet.gateway:
        gateway = parse_address(subnet.gateway, "gateway")
        if gateway not in network:
            raise ValidationError({"gateway": _("The gateway is not in the subnet.")})
        subnet.gateway = gateway.compressed
    twin = (
        Subnet.objects.filter(prefix=subnet.prefix, vrf_id=subnet.vrf_id)
        .exclude(pk=subnet.pk)
        .first()
    )
    if twin is not None:
        raise ValidationError(
            {
                "prefix": _("This subnet is already recorded in %(space)s.")
                % {"space": _space(subnet.vrf_id)}
            }
        )
    ranges = [(subnet.start_key, subnet.end_key, subnet.vrf_id)]
    if subnet.pk:
        old = Subnet.objects.filter(pk=subnet.pk).values("start_key", "end_key", "vrf_id").first()
        if old:
            ranges.append((old["start_key"], old["end_key"], old["vrf_id"]))
    subnet.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            subnet.save()
    except IntegrityError:  # recorded at the same moment by someone else
        raise ValidationError({"prefix": _("This subnet is already recorded.")}) from None
    _relink(ranges)
    return subnet


# --------------------------------------------------------------------------- history


def _state(assignment_pk) -> tuple | None:
    """What the history compares: (VRF, address, device, host) as stored."""
    if not assignment_pk:
        return None
    return (
        IPAssignment.objects.filter(pk=assignment_pk)
        .values_list("vrf_id", "address", "device_id", "host")
        .first()
    )


def _actor(user):
    return user if getattr(user, "pk", None) else None


def _close_holding(vrf_id, address: str, user, now) -> None:
    for holding in AddressHolding.objects.filter(
        vrf_id=vrf_id, address=address, ended_at__isnull=True
    ).select_for_update():
        holding.ended_at = now
        holding.ended_by = _actor(user)
        holding.save(update_fields=["ended_at", "ended_by", "last_updated"])


def _track(assignment: IPAssignment, before: tuple | None, user) -> None:
    """The address's history after a save: a new holding when the address was given out, moved
    or passed to another holder (the previous one closed); nothing when only its status, MAC or
    notes changed."""
    now = timezone.now()
    after = (assignment.vrf_id, assignment.address, assignment.device_id, assignment.host)
    if before is not None:
        same_address = before[:2] == after[:2]
        same_holder = before[2] == after[2] and (after[2] is not None or before[3] == after[3])
        if same_address and same_holder:
            return
        _close_holding(before[0], before[1], user, now)
    _close_holding(assignment.vrf_id, assignment.address, user, now)  # a stale open one
    AddressHolding.objects.create(
        unit_id=assignment.unit_id,
        vrf_id=assignment.vrf_id,
        address=assignment.address,
        sort_key=assignment.sort_key,
        device_id=assignment.device_id,
        holder=str(assignment.device) if assignment.device_id else (assignment.host or ""),
        mac_address=assignment.mac_address,
        status=assignment.status,
        started_at=now,
        started_by=_actor(user),
    )


# --------------------------------------------------------------------------- addresses


def _check_address(assignment: IPAssignment, field_name: str = "address", user=None) -> None:
    address = parse_address(assignment.address, field_name)
    assignment.address = address.compressed
    assignment.family = address.version
    assignment.sort_key = address_key(address)
    twin = (
        IPAssignment.objects.filter(address=assignment.address, vrf_id=assignment.vrf_id)
        .exclude(pk=assignment.pk)
        .first()
    )
    if twin is not None:
        if user is not None and not can(user, "view", twin):
            # another unit's address: say that it is taken, not to whom
            raise ValidationError({field_name: _("This address is already given out.")})
        raise ValidationError(
            {field_name: _("This address is already given out (%(to)s).") % {"to": _holder(twin)}}
        )
    subnet = subnet_of(address, assignment.vrf_id)
    if subnet is not None and address.version == 4 and subnet.prefix_length < 31:
        network = ipaddress.ip_network(subnet.prefix)
        if address in (network.network_address, network.broadcast_address):
            raise ValidationError(
                {
                    field_name: _(
                        "This is the network or broadcast address of %(subnet)s: it cannot "
                        "be given out."
                    )
                    % {"subnet": subnet.prefix}
                }
            )
    assignment.subnet = subnet


def _holder(assignment: IPAssignment) -> str:
    if assignment.device_id:
        return str(assignment.device)
    return assignment.host or str(_("reserved"))


@transaction.atomic
def save_assignment(*, assignment: IPAssignment, user=None) -> IPAssignment:
    """Give an address out (or edit one): normalised, found in its subnet of its VRF, refused
    when it is already given out in that VRF (or the global table)."""
    if not _may_save(user, assignment, IPAssignment, assignment.unit_id):
        _deny()
    _check_vrf(assignment, user)
    _check_address(assignment, user=user)
    assignment.mac_address = normalise_mac(assignment.mac_address)
    assignment.host = (assignment.host or "").strip()
    if assignment.device_id and user is not None and not can(user, "view", assignment.device):
        raise ValidationError({"device": _("Select a device of your units.")})
    assignment.full_clean(exclude=["address"], validate_constraints=False)
    before = _state(assignment.pk)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:  # given out at the same moment by someone else
        raise ValidationError({"address": _("This address is already given out.")}) from None
    _track(assignment, before, user)
    return assignment


# --------------------------------------------------------------------------- devices


def _check_device(device: NetworkDevice) -> None:
    device.name = (device.name or "").strip()
    device.mac_address = normalise_mac(device.mac_address)
    if device.asset_id:
        asset = device.asset
        if asset.status in FINAL_STATUSES:
            raise ValidationError({"asset": _("A scrapped or written-off asset is not in use.")})
        if not device.manufacturer and not device.model:
            device.manufacturer = asset.item_model.brand
            device.model = asset.item_model.name
        if not device.serial_number and asset.serial_number:
            device.serial_number = asset.serial_number
    if device.management_ip:
        device.management_ip = parse_address(device.management_ip, "management_ip").compressed


def _record_management_address(device: NetworkDevice, previous: tuple, user=None) -> None:
    """The device's management address among the addresses given out, in its management VRF:
    the row of its old address moves to the new one, or a new row is added."""
    if (device.management_ip, device.management_vrf_id) == previous:
        return
    row = None
    if previous[0]:
        row = IPAssignment.objects.filter(
            address=previous[0], vrf_id=previous[1], device=device
        ).first()
    if not device.management_ip:
        return  # the old address stays given out to the device until someone frees it
    if row is None:
        row = IPAssignment(unit_id=device.unit_id, device=device, notes=_("Management address"))
    row.address = device.management_ip
    row.vrf_id = device.management_vrf_id
    _check_address(row, "management_ip", user=user)
    row.full_clean(exclude=["address"], validate_constraints=False)
    before = _state(row.pk)
    row.save()
    _track(row, before, user)


@changelog.batched
def save_device(*, device: NetworkDevice, user=None) -> NetworkDevice:
    """Add or edit a network device; its management address is given out to it (refused at
    the field when someone else has it)."""
    if not _may_save(user, device, NetworkDevice, device.unit_id):
        _deny()
    _check_vrf(device, user, "management_vrf")
    _check_device(device)
    if device.asset_id and user is not None and not can(user, "view", device.asset):
        raise ValidationError({"asset": _("Select an asset of your units' registers.")})
    if device.asset_id:
        twin = NetworkDevice.objects.filter(asset_id=device.asset_id).exclude(pk=device.pk).first()
        if twin is not None:
            raise ValidationError(
                {"asset": _("This asset is already the device %(device)s.") % {"device": twin}}
            )
    previous = ("", None)
    if device.pk:
        previous = (
            NetworkDevice.objects.filter(pk=device.pk)
            .values_list("management_ip", "management_vrf_id")
            .first()
            or previous
        )
    device.full_clean()
    if errors := _moved_device_errors(device, user):
        raise ValidationError(errors)
    device.save()
    _record_management_address(device, previous, user)
    return device


def _vlan_refusal(vlans: list[VLAN], user) -> str:
    """Why ``vlans`` are not for the port's device, naming them only to a user who may see
    them (another unit's VLAN is refused without saying which it is)."""
    if user is not None and not all(can(user, "view", vlan) for vlan in vlans):
        return _("Select a VLAN the device may carry.")
    return _(
        "%(vlans)s: not a VLAN the device may carry (of its unit or of a unit above it, and "
        "of its site when its VLAN group names one)."
    ) % {"vlans": ", ".join(str(vlan) for vlan in vlans)}


def _vid_twins(tagged: list[VLAN], untagged: VLAN | None) -> list[VLAN]:
    """Two or more different VLANs of one VLAN ID among the port's VLANs (a group's and the
    unit's, or two groups'), the first such VLAN ID's; none when each VLAN ID is once."""
    by_vid: dict[int, dict[int, VLAN]] = {}
    for vlan in [*tagged, *([untagged] if untagged is not None else [])]:
        by_vid.setdefault(vlan.vid, {})[vlan.pk] = vlan
    for vid in sorted(by_vid):
        if len(by_vid[vid]) > 1:
            return list(by_vid[vid].values())
    return []


def _port_vlan_errors(port: DevicePort, tagged: list[VLAN], user) -> dict:
    """What is wrong with the VLANs of ``port``, by field. Its untagged VLAN and tagged VLANs
    are among those its device may carry (``network_selectors.vlans_for_device``: of the
    device's unit or a unit above it, and within its site when their VLAN group names one),
    whether or not the user sees them on the VLAN list, as the port's form offers them. Tagged
    VLANs only in tagged mode, not the untagged VLAN again, and one VLAN of each VLAN ID on a
    port (802.1Q tells VLANs apart by their ID alone)."""
    from biys.inventory.network_selectors import vlans_for_device

    errors = {}
    wanted = {vlan.pk for vlan in tagged} | ({port.vlan_id} if port.vlan_id else set())
    accepted: set[int] = set()
    if port.device_id and wanted:
        accepted = set(
            vlans_for_device(port.device).filter(pk__in=wanted).values_list("pk", flat=True)
        )
    untagged = port.vlan if port.vlan_id else None
    if untagged is not None and untagged.pk not in accepted:
        errors["vlan"] = _vlan_refusal([untagged], user)
        untagged = None
    if not tagged:
        return errors
    if port.mode != PortMode.TAGGED:
        errors["tagged_vlans"] = _(
            "Only a port in tagged mode has tagged VLANs: choose that mode or remove them."
        )
    elif refused := [vlan for vlan in tagged if vlan.pk not in accepted]:
        errors["tagged_vlans"] = _vlan_refusal(refused, user)
    elif port.vlan_id and port.vlan_id in {vlan.pk for vlan in tagged}:
        errors["tagged_vlans"] = _(
            "%(vlan)s is the port's untagged VLAN: it is not tagged too."
        ) % {"vlan": port.vlan}
    elif twins := _vid_twins(tagged, untagged):
        errors["tagged_vlans"] = _(
            "VLAN ID %(vid)s is on the port more than once (%(vlans)s): a port carries one "
            "VLAN of each VLAN ID."
        ) % {"vid": twins[0].vid, "vlans": ", ".join(str(vlan) for vlan in twins)}
    return errors


@transaction.atomic
def save_port(*, port: DevicePort, tagged_vlans=None, user=None) -> DevicePort:
    """Add or edit a port of a device; a device names each port once. ``tagged_vlans``: the
    VLANs it carries tagged (None: those it has, unchanged); the mode and VLAN rules of
    ``_port_vlan_errors`` are checked on the port as it will be, and a refusal saves nothing."""
    if user is not None:
        allowed = port.pk and can(user, "change", port)
        if not port.pk:
            allowed = can_add(user, DevicePort, port.device.unit_id)
        if not allowed:
            _deny()
    port.name = (port.name or "").strip()
    port.connected_to = (port.connected_to or "").strip()
    port.mode = port.mode or PortMode.ACCESS
    if tagged_vlans is None:
        tagged = list(port.tagged_vlans.all()) if port.pk else []
    else:
        tagged = list(tagged_vlans)
    errors = _port_vlan_errors(port, tagged, user)
    if errors:
        raise ValidationError(errors)
    twin = DevicePort.objects.filter(device_id=port.device_id, name=port.name).exclude(pk=port.pk)
    if twin.exists():
        raise ValidationError({"name": _("The device already has a port of this name.")})
    port.full_clean()
    port.save()
    if tagged_vlans is not None:
        port.tagged_vlans.set(tagged)
    return port


# --------------------------------------------------------------------------- deleting


def _may_delete(user, obj) -> None:
    if user is not None and not can(user, "delete", obj):
        _deny()


@changelog.batched
def delete_vrf(*, vrf: VRF, user=None) -> None:
    """Delete a VRF holding nothing; its subnets, addresses and the devices managed in it
    refuse it (the foreign keys protect it)."""
    _may_delete(user, vrf)
    vrf.delete()


@changelog.batched
def delete_vlan_group(*, group: VLANGroup, user=None) -> None:
    """Delete a VLAN group holding no VLAN (the foreign key protects it)."""
    _may_delete(user, group)
    group.delete()


@changelog.batched
def delete_vlan(*, vlan: VLAN, user=None) -> None:
    """Delete a VLAN no subnet or port names, as untagged or tagged VLAN (the foreign keys
    protect it; the ports it is tagged on refuse it here)."""
    _may_delete(user, vlan)
    tagged_on = list(vlan.tagged_ports.select_related("device")[:20])
    if tagged_on:
        raise ProtectedError(
            _("Ports carry VLAN %(vlan)s tagged: remove it from them first.") % {"vlan": vlan},
            tagged_on,
        )
    vlan.delete()


@changelog.batched
def delete_device(*, device: NetworkDevice, user=None) -> None:
    """Delete a device with its ports and its management address; any other address still
    given out to it refuses it (free or give them to someone else first)."""
    _may_delete(user, device)
    for row in IPAssignment.objects.filter(
        device=device, address=device.management_ip, vrf_id=device.management_vrf_id
    ):
        _close_holding(row.vrf_id, row.address, user, timezone.now())
        row.delete()
    device.delete()


@changelog.batched
def delete_port(*, port: DevicePort, user=None) -> None:
    _may_delete(user, port)
    port.delete()


@changelog.batched
def delete_subnet(*, subnet: Subnet, user=None) -> None:
    """Delete a subnet; the addresses it held go to the next narrower subnet holding them (or
    are flagged as in no subnet)."""
    _may_delete(user, subnet)
    ranges = [(subnet.start_key, subnet.end_key, subnet.vrf_id)]
    subnet.delete()
    _relink(ranges)


@changelog.batched
def delete_assignment(*, assignment: IPAssignment, user=None) -> None:
    """Free an address; a device's management address is freed by changing the device."""
    _may_delete(user, assignment)
    if assignment.device_id:
        device = assignment.device
        if (device.management_ip, device.management_vrf_id) == (
            assignment.address,
            assignment.vrf_id,
        ):
            raise ProtectedError(
                _("This is the management address of %(device)s: change the device.")
                % {"device": device},
                [device],
            )
    _close_holding(assignment.vrf_id, assignment.address, user, timezone.now())
    assignment.delete()
