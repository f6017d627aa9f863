"""Reading what an inventory agent sends: the body's compression, GLPI Agent JSON (checked
against the GLPI inventory schema) and FusionInventory Agent XML, into one ``Inventory``.

Nothing here touches the database. A body that cannot be read or does not follow the schema
raises ``InventoryRefused`` with the schema's own message and the path it is about.

GLPI Agent JSON: ``{"action": "inventory", "deviceid": ..., "content": {...}}``, sent as
``application/json``, ``application/x-compress-zlib`` (RFC 1950) or
``application/x-compress-gzip`` (RFC 1952); before it, ``{"action": "contact", ...}``.
FusionInventory XML: ``<REQUEST><DEVICEID/><QUERY>PROLOG|INVENTORY</QUERY><CONTENT/></REQUEST>``,
sent zlib- or gzip-compressed. The body is also recognised by its first bytes, whatever the
Content-Type says (agents behind proxies lose it).
"""

import functools
import json
import re
import zlib
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "glpi-inventory.schema.json"
MAX_BODY = 128 * 1024 * 1024  # an inflated inventory larger than this is refused

# Sections of an inventory and the content keys that carry them. A partial inventory updates
# only the sections it sends.
SECTIONS = {
    "hardware": ("hardware", "bios"),
    "cpus": ("cpus",),
    "memories": ("memories",),
    "storages": ("storages",),
    "drives": ("drives",),
    "operatingsystem": ("operatingsystem",),
    "networks": ("networks",),
    "monitors": ("monitors",),
    "printers": ("printers",),
    "softwares": ("softwares",),
}

# Values vendors put where a serial number or UUID should be.
_JUNK_SERIALS = {
    "", "0", "00000000", "0123456789", "1234567890", "none", "n/a", "na", "null", "default string",
    "to be filled by o.e.m.", "to be filled by oem", "system serial number", "not specified",
    "not applicable", "chassis serial number", "serial number", "sn", "xxxxxxxxxx", "123456789",
    "invalid", "unknown", "empty", "base board serial number",
}  # fmt: skip
_JUNK_UUIDS = {
    "00000000-0000-0000-0000-000000000000",
    "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
    # the same UUID on many boards of one OEM (GLPI and Fleet keep the same list)
    "03000200-0400-0500-0006-000700080009",
}
_MAC = re.compile(r"^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$", re.IGNORECASE)
_JUNK_MACS = {"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"}


# The messages that carry an inventory (of a computer; of a device the agent queried by SNMP).
INVENTORY_ACTIONS = {"inventory", "netinventory", "injector", "netdiscovery"}


class InventoryRefused(Exception):
    """The body is not an inventory BİYS accepts: ``message`` says why (the schema's own words
    for a schema error), ``path`` where (``content.hardware.memory``)."""

    def __init__(self, message: str, path: str = "", format: str = ""):
        super().__init__(message)
        self.message = message
        self.path = path
        self.format = format  # "glpi" or "fusion" once the body's kind is known

    def as_dict(self) -> dict:
        return {"error": self.message, "path": self.path}


@dataclass
class Inventory:
    """One agent message, read: what it is (``action``), who sent it and, for an inventory,
    its identifying keys and the sections it carries."""

    format: str  # "glpi" or "fusion"
    action: str  # "contact", "prolog", "inventory" (or another request the agent makes)
    device_id: str = ""
    itemtype: str = ""
    partial: bool = False
    tag: str = ""
    agent_version: str = ""
    name: str = ""
    hardware_uuid: str = ""
    serial_number: str = ""
    macs: list = field(default_factory=list)
    sections: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Inventory":
        return cls(**data)


# --------------------------------------------------------------------------- bodies


