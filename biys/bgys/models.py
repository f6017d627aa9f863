"""Information security management (BGYS): control frameworks as data, the criticality
questionnaire answered per asset group, and the Statement of Applicability.

A ``Framework`` (the national Bilgi ve İletişim Güvenliği Rehberi, ISO/IEC 27001:2022, any other
loaded from a data file) is municipality-wide reference data: every member of staff reads it,
only whoever holds the permission over the whole municipality loads or edits it. Its sections,
measures, asset groups and questionnaire are loaded with it and never written one by one,
except the titles and texts of a framework whose texts the installation enters itself (ISO).

An ``Assessment`` is the guide's criticality questionnaire answered for one asset group of a
unit; its score gives the level (1, 2, 3) and so the measures that apply. An
``ApplicabilityEntry`` is a row of the unit's Statement of Applicability: a measure, applicable
or not with the reason, its implementation state, its owner and evidence.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.models import ChangeLoggedModel

LEVEL_CHOICES = [(1, _("Level 1")), (2, _("Level 2")), (3, _("Level 3"))]


class ImplementationState(models.TextChoices):
    """The guide's EK-C.3 scale (tamamen, çoğunlukla, kısmen, hiç)."""

    NOT_ASSESSED = "", _("Not assessed")
    FULLY = "fully", _("Fully implemented")
    MOSTLY = "mostly", _("Mostly implemented")
    PARTLY = "partly", _("Partly implemented")
    NONE = "none", _("Not implemented")


class FrameworkDataModel(ChangeLoggedModel):
    """Reference data of a framework: visible to all staff, owned by no unit."""

    scope_path = None
    visible_to_all_staff = True

    class Meta:
        abstract = True


class Framework(FrameworkDataModel):
    slug = models.SlugField(_("identifier"), max_length=60)
    version = models.CharField(_("version"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=300, blank=True)
    attribution = models.TextField(
        _("attribution"), blank=True, help_text=_("Shown wherever the framework's text is shown.")
    )
    source_url = models.URLField(_("source"), blank=True)
    source_sha256 = models.CharField(_("SHA-256 of the loaded file"), max_length=64, blank=True)
    local_texts = models.BooleanField(
        _("texts entered locally"),
        default=False,
        help_text=_("Only identifiers are shipped: the installation enters titles and texts."),
    )
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="bgys_framework_version")
        ]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class Section(FrameworkDataModel):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(pgettext_lazy("bgys", "title"), max_length=300, blank=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=1)
    position = models.PositiveIntegerField(default=0, editable=False)

    history_hidden = ("position",)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="bgys_section_number")
        ]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class Measure(FrameworkDataModel):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="measures"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="measures"
    )
    number = models.CharField(_("number"), max_length=20)
    level = models.PositiveSmallIntegerField(
        pgettext_lazy("bgys", "level"), choices=LEVEL_CHOICES, null=True, blank=True
    )
    title = models.CharField(pgettext_lazy("bgys", "title"), max_length=400, blank=True)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveIntegerField(default=0, editable=False)

    history_hidden = ("position",)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="bgys_measure_number")
        ]
        indexes = [models.Index(fields=["framework", "level"], name="bgys_measure_level")]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class AssetGroup(FrameworkDataModel):
    """One of the guide's asset group headings (Ağ ve Sistemler, Uygulamalar, ...) and the
    section of measures written for it."""

    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="asset_groups",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    section = models.ForeignKey(
        Section,
        verbose_name=_("measures section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="bgys_assetgroup_number")
        ]
        verbose_name = _("asset group")
        verbose_name_plural = _("asset groups")

    def __str__(self) -> str:
        return self.name


class Question(FrameworkDataModel):
    """A question of the criticality questionnaire, with its options (``Choice``)."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    dimension = models.CharField(_("dimension"), max_length=100)
    text = models.TextField(_("question"))

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="bgys_question_number")
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.number}. {self.dimension}"

    def score_of(self, letter: str) -> int | None:
        for choice in self.options.all():
            if choice.letter == letter:
                return choice.score
        return None


class Choice(FrameworkDataModel):
    """An option of a question (a, b, c, ...) and its points. Its text is a column, not JSON:
    the guide's Turkish text is data wherever it is shown."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    letter = models.CharField(_("letter"), max_length=2)
    text = models.TextField(_("text"))
    score = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        ordering = ["question", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["question", "letter"], name="bgys_choice_letter")
        ]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return f"{self.letter}) {self.text}"


