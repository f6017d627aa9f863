"""The network inventory (odunpazari 11(1)(m)): switches, routers, access points, firewalls,
cameras, attendance devices and UPSs with their management address, MAC, firmware, place and
ports; the subnets and the addresses given out in them.

Kept small after NetBox's devices, interfaces, prefixes, IP addresses, VRFs and VLANs: the global
address space and any number of VRFs (separate routing tables, where the same private ranges may
be used again), a prefix recorded and an address given out once in each. Addresses are stored normalised (``ipaddress``'s compressed
form) with a sortable key (``4:`` or ``6:`` and the address as 32 hex digits), so a subnet's
range is a text comparison that works the same on SQLite and PostgreSQL. Imported by
``models.py``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.models import ChangeLoggedModel
from biys.core.search import SearchableModel
from biys.core.text import sort_key


class DeviceKind(models.TextChoices):
    SWITCH = "switch", _("Switch")
    ROUTER = "router", _("Router")
    ACCESS_POINT = "access_point", _("Wireless access point")
    FIREWALL = "firewall", _("Firewall")
    CAMERA = "camera", _("Camera")
    ATTENDANCE = "attendance", _("Attendance device (PDKS)")
    UPS = "ups", _("UPS")
    OTHER = "other", _("Other network device")


class AddressStatus(models.TextChoices):
    ACTIVE = "active", _("In use")
    RESERVED = "reserved", _("Reserved")
    DHCP = "dhcp", _("DHCP")
    DEPRECATED = "deprecated", _("Being retired")


class TurkishSortedName:
    """A model listed by its ``name`` in Turkish alphabetical order (ç after c, ı before i, İ
    with i): ``sort_name``, the name's ``biys.core.text.sort_key``, written on every save (an
    update of the name through ``update_fields`` writes it too)."""

    def save(self, *args, **kwargs):
        self.sort_name = sort_key(self.name, 100)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)


class VRF(TurkishSortedName, ChangeLoggedModel):
    """A separate address space (virtual routing and forwarding table): a subnet or an address in
    a VRF is unique within it only, so overlapping private ranges (the guest Wi-Fi's
    192.168.1.0/24 beside a social facility's) are recorded side by side. Subnets and addresses
    in no VRF are in the global table. Listed in Turkish alphabetical order (``sort_name``)."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that runs the VRF."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    rd = models.CharField(
        _("route distinguisher"),
        max_length=21,
        blank=True,
        help_text=_("As configured on the routers, like 65000:10 (optional, unique)."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_name = models.CharField(max_length=200, editable=False, default="", db_index=True)

    scope_path = "unit"

    class Meta:
        ordering = ["sort_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rd"], condition=~models.Q(rd=""), name="inventory_vrf_rd_once"
            )
        ]
        verbose_name = _("VRF")
        verbose_name_plural = _("VRFs")

    def __str__(self) -> str:
        return self.name


class VLANStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RESERVED = "reserved", _("Reserved")
    DEPRECATED = "deprecated", _("Being retired")


class VLANGroup(TurkishSortedName, ChangeLoggedModel):
    """A named group of VLANs (a site's or a campus's switches) with the range of VLAN IDs it
    uses: a VLAN in the group has its VLAN ID once in it and within the range, so two sites of
    one unit may number their VLANs alike. It may name the site (a location of the register:
    building, floor, room) whose switches use it. Its VLANs keep it (it cannot be deleted while
    it holds one). Listed in Turkish alphabetical order (``sort_name``)."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that runs the group's VLANs; a group's name is used once in a unit."),
    )
    name = models.CharField(_("name"), max_length=100)
    min_vid = models.PositiveSmallIntegerField(
        _("lowest VLAN ID"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(4094)],
    )
    max_vid = models.PositiveSmallIntegerField(
        _("highest VLAN ID"),
        default=4094,
        validators=[MinValueValidator(1), MaxValueValidator(4094)],
    )
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=pgettext_lazy("network", "site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vlan_groups",
        help_text=_("The building or room whose switches use the group's VLANs (optional)."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_name = models.CharField(max_length=200, editable=False, default="", db_index=True)

    scope_path = "unit"

    class Meta:
        ordering = ["sort_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"], name="inventory_vlangroup_once_in_unit"
            )
        ]
        verbose_name = _("VLAN group")
        verbose_name_plural = _("VLAN groups")

    def __str__(self) -> str:
        return self.name

    @property
    def vid_range(self) -> str:
        return f"{self.min_vid}–{self.max_vid}"


class VLAN(ChangeLoggedModel):
    """A VLAN (IEEE 802.1Q): its number (VID, 1-4094) once in its VLAN group, within the group's
    range, or, in no group, once among the group-less VLANs of the unit that runs it; a name and
    a status. Subnets and device ports name it; it cannot be deleted while they do."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The unit that runs the VLAN: only users whose roles cover this unit see it or, as "
            "their role allows, change it, and only the ports of its devices and of its "
            "sub-units' devices carry it. Outside a VLAN group, a VLAN ID is used once in a unit."
        ),
    )
    vid = models.PositiveSmallIntegerField(
        _("VLAN ID"),
        validators=[MinValueValidator(1), MaxValueValidator(4094)],
        help_text=_("From 1 to 4094, as configured on the switches."),
    )
    group = models.ForeignKey(
        VLANGroup,
        verbose_name=_("VLAN group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vlans",
        help_text=_("A VLAN ID is used once in its group and within the group's range."),
    )
    name = models.CharField(_("name"), max_length=64)
    status = models.CharField(
        _("status"), max_length=12, choices=VLANStatus.choices, default=VLANStatus.ACTIVE
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    scope_path = "unit"

    class Meta:
        ordering = ["vid", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "vid"],
                condition=models.Q(group__isnull=True),
                name="inventory_vlan_once_in_unit",
            ),
            models.UniqueConstraint(
                fields=["group", "vid"],
                condition=models.Q(group__isnull=False),
                name="inventory_vlan_once_in_group",
            ),
        ]
        verbose_name = _("VLAN")
        verbose_name_plural = _("VLANs")

    def __str__(self) -> str:
        return f"{self.vid} {self.name}".strip()


