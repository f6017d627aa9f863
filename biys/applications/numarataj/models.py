"""Address numbering and street naming (numarataj; trabzon-bb MADDE 9 (1) k, o, ö, p, ş).

The address register is the municipality's: a ``Street`` (cadde, sokak, meydan in its
neighbourhood, its current name with a dated ``StreetName`` history) and its ``Building``s
(block and parcel, the door number given, with a dated ``BuildingNumber`` history). A
``NumberingRequest`` is the numbering side of an application of the shipped type
``numarataj``: the applicant (masked, view-logged), the legal deadline and the responsible unit
are the application's; the request adds the parcel and building, the field visit, the number
given, the fee accrual and payment and the certificate. A ``StreetNamingProposal`` is prepared
with its justification, sent to the council and carries the council's decision; an accepted
one gives the street a dated name.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from biys.applications.numarataj.choices import (
    CouncilDecision,
    FeeKind,
    ProposalState,
    RequestState,
    StreetKind,
)
from biys.core.models import ChangeLoggedModel
from biys.core.text import sort_key

MONEY = {"max_digits": 14, "decimal_places": 2}


class Street(ChangeLoggedModel):
    """A cadde, sokak, bulvar or meydan of a neighbourhood, under its current name."""

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_(
            "Correct a spelling here; a new name is given by the council's decision on a naming "
            "proposal."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StreetKind.choices)
    neighbourhood = models.CharField(_("neighbourhood (mahalle)"), max_length=200)
    code = models.CharField(
        _("code"), max_length=30, blank=True, help_text=_("The national address code, if any.")
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("keeping unit"),
        on_delete=models.PROTECT,
        related_name="numarataj_streets",
    )
    active = models.BooleanField(_("active"), default=True)
    sort_name = models.CharField(max_length=400, editable=False, default="", db_index=True)

    scope_path = "unit"
    visible_to_all_staff = True

    class Meta:
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "name", "kind"], name="numarataj_street_once"
            )
        ]
        verbose_name = _("street")
        verbose_name_plural = _("streets")

    def __str__(self) -> str:
        return f"{self.name} {self.get_kind_display_short()} ({self.neighbourhood})"

    def get_kind_display_short(self) -> str:
        return {"sokak": "Sk.", "cadde": "Cd.", "bulvar": "Blv.", "meydan": "Myd.",
                "cikmaz": "Çkm."}.get(self.kind, "")  # fmt: skip

    def save(self, *args, **kwargs):
        self.sort_name = sort_key(f"{self.neighbourhood} {self.name}", 200)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)


class StreetName(ChangeLoggedModel):
    """A name the street bore from a day on (the council's decision that gave it)."""

    street = models.ForeignKey(
        Street, verbose_name=_("street"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    council_decision = models.CharField(_("council decision"), max_length=200, blank=True)
    proposal = models.ForeignKey(
        "applications.StreetNamingProposal",
        verbose_name=_("naming proposal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_path = "street__unit"
    visible_to_all_staff = True

    class Meta:
        ordering = ["street", "-valid_from", "-id"]
        verbose_name = _("street name")
        verbose_name_plural = _("street names")

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d.%m.%Y})"


class Building(ChangeLoggedModel):
    """A building on a street, on its block and parcel, with the door number it was given."""

    street = models.ForeignKey(
        Street, verbose_name=_("street"), on_delete=models.PROTECT, related_name="buildings"
    )
    door_number = models.CharField(
        _("door number (dış kapı no)"), max_length=20, blank=True, help_text=_("e.g. 12 or 12/A")
    )
    block = models.CharField(_("block (ada)"), max_length=20)
    parcel = models.CharField(_("parcel (parsel)"), max_length=20)
    building_name = models.CharField(
        _("building name"), max_length=200, blank=True, help_text=_("e.g. the apartment's name")
    )
    inner_numbers = models.CharField(
        _("inner door numbers (iç kapı)"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. 1, 2, 3"),
    )

    scope_path = "street__unit"
    visible_to_all_staff = True

    class Meta:
        ordering = ["street", "door_number", "id"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self) -> str:
        number = f" No: {self.door_number}" if self.door_number else ""
        return f"{self.street.name} {self.street.get_kind_display_short()}{number}"

    @property
    def address(self) -> str:
        street = self.street
        number = f" No: {self.door_number}" if self.door_number else ""
        return (
            f"{street.neighbourhood} Mah. {street.name} {street.get_kind_display_short()}{number}"
        )


class BuildingNumber(ChangeLoggedModel):
    """A door number a building was given on a day (its numbering history)."""

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.CASCADE, related_name="numbers"
    )
    street = models.ForeignKey(
        Street, verbose_name=_("street"), on_delete=models.PROTECT, related_name="+"
    )
    door_number = models.CharField(_("door number (dış kapı no)"), max_length=20)
    inner_numbers = models.CharField(_("inner door numbers (iç kapı)"), max_length=500, blank=True)
    given_on = models.DateField(_("given on"))
    request = models.ForeignKey(
        "applications.NumberingRequest",
        verbose_name=_("numbering request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_path = "building__street__unit"
    visible_to_all_staff = True

    class Meta:
        ordering = ["building", "-given_on", "-id"]
        verbose_name = _("building number")
        verbose_name_plural = _("building numbers")

    def __str__(self) -> str:
        return f"{self.door_number} ({self.given_on:%d.%m.%Y})"


class NumberingTariff(ChangeLoggedModel):
    """One amount of the council's numbering tariff: what a certificate, a door number or an
    inner door number costs from a day on, until a later row of the same kind starts
    (``selectors.tariff_on``). A request's fee is priced by the rows valid on its accrual
    day."""

    kind = models.CharField(_("charged for"), max_length=20, choices=FeeKind.choices)
    valid_from = models.DateField(
        _("valid from"), help_text=_("A later row of the same kind replaces it from its own day.")
    )
    amount = models.DecimalField(_("amount (TRY)"), validators=[MinValueValidator(0)], **MONEY)
    council_decision = models.CharField(
        _("council decision"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the council's decision no. 512 of 04.12.2025"),
    )

    visible_to_all_staff = True

    class Meta:
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="numarataj_tariff_once")
        ]
        verbose_name = _("numbering tariff amount")
        verbose_name_plural = _("numbering tariff")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.valid_from:%d.%m.%Y})"


class NumberingRequest(ChangeLoggedModel):
    """A building-number or address-certificate request on an application of the type
    ``numarataj``: received → visited → numbered → accrued → paid → certificate issued, or
    refused with its reason."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="numbering_request",
    )
    street = models.ForeignKey(
        Street,
        verbose_name=_("street"),
        on_delete=models.PROTECT,
        related_name="numbering_requests",
    )
    block = models.CharField(_("block (ada)"), max_length=20)
    parcel = models.CharField(_("parcel (parsel)"), max_length=20)
    building_description = models.CharField(
        _("building"),
        max_length=300,
        blank=True,
        help_text=_("The building as the applicant describes it (name, entrance, new build)."),
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("numbered building"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="numbering_requests",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=RequestState.choices, default=RequestState.RECEIVED
    )
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    visit_note = models.TextField(_("visit note"), blank=True)
    door_number = models.CharField(_("door number (dış kapı no)"), max_length=20, blank=True)
    inner_numbers = models.CharField(_("inner door numbers (iç kapı)"), max_length=500, blank=True)
    numbered_on = models.DateField(_("numbered on"), null=True, blank=True)
    fee = models.DecimalField(
        _("fee (TRY)"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY
    )
    tariff_fee = models.DecimalField(
        _("fee by the tariff (TRY)"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("What the tariff valid on the accrual day came to; empty: no tariff."),
        **MONEY,
    )
    fee_reason = models.CharField(
        _("reason for another fee"),
        max_length=300,
        blank=True,
        help_text=_("Why the fee accrued differs from the tariff (an exemption, a decision)."),
    )
    accrual_number = models.CharField(
        _("accrual number"), max_length=30, unique=True, null=True, blank=True, editable=False
    )
    accrued_on = models.DateField(_("accrued on"), null=True, blank=True)
    payment_reference = models.CharField(
        _("payment reference"),
        max_length=100,
        blank=True,
        help_text=_("The receipt (makbuz) or bank transfer reference."),
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    certificate_number = models.CharField(
        _("certificate number"), max_length=30, unique=True, null=True, blank=True, editable=False
    )
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusing"), max_length=300, blank=True)

    scope_path = "application__responsible_unit"

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "id"])]
        verbose_name = _("numbering request")
        verbose_name_plural = _("numbering requests")
        permissions = [
            ("collect_numberingrequest", _("Can accrue a numbering fee and record its payment")),
        ]

    def __str__(self) -> str:
        return f"{self.application.number} — {self.application.applicant_name}"

    @property
    def address(self) -> str:
        street = self.street
        number = f" No: {self.door_number}" if self.door_number else ""
        return (
            f"{street.neighbourhood} Mah. {street.name} {street.get_kind_display_short()}{number}"
        )


class StreetNamingProposal(ChangeLoggedModel):
    """A proposal to name (or rename) a street, with its justification, sent to the council
    (meclis) and carrying the council's decision."""

    proposed_name = models.CharField(_("proposed name"), max_length=200)
    street = models.ForeignKey(
        Street,
        verbose_name=_("street"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="naming_proposals",
        help_text=_("Empty for a street not yet in the register (describe it below)."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=StreetKind.choices, default=StreetKind.STREET
    )
    neighbourhood = models.CharField(_("neighbourhood (mahalle)"), max_length=200, blank=True)
    area_description = models.CharField(
        _("area"), max_length=300, blank=True, help_text=_("Where the street runs, for a new one.")
    )
    justification = models.TextField(_("justification"))
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("preparing unit"),
        on_delete=models.PROTECT,
        related_name="street_naming_proposals",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="street_naming_proposals",
        help_text=_("The citizen's naming request it answers, if any."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    sent_on = models.DateField(_("sent to the council on"), null=True, blank=True)
    decision = models.CharField(
        _("council decision"), max_length=20, choices=CouncilDecision.choices, blank=True
    )
    decision_number = models.CharField(_("council decision no."), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decided_name = models.CharField(_("name decided"), max_length=200, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    scope_path = "unit"

    class Meta:
        ordering = ["-id"]
        verbose_name = _("street naming proposal")
        verbose_name_plural = _("street naming proposals")
        permissions = [
            ("decide_streetnamingproposal", _("Can record the council's decision on a naming")),
        ]

    def __str__(self) -> str:
        return self.proposed_name