class Assessment(ChangeLoggedModel):
    """The criticality questionnaire answered for one asset group of a unit."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        on_delete=models.PROTECT,
        related_name="assessments",
        editable=False,
    )
    asset_group = models.ForeignKey(
        AssetGroup,
        verbose_name=_("asset group heading"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    name = models.CharField(
        _("asset group"),
        max_length=200,
        help_text=_("The unit's own asset group under the heading (e.g. central office network)."),
    )
    answers = models.JSONField(_("answers"), default=dict, editable=False)
    score = models.PositiveSmallIntegerField(_("score"), default=0, editable=False)
    level = models.PositiveSmallIntegerField(
        _("criticality level"), choices=LEVEL_CHOICES, default=1, editable=False
    )
    assessed_on = models.DateField(_("date"), default=timezone.localdate)
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "unit"

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("criticality assessment")
        verbose_name_plural = _("criticality assessments")

    def __str__(self) -> str:
        return self.name


class ApplicabilityEntry(ChangeLoggedModel):
    """A row of a unit's Statement of Applicability (SoA)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="entries"
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("criticality assessment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        help_text=_("The asset group the entry is for; empty for the whole unit."),
    )
    applicable = models.BooleanField(_("applicable"), default=True)
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the measure applies or, above all, why not.")
    )
    state = models.CharField(
        _("implementation state"),
        max_length=10,
        choices=ImplementationState.choices,
        default=ImplementationState.NOT_ASSESSED,
        blank=True,
    )
    owner = models.ForeignKey(
        "org.Person",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_links = models.TextField(
        _("evidence links"),
        blank=True,
        help_text=_("One link per line: tickets, documents, records of other modules."),
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "unit"

    class Meta:
        ordering = ["unit", "measure__framework", "measure__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "measure", "assessment"],
                name="bgys_entry_per_group",
                condition=Q(assessment__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["unit", "measure"],
                name="bgys_entry_per_unit",
                condition=Q(assessment__isnull=True),
            ),
        ]
        verbose_name = _("SoA entry")
        verbose_name_plural = _("Statement of Applicability")

    def __str__(self) -> str:
        return str(self.measure.number)

    def clean(self):
        super().clean()
        if not self.applicable and not self.reason.strip():
            raise ValidationError({"reason": _("Give the reason a measure does not apply.")})
        if self.assessment_id and self.assessment.unit_id != self.unit_id:
            raise ValidationError({"assessment": _("The assessment belongs to another unit.")})

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]


class MeasureMapping(FrameworkDataModel):
    """A correspondence between measures of two frameworks (an ISO/IEC 27001 Annex A control
    and the guide's measures). Shipped empty; a mapping without a named source is unverified."""

    source = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="mappings"
    )
    target = models.ForeignKey(
        Measure,
        verbose_name=_("corresponding measure"),
        on_delete=models.CASCADE,
        related_name="mapped_from",
    )
    reference = models.CharField(
        _("source of the mapping"),
        max_length=300,
        blank=True,
        help_text=_("Where the correspondence comes from; without it the mapping is unverified."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["source__framework", "source__position", "target__position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="bgys_mapping_pair")
        ]
        verbose_name = _("measure mapping")
        verbose_name_plural = _("measure mappings")

    def __str__(self) -> str:
        return f"{self.source.number} → {self.target.number}"

    @property
    def verified(self) -> bool:
        return bool(self.reference.strip())

    def clean(self):
        super().clean()
        same = self.source_id and self.target_id
        if same and self.source.framework_id == self.target.framework_id:
            raise ValidationError({"target": _("Map a measure to a measure of another framework.")})


# --------------------------------------------------------------------------- assets and risks


class AssetKind(models.TextChoices):
    SYSTEM = "system", _("System")
    APPLICATION = "application", pgettext_lazy("bgys", "Application")
    DATA_SET = "data_set", _("Data set")
    LOCATION = "location", pgettext_lazy("bgys", "Location")
    PERSON = "person", pgettext_lazy("bgys", "Person")
    SUPPLIER = "supplier", _("Supplier")


RATING_CHOICES = [
    (1, _("1 - very low")),
    (2, _("2 - low")),
    (3, _("3 - medium")),
    (4, _("4 - high")),
    (5, _("5 - very high")),
]


class InformationAsset(ChangeLoggedModel):
    """An information asset of a unit (a system, an application, a data set, a location, a
    person, a supplier) with its confidentiality, integrity and availability ratings. The devices
    and software it runs on are the inventory's assets, named by inventory or serial number and
    resolved through ``biys.core.assets`` (BGYS does not import the inventory)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AssetKind.choices)
    asset_group = models.ForeignKey(
        AssetGroup,
        verbose_name=_("asset group heading"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="information_assets",
    )
    owner = models.ForeignKey(
        "org.Person",
        verbose_name=_("asset owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confidentiality = models.PositiveSmallIntegerField(
        _("confidentiality"), choices=RATING_CHOICES, default=3
    )
    integrity = models.PositiveSmallIntegerField(_("integrity"), choices=RATING_CHOICES, default=3)
    availability = models.PositiveSmallIntegerField(
        _("availability"), choices=RATING_CHOICES, default=3
    )
    description = models.TextField(_("description"), blank=True)
    platform_references = models.TextField(
        _("runs on"),
        blank=True,
        help_text=_(
            "Inventory or serial numbers of the devices and software it runs on, one per line."
        ),
    )

    scope_path = "unit"

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["unit", "kind"], name="bgys_infoasset_unit_kind")]
        verbose_name = _("information asset")
        verbose_name_plural = _("information assets")

    def __str__(self) -> str:
        return self.name

    @property
    def criticality(self) -> int:
        """The highest of the three ratings."""
        return max(self.confidentiality, self.integrity, self.availability)

    @property
    def references(self) -> list[str]:
        return [line.strip() for line in self.platform_references.splitlines() if line.strip()]


class CatalogueModel(FrameworkDataModel):
    """A catalogue entry of the risk methodology (threats, vulnerabilities): municipality-wide
    reference data, shipped with a short default list and edited by whoever holds the permission
    over every unit."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Threat(CatalogueModel):
    class Meta(CatalogueModel.Meta):
        verbose_name = _("threat")
        verbose_name_plural = _("threats")


class Vulnerability(CatalogueModel):
    class Meta(CatalogueModel.Meta):
        verbose_name = _("vulnerability")
        verbose_name_plural = _("vulnerabilities")


def _labels(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class Methodology(FrameworkDataModel):
    """A risk methodology: the likelihood and impact scales (one label a line, lowest first; the
    value of a label is its line number) and the risk appetite: a score (likelihood × impact)
    above it is not acceptable without treatment."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    likelihood_labels = models.TextField(
        _("likelihood scale"), help_text=_("One label a line, the lowest first.")
    )
    impact_labels = models.TextField(
        _("impact scale"), help_text=_("One label a line, the lowest first.")
    )
    appetite = models.PositiveSmallIntegerField(
        _("risk appetite"),
        help_text=_("The highest score (likelihood × impact) accepted without treatment."),
    )
    is_default = models.BooleanField(_("default"), default=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("risk methodology")
        verbose_name_plural = _("risk methodologies")

    def __str__(self) -> str:
        return self.name

    @property
    def likelihood_scale(self) -> list[str]:
        return _labels(self.likelihood_labels)

    @property
    def impact_scale(self) -> list[str]:
        return _labels(self.impact_labels)

    @property
    def max_score(self) -> int:
        return len(self.likelihood_scale) * len(self.impact_scale)

    def above_appetite(self, score: int | None) -> bool:
        return score is not None and score > self.appetite

    def clean(self):
        super().clean()
        errors = {}
        for name in ("likelihood_labels", "impact_labels"):
            setattr(self, name, "\n".join(_labels(getattr(self, name))))
            if not 2 <= len(_labels(getattr(self, name))) <= 10:
                errors[name] = _("A scale has 2 to 10 levels, one a line.")
        if not errors and not 1 <= self.appetite < self.max_score:
            errors["appetite"] = _("The appetite is a score from 1 to %(max)s.") % {
                "max": self.max_score - 1
            }
        if errors:
            raise ValidationError(errors)


class Treatment(models.TextChoices):
    NONE = "", _("Not decided")
    REDUCE = "reduce", pgettext_lazy("bgys", "Reduce")
    ACCEPT = "accept", pgettext_lazy("bgys", "Accept")
    TRANSFER = "transfer", pgettext_lazy("bgys", "Transfer")
    AVOID = "avoid", pgettext_lazy("bgys", "Avoid")


class RiskStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("bgys", "Draft")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", pgettext_lazy("bgys", "Approved")


class Risk(ChangeLoggedModel):
    """A risk to an information asset: a threat exploiting a vulnerability, scored with its
    methodology before (inherent) and after (residual) treatment. The treatment is approved by
    the BGYS manager; the SoA measures that reduce the risk are linked to it."""

    asset = models.ForeignKey(
        InformationAsset,
        verbose_name=_("information asset"),
        on_delete=models.PROTECT,
        related_name="risks",
    )
    methodology = models.ForeignKey(
        Methodology, verbose_name=_("risk methodology"), on_delete=models.PROTECT, related_name="+"
    )
    threat = models.ForeignKey(
        Threat, verbose_name=_("threat"), on_delete=models.PROTECT, related_name="risks"
    )
    vulnerability = models.ForeignKey(
        Vulnerability,
        verbose_name=_("vulnerability"),
        on_delete=models.PROTECT,
        related_name="risks",
    )
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    impact = models.PositiveSmallIntegerField(_("impact"))
    inherent_score = models.PositiveSmallIntegerField(
        _("inherent score"), default=0, editable=False
    )
    treatment = models.CharField(
        _("treatment"), max_length=10, choices=Treatment.choices, blank=True, default=""
    )
    treatment_plan = models.TextField(_("treatment plan"), blank=True)
    owner = models.ForeignKey(
        "org.Person",
        verbose_name=_("risk owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(
        _("residual likelihood"), null=True, blank=True
    )
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), null=True, blank=True)
    residual_score = models.PositiveSmallIntegerField(
        _("residual score"), null=True, blank=True, editable=False
    )
    measures = models.ManyToManyField(
        ApplicabilityEntry,
        verbose_name=_("measures that reduce it"),
        blank=True,
        related_name="risks",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RiskStatus.choices,
        default=RiskStatus.DRAFT,
        editable=False,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)

    scope_path = "asset__unit"

    class Meta:
        ordering = ["-inherent_score", "id"]
        permissions = [("approve_risk", _("Can approve a risk's treatment"))]
        indexes = [
            models.Index(fields=["likelihood", "impact"], name="bgys_risk_inherent"),
            models.Index(fields=["status"], name="bgys_risk_status"),
        ]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return f"{self.asset}: {self.threat}"

    @property
    def above_appetite(self) -> bool:
        return self.methodology.above_appetite(self.inherent_score)

    @property
    def residual_above_appetite(self) -> bool:
        return self.methodology.above_appetite(self.residual_score)

    def clean(self):
        super().clean()
        if not self.methodology_id:
            return
        errors = {}
        scales = {
            "likelihood": len(self.methodology.likelihood_scale),
            "impact": len(self.methodology.impact_scale),
            "residual_likelihood": len(self.methodology.likelihood_scale),
            "residual_impact": len(self.methodology.impact_scale),
        }
        for name, top in scales.items():
            value = getattr(self, name)
            if value is not None and not 1 <= value <= top:
                errors[name] = _("Choose a value from 1 to %(top)s.") % {"top": top}
        if (self.residual_likelihood is None) != (self.residual_impact is None):
            errors["residual_impact"] = _("Give both the residual likelihood and impact.")
        if self.treatment and not self.owner_id:
            errors["owner"] = _("A treatment needs an owner.")
        if errors:
            raise ValidationError(errors)


# --------------------------------------------------------------------------- audits
# Internal audits, corrective actions and management reviews live in their own module.
from biys.bgys.audit_models import (  # noqa: E402, F401
    Audit,
    AuditPlan,
    AuditState,
    ChecklistItem,
    ChecklistResult,
    CorrectiveAction,
    CorrectiveState,
    Finding,
    FindingKind,
    ManagementReview,
    ReviewAction,
)

# --------------------------------------------------------------------------- policies
# Policies and procedures, their versions and acknowledgement live in their own module.
from biys.bgys.policy_models import (  # noqa: E402, F401
    Policy,
    PolicyKind,
    PolicyVersion,
    VersionState,
)

# --------------------------------------------------------------------------- third parties
from biys.bgys.third_party_models import (  # noqa: E402, F401
    AgreementState,
    ConfidentialityAgreement,
    ThirdParty,
)

# --------------------------------------------------------------------------- awareness training
from biys.bgys.training_models import (  # noqa: E402, F401
    TrainingAttendance,
    TrainingSession,
)
