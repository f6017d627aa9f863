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
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.models import ChangeLoggedModel, ImapMailbox
from biys.core.querysets import RestrictedQuerySet
from biys.core.search import SearchableModel
from biys.core.text import fold
from biys.evrak.choices import (
    NAMED_ONLY,
    ApprovalEventKind,
    ArchiveState,
    Channel,
    Confidentiality,
    ConfidentialViewKind,
    DispatchChannel,
    DisposalKind,
    DistributionKind,
    FinalDisposition,
    KepEvidenceKind,
    KepEvidenceSource,
    KepSignatureState,
    KepState,
    MailboxKind,
    MailState,
    NumberState,
    OutgoingState,
    RecipientKind,
    RecipientScope,
    RecognitionStatus,
    RoutingKind,
    RoutingState,
    SenderKind,
    SignatureState,
    SignerLevel,
    SmtpSecurity,
    Urgency,
)
from biys.evrak.validators import (
    validate_detsis_no,
    validate_mersis_no,
    validate_sdp_code,
    validate_vkn,
)
from biys.org.models import UnitResponsibilityPeriod
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
    unit_retention_years = models.PositiveSmallIntegerField(
        _("years in the unit archive"),
        null=True,
        blank=True,
        help_text=_("Counted from the end of the year the file closes. Empty: not yet decided."),
    )
    archive_retention_years = models.PositiveSmallIntegerField(
        _("years in the institutional archive"),
        null=True,
        blank=True,
        help_text=_("Counted after the years in the unit archive. Empty: not yet decided."),
    )
    final_disposition = models.CharField(
        _("final disposition"),
        max_length=20,
        choices=FinalDisposition.choices,
        blank=True,
        help_text=_("Destroyed, or handed over to the State Archives, after both periods."),
    )

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


