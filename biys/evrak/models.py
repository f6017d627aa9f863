"""Incoming documents (gelen evrak) and the e-Yazışma packages they arrive in.

An ``IncomingDocument`` is a row of the registry: a yearly registry number and date, the
sender (a public institution with its DETSİS number, a company with its VKN/MERSİS number, or a
person with a TC kimlik number, masked and view-logged), the sender's own sayı and date, the
subject, the SDP code, confidentiality and urgency, and the receiving unit, which owns it.
Documents marked Gizli or Çok Gizli are visible only to the people named on them
(``named_readers``), never through a unit-wide role. An ``IncomingPackage`` is the .eyp it
came in, kept whole, with the list of its parts and the result of the checks it passed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.models import ChangeLoggedModel
from biys.core.querysets import RestrictedQuerySet
from biys.evrak.choices import NAMED_ONLY, Channel, Confidentiality, SenderKind, Urgency
from biys.evrak.validators import (
    validate_detsis_no,
    validate_mersis_no,
    validate_sdp_code,
    validate_vkn,
)
from biys.org.validators import mask_tc_kimlik_no, validate_tc_kimlik_no


class SdpCode(ChangeLoggedModel):
    """A code of the Standart Dosya Planı: data the institution loads, never code."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[validate_sdp_code])
    title = models.CharField(_("title"), max_length=300)
    is_sample = models.BooleanField(
        _("sample"),
        default=False,
        help_text=_("Shipped as an example: check it against the State Archives' list."),
    )
    active = models.BooleanField(_("active"), default=True)

    scope_path = None  # one plan for the whole municipality
    visible_to_all_staff = True

    class Meta:
        ordering = ["code"]
        verbose_name = _("SDP code")
        verbose_name_plural = _("SDP codes")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class IncomingDocumentQuerySet(RestrictedQuerySet):
    """The unit scope, and on top of it: a Gizli or Çok Gizli document only for the people
    named on it, whatever role they hold (see ``selectors.restrict_documents``)."""

    def restrict(self, user, action: str = "view"):
        from biys.evrak.selectors import restrict_documents

        return restrict_documents(self, user, action)