def inflate(body: bytes, content_type: str = "") -> bytes:
    """The body without its compression: by Content-Type, else by its magic bytes."""
    kind = (content_type or "").split(";")[0].strip().lower()
    try:
        # Inflated at most one byte past the limit: a small compressed body can stand for
        # gigabytes (a "zip bomb"), which must be refused before it is held in memory.
        if body[:2] == b"\x1f\x8b" or kind.endswith("x-compress-gzip"):
            decompressor = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)  # gzip framing
            data = decompressor.decompress(body, MAX_BODY + 1)
        elif body[:1] == b"\x78" or kind.endswith(("x-compress-zlib", "x-compress")):
            decompressor = zlib.decompressobj()
            data = decompressor.decompress(body, MAX_BODY + 1)
        else:
            data = body
    except (OSError, zlib.error, EOFError) as error:
        raise InventoryRefused(
            _("The body could not be decompressed: %(error)s") % {"error": error}
        ) from None
    if len(data) > MAX_BODY:
        raise InventoryRefused(_("The inventory is larger than the server accepts."))
    return data


def read(body: bytes, content_type: str = "") -> Inventory:
    """A message of either agent, decompressed and read."""
    fusion = "xml" in (content_type or "").lower()
    try:
        data = inflate(body, content_type).lstrip(b"\xef\xbb\xbf \t\r\n")
        if not data:
            raise InventoryRefused(_("The request is empty."))
        fusion = data[:1] == b"<"
        return read_fusion_xml(data) if fusion else read_glpi_json(data)
    except InventoryRefused as refused:
        refused.format = "fusion" if fusion else "glpi"
        raise


# --------------------------------------------------------------------------- GLPI JSON


@functools.cache
def _validator():
    import jsonschema

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_error(document) -> InventoryRefused | None:
    """The first error the GLPI inventory schema finds (the most relevant, as jsonschema ranks
    them), or None."""
    import jsonschema

    error = jsonschema.exceptions.best_match(_validator().iter_errors(document))
    if error is None:
        return None
    path = ".".join(str(part) for part in error.absolute_path)
    return InventoryRefused(error.message, path)


def read_glpi_json(data: bytes) -> Inventory:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise InventoryRefused(_("The body is not JSON: %(error)s") % {"error": error}) from None
    if not isinstance(document, dict):
        raise InventoryRefused(_("The body is not a JSON object."))
    action = str(document.get("action") or "inventory").lower()
    if action not in INVENTORY_ACTIONS:
        return Inventory(
            format="glpi",
            action=action,
            device_id=str(document.get("deviceid") or ""),
            tag=str(document.get("tag") or ""),
            agent_version=" ".join(
                str(part) for part in (document.get("name"), document.get("version")) if part
            ),
        )
    refused = schema_error(document)
    if refused is not None:
        raise refused
    return from_content(
        document["content"],
        format="glpi",
        device_id=document["deviceid"],
        itemtype=document.get("itemtype") or ("Computer" if action == "inventory" else ""),
        partial=bool(document.get("partial")),
        tag=str(document.get("tag") or ""),
    )


# --------------------------------------------------------------------------- Fusion XML


def _element_to_value(element):
    children = list(element)
    if not children:
        return (element.text or "").strip()
    value: dict = {}
    for child in children:
        if not isinstance(child.tag, str):
            continue
        key = child.tag.lower()
        item = _element_to_value(child)
        if key in value:
            if not isinstance(value[key], list) or key not in _REPEATED:
                value[key] = [value[key]] if not isinstance(value[key], list) else value[key]
            value[key].append(item)
        else:
            value[key] = [item] if key in _REPEATED else item
    return value


# Sections that are lists in the JSON format (one XML element per entry).
_REPEATED = {
    "cpus", "memories", "storages", "drives", "networks", "monitors", "printers", "softwares",
    "controllers", "inputs", "ports", "slots", "sounds", "usbdevices", "users", "videos",
    "batteries", "antivirus", "envs", "processes", "virtualmachines", "local_groups",
    "local_users", "licenseinfos", "modems", "firmwares", "simcards", "sensors", "powersupplies",
    "remote_mgmt", "physical_volumes", "volume_groups", "logical_volumes",
}  # fmt: skip


