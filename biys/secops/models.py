"""Vulnerability findings (issue 12, kocaeli MADDE 4 z, cc, çç): scanner reports imported in
their real formats, findings deduplicated across imports, their lifecycle and remediation
targets.

A ``Finding`` is one weakness on one asset: the same host (IP address, host name, image or
URL as the scanner names it), the same component, the same CVEs (or, without a CVE, the same
scanner rule) on the same port and protocol is the same finding whichever import brings it
(``dedup_key``). Its responsible unit is the unit owning the asset when the asset register
knows the address (``biys.core.assets``), otherwise the unit the report was imported for.
Access follows that unit.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from biys.core.models import ChangeLoggedModel
from biys.core.querysets import RestrictedQuerySet
from biys.secops.choices import Format, ImportStatus, Severity, State


def holds_over_it_department(user, perm: str) -> bool:
    """Does ``user`` hold ``perm`` everywhere, or over every unit of the IT department (the
    SOME lead's usual assignment: the department with its sub-units)?"""
    from biys.core.access import get_scope, holds_everywhere
    from biys.org.models import Unit

    if user is None or not user.is_authenticated:
        return False
    scope = get_scope(user)
    if holds_everywhere(scope, perm):
        return True
    held = scope.units_for(perm)
    if not held:
        return False
    department = set(Unit.objects.filter(is_it_department=True).values_list("pk", flat=True))
    return bool(department) and department <= set(held)


class RemediationTargetQuerySet(RestrictedQuerySet):
    """Every member of staff reads the targets; they change for whoever holds the permission
    over the whole IT department (they belong to no unit, so the generic rule would ask for
    the permission over the whole municipality)."""

    def restrict(self, user, action: str = "view"):
        if action != "view" and holds_over_it_department(
            user, f"secops.{action}_remediationtarget"
        ):
            return self.all()
        return super().restrict(user, action)


class RemediationTarget(ChangeLoggedModel):
    """How many days a finding of a severity may stay unfixed (data the SOME lead edits)."""

    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, unique=True
    )
    days = models.PositiveSmallIntegerField(
        _("days to fix"),
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_(
            "Counted from the day the finding is first seen (or reopened). The defaults"
            " 7/30/90/180 are common practice, not a legal rule: set your own."
        ),
    )

    visible_to_all_staff = True

    objects = RemediationTargetQuerySet.as_manager()

    class Meta:
        ordering = ["-severity"]
        verbose_name = _("remediation target")
        verbose_name_plural = _("remediation targets")

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.days}"


def import_path(instance, filename: str) -> str:
    return f"secops/imports/{filename}"


class ScanImport(ChangeLoggedModel):
    """One scanner report imported: the file, its format, the counts and the progress."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="scan_imports",
        help_text=_("Responsible for the findings whose asset the register does not know."),
    )
    file = models.FileField(_("file"), upload_to=import_path, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total = models.PositiveIntegerField(_("entries"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    reopened_count = models.PositiveIntegerField(_("reopened"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    error = models.TextField(_("error"), blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    scope_path = "unit"
    history_hidden = ("progress",)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("scan import")
        verbose_name_plural = _("scan imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_format_display()})"

    def counts(self) -> dict:
        return {
            "created": self.created_count,
            "updated": self.updated_count,
            "reopened": self.reopened_count,
            "skipped": self.skipped_count,
        }


class Finding(ChangeLoggedModel):
    """One weakness on one asset, across every import that found it."""

    dedup_key = models.CharField(_("deduplication key"), max_length=64, unique=True, editable=False)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    host = models.CharField(
        _("scanned asset"), max_length=255, help_text=_("IP address, host name, image or URL.")
    )
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    hostname = models.CharField(_("host name"), max_length=255, blank=True)
    asset_reference = models.CharField(
        _("inventory number"),
        max_length=100,
        blank=True,
        help_text=_("The registered asset the address matched, when the register knows it."),
    )
    port = models.PositiveIntegerField(_("port"), null=True, blank=True)
    protocol = models.CharField(_("protocol"), max_length=20, blank=True)
    component = models.CharField(
        _("component"), max_length=300, blank=True, help_text=_("Package, file or path.")
    )
    scanner = models.CharField(_("scanner"), max_length=20, choices=Format.choices)
    rule_id = models.CharField(_("scanner rule"), max_length=200)
    cves = models.CharField(_("CVE"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=500)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    cvss_score = models.DecimalField(
        _("CVSS score"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    cvss_vector = models.CharField(_("CVSS vector"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    references = models.TextField(_("references"), blank=True)
    evidence = models.TextField(_("scanner output"), blank=True)

    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    first_import = models.ForeignKey(
        ScanImport,
        verbose_name=_("first import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_import = models.ForeignKey(
        ScanImport,
        verbose_name=_("last import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)
    state_note = models.TextField(_("reason"), blank=True)
    due_date = models.DateField(_("fix by"), null=True, blank=True)
    risk_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("risk accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    risk_accepted_until = models.DateField(_("risk accepted until"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("fixed"), null=True, blank=True)
    times_reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    scope_path = "unit"

    class Meta:
        ordering = ["-severity", "-id"]
        indexes = [
            models.Index(fields=["unit", "state", "due_date"]),
            models.Index(fields=["state", "due_date", "id"], name="finding_due_order"),
            models.Index(fields=["severity", "id"], name="finding_severity_order"),
            models.Index(fields=["host"]),
        ]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        permissions = [
            ("accept_risk_finding", _("Can accept the risk of a finding")),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.host}"

    @property
    def cve_list(self) -> list[str]:
        return self.cves.split()

    @property
    def is_active(self) -> bool:
        return self.state in (State.OPEN, State.IN_REMEDIATION, State.REOPENED)