class NetworkDevice(TurkishSortedName, SearchableModel, ChangeLoggedModel):
    """A device of the network, with or without the fixed asset it is on the register. Listed by
    host name in Turkish alphabetical order (``sort_name``)."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that runs the device."),
    )
    name = models.CharField(_("host name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=15, choices=DeviceKind.choices)
    asset = models.OneToOneField(
        "inventory.Asset",
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_device",
        help_text=_("The fixed asset of the register this device is, when it is registered."),
    )
    manufacturer = models.CharField(_("manufacturer"), max_length=150, blank=True)
    model = models.CharField(
        pgettext_lazy("hardware", "model"),
        max_length=150,
        blank=True,
        help_text=_("Taken from the asset's model when left empty. Fault statistics group by it."),
    )
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    management_ip = models.CharField(
        _("management address"),
        max_length=45,
        blank=True,
        help_text=_("Recorded among the IP addresses too, so it cannot be given out twice."),
    )
    management_vrf = models.ForeignKey(
        VRF,
        verbose_name=_("management VRF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The VRF of the management address; empty for the global table."),
    )
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True)
    firmware = models.CharField(_("firmware version"), max_length=100, blank=True)
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_devices",
    )
    rack = models.CharField(_("rack"), max_length=60, blank=True)
    rack_unit = models.PositiveSmallIntegerField(
        _("rack unit"), null=True, blank=True, help_text=_("The lowest unit (U) it occupies.")
    )
    notes = models.TextField(_("notes"), blank=True)
    sort_name = models.CharField(max_length=200, editable=False, default="", db_index=True)

    scope_path = "unit"
    search_fields = ("name", "serial_number", "management_ip", "mac_address", "model")

    class Meta:
        ordering = ["sort_name", "pk"]
        indexes = [models.Index(fields=["unit", "kind"], name="inventory_netdev_unit_kind")]
        verbose_name = _("network device")
        verbose_name_plural = _("network devices")

    def __str__(self) -> str:
        return self.name


class PortMode(models.TextChoices):
    """How a port carries VLANs (IEEE 802.1Q), as NetBox names the modes."""

    ACCESS = "access", _("Access")
    TAGGED = "tagged", _("Tagged (trunk)")
    TAGGED_ALL = "tagged-all", _("Tagged, all VLANs")


class DevicePort(ChangeLoggedModel):
    """A port (interface) of a network device and what is plugged into it, and the VLANs it
    carries, after NetBox's interfaces: its mode (access, tagged, tagged with every VLAN), its
    untagged VLAN (an access port's VLAN, a trunk's native VLAN) and, in tagged mode only, its
    tagged VLANs. The VLANs are of the device's unit or a unit above it (``network_services``
    checks it)."""

    device = models.ForeignKey(
        NetworkDevice,
        verbose_name=_("device"),
        on_delete=models.CASCADE,
        related_name="ports",
    )
    name = models.CharField(_("port"), max_length=64, help_text=_("As the device names it."))
    speed_mbps = models.PositiveIntegerField(_("speed (Mbit/s)"), null=True, blank=True)
    mode = models.CharField(
        _("802.1Q mode"),
        max_length=10,
        choices=PortMode.choices,
        default=PortMode.ACCESS,
        help_text=_(
            "Access: the untagged VLAN only. Tagged: the untagged (native) VLAN and the tagged "
            "VLANs chosen. Tagged, all VLANs: every VLAN the device may carry."
        ),
    )
    vlan = models.ForeignKey(
        VLAN,
        verbose_name=_("untagged VLAN"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ports",
        help_text=_(
            "The access VLAN of an access port, the native VLAN of a trunk: a VLAN of the "
            "device's unit or of a unit above it and, when its VLAN group names a site, of a "
            "device within that site."
        ),
    )
    tagged_vlans = models.ManyToManyField(
        VLAN,
        verbose_name=_("tagged VLANs"),
        blank=True,
        related_name="tagged_ports",
        help_text=_(
            "Only on a port in tagged mode: VLANs of the device's unit or of a unit above it "
            "and, when their VLAN group names a site, of a device within that site; not the "
            "untagged VLAN again, and one VLAN of each VLAN ID."
        ),
    )
    connected_to = models.CharField(
        _("connected to"),
        max_length=200,
        blank=True,
        help_text=_("The device, patch panel port or outlet at the other end of the cable."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    scope_path = "device__unit"

    class Meta:
        ordering = ["device__sort_name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["device", "name"], name="inventory_port_once")
        ]
        verbose_name = _("device port")
        verbose_name_plural = _("device ports")

    def __str__(self) -> str:
        return f"{self.device} {self.name}"


class Subnet(ChangeLoggedModel):
    """An IP prefix (``10.12.0.0/24``); subnets may nest, an address belongs to the narrowest."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that plans and gives out the subnet's addresses."),
    )
    vrf = models.ForeignKey(
        VRF,
        verbose_name=_("VRF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subnets",
        help_text=_("Empty for the global table."),
    )
    prefix = models.CharField(_("prefix"), max_length=50)
    vlan = models.ForeignKey(
        VLAN,
        verbose_name=_("VLAN"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subnets",
    )
    gateway = models.CharField(_("gateway"), max_length=45, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    family = models.PositiveSmallIntegerField(editable=False, default=4)
    prefix_length = models.PositiveSmallIntegerField(editable=False, default=0)
    start_key = models.CharField(max_length=34, editable=False, default="", db_index=True)
    end_key = models.CharField(max_length=34, editable=False, default="")

    scope_path = "unit"

    class Meta:
        ordering = ["start_key", "prefix_length", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefix"],
                condition=models.Q(vrf__isnull=True),
                name="inventory_subnet_once_global",
            ),
            models.UniqueConstraint(fields=["vrf", "prefix"], name="inventory_subnet_once_in_vrf"),
        ]
        verbose_name = _("subnet")
        verbose_name_plural = _("subnets")

    def __str__(self) -> str:
        return f"{self.prefix} {self.description}".strip()

    @property
    def size(self) -> int:
        """Addresses that can be given out: without the network and broadcast addresses of an
        IPv4 subnet larger than /31."""
        bits = (32 if self.family == 4 else 128) - self.prefix_length
        total = 2**bits
        return total - 2 if self.family == 4 and bits >= 2 else total


class IPAssignment(ChangeLoggedModel):
    """An address given out: to a network device, or to a host named in free text. Its subnet
    is found from the address; an address in no subnet is flagged."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that gave the address out."),
    )
    vrf = models.ForeignKey(
        VRF,
        verbose_name=_("VRF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        help_text=_("Empty for the global table."),
    )
    address = models.CharField(_("IP address"), max_length=45)
    subnet = models.ForeignKey(
        Subnet,
        verbose_name=_("subnet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        editable=False,
    )
    device = models.ForeignKey(
        NetworkDevice,
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="addresses",
    )
    host = models.CharField(
        _("host"),
        max_length=150,
        blank=True,
        help_text=_("Who uses the address when it is not a network device (a printer, a PC)."),
    )
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AddressStatus.choices, default=AddressStatus.ACTIVE
    )
    notes = models.TextField(_("notes"), blank=True)
    family = models.PositiveSmallIntegerField(editable=False, default=4)
    sort_key = models.CharField(max_length=34, editable=False, default="", db_index=True)

    scope_path = "unit"

    class Meta:
        ordering = ["sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["address"],
                condition=models.Q(vrf__isnull=True),
                name="inventory_address_once_global",
            ),
            models.UniqueConstraint(
                fields=["vrf", "address"], name="inventory_address_once_in_vrf"
            ),
        ]
        verbose_name = _("IP address")
        verbose_name_plural = _("IP addresses")

    def __str__(self) -> str:
        return self.address

    @property
    def outside_subnets(self) -> bool:
        return self.subnet_id is None


class AddressHolding(ChangeLoggedModel):
    """Who held an address of a VRF (or the global table) from when to when: opened when the
    address is given out or passes to another holder, closed when it passes on or is freed.
    Kept by the address's text, so an address freed and given out again has one history."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that gave the address out."),
    )
    vrf = models.ForeignKey(
        VRF,
        verbose_name=_("VRF"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("IP address"), max_length=45)
    sort_key = models.CharField(max_length=34, editable=False, default="")
    device = models.ForeignKey(
        NetworkDevice,
        verbose_name=_("device"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="address_holdings",
    )
    holder = models.CharField(
        _("held by"), max_length=150, help_text=_("The device's name or the host, as it was then.")
    )
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AddressStatus.choices)
    started_at = models.DateTimeField(_("from"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given out by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_path = "unit"

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["address", "vrf", "-started_at"], name="inventory_holding_address")
        ]
        verbose_name = _("address holding")
        verbose_name_plural = _("address history")

    def __str__(self) -> str:
        return f"{self.address} · {self.holder}"