def read_fusion_xml(data: bytes) -> Inventory:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise InventoryRefused(_("The body is not XML: %(error)s") % {"error": error}) from None
    if root.tag != "REQUEST":
        raise InventoryRefused(_("The XML document is not a REQUEST."), root.tag)
    query = (root.findtext("QUERY") or "").strip().lower()
    device_id = (root.findtext("DEVICEID") or "").strip()
    if not query:
        raise InventoryRefused(_("The request names no QUERY."), "REQUEST.QUERY")
    if query != "inventory":
        return Inventory(format="fusion", action=query, device_id=device_id)
    if not device_id:
        raise InventoryRefused(_("The inventory names no DEVICEID."), "REQUEST.DEVICEID")
    content = root.find("CONTENT")
    if content is None:
        raise InventoryRefused(_("The inventory has no CONTENT."), "REQUEST.CONTENT")
    values = _element_to_value(content)
    if not isinstance(values, dict):
        values = {}
    return from_content(
        values,
        format="fusion",
        device_id=device_id,
        itemtype="Computer",
        partial=False,
        tag=str(values.get("accountinfo", {}).get("keyvalue", ""))
        if isinstance(values.get("accountinfo"), dict)
        else "",
    )


# --------------------------------------------------------------------------- content


def _text(value, limit: int = 200) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()[:limit]


def _int(value) -> int | None:
    try:
        number = int(float(str(value).strip()))
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < 2**31 else None


def _list(value) -> list[dict]:
    if isinstance(value, dict):
        value = [value]
    return [item for item in value or () if isinstance(item, dict)]


def clean_serial(value) -> str:
    serial = _text(value, 100).strip("/ ")
    return "" if serial.lower() in _JUNK_SERIALS or len(set(serial)) <= 1 else serial


def clean_uuid(value) -> str:
    uuid = _text(value, 64).upper()
    return "" if uuid in _JUNK_UUIDS or len(set(uuid.replace("-", ""))) <= 1 else uuid


def clean_mac(value) -> str:
    mac = _text(value, 17).lower().replace("-", ":")
    return mac if _MAC.match(mac) and mac not in _JUNK_MACS else ""


