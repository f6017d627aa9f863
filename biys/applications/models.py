"""Applications with legal deadlines (başvuru): bilgi edinme (4982), petitions (3071), CİMER
and Alo 153 entries, and the types of the regulations' own application duties.

An ``ApplicationType`` is data: its law and article, its deadline rule (a number of days or
working days, extendable or not, counted from the day after receipt unless it says otherwise),
the unit the regulation makes responsible, the fields and documents to collect and the fee.
An ``Application`` has one responsible unit at a time (``ApplicationResponsibility`` keeps
the history), its legal deadline computed on the working calendar (``biys.applications.
deadlines``) and an outcome. Access follows the responsible unit.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.applications.choices import ApplicantKind, Channel, IdentityRule, PeriodUnit, State
from biys.core.models import ChangeLoggedModel, ImapMailbox
from biys.org.models import UnitResponsibilityPeriod
from biys.org.validators import mask_tc_kimlik_no, validate_tc_kimlik_no


class ApplicationType(ChangeLoggedModel):
    """A kind of application and its legal deadline rule (an administrator adds more)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    law = models.CharField(
        _("law"), max_length=200, help_text=_("e.g. 4982 sayılı Bilgi Edinme Kanunu")
    )
    legal_article = models.CharField(
        _("article of the law"), max_length=100, blank=True, help_text=_("e.g. md. 11")
    )
    citations = models.CharField(
        _("regulation articles"),
        max_length=300,
        blank=True,
        help_text=_("The articles of the department regulations that name this duty."),
    )
    duty = models.ForeignKey(
        "org.Duty",
        verbose_name=_("duty"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The duty of the loaded regulation that makes a unit responsible."),
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application_types",
    )
    period = models.PositiveSmallIntegerField(
        _("period"), validators=[MinValueValidator(1)], help_text=_("Days to answer.")
    )
    period_unit = models.CharField(
        _("counted in"), max_length=20, choices=PeriodUnit.choices, default=PeriodUnit.DAYS
    )
    extended_period = models.PositiveSmallIntegerField(
        _("extended period"),
        null=True,
        blank=True,
        help_text=_("The whole period when extended with a notice and reason (empty: none)."),
    )
    count_from_receipt_day = models.BooleanField(
        _("count from the day of receipt"),
        default=False,
        help_text=_("Normally the period starts the day after the application is received."),
    )
    channel_sets_period = models.BooleanField(
        _("the channel sets the period"),
        default=False,
        help_text=_("CİMER and similar channels give each application its own due date."),
    )
    form_fields = models.JSONField(
        _("fields to collect"),
        default=list,
        blank=True,
        help_text=_('A list of {"name", "label", "required"}.'),
    )
    documents = models.JSONField(_("documents to attach"), default=list, blank=True)
    identity_number = models.CharField(
        _("TC kimlik number"),
        max_length=20,
        choices=IdentityRule.choices,
        default=IdentityRule.OPTIONAL,
        help_text=_(
            "Whether the form asks a person applying for the TC kimlik number: required (for a"
            " Turkish citizen, e.g. 4982 bilgi edinme and 3071 dilekçe as the municipality's"
            " forms ask it), optional, or not asked (KVKK md. 4: no more personal data than the"
            " purpose needs). Companies and institutions give their tax number instead. The"
            " shipped values are data to check against the municipality's own legal advice."
        ),
    )
    identity_ground = models.CharField(
        _("legal ground of the TC kimlik number"),
        max_length=300,
        blank=True,
        help_text=_(
            "The article that makes the applicant give it (shown on the form), e.g. Bilgi"
            " Edinme Yönetmeliği md. 10; say (doğrulanmadı) when it is not verified."
        ),
    )
    objection_period = models.PositiveSmallIntegerField(
        _("objection period (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Days after the answer within which the applicant may object (4982 md. 13: 15),"
            " counted from the day after the answer; a last day that is not a working day"
            " moves to the next one. Empty: no objection is recorded against this type."
        ),
    )
    objection_type = models.ForeignKey(
        "self",
        verbose_name=_("objections are recorded as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The type an objection to this type is recorded as (empty: any type)."),
    )
    fee = models.DecimalField(_("fee (TL)"), max_digits=12, decimal_places=2, null=True, blank=True)
    fee_note = models.CharField(_("fee note"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    public = models.BooleanField(
        _("offered on the public form"),
        default=False,
        help_text=_("Citizens may file this type on the public form, without an account."),
    )

    scope_path = "unit"
    visible_to_all_staff = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("application type")
        verbose_name_plural = _("application types")

    def __str__(self) -> str:
        return self.name


class Application(ChangeLoggedModel):
    """One application, with its legal deadline and the unit responsible for answering."""

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    type = models.ForeignKey(
        ApplicationType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.COUNTER
    )
    channel_reference = models.CharField(
        _("channel reference"),
        max_length=100,
        blank=True,
        help_text=_("The number CİMER or the call centre gave the application."),
    )
    received_on = models.DateField(_("received on"))
    channel_due_date = models.DateField(_("due date set by the channel"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    form_data = models.JSONField(_("form answers"), default=dict, blank=True)

    applicant_kind = models.CharField(
        _("applicant is a"),
        max_length=20,
        choices=ApplicantKind.choices,
        default=ApplicantKind.PERSON,
    )
    applicant_name = models.CharField(_("applicant"), max_length=200)
    tc_kimlik_no = models.CharField(
        _("TC kimlik number"),
        max_length=11,
        blank=True,
        validators=[validate_tc_kimlik_no],
    )
    tax_number = models.CharField(_("tax number"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.TextField(_("address"), blank=True)

    responsible_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    due_date = models.DateField(_("legal deadline"), db_index=True)
    extended = models.BooleanField(_("extended"), default=False)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extended_at = models.DateTimeField(_("extended"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    outcome_note = models.TextField(_("answer"), blank=True)
    refusal_ground = models.CharField(_("legal ground of the refusal"), max_length=300, blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=200, blank=True)
    answer_document = models.ForeignKey(
        # Named by its label: the correspondence module is never imported (biys.core.
        # correspondence carries the calls).
        "evrak.OutgoingDocument",
        verbose_name=_("answer document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The outgoing document (giden evrak) that answers the application."),
    )
    objection_to = models.ForeignKey(
        "self",
        verbose_name=_("objection to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
        help_text=_("The application whose answer this one objects to (4982 md. 13)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    tracking_digest = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="SHA-256 of the tracking code given on the public form (biys.applications.tracking).",
    )
    message_id = models.CharField(
        _("Message-ID"),
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("The e-mail an application arrived by (its Message-ID: never taken twice)."),
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    scope_path = "responsible_unit"
    # The documents attached (the signed petition, a deed, an operator's licence) are the
    # applicant's: read with the reveal permission, added by whoever records or answers it.
    attachment_view_perm = "applications.reveal_applicant_data"
    changelog_mask = ("tc_kimlik_no", "tax_number", "email", "phone", "address")
    personal_fields = ("tc_kimlik_no", "email", "phone", "address")
    personal_subject_field = "tc_kimlik_no"
    history_hidden = ("reminded_at", "escalated_at", "tracking_digest")

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["responsible_unit", "state", "due_date"]),
            models.Index(fields=["state", "due_date", "id"], name="application_due_order"),
            models.Index(fields=["type", "received_on"]),
            models.Index(fields=["received_on", "id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~Q(message_id=""),
                name="application_unique_message_id",
            ),
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        permissions = [
            ("route_application", _("Can route an application to another unit")),
            ("extend_application", _("Can extend an application's period")),
            ("answer_application", _("Can record an application's outcome")),
            ("reveal_applicant_data", _("Can view an applicant's unmasked personal data")),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.subject}"

    @property
    def masked_tc_kimlik_no(self) -> str:
        return mask_tc_kimlik_no(self.tc_kimlik_no or "")

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN

    def may_add_attachment(self, user) -> bool:
        from biys.core.access import get_scope

        scope = get_scope(user)
        return any(
            scope.has_perm(f"applications.{perm}", self.responsible_unit_id)
            for perm in ("add_application", "answer_application", "change_application")
        )


class ApplicationMailbox(ImapMailbox):
    """An IMAP mailbox whose messages arrive as applications of one type on the e-mail channel
    (``biys.applications.mail_intake``), e.g. bilgiedinme@belediye.bel.tr as bilgi edinme."""

    application_type = models.ForeignKey(
        ApplicationType,
        verbose_name=_("recorded as"),
        on_delete=models.PROTECT,
        related_name="mailboxes",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application_mailboxes",
        help_text=_("Empty: the unit the type makes responsible."),
    )

    scope_path = "unit"

    class Meta(ImapMailbox.Meta):
        verbose_name = _("application mailbox")
        verbose_name_plural = _("application mailboxes")


class ApplicationResponsibility(UnitResponsibilityPeriod):
    """Which unit held an application, from when to when (append-only; the open row has no
    end)."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )

    class Meta:
        ordering = ["application", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_application_responsibility",
            )
        ]
        verbose_name = _("responsibility period")
        verbose_name_plural = _("responsibility periods")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.unit_id} {self.started_at:%Y-%m-%d %H:%M}"


# GIS data sales live in their own module of this app (a sale is an application of the type
# ``cbs-veri-satisi``); imported here so Django finds the models.
# Base-station sites (a site permit is an application of the type ``baz-istasyonu-yer-secim``,
# a complaint one of ``baz-istasyonu-sikayet``) live in their own module of this app.
from biys.applications.basestation.models import (  # noqa: E402, F401
    BaseStationSite,
    Operator,
    SiteAccrual,
    SiteComplaint,
)
from biys.applications.gis.models import (  # noqa: E402, F401
    GisDataSale,
    GisDelivery,
    GisDeliveryLine,
    GisLayer,
    GisSaleItem,
    GisTariff,
    GisTariffLine,
)

# Address numbering and street naming (a numbering request is an application of the type
# ``numarataj``) live in their own module of this app; imported here so Django finds them.
from biys.applications.numarataj.models import (  # noqa: E402, F401
    Building,
    BuildingNumber,
    NumberingRequest,
    NumberingTariff,
    Street,
    StreetName,
    StreetNamingProposal,
)
