"""Internet access logs under Law 5651: the sources, the daily files received from them, the
access records parsed from the files, the daily seals (manifest + RFC 3161 timestamp) and the
log of searches made for a court or prosecutor.

Access follows the unit responsible for a source (``LogSource.unit``): records, files and seals
are seen by whoever holds the permission over that unit (the 5651 log officer role, auditors).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from biys.core.models import ChangeLoggedModel
from biys.core.querysets import RestrictedQuerySet
from biys.logs5651.parsers import PARSER_CHOICES


class SourceKind(models.TextChoices):
    DHCP = "dhcp", _("DHCP server (IP distribution)")
    NAT = "nat", _("Firewall / NAT")
    HOTSPOT = "hotspot", _("Hotspot (user logins)")


class RecordKind(models.TextChoices):
    LEASE = "lease", _("IP lease")
    NAT = "nat", _("NAT session")
    LOGIN = "login", _("Hotspot login")


class SealStatus(models.TextChoices):
    NOT_SEALED = "not_sealed", _("Not sealed")
    SEALED = "sealed", _("Sealed")
    FAILED = "failed", _("Failed")


class LogSource(ChangeLoggedModel):
    """A device or service whose logs BİYS keeps: a DHCP server, a firewall, a hotspot."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="log_sources",
        help_text=_("The unit that keeps this source's logs; its days are sealed together."),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_("As rsyslog names the source's folder, e.g. 'merkez-dhcp'."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    parser = models.CharField(_("log format"), max_length=40, choices=PARSER_CHOICES)
    # The device's id in the network inventory, named through ``biys.core.assets`` (the
    # module does not import the inventory, so no foreign key: a device removed from the
    # inventory leaves the id, and the source's page says it is no longer there).
    network_device = models.PositiveIntegerField(
        _("network device"),
        null=True,
        blank=True,
        help_text=_("The device of the network inventory that writes these logs."),
    )
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "unit"

    class Meta:
        ordering = ["name"]
        verbose_name = _("log source")
        verbose_name_plural = _("log sources")

    def __str__(self) -> str:
        return self.name


class LogFile(ChangeLoggedModel):
    """One file received from a source for one day, kept compressed under the data directory
    (``BIYS_LOGS5651_DIR``) exactly as received: lines no parser could read stay in it."""

    source = models.ForeignKey(
        LogSource, verbose_name=_("source"), on_delete=models.PROTECT, related_name="files"
    )
    day = models.DateField(_("day"), db_index=True)
    name = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    gz_path = models.CharField(_("stored file"), max_length=500)
    gz_size = models.BigIntegerField(_("compressed size (bytes)"))
    gz_sha256 = models.CharField(_("SHA-256 of the compressed file"), max_length=64)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    records = models.PositiveIntegerField(_("access records"), default=0)
    records_sha256 = models.CharField(_("SHA-256 of the records"), max_length=64)
    skipped = models.PositiveIntegerField(_("lines without access data"), default=0)
    unreadable = models.PositiveIntegerField(_("unreadable lines"), default=0)
    parsed = models.BooleanField(_("parsed"), default=False)
    received_at = models.DateTimeField(_("received"))
    deleted_at = models.DateTimeField(
        _("deleted after the retention period"),
        null=True,
        blank=True,
        help_text=_("The stored file and its records were deleted then; the seal stays."),
    )

    scope_path = "source__unit"

    class Meta:
        ordering = ["-day", "source__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "sha256"], name="logs5651_unique_file")
        ]
        verbose_name = _("log file")
        verbose_name_plural = _("log files")

    def __str__(self) -> str:
        return f"{self.source} {self.day:%Y-%m-%d} {self.name}"


class AccessRecord(models.Model):
    """Who had an address from when to when: one row per lease, hotspot login or NAT session
    (merged from the file's lines), with the position of the line it came from. Written in bulk
    at ingest and never changed; its integrity is the file's ``records_sha256`` in the sealed
    manifest.

    The two references are not foreign-key constraints in the database: a constraint checks
    every row again (at commit, one lookup per row and key), which took more than the whole
    bulk load of a file. Ingest writes the ids of the file it creates in the same transaction
    (and its source), the ORM still refuses to delete a file or source with records
    (``PROTECT``), and verification reports any record whose file is missing or whose source is
    not its file's (``verification``)."""

    source = models.ForeignKey(
        LogSource,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # searched through the file or the address, never by source alone
    )
    file = models.ForeignKey(
        LogFile,
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        related_name="access_records",
        db_constraint=False,
    )
    kind = models.CharField(_("kind"), max_length=5, choices=RecordKind.choices)
    ip = models.GenericIPAddressField(_("IP address"))
    mac = models.CharField(_("MAC address"), max_length=17, blank=True)
    start = models.DateTimeField(_("start of use"))
    end = models.DateTimeField(_("end of use"), null=True, blank=True)
    identity = models.CharField(_("user"), max_length=150, blank=True)
    hostname = models.CharField(_("host name"), max_length=100, blank=True)
    src_port = models.PositiveIntegerField(_("source port"), null=True, blank=True)
    nat_ip = models.GenericIPAddressField(_("translated address"), null=True, blank=True)
    nat_port = models.PositiveIntegerField(_("translated port"), null=True, blank=True)
    dst_ip = models.GenericIPAddressField(_("destination address"), null=True, blank=True)
    dst_port = models.PositiveIntegerField(_("destination port"), null=True, blank=True)
    line = models.PositiveIntegerField(_("line"))
    offset = models.BigIntegerField(_("byte offset"))

    objects = RestrictedQuerySet.as_manager()
    scope_path = "source__unit"

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            # "Who had IP X at time T": start <= T on the address, then end >= T.
            models.Index(fields=["ip", "start", "end"], name="logs5651_ip_start"),
            models.Index(fields=["nat_ip", "start"], name="logs5651_nat_ip_start"),
        ]
        verbose_name = _("access record")
        verbose_name_plural = _("access records")

    def __str__(self) -> str:
        return f"{self.ip} {self.mac} {self.start:%Y-%m-%d %H:%M:%S}"