class IncomingDocument(SearchableModel, ChangeLoggedModel):
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
    file = models.ForeignKey(
        "DocumentFile",
        verbose_name=_("file (dosya)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="incoming_documents",
    )
    archive_state = models.CharField(
        _("archive"),
        max_length=12,
        choices=ArchiveState.choices,
        default=ArchiveState.CURRENT,
        editable=False,
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
    # The register's search box and the global search: the registry number, the sender's
    # sayı, the subject, the sender and the text recognised in the scans (``ScanText``).
    search_fields = ("number", "sender_number", "subject", "sender_name")
    search_index = True
    # The scan and the package's parts carry the sender's data: those who may see the
    # sender's identity read them too.
    changelog_mask = ("sender_tc_kimlik_no",)
    personal_fields = ("sender_tc_kimlik_no",)
    personal_subject_field = "sender_tc_kimlik_no"

    # The change log shows a Gizli or Çok Gizli document to those who may not read it as its
    # masked register row shows it: these values only (``biys.core.redaction``).
    history_confidential_shown = (
        "number", "registered_at", "year", "receiving_unit_id", "confidentiality", "urgency",
    )  # fmt: skip

    @classmethod
    def history_unreadable(cls, user, ids, records) -> dict:
        from biys.evrak.selectors import history_unreadable

        return history_unreadable(cls, user, ids, records)

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
            (
                "reveal_sender_data",
                _(
                    "Can view the unmasked personal data of an incoming document's sender"
                    " or an outgoing document's person recipient"
                ),
            ),
            ("route_incomingdocument", _("Can route incoming documents to units (havale)")),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.subject}"

    @property
    def masked_tc_kimlik_no(self) -> str:
        return mask_tc_kimlik_no(self.sender_tc_kimlik_no or "")

    def build_search_text(self) -> str:
        text = super().build_search_text()
        if self.pk is None:
            return text
        recognised = ScanText.objects.filter(document=self, status=RecognitionStatus.DONE)
        words = " ".join(recognised.order_by("pk").values_list("text", flat=True))
        return f"{text} {fold(words)}".strip() if words.strip() else text

    @property
    def is_named_only(self) -> bool:
        return self.confidentiality in NAMED_ONLY

    def on_file_read(self, user, attachment) -> None:
        """A file of a Gizli or Çok Gizli document is logged in its view log."""
        if self.is_named_only:
            from biys.evrak.services import record_confidential_view

            record_confidential_view(
                user=user,
                document=self,
                what=ConfidentialViewKind.FILE,
                detail=getattr(attachment, "filename", ""),
            )

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


class RoutingQuerySet(RestrictedQuerySet):
    """A routing is seen by whoever sees its document (``selectors.restrict_documents``)."""

    def restrict(self, user, action: str = "view"):
        from biys.evrak.selectors import restrict_routings

        return restrict_routings(self, user, action)


class Routing(ChangeLoggedModel):
    """A havale: the document given to a unit for action (gereği) or for information (bilgi),
    with an instruction and a due date on the working calendar; the unit's manager routes it
    on to a person, who records what was done and closes it. One routing for action is open
    per document at a time. For a Gizli or Çok Gizli document the receiver is a named person,
    and it is handed over (``handed_over_at``) until the receiver acknowledges it
    (``received_at``)."""

    document = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="routings",
    )
    kind = models.CharField(
        _("routed for"), max_length=10, choices=RoutingKind.choices, default=RoutingKind.ACTION
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="evrak_routings"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evrak_routings",
    )
    instruction = models.TextField(_("instruction"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    state = models.CharField(
        _("state"), max_length=12, choices=RoutingState.choices, default=RoutingState.OPEN
    )
    routed_at = models.DateTimeField(_("routed"), default=timezone.now)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("routed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("routed on to the person"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("routed on by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    received_at = models.DateTimeField(_("receipt acknowledged"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.TextField(_("what was done"), blank=True)
    # The reply: a signed outgoing document of this installation that cites the document, or
    # only its number (a reply written in another system, an EBYS beside BİYS).
    reply = models.ForeignKey(
        "OutgoingDocument",
        verbose_name=_("reply"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_routings",
    )
    reply_number = models.CharField(
        _("reply (outgoing document number)"), max_length=60, blank=True
    )
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)

    objects = RoutingQuerySet.as_manager()

    scope_path = "unit"

    # A routing of a Gizli document the reader may not read: who had it when, not what for.
    history_parent = "document_id"
    history_confidential_shown = (
        "document_id", "kind", "unit_id", "assignee_id", "due_date", "state", "routed_at",
        "routed_by_id", "assigned_at", "assigned_by_id", "handed_over_at", "received_at",
        "closed_at", "closed_by_id", "reply_id", "reply_number",
    )  # fmt: skip

    class Meta:
        ordering = ["document", "routed_at", "id"]
        indexes = [
            models.Index(fields=["state", "due_date"]),
            models.Index(fields=["assignee", "state"]),
            models.Index(fields=["unit", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(kind="action", state="open"),
                name="evrak_one_open_action_routing",
            )
        ]
        verbose_name = _("routing (havale)")
        verbose_name_plural = _("routings (havale)")
        permissions = [
            ("route_on_routing", _("Can route a document on to a person of the unit")),
        ]

    def __str__(self) -> str:
        return f"{self.document.number} → {self.unit}"

    def get_absolute_url(self) -> str:
        return self.document.get_absolute_url()

    @property
    def is_open(self) -> bool:
        return self.state == RoutingState.OPEN

    @property
    def awaits_receipt(self) -> bool:
        return bool(self.handed_over_at) and self.received_at is None


class DocumentResponsibility(UnitResponsibilityPeriod):
    """Which unit (and, once routed on, which person) held a document for action, from when to
    when: append-only; the open row has no end."""

    document = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["document", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(ended_at__isnull=True),
                name="evrak_one_open_document_responsibility",
            )
        ]
        verbose_name = _("responsibility period")
        verbose_name_plural = _("responsibility periods")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.unit_id} {self.started_at:%Y-%m-%d %H:%M}"


class ScanTextQuerySet(RestrictedQuerySet):
    """The recognised text of a scan is seen by whoever sees its document."""

    def restrict(self, user, action: str = "view"):
        from biys.evrak.selectors import restrict_documents

        documents = restrict_documents(IncomingDocument.objects.all(), user, action)
        return self.filter(document__in=documents)


class ScanText(models.Model):
    """The text recognised (OCR) in one scanned file of a document, in the background: waiting,
    reading, done or failed with the reason. The scan itself is the attachment, which the
    recognition only ever reads: a failure leaves it as it was, to be tried again."""

    document = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="scan_texts",
    )
    attachment = models.OneToOneField(
        "attachments.Attachment",
        verbose_name=_("scan"),
        on_delete=models.CASCADE,
        related_name="evrak_scan_text",
    )
    status = models.CharField(
        _("text recognition"),
        max_length=10,
        choices=RecognitionStatus.choices,
        default=RecognitionStatus.PENDING,
        db_index=True,
    )
    error = models.TextField(_("reason of the failure"), blank=True)
    text = models.TextField(_("recognised text"), blank=True)
    method = models.CharField(_("read by"), max_length=20, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    truncated = models.BooleanField(
        _("only the first pages read"),
        default=False,
        help_text=_("The file has more pages than BIYS_EVRAK_OCR_MAX_PAGES."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ScanTextQuerySet.as_manager()

    scope_path = "document__receiving_unit"

    class Meta:
        ordering = ["document", "pk"]
        verbose_name = _("recognised scan text")
        verbose_name_plural = _("recognised scan texts")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.attachment_id} ({self.status})"

    @property
    def is_busy(self) -> bool:
        return self.status in (RecognitionStatus.PENDING, RecognitionStatus.RUNNING)


class EvrakMailbox(ImapMailbox):
    """An IMAP mailbox whose messages arrive as incoming documents of a unit: an ordinary
    e-mail address or the institution's KEP address (a KEP provider's mailbox is read over
    IMAP). Polled by ``biys.evrak.mail_intake``."""

    kind = models.CharField(
        _("kind"), max_length=10, choices=MailboxKind.choices, default=MailboxKind.KEP
    )
    receiving_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("receiving unit"),
        on_delete=models.PROTECT,
        related_name="evrak_mailboxes",
    )

    # Sending (a KEP account only): the provider's SMTP submission server, with the account's
    # own credentials unless others are given (``biys.evrak.kep``). Empty host: receives only.
    address = models.EmailField(
        _("KEP address"),
        blank=True,
        help_text=_("The address documents are sent from (From), e.g. belediye@hs01.kep.tr."),
    )
    smtp_host = models.CharField(
        _("SMTP host"),
        max_length=200,
        blank=True,
        help_text=_("The KEP provider's SMTP server; empty: this mailbox only receives."),
    )
    smtp_port = models.PositiveIntegerField(_("SMTP port"), default=465)
    smtp_security = models.CharField(
        _("SMTP security"), max_length=10, choices=SmtpSecurity.choices, default=SmtpSecurity.SSL
    )
    smtp_username = models.CharField(
        _("SMTP user name"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the IMAP user name."),
    )
    smtp_password = models.CharField(
        _("SMTP password"), max_length=200, blank=True, help_text=_("Empty: the IMAP password.")
    )

    scope_path = "receiving_unit"
    changelog_exclude = ("password", "smtp_password")

    @property
    def sends(self) -> bool:
        return self.kind == MailboxKind.KEP and bool(self.smtp_host)

    @property
    def from_address(self) -> str:
        return self.address or (self.username if "@" in self.username else "")

    class Meta(ImapMailbox.Meta):
        verbose_name = _("document mailbox (e-mail, KEP)")
        verbose_name_plural = _("document mailboxes (e-mail, KEP)")


def mail_path(instance, filename: str) -> str:
    return f"evrak/mail/{timezone.now():%Y/%m}/{instance.sha256}.eml"


class ReceivedMailQuerySet(RestrictedQuerySet):
    """A received message is for those who register the documents of its mailbox's unit (the
    registry clerk), whatever the action: until registered nobody has judged its
    confidentiality, so a unit's readers do not see it."""

    def restrict(self, user, action: str = "view"):
        from biys.accounts.scope import ALL, get_scope

        if user is None or not user.is_authenticated:
            return self.none()
        units = get_scope(user).units_for("evrak.add_incomingdocument")
        if units is ALL:
            return self
        return self.filter(mailbox__receiving_unit__in=units or [])


class ReceivedMail(models.Model):
    """A message taken from a document mailbox, kept whole (the .eml) with its attachments,
    waiting for the registry clerk to register it as an incoming document (or to import the
    e-Yazışma package a KEP message carries). One row per Message-ID: polling again never
    takes a message twice."""

    mailbox = models.ForeignKey(
        EvrakMailbox, verbose_name=_("mailbox"), on_delete=models.PROTECT, related_name="mails"
    )
    channel = models.CharField(
        _("arrived as"), max_length=10, choices=MailboxKind.choices, default=MailboxKind.KEP
    )
    message_id = models.CharField(_("Message-ID"), max_length=300, unique=True)
    sender_name = models.CharField(_("sender"), max_length=300, blank=True)
    sender_address = models.CharField(_("sender's address"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    body = models.TextField(_("text"), blank=True)
    file = models.FileField(_("message (.eml)"), upload_to=mail_path, max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    package_name = models.CharField(
        _("e-Yazışma package"),
        max_length=255,
        blank=True,
        help_text=_("The .eyp attachment, offered for the package import."),
    )
    problems = models.TextField(_("attachments not kept"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=MailState.choices, default=MailState.WAITING
    )
    document = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("registered as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A KEP provider's delivery evidence (delil) about a document BİYS sent: matched to the
    # sending by the Message-ID it refers to (``biys.evrak.kep.evidence_for``).
    kep_dispatch = models.ForeignKey(
        "evrak.KepDispatch",
        verbose_name=_("evidence of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
    )

    objects = ReceivedMailQuerySet.as_manager()

    scope_path = "mailbox__receiving_unit"

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["state", "received_at"])]
        verbose_name = _("received e-mail or KEP message")
        verbose_name_plural = _("received e-mail and KEP messages")

    def __str__(self) -> str:
        return self.subject or self.message_id

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evrak:receivedmail", kwargs={"pk": self.pk})


# ------------------------------------------------------------------ outgoing documents (giden)


def outgoing_package_path(instance, filename: str) -> str:
    return f"evrak/outgoing/{timezone.now():%Y/%m}/{instance.belge_id}.eyp"


class OutgoingDocumentQuerySet(RestrictedQuerySet):
    """The drafting unit's scope, the author and the people on the approval path; a Gizli or
    Çok Gizli document only for the author and the people on its path (see
    ``selectors.restrict_outgoing``)."""

    def restrict(self, user, action: str = "view"):
        from biys.evrak.selectors import restrict_outgoing

        return restrict_outgoing(self, user, action)


class OutgoingDocument(SearchableModel, ChangeLoggedModel):
    """A document the municipality sends (giden evrak): drafted in a unit, approved along a
    path (paraf) and signed; the sayı ``E-<DETSİS no>-<SDP code>-<record no>`` is given at
    signature. Until then ``number`` is empty."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("drafting unit"),
        on_delete=models.PROTECT,
        related_name="outgoing_documents",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=OutgoingState.choices, default=OutgoingState.DRAFT
    )
    number = models.CharField(_("number (sayı)"), max_length=80, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    record_no = models.PositiveIntegerField(
        _("record number"), null=True, blank=True, editable=False
    )
    subject = models.CharField(_("subject (konu)"), max_length=500)
    sdp_code = models.ForeignKey(
        SdpCode,
        verbose_name=_("SDP code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outgoing_documents",
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
    body = models.TextField(_("text"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_title = models.CharField(
        _("signer's title"),
        max_length=200,
        blank=True,
        help_text=_("Printed under the name in the signature block (e.g. Daire Başkanı)."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True, editable=False)
    belge_id = models.CharField(
        _("e-Yazışma document id"),
        max_length=36,
        blank=True,
        editable=False,
        help_text=_("The BelgeId of its e-Yazışma package, given when the package is written."),
    )
    package = models.FileField(
        _("e-Yazışma package"),
        upload_to=outgoing_package_path,
        max_length=255,
        blank=True,
        editable=False,
    )
    file = models.ForeignKey(
        "DocumentFile",
        verbose_name=_("file (dosya)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="outgoing_documents",
    )
    archive_state = models.CharField(
        _("archive"),
        max_length=12,
        choices=ArchiveState.choices,
        default=ArchiveState.CURRENT,
        editable=False,
    )

    objects = OutgoingDocumentQuerySet.as_manager()

    scope_path = "unit"
    search_fields = ("number", "subject")

    # The change log shows a Gizli or Çok Gizli document to those who may not read it as its
    # masked register row shows it: these values only (``biys.core.redaction``).
    history_confidential_shown = (
        "unit_id", "state", "number", "year", "record_no", "confidentiality", "urgency",
        "signed_at",
    )  # fmt: skip

    @classmethod
    def history_unreadable(cls, user, ids, records) -> dict:
        from biys.evrak.selectors import history_unreadable

        return history_unreadable(cls, user, ids, records)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["number"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="evrak_outgoing_unique_number"
            ),
            models.UniqueConstraint(
                fields=["year", "record_no"],
                condition=Q(record_no__isnull=False),
                name="evrak_outgoing_unique_record_no",
            ),
            models.UniqueConstraint(
                fields=["belge_id"],
                condition=~Q(belge_id=""),
                name="evrak_outgoing_unique_belge_id",
            ),
        ]
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")

    def __str__(self) -> str:
        return f"{self.number or _('draft')} — {self.subject}"

    @property
    def is_named_only(self) -> bool:
        return self.confidentiality in NAMED_ONLY

    def on_file_read(self, user, attachment) -> None:
        """A file of a Gizli or Çok Gizli document is logged in its view log."""
        if self.is_named_only:
            from biys.evrak.services import record_confidential_view

            record_confidential_view(
                user=user,
                document=self,
                what=ConfidentialViewKind.FILE,
                detail=getattr(attachment, "filename", ""),
            )

    @property
    def is_editable(self) -> bool:
        return self.state != OutgoingState.SIGNED

    def may_add_attachment(self, user) -> bool:
        """The attachments are part of what the signer signs: once signed they no longer
        change (for whoever may change the document until then)."""
        from biys.accounts.scope import can

        return self.is_editable and can(user, "change", self)

    may_remove_attachment = may_add_attachment

    def on_attachments_changed(self, user) -> None:
        """An attachment added or removed changes the content: a new version (a paraf given
        is reset, a signature request superseded)."""
        from biys.evrak.outgoing_services import content_changed

        content_changed(document=self, user=user)


class DistributionLine(models.Model):
    """A recipient of an outgoing document, for action (gereği) or for information (bilgi): a
    public institution (its DETSİS number required), a company (VKN or MERSİS number), a person
    (TC kimlik number, masked where shown and view-logged) or a unit of the municipality (the
    org unit, ``unit``, whose name the line carries). Each number belongs to its kind only
    (``clean``). Lines written before ``unit`` existed keep their name without a unit where no
    one unit has exactly that name (migration 0015)."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="distribution"
    )
    kind = models.CharField(
        _("distribution"),
        max_length=3,
        choices=DistributionKind.choices,
        default=DistributionKind.ACTION,
    )
    recipient_kind = models.CharField(
        _("recipient is a"),
        max_length=20,
        choices=RecipientKind.choices,
        default=RecipientKind.INSTITUTION,
    )
    name = models.CharField(_("recipient"), max_length=300)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit of the municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    detsis_no = models.CharField(
        _("DETSİS number"), max_length=14, blank=True, validators=[validate_detsis_no]
    )
    vkn = models.CharField(
        _("tax number (VKN)"), max_length=10, blank=True, validators=[validate_vkn]
    )
    mersis_no = models.CharField(
        _("MERSİS number"), max_length=16, blank=True, validators=[validate_mersis_no]
    )
    tc_kimlik_no = models.CharField(
        _("TC kimlik number"), max_length=11, blank=True, validators=[validate_tc_kimlik_no]
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # How and when it went to this recipient, once signed (``services.record_dispatch``).
    dispatch_channel = models.CharField(
        _("sent by"), max_length=10, choices=DispatchChannel.choices, blank=True
    )
    dispatched_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by (person)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kep_address = models.EmailField(
        _("KEP address"),
        blank=True,
        help_text=_("The recipient's registered e-mail address, e.g. kurum@hs01.kep.tr."),
    )

    # A person's TC kimlik number is shown masked; its unmasked view is logged in the one log
    # of personal data seen (``biys.core.personal_data``), as an incoming sender's is.
    personal_fields = ("tc_kimlik_no",)
    personal_subject_field = "tc_kimlik_no"
    scope_path = "document__unit"

    class Meta:
        ordering = ["document", "kind", "order", "id"]
        verbose_name = _("distribution line")
        verbose_name_plural = _("distribution lines")

    def __str__(self) -> str:
        """The line as the log of personal data seen names it: its document too."""
        document = self.document.number or f"#{self.document_id}" if self.document_id else ""
        return f"{document} — {self.get_kind_display()}: {self.name}".lstrip(" —")

    def clean(self) -> None:
        """What identifies a recipient of each kind, and nothing of another kind."""
        kind = self.recipient_kind
        errors = {}
        if kind == RecipientKind.INSTITUTION and not self.detsis_no:
            errors["detsis_no"] = _("Give the DETSİS number of the public institution.")
        if kind != RecipientKind.INSTITUTION and self.detsis_no:
            errors["detsis_no"] = _("A DETSİS number belongs to a public institution only.")
        if kind != RecipientKind.COMPANY and (self.vkn or self.mersis_no):
            errors["vkn"] = _("VKN and MERSİS numbers belong to a company only.")
        if kind != RecipientKind.PERSON and self.tc_kimlik_no:
            errors["tc_kimlik_no"] = _("A TC kimlik number belongs to a person only.")
        if kind == RecipientKind.INTERNAL and self.unit_id is None:
            errors["unit"] = _("Choose the unit of the municipality.")
        if kind != RecipientKind.INTERNAL and self.unit_id is not None:
            errors["unit"] = _("A unit belongs to a recipient that is a unit of the municipality.")
        if errors:
            raise ValidationError(errors)

    @property
    def masked_tc_kimlik_no(self) -> str:
        return mask_tc_kimlik_no(self.tc_kimlik_no or "")

    @property
    def identifier(self) -> str:
        """What identifies the recipient, masked where it is personal data."""
        if self.detsis_no:
            return f"DETSİS {self.detsis_no}"
        parts = [f"VKN {self.vkn}"] if self.vkn else []
        if self.mersis_no:
            parts.append(f"MERSİS {self.mersis_no}")
        if self.tc_kimlik_no:
            parts.append(f"TCKN {self.masked_tc_kimlik_no}")
        return ", ".join(parts)


class OutgoingReference(models.Model):
    """An ilgi line of an outgoing document: a registered incoming document, an earlier
    outgoing one, or another institution's document named by its sayı and date."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="references"
    )
    label = models.CharField(_("label"), max_length=5)
    incoming = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("incoming document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outgoing_references",
    )
    outgoing = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("outgoing document"),
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
        return f"{self.label}) {self.line}"

    @property
    def line(self) -> str:
        """The ilgi line as printed: the document's sayı and date, or the text."""
        if self.incoming_id:
            doc = self.incoming
            number = doc.sender_number or doc.number
            day = doc.sender_date or timezone.localtime(doc.registered_at).date()
            return f"{doc.sender_name} {day:%d.%m.%Y} tarihli ve {number} sayılı yazı."
        if self.outgoing_id:
            doc = self.outgoing
            if doc.signed_at:
                day = timezone.localtime(doc.signed_at).date()
                return f"{day:%d.%m.%Y} tarihli ve {doc.number} sayılı yazımız."
            return doc.subject
        return self.text


class ApprovalStep(models.Model):
    """A person on an outgoing document's approval path, who initials it (paraf) in
    ``order``; the signer signs after the last one. ``parafed_at`` empty: not (or no longer)
    initialled."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="approval_steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    parafed_at = models.DateTimeField(_("initialled (paraf)"), null=True, blank=True)
    parafed_version = models.PositiveIntegerField(_("version initialled"), null=True, blank=True)

    class Meta:
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "order"], name="evrak_one_approval_step_per_order"
            )
        ]
        verbose_name = _("approval step (paraf)")
        verbose_name_plural = _("approval steps (paraf)")

    def __str__(self) -> str:
        return f"{self.order}. {self.user}"


class ApprovalEvent(models.Model):
    """What happened on the approval path, append-only: sent, initialled, returned, reset by
    a change after a paraf, the number taken, signed, a number cancelled."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="approval_events"
    )
    kind = models.CharField(_("event"), max_length=10, choices=ApprovalEventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["document", "at", "id"]
        verbose_name = _("approval event")
        verbose_name_plural = _("approval events")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.get_kind_display()}"


class OutgoingNumber(models.Model):
    """Every record number given to an outgoing document at signature, accounted for: reserved
    when the signature starts, used when it succeeds, cancelled (iptal) with the reason when it
    fails or is abandoned. A number is never given twice."""

    year = models.PositiveSmallIntegerField(_("year"))
    record_no = models.PositiveIntegerField(_("record number"))
    number = models.CharField(_("number (sayı)"), max_length=80, unique=True)
    document = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="numbers",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=NumberState.choices, default=NumberState.RESERVED
    )
    reason = models.TextField(_("reason of the cancellation"), blank=True)
    reserved_at = models.DateTimeField(_("reserved"), default=timezone.now)
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reserved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("used or cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["year", "record_no"]
        constraints = [
            models.UniqueConstraint(fields=["year", "record_no"], name="evrak_outgoing_number_once")
        ]
        verbose_name = _("outgoing document number")
        verbose_name_plural = _("outgoing document numbers")

    def __str__(self) -> str:
        return f"{self.number} ({self.get_state_display()})"


# ------------------------------------------------------------------ electronic signature


class TrustedCertificate(ChangeLoggedModel):
    """A certificate authority the administrator trusts for electronic signatures (Kamu SM's
    roots in production): a signer's certificate must chain to an active one. Loaded from a
    PEM or DER file; the subject, issuer, fingerprint and validity are read from it."""

    name = models.CharField(_("name"), max_length=200)
    certificate = models.TextField(_("certificate (PEM)"), editable=False)
    subject = models.CharField(_("subject"), max_length=1000, editable=False)
    issuer = models.CharField(_("issuer"), max_length=1000, editable=False)
    serial_number = models.CharField(_("serial number"), max_length=100, editable=False)
    fingerprint = models.CharField(
        _("SHA-256 fingerprint"), max_length=64, unique=True, editable=False
    )
    not_before = models.DateTimeField(_("valid from"), editable=False)
    not_after = models.DateTimeField(_("valid until"), editable=False)
    is_root = models.BooleanField(_("root (self-signed)"), default=False, editable=False)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active certificates are trusted.")
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_path = None  # one trust store for the whole municipality
    visible_to_all_staff = True

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("trusted certificate")
        verbose_name_plural = _("trusted certificates")

    def __str__(self) -> str:
        return self.name


class SigningRule(ChangeLoggedModel):
    """A signing authority (imza yetkisi, as an İmza Yetkileri Yönergesi sets them): which
    outgoing documents must be signed at which level above their drafting unit. A rule applies
    to a document of its confidentiality (empty: any) with a distribution line of its
    recipients' kind (empty: any; ``RecipientKind``). The
    highest level of the active rules that apply is required; with none, a person of the
    drafting unit or of a unit above it signs (``selectors.required_signer_level``)."""

    name = models.CharField(_("name"), max_length=200)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=3,
        choices=Confidentiality.choices,
        blank=True,
        help_text=_("Empty: documents of any confidentiality."),
    )
    recipients = models.CharField(
        _("recipients"), max_length=20, choices=RecipientScope.choices, blank=True
    )
    level = models.CharField(_("signed by"), max_length=20, choices=SignerLevel.choices)
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("E.g. the article of the directive.")
    )

    scope_path = None  # one set of signing authorities for the whole municipality
    visible_to_all_staff = True

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("signing rule")
        verbose_name_plural = _("signing rules")

    def __str__(self) -> str:
        return self.name


class OutgoingSignature(models.Model):
    """A signature request of an outgoing document and, once accepted, its CAdES signature:
    the exact bytes to sign, their SHA-256 digest handed to the signing agent, and the detached
    CMS signature it returned, with the signer's certificate. A request of an older version is
    superseded.

    For a document that goes to a public institution the bytes to sign are its e-Yazışma
    package's PaketOzeti, prepared at the request with the parts it lists (the üst yazı PDF and
    the Üstveri, kept here byte for byte; the attachments, which no longer change once the
    request is superseded by any change); otherwise they are the üst yazı PDF itself."""

    document = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    version = models.PositiveIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=12, choices=SignatureState.choices, default=SignatureState.PENDING
    )
    content = models.BinaryField(_("signed content"))
    content_type = models.CharField(_("content type"), max_length=100, default="application/pdf")
    digest = models.CharField(_("SHA-256 digest"), max_length=64)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    signature = models.BinaryField(_("CAdES signature"), null=True, blank=True)
    certificate = models.TextField(_("signer certificate (PEM)"), blank=True)
    signer_subject = models.CharField(_("certificate subject"), max_length=1000, blank=True)
    certificate_serial = models.CharField(
        _("certificate serial number"), max_length=100, blank=True
    )
    signing_time = models.DateTimeField(_("signing time claimed"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    ust_yazi = models.BinaryField(
        _("üst yazı PDF"),
        null=True,
        blank=True,
        help_text=_("When the PaketOzeti is signed: the üst yazı PDF it lists."),
    )
    ustveri = models.BinaryField(
        _("Üstveri"),
        null=True,
        blank=True,
        help_text=_("When the PaketOzeti is signed: the Üstveri it lists."),
    )

    class Meta:
        ordering = ["document", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(state="accepted"),
                name="evrak_outgoing_one_accepted_signature",
            )
        ]
        verbose_name = _("electronic signature")
        verbose_name_plural = _("electronic signatures")

    def __str__(self) -> str:
        return f"{self.document_id} v{self.version}: {self.get_state_display()}"

    @property
    def signs_package(self) -> bool:
        """Whether the signed bytes are the e-Yazışma package's PaketOzeti (else the PDF)."""
        return self.ustveri is not None

    @property
    def ust_yazi_pdf(self) -> bytes:
        """The üst yazı PDF of the signed version, as prepared at the request."""
        return bytes(self.ust_yazi if self.signs_package else self.content)


class OutgoingSeal(models.Model):
    """A sealing request of a signed outgoing document's e-Yazışma package and, once accepted,
    the institution's e-seal (e-mühür): the package as written up to its NihaiÖzet (kept byte
    for byte), the SHA-256 digest of the NihaiÖzet handed to the sealing agent, and the CAdES
    seal it returned with the seal certificate (``biys.evrak.sealing``). The sealed package is
    then the document's ``package``."""

    document = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="seals",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=SignatureState.choices, default=SignatureState.PENDING
    )
    package = models.BinaryField(_("package to seal"))
    digest = models.CharField(_("SHA-256 digest of the NihaiÖzet"), max_length=64)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    seal = models.BinaryField(_("CAdES seal"), null=True, blank=True)
    certificate = models.TextField(_("seal certificate (PEM)"), blank=True)
    subject = models.CharField(_("certificate subject"), max_length=1000, blank=True)
    certificate_serial = models.CharField(
        _("certificate serial number"), max_length=100, blank=True
    )
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, blank=True)
    signing_time = models.DateTimeField(_("signing time claimed"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["document", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(state="accepted"),
                name="evrak_outgoing_one_accepted_seal",
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(state="pending"),
                name="evrak_outgoing_one_pending_seal",
            ),
        ]
        default_permissions = ()
        permissions = [
            (
                "seal_package",
                _("Can seal outgoing e-Yazışma packages with the institution's e-seal"),
            )
        ]
        verbose_name = _("institutional e-seal")
        verbose_name_plural = _("institutional e-seals")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.get_state_display()}"


class RevocationList(ChangeLoggedModel):
    """The certificate revocation list (CRL) of a certificate authority of the trust store, its
    newest (``biys.evrak.revocation``): loaded by the administrator from a file, or fetched
    from a distribution point. Only a CRL the authority's key signed is taken."""

    authority = models.OneToOneField(
        TrustedCertificate,
        verbose_name=_("certificate authority"),
        on_delete=models.CASCADE,
        related_name="revocation_list",
    )
    crl = models.BinaryField(_("CRL (DER)"), editable=False)
    issuer = models.CharField(_("issuer"), max_length=1000, editable=False)
    crl_number = models.CharField(_("CRL number"), max_length=100, blank=True, editable=False)
    this_update = models.DateTimeField(_("issued"), editable=False)
    next_update = models.DateTimeField(_("next update"), editable=False)
    revoked_count = models.PositiveIntegerField(
        _("revoked certificates"), default=0, editable=False
    )
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, editable=False)
    url = models.CharField(
        _("fetched from"),
        max_length=1000,
        blank=True,
        help_text=_("The address the next revocation list is fetched from."),
    )
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now, editable=False)
    last_attempt = models.DateTimeField(_("last failed fetch"), null=True, blank=True)
    last_error = models.TextField(_("last fetch error"), blank=True, editable=False)

    scope_path = None  # part of the trust store: the whole municipality's
    visible_to_all_staff = True
    changelog_exclude = ("crl",)

    class Meta:
        ordering = ["issuer", "id"]
        verbose_name = _("certificate revocation list")
        verbose_name_plural = _("certificate revocation lists")

    def __str__(self) -> str:
        return f"{self.authority} ({self.this_update:%Y-%m-%d})"


class SignatureValidation(models.Model):
    """What an accepted signature was checked with (long-term validation data): the chain of
    certificates (PEM, the signer's first, the trusted end last), the CRLs (PEM), the OCSP
    responses and the time of the check, and the signature time-stamp a time-stamping authority
    gave over the signature value (CAdES-T's, kept beside the signature), so that it can be checked again as of then (``revocation.reverify``)."""

    signature = models.OneToOneField(
        OutgoingSignature,
        verbose_name=_("electronic signature"),
        on_delete=models.CASCADE,
        related_name="validation",
    )
    checked_at = models.DateTimeField(_("checked at"))
    chain = models.TextField(_("certificate chain (PEM)"))
    crls = models.TextField(_("revocation lists (PEM)"), blank=True)
    ocsp_responses = models.TextField(
        _("OCSP responses"), blank=True, help_text=_("DER in base64, one a line.")
    )
    revocation_checked = models.BooleanField(_("revocation checked"), default=False)
    coverage = models.JSONField(_("revocation status"), default=list, blank=True)
    timestamp_token = models.BinaryField(
        _("signature time-stamp (RFC 3161)"), null=True, blank=True, editable=False
    )
    timestamp_time = models.DateTimeField(_("time-stamped at"), null=True, blank=True)
    timestamp_error = models.TextField(_("time-stamp error"), blank=True)

    class Meta:
        verbose_name = _("signature validation data")
        verbose_name_plural = _("signature validation data")

    def __str__(self) -> str:
        return f"{self.signature} ({self.checked_at:%Y-%m-%d %H:%M})"


class ArchiveTimestamp(models.Model):
    """One link of a kept e-Yazışma package's archive time-stamp chain
    (``biys.evrak.archive_stamps``): a time-stamp over the package and every earlier link, so
    that the package, the signature inside it and the validation data it carries are proven to
    have existed unchanged at that time (the idea of RFC 4998's evidence records, and of
    CAdES-A); a new link before the last one's authority certificate expires carries the proof
    on. The package is an outgoing document's own or the one an incoming document came in."""

    outgoing = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("outgoing document"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="archive_timestamps",
    )
    incoming = models.ForeignKey(
        IncomingPackage,
        verbose_name=_("incoming package"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="archive_timestamps",
    )
    sequence = models.PositiveIntegerField(_("link"))
    package_sha256 = models.CharField(_("package SHA-256"), max_length=64)
    token = models.BinaryField(_("time-stamp (RFC 3161)"))
    time = models.DateTimeField(_("time-stamped at"))
    authority = models.CharField(_("time-stamping authority"), max_length=1000, blank=True)
    authority_expires = models.DateTimeField(_("authority certificate expires"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["outgoing", "incoming", "sequence"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outgoing__isnull=False, incoming__isnull=True)
                | Q(outgoing__isnull=True, incoming__isnull=False),
                name="evrak_archive_timestamp_one_package",
            ),
            models.UniqueConstraint(
                fields=["outgoing", "sequence"],
                condition=Q(outgoing__isnull=False),
                name="evrak_archive_timestamp_outgoing_link",
            ),
            models.UniqueConstraint(
                fields=["incoming", "sequence"],
                condition=Q(incoming__isnull=False),
                name="evrak_archive_timestamp_incoming_link",
            ),
        ]
        verbose_name = _("archive time-stamp")
        verbose_name_plural = _("archive time-stamps")

    def __str__(self) -> str:
        return f"{self.outgoing_id or self.incoming_id} #{self.sequence} {self.time:%Y-%m-%d}"


# ------------------------------------------------------------------ files, archive and disposal


class DocumentFile(ChangeLoggedModel):
    """A file (dosya): the documents of one unit under one SDP code in one year, incoming and
    outgoing alike. The file closes at the end of its year; the SDP code's retention periods
    count from then (``selectors.due_files``)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="evrak_files"
    )
    sdp_code = models.ForeignKey(
        SdpCode, verbose_name=_("SDP code"), on_delete=models.PROTECT, related_name="files"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(
        _("archive"), max_length=12, choices=ArchiveState.choices, default=ArchiveState.CURRENT
    )
    transfer_decision = models.ForeignKey(
        "DisposalDecision",
        verbose_name=_("transfer decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_files",
    )
    destruction_decision = models.ForeignKey(
        "DisposalDecision",
        verbose_name=_("destruction decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="destroyed_files",
    )
    handover_list = models.ForeignKey(
        "DisposalDecision",
        verbose_name=_("hand-over list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handover_files",
        help_text=_("The list it is handed over to the State Archives on."),
    )
    handover_item = models.PositiveIntegerField(
        _("item number"), null=True, blank=True, help_text=_("Its number on the hand-over list.")
    )

    scope_path = "unit"

    class Meta:
        ordering = ["year", "sdp_code__code", "unit__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "sdp_code", "year"], name="evrak_file_unique_unit_code_year"
            )
        ]
        verbose_name = _("file (dosya)")
        verbose_name_plural = _("files (dosya)")

    def __str__(self) -> str:
        return f"{self.year} {self.sdp_code.code} {self.unit}"


class DisposalDecision(ChangeLoggedModel):
    """A year-end decision of the commission: the files it names are transferred to the
    institutional archive, or destroyed (their documents' content removed for good, the
    register rows kept)."""

    kind = models.CharField(_("decision"), max_length=10, choices=DisposalKind.choices)
    year = models.PositiveSmallIntegerField(_("year-end"))
    decision_date = models.DateField(_("decision date"))
    decision_number = models.CharField(_("decision number"), max_length=100)
    members = models.ManyToManyField(
        "org.Person", verbose_name=_("commission members"), related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), default=timezone.now)
    # A hand-over list (kind ``handover``) is approved first, then exported and taken to the
    # State Archives; the day they take the material over marks its files handed over.
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_path = None  # its files say which units it touched

    class Meta:
        ordering = ["-approved_at", "-pk"]
        verbose_name = _("disposal decision")
        verbose_name_plural = _("disposal decisions")
        permissions = [
            (
                "approve_disposal",
                _("Can approve the year-end transfer and destruction of files"),
            ),
            (
                "hand_over_files",
                _("Can prepare, approve and complete hand-over lists to the State Archives"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision_number} ({self.decision_date})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        if self.kind == DisposalKind.HANDOVER:
            return reverse("evrak:handover_list", args=[self.pk])
        return f"{reverse('evrak:year_end')}?year={self.year}"


# ------------------------------------------------------------------ confidential documents


class ConfidentialGrant(ChangeLoggedModel):
    """An explicit grant: one named person may read one Gizli or Çok Gizli document (incoming
    or outgoing) besides the people named on it, given by whom, when and why; revoked (never
    deleted) with the same. ``unit`` is the document's owning unit, for the change log."""

    incoming = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("incoming document"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="grants",
    )
    outgoing = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("outgoing document"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="grants",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="evrak_grants",
    )
    reason = models.CharField(_("reason"), max_length=300)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.CharField(_("reason of the revocation"), max_length=300, blank=True)

    scope_path = "unit"

    # A grant on a Gizli document the reader may not read: to whom and by whom, not why.
    history_parent = ("incoming_id", "outgoing_id")
    history_confidential_shown = (
        "incoming_id", "outgoing_id", "unit_id", "user_id", "granted_at", "granted_by_id",
        "revoked_at", "revoked_by_id",
    )  # fmt: skip

    class Meta:
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(incoming__isnull=False, outgoing__isnull=True)
                | Q(incoming__isnull=True, outgoing__isnull=False),
                name="evrak_grant_one_document",
            ),
            models.UniqueConstraint(
                fields=["incoming", "user"],
                condition=Q(revoked_at__isnull=True, incoming__isnull=False),
                name="evrak_one_open_incoming_grant",
            ),
            models.UniqueConstraint(
                fields=["outgoing", "user"],
                condition=Q(revoked_at__isnull=True, outgoing__isnull=False),
                name="evrak_one_open_outgoing_grant",
            ),
        ]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")

    def __str__(self) -> str:
        document = self.incoming or self.outgoing
        number = getattr(document, "number", "") or _("draft")
        return f"{number} → {self.user}"

    @property
    def document(self):
        return self.incoming if self.incoming_id else self.outgoing

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ConfidentialView(models.Model):
    """The view log of Gizli and Çok Gizli documents: who saw what of which document, when.
    Append-only; read by the department head and the auditor (``evrak.audit_confidential``)."""

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    incoming = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("incoming document"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="confidential_views",
    )
    outgoing = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("outgoing document"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="confidential_views",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField(_("what"), max_length=10, choices=ConfidentialViewKind.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    request_id = models.CharField(_("request"), max_length=32, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        ordering = ["-time", "-id"]
        default_permissions = ()
        permissions = [
            (
                "audit_confidential",
                _("Can read who viewed a confidential document (its view log)"),
            )
        ]
        verbose_name = _("confidential document view")
        verbose_name_plural = _("confidential document views")

    def __str__(self) -> str:
        return f"{self.user} → {self.incoming_id or self.outgoing_id} ({self.what})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("The view log cannot be edited.")
        super().save(*args, **kwargs)


# ------------------------------------------------------------------ dispatch by KEP


class KepDispatch(ChangeLoggedModel):
    """One sending of a signed document to one recipient by KEP (``biys.evrak.kep``): the
    message BİYS built (its Message-ID, the address, the files attached), who asked for it and
    when, and how it went. A failed sending keeps its reason and leaves the line unsent; it is
    tried again as a new sending. The provider's delivery evidence (delil) arrives in the KEP
    mailbox, is kept as the message (``evidence``) and read as a ``KepEvidence``
    (``evidences``); past *sent*, the state is what the evidences say
    (``services.kep_state_from``)."""

    document = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="kep_dispatches",
    )
    line = models.ForeignKey(
        DistributionLine,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="kep_dispatches",
    )
    mailbox = models.ForeignKey(
        EvrakMailbox,
        verbose_name=_("sent from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.EmailField(_("KEP address"))
    sender_address = models.EmailField(_("sender's KEP address"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=KepState.choices, default=KepState.QUEUED
    )
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True, db_index=True)
    files = models.CharField(_("files attached"), max_length=500, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("reason of the failure"), blank=True)

    scope_path = "document__unit"
    history_parent = "document_id"
    history_confidential_shown = ("state", "requested_at", "sent_at")

    class Meta:
        ordering = ["document", "line", "-requested_at", "-id"]
        verbose_name = _("KEP dispatch")
        verbose_name_plural = _("KEP dispatches")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.address} ({self.state})"


class KepEvidence(models.Model):
    """One delivery evidence (delil) a KEP provider sent about a sending: what it says
    (``kind``: accepted, rejected, delivered, not delivered, read, or not recognised), when it
    happened, the reason of a refusal or a failure, and where that was read from
    (``biys.evrak.kep_evidence``). The message itself is kept whole as the ``ReceivedMail``
    (the .eml is the evidence); an evidence that cannot be read is kept as *not recognised*,
    never dropped."""

    dispatch = models.ForeignKey(
        KepDispatch,
        verbose_name=_("KEP dispatch"),
        on_delete=models.CASCADE,
        related_name="evidences",
    )
    mail = models.OneToOneField(
        ReceivedMail,
        verbose_name=_("evidence message"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kep_evidence",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=KepEvidenceKind.choices, default=KepEvidenceKind.UNKNOWN
    )
    event_at = models.DateTimeField(_("time of the event"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(
        _("read from"), max_length=10, choices=KepEvidenceSource.choices, blank=True
    )
    code = models.CharField(
        _("provider's code"),
        max_length=300,
        blank=True,
        help_text=_("The evidence type or event code as the provider wrote it."),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    signature_state = models.CharField(
        _("signature"),
        max_length=10,
        choices=KepSignatureState.choices,
        blank=True,
        help_text=_("Whether the evidence message's S/MIME signature verifies."),
    )
    signature_signer = models.CharField(_("signed by"), max_length=300, blank=True)
    signature_problem = models.TextField(
        _("signature check"),
        blank=True,
        help_text=_("Why the signature does not verify, or what was not checked."),
    )

    class Meta:
        ordering = ["dispatch", "event_at", "received_at", "id"]
        verbose_name = _("KEP evidence")
        verbose_name_plural = _("KEP evidences")

    def __str__(self) -> str:
        return f"{self.dispatch_id}: {self.kind}"
