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
