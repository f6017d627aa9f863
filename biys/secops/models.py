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
from django.db import models, router, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.models import ChangeLoggedModel
from biys.core.querysets import RestrictedQuerySet
from biys.secops.choices import (
    Classification,
    DetectionSource,
    FindingSource,
    Format,
    ImportStatus,
    IncidentState,
    IndicatorKind,
    RuleCondition,
    Severity,
    State,
    TaskState,
    UsomListFormat,
    UsomListSource,
)


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


class FileImport(ChangeLoggedModel):
    """What every import of an uploaded or fetched file records: the file's name and size, the
    progress of the run (queued, running, done, failed), the entries read and skipped, the
    error, who started it and when it ran."""

    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("entries"), default=0)
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

    class Meta:
        abstract = True


class ScanImport(FileImport):
    """One scanner report imported: the file, its format, the counts and the progress."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="scan_imports",
        help_text=_("Responsible for the findings whose asset the register does not know."),
    )
    file = models.FileField(_("file"), upload_to=import_path, max_length=255, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    reopened_count = models.PositiveIntegerField(_("reopened"), default=0)

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


def pentest_report_path(instance, filename: str) -> str:
    return f"secops/pentests/{filename}"


class PenTest(ChangeLoggedModel):
    """A penetration test (sızma testi, kocaeli MADDE 4 z): who tested what and when, with the
    tester's report file; its findings are typed in by hand and join the same findings as the
    scanners' (deduplicated the same way, the same lifecycle and remediation targets)."""

    title = models.CharField(pgettext_lazy("penetration test", "title"), max_length=300)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="pentests",
        help_text=_("Responsible for the findings whose asset the register does not know."),
    )
    tester = models.CharField(
        _("tester"), max_length=200, help_text=_("The company or team that carried out the test.")
    )
    started_on = models.DateField(pgettext_lazy("penetration test", "started on"))
    ended_on = models.DateField(
        pgettext_lazy("penetration test", "ended on"), null=True, blank=True
    )
    scope = models.TextField(
        pgettext_lazy("penetration test", "scope"),
        blank=True,
        help_text=_("Addresses, applications and the kind of test (black, grey or white box)."),
    )
    report = models.FileField(
        _("report file"), upload_to=pentest_report_path, max_length=255, blank=True
    )
    report_filename = models.CharField(_("report file name"), max_length=255, blank=True)
    report_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_path = "unit"

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("penetration test")
        verbose_name_plural = _("penetration tests")

    def __str__(self) -> str:
        return f"{self.title} ({self.started_on:%d.%m.%Y})"


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
    scanner = models.CharField(_("scanner"), max_length=20, choices=FindingSource.choices)
    pentest = models.ForeignKey(
        PenTest,
        verbose_name=_("penetration test"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        help_text=_("The penetration test that last reported it."),
    )
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
    ticket = models.ForeignKey(
        "servicedesk.Ticket",
        verbose_name=_("remediation ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The service-desk ticket opened for the fix. Closing it does not fix the finding:"
            " the SOME verifies the fix (a later scan, or marking it fixed)."
        ),
    )

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

    def save(self, *args, **kwargs):
        """Save, and move the finding's count in the overdue summary (``due_summary``) from
        the cell of the row as stored (read under lock) to the cell of the row as saved."""
        from biys.secops import due_summary

        fields = kwargs.get("update_fields")
        if fields is not None and not set(fields) & SUMMARY_FIELDS:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(Finding)):
            before = None if self.pk is None else due_summary.stored_cell(self)
            super().save(*args, **kwargs)
            due_summary.apply(due_summary.change(before, due_summary.cell_of(self)))


# What a finding's cell in the overdue summary depends on.
SUMMARY_FIELDS = frozenset({"unit", "unit_id", "severity", "due_date", "state"})