class IncomingDocument(ChangeLoggedModel):
    number = models.CharField(_("registry number"), max_length=30, unique=True, editable=False)
    registered_at = models.DateTimeField(_("registry date"), default=timezone.now, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"), editable=False, db_index=True)
    channel = models.CharField(
        _("arrived as"), max_length=10, choices=Channel.choices, default=Channel.PAPER
    )
    receiving_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("receiving unit"),
        on_delete=models.PROTECT,
        related_name="incoming_documents",
    )

    sender_kind = models.CharField(
        _("sender is a"), max_length=20, choices=SenderKind.choices, default=SenderKind.INSTITUTION
    )
    sender_name = models.CharField(_("sender"), max_length=300)
    sender_detsis_no = models.CharField(
        _("DETSİS number"), max_length=14, blank=True, validators=[validate_detsis_no]
    )
    sender_vkn = models.CharField(
        _("tax number (VKN)"), max_length=10, blank=True, validators=[validate_vkn]
    )
    sender_mersis_no = models.CharField(
        _("MERSİS number"), max_length=16, blank=True, validators=[validate_mersis_no]
    )
    sender_tc_kimlik_no = models.CharField(
        _("TC kimlik number"), max_length=11, blank=True, validators=[validate_tc_kimlik_no]
    )
    sender_number = models.CharField(_("sender's number (sayı)"), max_length=100, blank=True)
    sender_date = models.DateField(_("sender's date"), null=True, blank=True)

    subject = models.CharField(_("subject"), max_length=500)
    sdp_code = models.ForeignKey(
        SdpCode,
        verbose_name=_("SDP code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_documents",
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=3,
        choices=Confidentiality.choices,
        default=Confidentiality.NONE,
    )
    urgency = models.CharField(
        _("urgency"), max_length=3, choices=Urgency.choices, default=Urgency.NORMAL
    )
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("For a Günlüdür document: the day by which it must be answered."),
    )
    notes = models.TextField(_("notes"), blank=True)
    belge_id = models.CharField(
        _("e-Yazışma document id"),
        max_length=36,
        blank=True,
        editable=False,
        help_text=_("The BelgeId of the package it arrived in."),
    )
    named_readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named readers"),
        blank=True,
        related_name="+",
        help_text=_("Gizli and Çok Gizli documents are shown to these people only."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = IncomingDocumentQuerySet.as_manager()

    scope_path = "receiving_unit"
    # The scan and the package's parts carry the sender's data: those who may see the
    # sender's identity read them too.
    changelog_mask = ("sender_tc_kimlik_no",)
    personal_fields = ("sender_tc_kimlik_no",)
    personal_subject_field = "sender_tc_kimlik_no"

    class Meta:
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["receiving_unit", "registered_at"]),
            models.Index(fields=["year", "receiving_unit"]),
            models.Index(fields=["sender_number"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["belge_id"],
                condition=~Q(belge_id=""),
                name="evrak_incoming_unique_belge_id",
            )
        ]
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        permissions = [
            ("reveal_sender_data", _("Can view an incoming document's unmasked sender data")),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.subject}"

    @property
    def masked_tc_kimlik_no(self) -> str:
        return mask_tc_kimlik_no(self.sender_tc_kimlik_no or "")

    @property
    def is_named_only(self) -> bool:
        return self.confidentiality in NAMED_ONLY

    @property
    def sender_identifier(self) -> str:
        """What identifies the sender, masked where it is personal data."""
        if self.sender_kind == SenderKind.INSTITUTION:
            return f"DETSİS {self.sender_detsis_no}" if self.sender_detsis_no else ""
        if self.sender_kind == SenderKind.COMPANY:
            parts = []
            if self.sender_vkn:
                parts.append(f"VKN {self.sender_vkn}")
            if self.sender_mersis_no:
                parts.append(f"MERSİS {self.sender_mersis_no}")
            return ", ".join(parts)
        return f"TCKN {self.masked_tc_kimlik_no}" if self.sender_tc_kimlik_no else ""


class DocumentReference(models.Model):
    """An ilgi line: a document this one refers to, either one in the registry or another
    institution's document named by its sayı and date."""

    document = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, related_name="references"
    )
    label = models.CharField(_("label"), max_length=5)
    related = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("registered document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referenced_by",
    )
    text = models.CharField(_("reference"), max_length=500, blank=True)

    class Meta:
        ordering = ["document", "label", "id"]
        verbose_name = _("related document (ilgi)")
        verbose_name_plural = _("related documents (ilgi)")

    def __str__(self) -> str:
        return f"{self.label}) {self.related or self.text}"


def package_path(instance, filename: str) -> str:
    return f"evrak/packages/{timezone.now():%Y/%m}/{instance.sha256}.eyp"


class IncomingPackage(models.Model):
    """The .eyp an incoming document arrived in, kept byte for byte, and what its check found."""

    document = models.OneToOneField(
        IncomingDocument, on_delete=models.CASCADE, related_name="package"
    )
    file = models.FileField(_("package"), upload_to=package_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    version = models.CharField(_("e-Yazışma version"), max_length=10, blank=True)
    checks = models.JSONField(_("checks passed"), default=list)
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)

    class Meta:
        verbose_name = _("e-Yazışma package")
        verbose_name_plural = _("e-Yazışma packages")

    def __str__(self) -> str:
        return self.filename


class PackagePart(models.Model):
    """One part of a stored package (its bytes are read from the package file)."""

    package = models.ForeignKey(IncomingPackage, on_delete=models.CASCADE, related_name="parts")
    name = models.CharField(_("part"), max_length=500)
    role = models.CharField(_("role"), max_length=40, blank=True)
    content_type = models.CharField(_("content type"), max_length=150, blank=True)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["package", "id"]
        verbose_name = _("package part")
        verbose_name_plural = _("package parts")

    def __str__(self) -> str:
        return self.name
