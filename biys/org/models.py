import uuid
from datetime import time
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from biys.core.compiled_insert import CompiledInsertModel
from biys.core.models import ChangeLoggedModel
from biys.core.search import SearchableModel
from biys.core.text import sort_key
from biys.org.choices import EmploymentType, MunicipalityKind, PersonStatus, UnitKind
from biys.org.validators import mask_tc_kimlik_no, validate_tc_kimlik_no


class Municipality(ChangeLoggedModel):
    """The one municipality this installation serves."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=MunicipalityKind.choices)
    detsis_no = models.CharField(
        _("DETSİS number"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("A DETSİS number has 8 digits."))],
    )
    office_opens = models.TimeField(_("office opens"), default=partial(time, 8, 30))
    office_closes = models.TimeField(_("office closes"), default=partial(time, 17, 30))
    lunch_starts = models.TimeField(
        _("lunch break starts"), null=True, blank=True, default=partial(time, 12, 30)
    )
    lunch_ends = models.TimeField(
        _("lunch break ends"), null=True, blank=True, default=partial(time, 13, 30)
    )
    half_day_ends = models.TimeField(
        _("half days end at"),
        default=partial(time, 13, 0),
        help_text=_("Eves of bayrams and 28 Ekim are worked until this time."),
    )
    half_day_counts_as_working_day = models.BooleanField(
        _("half days count as working days for deadlines"), default=True
    )
    time_zone = models.CharField(_("time zone"), max_length=50, default="Europe/Istanbul")
    preset = models.SlugField(
        _("preset"), blank=True, help_text=_("The preset it was set up from.")
    )

    visible_to_all_staff = True

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Unit(SearchableModel, ChangeLoggedModel):
    """A unit of the municipality: the IT department, its branches and sections, or a requester."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_it_department = models.BooleanField(_("part of the IT department"), default=False)
    manager_position = models.ForeignKey(
        "org.Position",
        verbose_name=_("manager position"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_units",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    sort_name = models.CharField(max_length=400, editable=False, default="", db_index=True)

    scope_path = "pk"
    visible_to_all_staff = True
    search_fields = ("name", "short_name")

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.pk is not None and self.parent_id is not None:
            parent_path = Unit.objects.filter(pk=self.parent_id).values_list("path", flat=True)
            own_path = Unit.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            if self.parent_id == self.pk or (
                own_path and (parent_path.first() or "").startswith(own_path)
            ):
                raise ValidationError(
                    {"parent": _("A unit cannot be placed under itself or one of its sub-units.")}
                )

    def save(self, *args, **kwargs):
        self.sort_name = sort_key(self.name, 200)
        super().save(*args, **kwargs)
        from biys.org.services import refresh_unit_paths

        refresh_unit_paths(self)

    def ancestors(self):
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        by_id = Unit.objects.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def subtree(self):
        return Unit.objects.filter(path__startswith=self.path)


class Title(ChangeLoggedModel):
    """A staff title (unvan): Mühendis, Tekniker, Şef, Şube Müdürü, ..."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    visible_to_all_staff = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("title")
        verbose_name_plural = _("titles")

    def __str__(self) -> str:
        return self.name


class Position(ChangeLoggedModel):
    """A post in a unit (kadro), held by at most one person at a time."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="positions"
    )
    name = models.CharField(_("name"), max_length=150)
    title = models.ForeignKey(
        Title, verbose_name=_("title"), on_delete=models.PROTECT, null=True, blank=True
    )
    holder = models.ForeignKey(
        "org.Person",
        verbose_name=_("holder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positions",
    )
    is_manager = models.BooleanField(_("manager of the unit"), default=False)

    scope_path = "unit"
    visible_to_all_staff = True

    class Meta:
        ordering = ["unit__path", "-is_manager", "name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return f"{self.name} — {self.unit}"


class Person(SearchableModel, ChangeLoggedModel):
    """A member of staff (personel). Personal data is shown masked and every unmasked view logged."""

    # Files on a person (diplomas, reports) are personal data (KVKK): not for all staff.
    attachment_view_perm = "org.view_personal_data"

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    tc_kimlik_no = models.CharField(
        _("TC kimlik number"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_tc_kimlik_no],
    )
    sicil_no = models.CharField(
        _("registry number (sicil)"), max_length=30, unique=True, null=True, blank=True
    )
    employment_type = models.CharField(
        _("employment type"), max_length=20, choices=EmploymentType.choices
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    title = models.ForeignKey(
        Title, verbose_name=_("title"), on_delete=models.PROTECT, null=True, blank=True
    )
    email = models.EmailField(_("e-mail"), blank=True)
    work_phone = models.CharField(_("work phone"), max_length=30, blank=True)
    mobile_phone = models.CharField(_("mobile phone"), max_length=30, blank=True)
    address = models.TextField(_("home address"), blank=True)
    location = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("Building, floor, room.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    sort_name = models.CharField(max_length=400, editable=False, default="", db_index=True)

    scope_path = "unit"
    visible_to_all_staff = True
    search_fields = ("first_name", "last_name", "sicil_no", "email", "title__name")
    search_index = True
    changelog_mask = ("tc_kimlik_no", "mobile_phone", "address")
    personal_fields = ("tc_kimlik_no", "mobile_phone", "address")
    personal_subject_field = "tc_kimlik_no"

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("view_personal_data", _("Can view unmasked personal data"))]
        indexes = [models.Index(fields=["unit", "sort_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_tc_kimlik_no(self) -> str:
        return mask_tc_kimlik_no(self.tc_kimlik_no or "")

    def save(self, *args, **kwargs):
        self.sort_name = sort_key(f"{self.last_name} {self.first_name}", 200)
        super().save(*args, **kwargs)


def regulation_file_path(instance, filename: str) -> str:
    """A random stored name; the uploader's file name is kept in ``source_filename``."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"regulations/{uuid.uuid4().hex}.{extension}"


class Regulation(ChangeLoggedModel):
    """The council's regulation (görev yönetmeliği / yönergesi) that defines the department."""

    title = models.CharField(_("title"), max_length=300)
    council_decision_no = models.CharField(_("council decision number"), max_length=50, blank=True)
    council_decision_date = models.DateField(_("council decision date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    repeals = models.CharField(_("repeals"), max_length=300, blank=True)
    repealed_regulation = models.ForeignKey(
        "self",
        verbose_name=_("repealed regulation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    source_text = models.TextField(_("source text"), blank=True)
    source_file = models.FileField(
        _("original file"), upload_to=regulation_file_path, max_length=255, blank=True
    )
    source_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    is_in_force = models.BooleanField(_("in force"), default=True)

    visible_to_all_staff = True

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")

    def __str__(self) -> str:
        return self.title


class Article(ChangeLoggedModel):
    regulation = models.ForeignKey(
        Regulation, verbose_name=_("regulation"), on_delete=models.CASCADE, related_name="articles"
    )
    number = models.PositiveIntegerField(_("number"))
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    part = models.CharField(_("part"), max_length=200, blank=True, help_text=_("BÖLÜM heading"))
    text = models.TextField(_("text"), blank=True)

    visible_to_all_staff = True

    class Meta:
        ordering = ["regulation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["regulation", "number"], name="unique_article_number")
        ]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return f"MADDE {self.number} — {self.heading}" if self.heading else f"MADDE {self.number}"


class Paragraph(ChangeLoggedModel):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="paragraphs"
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    visible_to_all_staff = True

    class Meta:
        ordering = ["article", "order"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")

    def __str__(self) -> str:
        return f"{self.article.number} ({self.number})" if self.number else str(self.article.number)


class DutyCategory(ChangeLoggedModel):
    """A tag over duties: 'network', 'e-signature', 'procurement', ..."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    color = models.CharField(_("colour"), max_length=20, default="blue")

    visible_to_all_staff = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("duty category")
        verbose_name_plural = _("duty categories")

    def __str__(self) -> str:
        return self.name


class Duty(SearchableModel, ChangeLoggedModel):
    """An item of the regulation (bent) that gives a unit a duty, verbatim, with its reference.

    A duty an amended regulation no longer contains is retired, never deleted: tickets and
    documents that cite it keep their link."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In force")
        RETIRED = "retired", _("Retired")

    paragraph = models.ForeignKey(
        Paragraph, verbose_name=_("paragraph"), on_delete=models.CASCADE, related_name="duties"
    )
    label = models.CharField(
        _("item"), max_length=10, blank=True, help_text=_("a, b, c, ç, ... or empty")
    )
    text = models.TextField(_("text"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="duties"
    )
    categories = models.ManyToManyField(
        DutyCategory, verbose_name=_("categories"), blank=True, related_name="duties"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    reference = models.CharField(_("reference"), max_length=60, editable=False, default="")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )

    scope_path = "unit"
    visible_to_all_staff = True
    search_fields = ("text", "reference", "unit__name")

    class Meta:
        ordering = ["paragraph__article__number", "paragraph__order", "order"]
        verbose_name = _("duty")
        verbose_name_plural = _("duties")

    def __str__(self) -> str:
        return self.reference

    def build_reference(self) -> str:
        article = self.paragraph.article
        parts = [f"MADDE {article.number}"]
        if self.paragraph.number:
            parts.append(f"({self.paragraph.number})")
        if self.label:
            parts.append(self.label)
        return " ".join(parts)

    def save(self, *args, **kwargs):
        self.reference = self.build_reference()
        super().save(*args, **kwargs)


class RegulationDraft(ChangeLoggedModel):
    """A regulation text drafted by the importer, reviewed by an administrator before it is
    confirmed into the organisation. ``data`` is ``biys.org.importer.RegulationDraft.to_dict()``
    as the administrator has corrected it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONFIRMED = "confirmed", _("Confirmed")
        DISCARDED = "discarded", _("Discarded")

    title = models.CharField(_("title"), max_length=300)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Administrators of this unit may review and confirm the draft."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source_text = models.TextField(_("source text"))
    source_file = models.FileField(
        _("original file"), upload_to=regulation_file_path, max_length=255, blank=True
    )
    source_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    data = models.JSONField(_("draft"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    confirmed_regulation = models.ForeignKey(
        Regulation,
        verbose_name=_("confirmed regulation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drafts",
    )

    scope_path = "unit"
    changelog_exclude = ("source_text", "data")

    class Meta:
        ordering = ["-created"]
        verbose_name = _("regulation draft")
        verbose_name_plural = _("regulation drafts")
        # Only the importer's own permission: a chief's add_* must not let them reshape the
        # organisation from a text.
        default_permissions = ()
        permissions = [("import_regulation", _("Can import a regulation from its text"))]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.DRAFT


class UnitResponsibilityPeriod(CompiledInsertModel):
    """Which unit held a case (a ticket, an application), from when to when: append-only, the
    open row has no end. A concrete model adds the case's foreign key, its ordering and the
    constraint of one open row per case."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