class DailySeal(ChangeLoggedModel):
    """A unit's day of files, sealed: the manifest (every file's name, size and SHA-256, and the
    previous day's manifest digest, so the days form a chain), the RFC 3161 request and the
    token the time-stamping authority answered with (verified before it is stored)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="log_seals"
    )
    day = models.DateField(_("day"))
    manifest = models.TextField(_("manifest"))
    manifest_sha256 = models.CharField(_("manifest SHA-256"), max_length=64)
    previous_sha256 = models.CharField(_("previous manifest SHA-256"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SealStatus.choices, default=SealStatus.NOT_SEALED
    )
    tsa_url = models.CharField(_("time-stamping authority"), max_length=300, blank=True)
    tsa_request = models.BinaryField(_("timestamp request"), null=True, blank=True)
    tsa_token = models.BinaryField(_("timestamp token"), null=True, blank=True)
    stamped_at = models.DateTimeField(_("timestamp time"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_retry_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    scope_path = "unit"
    changelog_exclude = ("tsa_request", "tsa_token", "manifest")

    class Meta:
        ordering = ["-day", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="logs5651_unique_seal")]
        verbose_name = _("daily seal")
        verbose_name_plural = _("daily seals")

    def __str__(self) -> str:
        return f"{self.unit} {self.day:%Y-%m-%d}"


class SearchRequest(models.Model):
    """A search of the access records, logged before it is answered: who asked, on which
    request (the prosecutor's letter number), for what."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    user_name = models.CharField(_("user name"), max_length=150)
    request_number = models.CharField(
        _("request number"),
        max_length=100,
        help_text=_("The number of the court's or prosecutor's letter (yazı sayısı)."),
    )
    ip = models.GenericIPAddressField(_("IP address"))
    at = models.DateTimeField(_("time asked about"))
    results = models.PositiveIntegerField(_("records found"), default=0)
    time = models.DateTimeField(_("searched at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-time", "-pk"]
        verbose_name = _("access record search")
        verbose_name_plural = _("access record searches")

    def __str__(self) -> str:
        return f"{self.request_number}: {self.ip} {self.at:%Y-%m-%d %H:%M}"
