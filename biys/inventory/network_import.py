"""Importing the network inventory from CSV or Excel: network devices, subnets or IP addresses,
one kind per file, through the register import's upload, preview and confirmation
(``import_services``, ``AssetImport.kind``).

A file is read as the asset register is (``importing.read_file``: Turkish Excel's ``;`` and BOM,
``,``, .xlsx), with the column names of ``COLUMNS``. Each row becomes the object its page would
save and goes through ``network_services``, so an import applies exactly the rules of the
forms: an address given out once in its VRF (or the global table), a prefix recorded once (its
VLAN, by VLAN ID, one of the importing unit's VLANs, recorded first), the
network and broadcast addresses refused, a device's management address given out to it. Every
row runs in its own savepoint, so each row's refusal is kept at its row and column and a later
row sees the earlier ones (the same address twice in a file is refused on its second row). The
preview runs the whole file and rolls it back; the import runs it again and commits only when
every row is valid. An address (or a management address) in no subnet of its VRF is imported,
as the model keeps it, and flagged on its row.

``template`` gives the empty file of each kind (header row and one example row).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from biys.core.access import can_add
from biys.core.text import fold
from biys.inventory import importing, network_services
from biys.inventory.models import (
    VLAN,
    VRF,
    AddressStatus,
    Asset,
    DeviceKind,
    ImportKind,
    IPAssignment,
    Location,
    NetworkDevice,
    Subnet,
)

Progress = Callable[[float], None]

MODELS = {
    ImportKind.NETWORK_DEVICES: NetworkDevice,
    ImportKind.SUBNETS: Subnet,
    ImportKind.IP_ADDRESSES: IPAssignment,
}
KINDS = tuple(MODELS)

# field -> the column names (the first is the template's); compared as importing.header_key does
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    ImportKind.NETWORK_DEVICES: {
        "name": ("Host adı", "Ad", "Cihaz", "Host name", "Name", "Hostname"),
        "kind": ("Tür", "Cihaz türü", "Kind", "Type"),
        "manufacturer": ("Üretici", "Marka", "Manufacturer", "Brand"),
        "model": ("Model",),
        "serial_number": ("Seri numarası", "Seri no", "Serial number"),
        "management_ip": ("Yönetim adresi", "Yönetim IP", "IP", "Management address"),
        "management_vrf": ("Yönetim VRF", "VRF", "Management VRF"),
        "mac_address": ("MAC adresi", "MAC", "MAC address"),
        "firmware": ("Yazılım sürümü", "Firmware", "Firmware version"),
        "location": ("Konum", "Yer", "Location"),
        "rack": ("Kabin", "Rack"),
        "rack_unit": ("Kabin U", "Rack unit", "U"),
        "asset": ("Envanter numarası", "Demirbaş no", "Inventory number"),
        "notes": ("Notlar", "Açıklama", "Notes"),
    },
    ImportKind.SUBNETS: {
        "prefix": ("Önek", "Alt ağ", "Subnet", "Prefix"),
        "vrf": ("VRF",),
        "vlan": ("VLAN",),
        "gateway": ("Ağ geçidi", "Gateway"),
        "description": ("Açıklama", "Description"),
    },
    ImportKind.IP_ADDRESSES: {
        "address": ("IP adresi", "Adres", "IP address", "Address", "IP"),
        "vrf": ("VRF",),
        "device": ("Cihaz", "Device"),
        "host": ("Kullanan", "Host"),
        "mac_address": ("MAC adresi", "MAC", "MAC address"),
        "status": ("Durum", "Status"),
        "notes": ("Notlar", "Açıklama", "Notes"),
    },
}
REQUIRED = {
    ImportKind.NETWORK_DEVICES: ("name", "kind"),
    ImportKind.SUBNETS: ("prefix",),
    ImportKind.IP_ADDRESSES: ("address",),
}
EXAMPLES = {
    ImportKind.NETWORK_DEVICES: {
        "name": "sw-hizmet-binasi-01",
        "kind": "Anahtar (switch)",
        "manufacturer": "Cisco",
        "model": "Catalyst 9200",
        "serial_number": "FOC1234X0AB",
        "management_ip": "10.12.0.2",
        "management_vrf": "",
        "mac_address": "00:1a:2b:3c:4d:5e",
        "firmware": "17.9.4",
        "location": "Hizmet Binası",
        "rack": "A1",
        "rack_unit": "12",
        "asset": "",
        "notes": "",
    },
    ImportKind.SUBNETS: {
        "prefix": "10.12.0.0/24",
        "vrf": "",
        "vlan": "12",
        "gateway": "10.12.0.1",
        "description": "Hizmet binası kullanıcıları",
    },
    ImportKind.IP_ADDRESSES: {
        "address": "10.12.0.50",
        "vrf": "",
        "device": "",
        "host": "Muhasebe yazıcısı",
        "mac_address": "00:1a:2b:3c:4d:60",
        "status": "Kullanımda",
        "notes": "",
    },
}
# What the preview page shows of each kind, in order (the row's ``values``).
PREVIEW_COLUMNS = {
    ImportKind.NETWORK_DEVICES: (
        ("name", gettext_lazy("Host name")),
        ("kind", gettext_lazy("Kind")),
        ("manufacturer", gettext_lazy("Manufacturer")),
        ("model", gettext_lazy("Model")),
        ("serial_number", gettext_lazy("Serial number")),
        ("management_ip", gettext_lazy("Management address")),
        ("management_vrf", gettext_lazy("Management VRF")),
        ("mac_address", gettext_lazy("MAC address")),
        ("location", gettext_lazy("Location")),
        ("rack", gettext_lazy("Rack")),
    ),
    ImportKind.SUBNETS: (
        ("prefix", gettext_lazy("Prefix")),
        ("vrf", gettext_lazy("VRF")),
        ("vlan", gettext_lazy("VLAN")),
        ("gateway", gettext_lazy("Gateway")),
        ("description", gettext_lazy("Description")),
    ),
    ImportKind.IP_ADDRESSES: (
        ("address", gettext_lazy("IP address")),
        ("vrf", gettext_lazy("VRF")),
        ("subnet", gettext_lazy("Subnet")),
        ("device", gettext_lazy("Device")),
        ("host", gettext_lazy("Host")),
        ("mac_address", gettext_lazy("MAC address")),
        ("status", gettext_lazy("Status")),
    ),
}
KIND_WORDS = {
    DeviceKind.SWITCH: ("switch", "anahtar", "anahtar switch", "ag anahtari"),
    DeviceKind.ROUTER: ("router", "yönlendirici"),
    DeviceKind.ACCESS_POINT: ("ap", "access point", "erişim noktası", "kablosuz erişim noktası"),
    DeviceKind.FIREWALL: ("firewall", "güvenlik duvarı"),
    DeviceKind.CAMERA: ("camera", "kamera", "ip kamera"),
    DeviceKind.ATTENDANCE: ("pdks", "attendance", "personel devam kontrol"),
    DeviceKind.UPS: ("ups", "kgk", "kesintisiz güç kaynağı"),
    DeviceKind.OTHER: ("other", "diğer"),
}
STATUS_WORDS = {
    AddressStatus.ACTIVE: ("", "active", "in use", "kullanımda", "aktif"),
    AddressStatus.RESERVED: ("reserved", "ayrılmış", "rezerve"),
    AddressStatus.DHCP: ("dhcp",),
    AddressStatus.DEPRECATED: ("deprecated", "being retired", "kullanımdan kalkıyor"),
}


def _words(table: dict, choices) -> dict[str, str]:
    words = {importing.header_key(word): value for value, names in table.items() for word in names}
    for choice in choices:
        words.setdefault(importing.header_key(choice.value), choice.value)
        words.setdefault(importing.header_key(str(choice.label)), choice.value)
    return words


def read_file(data: bytes, *, kind: str, filename: str = "") -> importing.ImportTable:
    return importing.read_file(
        data, filename=filename, columns=COLUMNS[kind], required=REQUIRED[kind]
    )


def may_import(user, unit, kind: str) -> bool:
    return user is None or can_add(user, MODELS[kind], unit.pk)


def template(kind: str, file_format: str = "csv") -> tuple[bytes, str, str]:
    """The empty file of ``kind``: (content, content type, file name); CSV for Turkish Excel
    (``;`` and a BOM) or .xlsx."""
    headers = [names[0] for names in COLUMNS[kind].values()]
    example = [EXAMPLES[kind][name] for name in COLUMNS[kind]]
    name = f"biys-{kind}"
    if file_format == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(headers)
        sheet.append(example)
        stream = io.BytesIO()
        book.save(stream)
        return (
            stream.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{name}.xlsx",
        )
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(headers)
    writer.writerow(example)
    return ("\ufeff" + stream.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", f"{name}.csv"


# --------------------------------------------------------------------------- the rows


class _Lookups:
    """The VRFs, VLANs (of ``unit``), locations, devices and assets rows name, resolved as rows
    ask for them."""

    def __init__(self, unit=None):
        self.vrfs = {fold(vrf.name): vrf for vrf in VRF.objects.all()}
        self.vlans = {vlan.vid: vlan for vlan in VLAN.objects.filter(unit=unit)}
        self.locations: dict[str, Location] = {}
        for location in Location.objects.order_by("pk"):
            self.locations.setdefault(fold(str(location)), location)
            if not location.floor and not location.room:
                self.locations.setdefault(fold(location.building), location)

    def vrf(self, text: str, errors: dict, field: str):
        if not text:
            return None
        vrf = self.vrfs.get(fold(text))
        if vrf is None:
            errors[field] = _("No VRF named “%(name)s”.") % {"name": text}
        return vrf

    def vlan(self, text: str, errors: dict):
        if not text:
            return None
        vid = _number({"vlan": text}, "vlan", errors)
        if vid is None:
            return None
        vlan = self.vlans.get(vid)
        if vlan is None:
            errors["vlan"] = _("The unit has no VLAN %(vid)s: add it first.") % {"vid": vid}
        return vlan

    def location(self, text: str, errors: dict):
        if not text:
            return None
        location = self.locations.get(fold(text))
        if location is None:
            errors["location"] = _("No location named “%(name)s”: add it first.") % {"name": text}
        return location

    @staticmethod
    def device(text: str, errors: dict):
        if not text:
            return None
        devices = list(NetworkDevice.objects.filter(name__iexact=text)[:2])
        if not devices:
            errors["device"] = _("No network device named “%(name)s”.") % {"name": text}
            return None
        if len(devices) > 1:
            errors["device"] = _("More than one network device is named “%(name)s”.") % {
                "name": text
            }
            return None
        return devices[0]

    @staticmethod
    def asset(text: str, errors: dict):
        if not text:
            return None
        asset = Asset.objects.filter(inventory_number=text).select_related("item_model").first()
        if asset is None:
            errors["asset"] = _("No asset with the inventory number %(number)s.") % {"number": text}
        return asset


def _text(raw: dict, name: str) -> str:
    value = raw.get(name, "")
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(raw: dict, name: str, errors: dict) -> int | None:
    text = _text(raw, name)
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        errors[name] = _("“%(value)s” is not a whole number.") % {"value": text}
        return None
    if number < 0:
        errors[name] = _("“%(value)s” is not a whole number.") % {"value": text}
        return None
    return number


def _device(row, unit, lookups, kinds) -> NetworkDevice:
    raw, errors = row.raw, row.errors
    kind_text = _text(raw, "kind")
    kind = kinds.get(importing.header_key(kind_text))
    if kind is None:
        errors["kind"] = _("“%(value)s” is not a kind of network device.") % {"value": kind_text}
    device = NetworkDevice(
        unit=unit,
        name=_text(raw, "name"),
        kind=kind or "",
        manufacturer=_text(raw, "manufacturer"),
        model=_text(raw, "model"),
        serial_number=_text(raw, "serial_number"),
        management_ip=_text(raw, "management_ip"),
        management_vrf=lookups.vrf(_text(raw, "management_vrf"), errors, "management_vrf"),
        mac_address=_text(raw, "mac_address"),
        firmware=_text(raw, "firmware"),
        location=lookups.location(_text(raw, "location"), errors),
        rack=_text(raw, "rack"),
        rack_unit=_number(raw, "rack_unit", errors),
        asset=lookups.asset(_text(raw, "asset"), errors),
        notes=_text(raw, "notes"),
    )
    row.values.update(
        name=device.name,
        kind=str(DeviceKind(kind).label) if kind else kind_text,
        manufacturer=device.manufacturer,
        model=device.model,
        serial_number=device.serial_number,
        management_ip=device.management_ip,
        management_vrf=_text(raw, "management_vrf"),
        mac_address=device.mac_address,
        location=_text(raw, "location"),
        rack=device.rack,
    )
    return device


def _subnet(row, unit, lookups) -> Subnet:
    raw, errors = row.raw, row.errors
    subnet = Subnet(
        unit=unit,
        prefix=_text(raw, "prefix"),
        vrf=lookups.vrf(_text(raw, "vrf"), errors, "vrf"),
        vlan=lookups.vlan(_text(raw, "vlan"), errors),
        gateway=_text(raw, "gateway"),
        description=_text(raw, "description"),
    )
    row.values.update(
        prefix=subnet.prefix,
        vrf=_text(raw, "vrf"),
        vlan=_text(raw, "vlan"),
        gateway=subnet.gateway,
        description=subnet.description,
    )
    return subnet


def _assignment(row, unit, lookups, statuses) -> IPAssignment:
    raw, errors = row.raw, row.errors
    status_text = _text(raw, "status")
    status = statuses.get(importing.header_key(status_text))
    if status is None:
        errors["status"] = _("“%(value)s” is not an address status.") % {"value": status_text}
    assignment = IPAssignment(
        unit=unit,
        address=_text(raw, "address"),
        vrf=lookups.vrf(_text(raw, "vrf"), errors, "vrf"),
        device=lookups.device(_text(raw, "device"), errors),
        host=_text(raw, "host"),
        mac_address=_text(raw, "mac_address"),
        status=status or AddressStatus.ACTIVE,
        notes=_text(raw, "notes"),
    )
    row.values.update(
        address=assignment.address,
        vrf=_text(raw, "vrf"),
        subnet="",
        device=_text(raw, "device"),
        host=assignment.host,
        mac_address=assignment.mac_address,
        status=str(AddressStatus(status).label) if status else status_text,
    )
    return assignment


def _outside(address: str, vrf_id) -> str:
    return _("%(address)s is in no subnet of %(space)s: it is imported and flagged.") % {
        "address": address,
        "space": network_services._space(vrf_id),
    }


def _save(kind: str, obj, row, user) -> None:
    """Save one row's object through its service; a refusal is kept at the row's columns."""
    try:
        with transaction.atomic():
            if kind == ImportKind.NETWORK_DEVICES:
                network_services.save_device(device=obj, user=user)
            elif kind == ImportKind.SUBNETS:
                network_services.save_subnet(subnet=obj, user=user)
            else:
                network_services.save_assignment(assignment=obj, user=user)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                row.errors.setdefault(name, " ".join(messages))
        else:
            row.errors.setdefault("__all__", " ".join(error.messages))
        return
    except PermissionDenied:
        row.errors["unit"] = _("You may not add this record for that unit.")
        return
    except ProtectedError as error:
        row.errors["__all__"] = str(error.args[0])
        return
    if kind == ImportKind.IP_ADDRESSES:
        row.values["address"] = obj.address
        row.values["subnet"] = obj.subnet.prefix if obj.subnet_id else ""
        if obj.subnet_id is None:
            row.warnings["address"] = _outside(obj.address, obj.vrf_id)
    elif kind == ImportKind.NETWORK_DEVICES and obj.management_ip:
        row.values["management_ip"] = obj.management_ip
        held = IPAssignment.objects.filter(
            address=obj.management_ip, vrf_id=obj.management_vrf_id, subnet__isnull=True
        ).exists()
        if held:
            row.warnings["management_ip"] = _outside(obj.management_ip, obj.management_vrf_id)
    elif kind == ImportKind.SUBNETS:
        row.values["prefix"] = obj.prefix


def run_rows(*, kind: str, unit, rows: list, user=None, progress: Progress | None = None) -> int:
    """Save every row through ``network_services`` inside the caller's transaction, each in its
    own savepoint; each row gets its ``values``, ``errors`` and ``warnings``. Returns how many
    rows were saved. The caller rolls back (the preview) or commits when every row is valid."""
    lookups = _Lookups(unit)
    kinds = _words(KIND_WORDS, DeviceKind)
    statuses = _words(STATUS_WORDS, AddressStatus)
    saved = 0
    for index, row in enumerate(rows):
        if kind == ImportKind.NETWORK_DEVICES:
            obj = _device(row, unit, lookups, kinds)
        elif kind == ImportKind.SUBNETS:
            obj = _subnet(row, unit, lookups)
        else:
            obj = _assignment(row, unit, lookups, statuses)
        if not row.errors:
            _save(kind, obj, row, user)
            saved += 0 if row.errors else 1
        if progress and index % 200 == 199:
            progress((index + 1) / len(rows))
    return saved
