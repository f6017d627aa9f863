"""Internal audits of the BGYS (kocaeli MADDE 4: a yearly internal audit and its corrective
actions; the guide's section "Bilgi ve İletişim Güvenliği Denetimi": at least once a year), and
the management review.

An ``AuditPlan`` is a unit's plan for a year; its ``Audit`` rows are the planned audits, each
with its scope, the audited units, the auditors (people) and its period. An audit goes planned
→ in progress → reported → closed. Its checklist (``ChecklistItem``) is drawn from a framework's
measures; each item gets a result. A ``Finding`` (a major or minor nonconformity, an observation,
an opportunity for improvement) names a measure; every nonconformity opens a
``CorrectiveAction`` (DÖF, düzeltici ve önleyici faaliyet) whose due date is counted in working
days on the working calendar, whose effectiveness someone other than its owner verifies before
it is closed.

Who sees what: the audit's unit scopes it like every BGYS record; besides, a person named as an
auditor of an audit reads it (its checklist, evidence, findings and corrective actions) where
their role grants ``bgys.read_assigned_audit`` over the audit's unit: the read-only auditor
role. The owner of a corrective action reads and works on their own action.

Imported at the end of ``biys.bgys.models`` so Django finds these models in the app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.models import ChangeLoggedModel
from biys.core.querysets import RestrictedQuerySet

ASSIGNED_PERM = "bgys.read_assigned_audit"


def assigned_audit_ids(user):
    """The audits ``user`` reads as a named auditor: their person is among the audit's auditors
    and their role grants ``bgys.read_assigned_audit`` over the audit's unit. A subquery."""
    from biys.core.access import get_scope, holds_everywhere

    if user is None or not user.is_authenticated or not getattr(user, "person_id", None):
        return None
    scope = get_scope(user)
    audits = Audit.objects.filter(auditors=user.person_id)
    if not holds_everywhere(scope, ASSIGNED_PERM):
        units = scope.units_for(ASSIGNED_PERM)
        if not units:
            return None
        audits = audits.filter(unit__in=units)
    return audits.order_by().values("pk")


class AuditScopedQuerySet(RestrictedQuerySet):
    """The unit's rule, and for reading also the audits the user is assigned to as an auditor
    (``audit_path`` leads from the model to its audit)."""

    audit_path = "audit"

    def restrict(self, user, action: str = "view"):
        scoped = super().restrict(user, action)
        if action != "view":
            return scoped
        assigned = assigned_audit_ids(user)
        if assigned is None:
            return scoped
        lookup = "pk__in" if self.audit_path == "pk" else f"{self.audit_path}__in"
        return self.filter(Q(pk__in=scoped.values("pk")) | Q(**{lookup: assigned}))


class AuditQuerySet(AuditScopedQuerySet):
    audit_path = "pk"


class AuditChildQuerySet(AuditScopedQuerySet):
    audit_path = "audit"


class CorrectiveActionQuerySet(AuditScopedQuerySet):
    """Also the owner's own actions (read and worked on by the person who owns them)."""

    audit_path = "finding__audit"

    def restrict(self, user, action: str = "view"):
        restricted = super().restrict(user, action)
        person_id = getattr(user, "person_id", None) if user and user.is_authenticated else None
        if action != "view" or not person_id:
            return restricted
        return self.filter(Q(pk__in=restricted.values("pk")) | Q(owner_id=person_id))