def _date(value) -> str | None:
    """An ISO date from the JSON's ``2024-03-05`` or Fusion's ``05/03/2024``."""
    text = _text(value, 20)
    iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    french = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif french:
        day, month, year = (int(part) for part in french.groups())
    else:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _bool(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes")


def from_content(content: dict, *, format: str, device_id: str, itemtype: str, partial: bool,
                 tag: str) -> Inventory:  # fmt: skip
    """The sections BİYS keeps, from the content of either format (Fusion's values are all
    strings; the JSON's are typed)."""
    hardware = content.get("hardware") if isinstance(content.get("hardware"), dict) else {}
    bios = content.get("bios") if isinstance(content.get("bios"), dict) else {}
    device = content.get("network_device")
    device = device if isinstance(device, dict) else {}
    sections: dict = {}
    present = {name for name, keys in SECTIONS.items() if any(key in content for key in keys)}
    if "hardware" in present or device:
        sections["hardware"] = {
            "manufacturer": _text(bios.get("smanufacturer") or bios.get("mmanufacturer"), 150)
            or _text(device.get("manufacturer"), 150),
            "model": _text(bios.get("smodel") or bios.get("mmodel"), 150)
            or _text(device.get("model"), 150),
            "chassis": _text(hardware.get("chassis_type"), 60) or _text(device.get("type"), 60),
            "memory_mb": _int(hardware.get("memory")) or _int(device.get("memory")),
        }
    if "cpus" in present:
        cpus = _list(content.get("cpus"))
        sections["cpus"] = {
            "cpu": _text(cpus[0].get("name") or cpus[0].get("model"), 200) if cpus else "",
            "cpu_cores": sum(_int(cpu.get("core")) or 0 for cpu in cpus) or None,
        }
    if "memories" in present:
        total = sum(_int(module.get("capacity")) or 0 for module in _list(content.get("memories")))
        sections["memories"] = {"memory_mb": total or None}
    if "storages" in present:
        sections["storages"] = [
            {
                "name": _text(disk.get("name"), 100),
                "model": _text(disk.get("model"), 150),
                "manufacturer": _text(disk.get("manufacturer"), 100),
                "size_mb": _int(disk.get("disksize")),
                "serial": _text(disk.get("serial") or disk.get("serialnumber"), 100),
            }
            for disk in _list(content.get("storages"))
        ]
    if "drives" in present:
        sections["drives"] = [
            {
                "mount": _text(drive.get("type") or drive.get("letter"), 100),
                "volume": _text(drive.get("volumn") or drive.get("label"), 150),
                "filesystem": _text(drive.get("filesystem"), 40),
                "total_mb": _int(drive.get("total")),
                "free_mb": _int(drive.get("free")),
            }
            for drive in _list(content.get("drives"))
        ]
    if "operatingsystem" in present:
        system = content.get("operatingsystem")
        system = system if isinstance(system, dict) else {}
        sections["operatingsystem"] = {
            "name": _text(system.get("full_name") or system.get("name"), 200)
            or _text(hardware.get("osname"), 200),
            "version": _text(system.get("version") or system.get("kernel_version"), 100)
            or _text(hardware.get("osversion"), 100),
            "arch": _text(system.get("arch"), 40),
        }
    if "networks" in present:
        sections["networks"] = [
            {
                "name": _text(network.get("description"), 100),
                "mac": clean_mac(network.get("macaddr") or network.get("mac")),
                "ip": _text(network.get("ipaddress"), 45),
                "ip6": _text(network.get("ipaddress6"), 64),
                "type": _text(network.get("type"), 40),
                "virtual": _bool(network.get("virtualdev")),
                "status": _text(network.get("status"), 20),
            }
            for network in _list(content.get("networks"))
        ]
    if "monitors" in present:
        sections["monitors"] = [
            {
                "name": _text(monitor.get("caption") or monitor.get("name"), 150),
                "manufacturer": _text(monitor.get("manufacturer"), 150),
                "serial": _text(monitor.get("serial"), 100),
            }
            for monitor in _list(content.get("monitors"))
        ]
    if "printers" in present:
        sections["printers"] = [
            {
                "name": _text(printer.get("name"), 150),
                "driver": _text(printer.get("driver"), 150),
                "port": _text(printer.get("port"), 150),
                "serial": _text(printer.get("serial"), 100),
                "network": _bool(printer.get("network")),
            }
            for printer in _list(content.get("printers"))
        ]
    if "softwares" in present:
        software = []
        for line in _list(content.get("softwares")):
            name = _text(line.get("name"), 200)
            if not name:
                continue
            installed = _date(line.get("install_date") or line.get("installdate"))
            software.append(
                {
                    "publisher": _text(line.get("publisher"), 150),
                    "name": name,
                    "version": _text(line.get("version"), 100),
                    "installed_on": installed,
                }
            )
        sections["softwares"] = software
    macs: list[str] = []
    for network in sections.get("networks", []):
        if network["mac"] and not network["virtual"] and network["type"] != "loopback":
            macs.append(network["mac"])
    for port in _list(content.get("network_ports")):
        mac = clean_mac(port.get("mac"))
        if mac:
            macs.append(mac)
    if device.get("mac"):
        macs.append(clean_mac(device.get("mac")))
    version = content.get("versionclient")
    return Inventory(
        format=format,
        action="inventory",
        device_id=_text(device_id, 200),
        itemtype=_text(itemtype, 40),
        partial=partial,
        tag=_text(tag, 100),
        agent_version=_text(version, 100),
        name=_text(hardware.get("name") or device.get("name"), 200),
        hardware_uuid=clean_uuid(hardware.get("uuid")),
        serial_number=clean_serial(bios.get("ssn") or device.get("serial")),
        macs=sorted({mac for mac in macs if mac}),
        sections=sections,
    )