class FindingDueCount(models.Model):
    """The overdue summary: how many findings waiting for a fix (open, in remediation,
    reopened) a unit has of a severity with a date to fix by, kept as findings change
    (``due_summary``). The overdue page sums the cells whose date is before today."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    due_date = models.DateField()
    count = models.IntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "severity", "due_date"], name="unique_finding_due_count"
            )
        ]
        indexes = [
            models.Index(
                fields=["due_date", "unit", "severity", "count"], name="finding_due_count_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.severity} {self.due_date}: {self.count}"


# Incidents (SOME) --------------------------------------------------------------------------


class IncidentQuerySet(RestrictedQuerySet):
    """The SOME (and the auditor, reading) see the incidents of their units by their role;
    the people named on an incident see that incident too, whatever their role."""

    def restrict(self, user, action: str = "view"):
        scoped = super().restrict(user, action)
        if action != "view" or user is None or not user.is_authenticated:
            return scoped
        named = self.filter(named_people=user).values("pk")
        return self.filter(models.Q(pk__in=scoped.values("pk")) | models.Q(pk__in=named))


class Incident(ChangeLoggedModel):
    """A cyber-security incident (kocaeli MADDE 4 v): its detection, classification, the
    units and assets it touches, its state from open to closed, and what was done."""

    number = models.CharField(_("incident number"), max_length=30, unique=True, editable=False)
    title = models.CharField(pgettext_lazy("incident", "title"), max_length=300)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="incidents",
        help_text=_("The unit whose SOME members work the incident (normally the department)."),
    )
    source = models.CharField(_("detected by"), max_length=20, choices=DetectionSource.choices)
    ticket = models.ForeignKey(
        "servicedesk.Ticket",
        verbose_name=_("service-desk ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The ticket the monitoring alert became."),
    )
    source_reference = models.CharField(
        _("source reference"),
        max_length=200,
        blank=True,
        help_text=_("USOM's notice number, the reporter, the alert's name."),
    )
    detected_at = models.DateTimeField(
        _("detected at"), help_text=_("The notification clocks count from this moment.")
    )
    classification = models.CharField(
        _("classification"), max_length=30, choices=Classification.choices
    )
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    personal_data = models.BooleanField(
        _("personal data involved"),
        default=False,
        help_text=_("A personal-data breach starts the KVKK Board's clock."),
    )
    affected_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("affected units"), blank=True, related_name="+"
    )
    affected_assets = models.TextField(
        _("affected assets"),
        blank=True,
        help_text=_("Inventory numbers, host names or addresses, one a line."),
    )
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=IncidentState.choices, default=IncidentState.OPEN
    )
    contained_at = models.DateTimeField(_("contained at"), null=True, blank=True)
    recovered_at = models.DateTimeField(_("recovered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    containment = models.TextField(_("containment steps"), blank=True)
    recovery = models.TextField(_("recovery steps"), blank=True)
    lessons = models.TextField(_("lessons learnt"), blank=True)
    named_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named people"),
        blank=True,
        related_name="+",
        help_text=_("People outside the SOME who may read this incident and its evidence."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_path = "unit"
    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-detected_at", "-id"]
        indexes = [models.Index(fields=["unit", "state"])]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def asset_list(self) -> list[str]:
        return [line.strip() for line in self.affected_assets.splitlines() if line.strip()]


class IncidentEvent(models.Model):
    """One line of an incident's timeline."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="events"
    )
    occurred_at = models.DateTimeField(_("time"))
    text = models.TextField(_("event"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def __str__(self) -> str:
        return self.text[:80]


class IncidentTask(ChangeLoggedModel):
    """A task of an incident's response for one responder: what to do, by when, and its state
    (open, in progress, done, cancelled)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(pgettext_lazy("incident task", "task"), max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("incident task", "assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incident_tasks",
    )
    due = models.DateTimeField(pgettext_lazy("incident task", "due"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=TaskState.choices, default=TaskState.OPEN
    )
    note = models.TextField(
        pgettext_lazy("incident task", "note"), blank=True, help_text=_("What was done.")
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_path = "incident__unit"

    class Meta:
        ordering = ["incident", "due", "id"]
        indexes = [models.Index(fields=["assignee", "state"])]
        verbose_name = _("incident task")
        verbose_name_plural = _("incident tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in (TaskState.OPEN, TaskState.IN_PROGRESS)


class Indicator(models.Model):
    """An indicator of compromise, once per kind and value, shared by every incident it was
    seen in."""

    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    value = models.CharField(_("value"), max_length=500)
    incidents = models.ManyToManyField(
        Incident, verbose_name=_("incidents"), related_name="indicators", blank=True
    )
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    usom_address = models.ForeignKey(
        "UsomAddress",
        verbose_name=_("on USOM's list as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        help_text=_("The entry of USOM's malicious address list the indicator matches."),
    )

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="secops_indicator_unique")
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class NotificationRuleQuerySet(RestrictedQuerySet):
    """Read by all staff; changed by whoever holds the permission over the whole department."""

    def restrict(self, user, action: str = "view"):
        if action != "view" and holds_over_it_department(user, f"secops.{action}_notificationrule"):
            return self.all()
        return super().restrict(user, action)


class NotificationRule(ChangeLoggedModel):
    """Whom an incident must be reported to, and how many hours after its detection. Data:
    the rules change, and the help text names the source of each."""

    authority = models.CharField(pgettext_lazy("notification", "authority"), max_length=200)
    name = models.CharField(pgettext_lazy("notification rule", "name"), max_length=200)
    hours = models.PositiveIntegerField(
        _("deadline (hours)"),
        validators=[MinValueValidator(1), MaxValueValidator(24 * 365)],
        help_text=_("Counted from the incident's detection."),
    )
    applies_when = models.CharField(_("applies to"), max_length=20, choices=RuleCondition.choices)
    source = models.TextField(
        _("source"), help_text=_("The regulation or decision the deadline comes from.")
    )
    active = models.BooleanField(_("active"), default=True)

    visible_to_all_staff = True
    objects = NotificationRuleQuerySet.as_manager()

    class Meta:
        ordering = ["hours", "authority"]
        verbose_name = _("notification rule")
        verbose_name_plural = _("notification rules")

    def __str__(self) -> str:
        return f"{self.authority}: {self.name}"

    def applies_to(self, incident: Incident) -> bool:
        if not self.active:
            return False
        if self.applies_when == RuleCondition.PERSONAL_DATA:
            return incident.personal_data
        if self.applies_when == RuleCondition.SEVERE:
            return incident.severity >= Severity.HIGH
        return True


class Notification(models.Model):
    """What was reported to an authority about an incident, when and by whom."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    rule = models.ForeignKey(
        NotificationRule,
        verbose_name=_("notification rule"),
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    sent_at = models.DateTimeField(_("sent at"))
    reference = models.CharField(
        pgettext_lazy("notification", "reference"),
        max_length=200,
        blank=True,
        help_text=_("The form or message number."),
    )
    content = models.TextField(_("what was sent"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("notification sent")
        verbose_name_plural = _("notifications sent")

    def __str__(self) -> str:
        return f"{self.rule.authority} {self.sent_at:%d.%m.%Y %H:%M}"


def evidence_path(instance, filename: str) -> str:
    return f"secops/evidence/{instance.incident_id}/{filename}"


class Evidence(models.Model):
    """An evidence file of an incident, with its SHA-256 taken on arrival."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.filename


class CustodyEntry(models.Model):
    """The custody log: who added an evidence file and who downloaded it, when."""

    class Action(models.TextChoices):
        ADDED = "added", _("Added")
        DOWNLOADED = "downloaded", _("Downloaded")

    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence file"), on_delete=models.PROTECT, related_name="custody"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("custody entry")
        verbose_name_plural = _("custody log")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%d.%m.%Y %H:%M}"


# Personal-data breaches (KVKK) -------------------------------------------------------------


class Breach(ChangeLoggedModel):
    """The personal-data breach (kişisel veri ihlali) of an incident that involves personal
    data: what the KVKK Board's breach notification form asks for. Its 72-hour clock is the
    incident's own (the notification rule for personal data, counted from the detection), and
    what was sent to the Board is one of the incident's notifications: one clock, one record.
    The KVKK contact person keeps it without seeing the rest of the incident's work."""

    incident = models.OneToOneField(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="breach"
    )
    data_categories = models.TextField(
        _("categories of personal data affected"),
        help_text=_("As the processing inventory names them: identity, contact, health, ..."),
    )
    subject_groups = models.TextField(
        _("data subjects affected"), help_text=_("Employees, applicants, citizens, ...")
    )
    subjects_affected = models.PositiveIntegerField(
        _("people affected (approximately)"), null=True, blank=True
    )
    records_affected = models.PositiveIntegerField(
        _("records affected (approximately)"), null=True, blank=True
    )
    consequences = models.TextField(_("likely consequences"), blank=True)
    measures = models.TextField(_("measures taken or proposed"), blank=True)
    late_reason = models.TextField(
        _("reason for a late notification"),
        blank=True,
        help_text=_("The Board asks why when the notification comes after 72 hours."),
    )
    subjects_notified_at = models.DateTimeField(
        _("data subjects notified at"), null=True, blank=True
    )
    subjects_notification = models.TextField(
        _("how the data subjects were notified"),
        blank=True,
        help_text=_("KVKK md. 12/5: the data subjects are told as soon as reasonably possible."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_path = "incident__unit"

    class Meta:
        ordering = ["-incident__detected_at", "-id"]
        verbose_name = _("personal data breach")
        verbose_name_plural = _("personal data breaches")

    def __str__(self) -> str:
        return str(self.incident.number)


# USOM's malicious address list -------------------------------------------------------------


class HeldAnywhereQuerySet(RestrictedQuerySet):
    """Records of no unit that whoever holds the permission over any unit may see (USOM's list
    is the same for every unit; the SOME and the auditor read it)."""

    def restrict(self, user, action: str = "view"):
        from biys.core.access import get_scope

        if user is None or not user.is_authenticated:
            return self.none()
        perm = f"{self.model._meta.app_label}.{action}_{self.model._meta.model_name}"
        return self.all() if get_scope(user).has_perm(perm) else self.none()


def usom_list_path(instance, filename: str) -> str:
    return f"secops/usom/{filename}"


class UsomListImport(FileImport):
    """One import of USOM's list of malicious addresses (zararlı bağlantılar): uploaded by the
    SOME or fetched on schedule, with what it added, delisted and matched."""

    file = models.FileField(_("file"), upload_to=usom_list_path, max_length=255, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=UsomListFormat.choices)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=UsomListSource.choices,
        default=UsomListSource.UPLOAD,
    )
    complete = models.BooleanField(
        _("the whole list"),
        default=False,
        help_text=_("A whole list delists the addresses it no longer carries; a page does not."),
    )
    added_count = models.PositiveIntegerField(pgettext_lazy("usom list", "added"), default=0)
    known_count = models.PositiveIntegerField(_("already listed"), default=0)
    delisted_count = models.PositiveIntegerField(_("delisted"), default=0)
    match_count = models.PositiveIntegerField(_("indicators matched"), default=0)
    new_match_count = models.PositiveIntegerField(_("new matches"), default=0)

    objects = HeldAnywhereQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("USOM list import")
        verbose_name_plural = _("USOM list imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.created:%d.%m.%Y %H:%M})" if self.created else self.filename


class UsomAddress(models.Model):
    """An address on USOM's list (an IP address, a domain or a URL), once per kind and value;
    ``active`` while the latest whole list still carries it."""

    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    value = models.CharField(_("address"), max_length=500)
    usom_id = models.PositiveBigIntegerField(_("USOM number"), null=True, blank=True)
    category = models.CharField(
        _("category"), max_length=20, blank=True, help_text=_("USOM's code, as it gives it.")
    )
    criticality = models.PositiveSmallIntegerField(_("criticality"), null=True, blank=True)
    listed_at = models.DateTimeField(_("listed by USOM"), null=True, blank=True)
    first_seen = models.DateTimeField(_("first imported"), auto_now_add=True)
    last_import = models.ForeignKey(
        UsomListImport,
        verbose_name=_("last import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    active = models.BooleanField(_("on the list"), default=True)

    objects = HeldAnywhereQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="secops_usomaddress_unique")
        ]
        indexes = [models.Index(fields=["value"], name="usomaddress_value")]
        verbose_name = _("USOM address")
        verbose_name_plural = _("USOM addresses")

    def __str__(self) -> str:
        return self.value
