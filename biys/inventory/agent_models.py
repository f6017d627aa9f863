"""What inventory agents (GLPI Agent, FusionInventory Agent) report: the computers they run on,
their identifying keys and their last inventory, and the reports a person must look at because
their keys point at different records.

A device an agent reports is not a taşınır item by itself: it gets no inventory number. It is
"discovered, not yet registered" until it is linked to an asset of the register (the officer
registers the asset, or an agent's serial number matches one); from then on the agent's reports
update what the asset page shows and the asset's software installations. Imported by
``models.py``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.models import ChangeLoggedModel
from biys.core.search import SearchableModel


class MatchedBy(models.TextChoices):
    UUID = "uuid", _("Hardware UUID")
    SERIAL = "serial", _("Serial number")
    MAC = "mac", _("MAC address")
    DEVICE_ID = "deviceid", _("Agent device id")
    NEW = "new", _("New device")


class AgentDevice(SearchableModel, ChangeLoggedModel):
    """A computer (or printer, network device, phone) an agent reports, with the keys it is
    matched by and what its last inventory said, section by section."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="agent_devices",
        help_text=_(
            "The linked asset's unit; for a device not yet registered, the unit its "
            "agent's tag names or the installation's default."
        ),
    )
    asset = models.OneToOneField(
        "inventory.Asset",
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agent_device",
    )
    name = models.CharField(_("computer name"), max_length=200, blank=True)
    device_id = models.CharField(_("agent device id"), max_length=200, blank=True, db_index=True)
    itemtype = models.CharField(_("device type"), max_length=40, blank=True)
    hardware_uuid = models.CharField(_("hardware UUID"), max_length=64, blank=True, db_index=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True, db_index=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=150, blank=True)
    model = models.CharField(pgettext_lazy("hardware", "model"), max_length=150, blank=True)
    chassis = models.CharField(_("chassis"), max_length=60, blank=True)
    cpu = models.CharField(_("processor"), max_length=200, blank=True)
    cpu_cores = models.PositiveIntegerField(_("processor cores"), null=True, blank=True)
    memory_mb = models.PositiveIntegerField(_("memory (MB)"), null=True, blank=True)
    disks = models.JSONField(_("disks"), default=list, blank=True)
    volumes = models.JSONField(_("volumes"), default=list, blank=True)
    os_name = models.CharField(_("operating system"), max_length=200, blank=True)
    os_version = models.CharField(_("operating system version"), max_length=100, blank=True)
    os_arch = models.CharField(_("architecture"), max_length=40, blank=True)
    interfaces = models.JSONField(_("network interfaces"), default=list, blank=True)
    monitors = models.JSONField(_("monitors"), default=list, blank=True)
    printers = models.JSONField(_("printers"), default=list, blank=True)
    software = models.JSONField(
        _("software reported"),
        default=list,
        blank=True,
        help_text=_(
            "Kept until the device is linked to an asset: installations are recorded "
            "on assets of the register."
        ),
    )
    agent_version = models.CharField(_("agent version"), max_length=100, blank=True)
    tag = models.CharField(_("agent tag"), max_length=100, blank=True)
    remote_address = models.GenericIPAddressField(_("reported from"), null=True, blank=True)
    matched_by = models.CharField(
        _("last matched by"), max_length=8, choices=MatchedBy.choices, default=MatchedBy.NEW
    )
    last_inventory_at = models.DateTimeField(_("last inventory"), null=True, blank=True)
    last_full_inventory_at = models.DateTimeField(_("last full inventory"), null=True, blank=True)

    scope_path = "unit"
    search_fields = ("name", "serial_number", "hardware_uuid", "manufacturer", "model")
    # Rewritten on every report: the change log keeps who changed the link, not each inventory.
    changelog_exclude = ("software", "disks", "volumes", "interfaces", "monitors", "printers")

    class Meta:
        ordering = ["-last_inventory_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-last_inventory_at"], name="inventory_agentdev_unit"),
        ]
        verbose_name = _("agent device")
        verbose_name_plural = _("agent devices")

    def __str__(self) -> str:
        return self.name or self.serial_number or self.hardware_uuid or str(_("agent device"))

    @property
    def is_registered(self) -> bool:
        return self.asset_id is not None

    @property
    def operating_system(self) -> str:
        """Name, version and architecture; agents often repeat the version in the name
        ("Fedora 31 (Workstation Edition)" with version "31 (Workstation Edition)")."""
        parts = [self.os_name]
        if self.os_version and self.os_version not in self.os_name:
            parts.append(self.os_version)
        if self.os_arch:
            parts.append(f"({self.os_arch})")
        return " ".join(part for part in parts if part)


class AgentMac(models.Model):
    """A physical network interface's MAC address of a device: the third matching key."""

    device = models.ForeignKey(AgentDevice, on_delete=models.CASCADE, related_name="macs")
    mac = models.CharField(_("MAC address"), max_length=17, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "mac"], name="inventory_agentmac_once")
        ]
        verbose_name = _("MAC address")
        verbose_name_plural = _("MAC addresses")

    def __str__(self) -> str:
        return self.mac


class AgentConflict(ChangeLoggedModel):
    """An inventory whose keys point at different records (its hardware UUID at one, its serial
    number at another): nothing was merged; a person decides which record it belongs to. The
    same agent reporting again updates the open conflict instead of adding another."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    device_id = models.CharField(_("agent device id"), max_length=200, blank=True, db_index=True)
    name = models.CharField(_("computer name"), max_length=200, blank=True)
    hardware_uuid = models.CharField(_("hardware UUID"), max_length=64, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    macs = models.JSONField(_("MAC addresses"), default=list, blank=True)
    candidates = models.JSONField(
        _("records it matches"),
        default=list,
        help_text=_("Each record a key found: how (UUID, serial, MAC) and which asset or device."),
    )
    inventory = models.JSONField(_("inventory"), default=dict, editable=False)
    reports = models.PositiveIntegerField(_("reports"), default=1, editable=False)
    first_seen = models.DateTimeField(_("first seen"), editable=False)
    last_seen = models.DateTimeField(_("last seen"), editable=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    resolution = models.CharField(_("resolution"), max_length=200, blank=True, editable=False)

    scope_path = "unit"
    changelog_exclude = ("inventory",)

    class Meta:
        ordering = ["resolved_at", "-last_seen", "-id"]
        indexes = [
            models.Index(fields=["unit", "resolved_at"], name="inventory_agentconf_unit"),
        ]
        verbose_name = _("agent conflict")
        verbose_name_plural = _("agent conflicts")

    def __str__(self) -> str:
        return self.name or self.device_id or str(_("agent conflict"))

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