class AuditPlan(ChangeLoggedModel):
    """A unit's internal audit plan for a year: the audits planned in it."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(pgettext_lazy("bgys", "title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "unit"

    class Meta:
        ordering = ["-year", "title", "id"]
        verbose_name = _("internal audit plan")
        verbose_name_plural = _("internal audit plans")

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def clean(self):
        super().clean()
        if self.year is not None and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("Give a year between 2000 and 2100.")})


class AuditState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("audit", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("audit", "In progress")
    REPORTED = "reported", pgettext_lazy("audit", "Reported")
    CLOSED = "closed", pgettext_lazy("audit", "Closed")


class Audit(ChangeLoggedModel):
    """An internal audit: what it covers, who audits, when, and its report."""

    plan = models.ForeignKey(
        AuditPlan,
        verbose_name=_("internal audit plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit whose BGYS team runs the audit; it decides who sees it."),
    )
    title = models.CharField(pgettext_lazy("bgys", "title"), max_length=200)
    framework = models.ForeignKey(
        "bgys.Framework",
        verbose_name=_("framework"),
        on_delete=models.PROTECT,
        related_name="audits",
        help_text=_("The checklist is drawn from its measures."),
    )
    scope = models.TextField(_("audit scope"))
    audited_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("audited units"), blank=True, related_name="+"
    )
    lead_auditor = models.ForeignKey(
        "org.Person",
        verbose_name=_("lead auditor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    auditors = models.ManyToManyField(
        "org.Person",
        verbose_name=_("auditors"),
        blank=True,
        related_name="bgys_audits",
        help_text=_("They read the audit, its evidence and findings (the auditor role)."),
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    started_on = models.DateField(_("started on"), null=True, blank=True, editable=False)
    ended_on = models.DateField(_("ended on"), null=True, blank=True, editable=False)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=AuditState.choices,
        default=AuditState.PLANNED,
        editable=False,
    )
    method = models.TextField(
        _("method"), blank=True, help_text=_("How the audit was done: interviews, records, tests.")
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(
        pgettext_lazy("audit", "closed"), null=True, blank=True, editable=False
    )

    scope_path = "unit"

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_start", "-id"]
        permissions = [
            ("read_assigned_audit", _("Can read the audits one is named an auditor of")),
        ]
        indexes = [models.Index(fields=["state", "planned_start"], name="bgys_audit_state")]
        verbose_name = _("internal audit")
        verbose_name_plural = _("internal audits")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("The end comes before the start.")})
        if self.plan_id and self.plan.unit_id != self.unit_id:
            raise ValidationError({"plan": _("The plan belongs to another unit.")})
        if self.plan_id and self.planned_start and self.planned_start.year != self.plan.year:
            raise ValidationError({"planned_start": _("The audit falls outside the plan's year.")})


class ChecklistResult(models.TextChoices):
    NOT_CHECKED = "", _("Not checked")
    CONFORMING = "conforming", _("Conforming")
    NONCONFORMING = "nonconforming", _("Nonconforming")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistItem(ChangeLoggedModel):
    """A measure on an audit's checklist and what the auditors found. Evidence files are
    attachments of the item."""

    audit = models.ForeignKey(
        Audit, verbose_name=_("internal audit"), on_delete=models.CASCADE, related_name="items"
    )
    measure = models.ForeignKey(
        "bgys.Measure",
        verbose_name=_("measure"),
        on_delete=models.PROTECT,
        related_name="checklist_items",
    )
    result = models.CharField(
        _("result"),
        max_length=16,
        choices=ChecklistResult.choices,
        default=ChecklistResult.NOT_CHECKED,
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("What was seen and asked."))
    position = models.PositiveIntegerField(default=0, editable=False)

    scope_path = "audit__unit"
    history_hidden = ("position",)

    objects = AuditChildQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "measure"], name="bgys_checklist_measure")
        ]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return f"{self.audit}: {self.measure.number}"


class FindingKind(models.TextChoices):
    MAJOR = "major", _("Major nonconformity")
    MINOR = "minor", _("Minor nonconformity")
    OBSERVATION = "observation", _("Observation")
    OPPORTUNITY = "opportunity", _("Opportunity for improvement")


NONCONFORMITIES = (FindingKind.MAJOR, FindingKind.MINOR)


class Finding(ChangeLoggedModel):
    """What an audit found about a measure. A nonconformity opens a corrective action."""

    audit = models.ForeignKey(
        Audit, verbose_name=_("internal audit"), on_delete=models.PROTECT, related_name="findings"
    )
    number = models.PositiveIntegerField(_("number"), editable=False, default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=FindingKind.choices)
    measure = models.ForeignKey(
        "bgys.Measure", verbose_name=_("measure"), on_delete=models.PROTECT, related_name="+"
    )
    checklist_item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("checklist item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("audited unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where it was found; the corrective action's unit."),
    )
    description = models.TextField(_("description"))
    evidence = models.TextField(
        _("objective evidence"), blank=True, help_text=_("Records, interviews, observations.")
    )

    scope_path = "audit__unit"

    objects = AuditChildQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "number", "id"]
        indexes = [models.Index(fields=["kind"], name="bgys_finding_kind")]
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")

    def __str__(self) -> str:
        return f"{self.audit} #{self.number}"

    @property
    def is_nonconformity(self) -> bool:
        return self.kind in NONCONFORMITIES

    def clean(self):
        super().clean()
        errors = {}
        if self.checklist_item_id and self.audit_id:
            item = self.checklist_item
            if item.audit_id != self.audit_id:
                errors["checklist_item"] = _("The checklist item belongs to another audit.")
            elif self.measure_id and item.measure_id != self.measure_id:
                errors["measure"] = _("The checklist item is about another measure.")
        if (
            self.measure_id
            and self.audit_id
            and self.measure.framework_id != self.audit.framework_id
        ):
            errors["measure"] = _("Choose a measure of the audit's framework.")
        if errors:
            raise ValidationError(errors)


class CorrectiveState(models.TextChoices):
    OPEN = "open", pgettext_lazy("dof", "Open")
    IMPLEMENTED = "implemented", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    CLOSED = "closed", pgettext_lazy("dof", "Closed")


class CorrectiveAction(ChangeLoggedModel):
    """A corrective action (DÖF) opened by a nonconformity: root cause, actions, owner, a due
    date counted in working days, the verification of its effectiveness, and its closure."""

    finding = models.OneToOneField(
        Finding,
        verbose_name=_("audit finding"),
        on_delete=models.PROTECT,
        related_name="corrective_action",
        editable=False,
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        "org.Person",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    actions = models.TextField(_("actions"), blank=True)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate, editable=False)
    due_working_days = models.PositiveSmallIntegerField(
        _("working days to complete"),
        default=30,
        help_text=_("Counted on the working calendar from the day it was opened."),
    )
    due_date = models.DateField(_("due date"), editable=False, null=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=CorrectiveState.choices,
        default=CorrectiveState.OPEN,
        editable=False,
    )
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True, editable=False)
    implementation_notes = models.TextField(_("what was done"), blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True, editable=False)
    verification_notes = models.TextField(
        _("verification of effectiveness"), blank=True, editable=False
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    closed_at = models.DateTimeField(
        pgettext_lazy("audit", "closed"), null=True, blank=True, editable=False
    )
    overdue_reminded_on = models.DateField(
        _("last overdue reminder"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The day its owner and their manager were last told it is overdue."),
    )

    scope_path = "unit"

    objects = CorrectiveActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        permissions = [
            ("verify_correctiveaction", _("Can verify a corrective action's effectiveness")),
        ]
        indexes = [models.Index(fields=["state", "due_date"], name="bgys_dof_state_due")]
        verbose_name = _("corrective action (DÖF)")
        verbose_name_plural = _("corrective actions (DÖF)")

    def __str__(self) -> str:
        return _("Corrective action %(number)s") % {"number": self.pk or "—"}

    @property
    def is_overdue(self) -> bool:
        return (
            self.state in (CorrectiveState.OPEN, CorrectiveState.IMPLEMENTED)
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )

    def clean(self):
        super().clean()
        if self.due_working_days is not None and not 1 <= self.due_working_days <= 365:
            raise ValidationError({"due_working_days": _("Give from 1 to 365 working days.")})


class ManagementReview(ChangeLoggedModel):
    """A management review of the BGYS (ISO/IEC 27001 clause 9.3): who took part, what was
    reviewed (inputs), what was decided; its actions are ``ReviewAction`` rows."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(pgettext_lazy("bgys", "title"), max_length=200)
    held_on = models.DateField(_("date"))
    participants = models.ManyToManyField(
        "org.Person", verbose_name=_("participants"), blank=True, related_name="+"
    )
    other_participants = models.TextField(
        _("other participants"), blank=True, help_text=_("Those not in the staff list.")
    )
    inputs = models.TextField(
        _("inputs"),
        help_text=_(
            "Audit results, corrective actions, risks, incidents, changes, feedback, objectives."
        ),
    )
    decisions = models.TextField(_("decisions"))
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "unit"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d.%m.%Y})" if self.held_on else self.title


class ReviewAction(ChangeLoggedModel):
    """An action decided in a management review, with its owner and due date."""

    review = models.ForeignKey(
        ManagementReview,
        verbose_name=_("management review"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    description = models.TextField(_("description"))
    owner = models.ForeignKey(
        "org.Person", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "review__unit"

    class Meta:
        ordering = ["review", "due_date", "id"]
        verbose_name = _("review action")
        verbose_name_plural = _("review actions")

    def __str__(self) -> str:
        return self.description[:80]
