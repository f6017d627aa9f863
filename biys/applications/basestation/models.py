"""Base-station sites (baz istasyonu; mersin-bb MADDE 9 (3) f, g; trabzon-bb MADDE 11 ü, v, y,
z; kocaeli-bb MADDE 8 d, e).

An ``Operator`` is a licensed mobile operator (its tax number and BTK authorisation). A
``BaseStationSite`` is the site side of an operator's permit application, an application of the
shipped type ``baz-istasyonu-yer-secim`` (or ``mobil-baz-istasyonu`` for a mobile station): the
applicant, the legal deadline and the responsible unit are the application's; the site adds
its location (coordinates, block and parcel, address), the documents the type requires and
which of them came, the inspection visit, the decision, the fee or rent contract with its
yearly accruals (``SiteAccrual``, one per year) and the right-of-way agreement. A
``SiteComplaint`` is a resident's complaint (an application of the type
``baz-istasyonu-sikayet``) tied to the site it is about.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from biys.applications.basestation.choices import (
    ComplaintState,
    ContractKind,
    SiteKind,
    SiteState,
)
from biys.core.models import ChangeLoggedModel

MONEY = {"max_digits": 14, "decimal_places": 2}
COORDINATE = {"max_digits": 9, "decimal_places": 6}


def latitude_text(value) -> str:
    """A latitude as a reader takes it without a doubt about the decimal comma: the degrees in
    the language's numbers and the hemisphere (Turkish "36,812100° K", English
    "36.812100° N")."""
    from biys.core.report_files import number

    value = Decimal(value)
    hemisphere = pgettext("latitude", "N") if value >= 0 else pgettext("latitude", "S")
    return f"{number(abs(value), decimal_pos=6)}° {hemisphere}"


def longitude_text(value) -> str:
    """A longitude the same way (Turkish "34,641500° D", English "34.641500° E")."""
    from biys.core.report_files import number

    value = Decimal(value)
    hemisphere = pgettext("longitude", "E") if value >= 0 else pgettext("longitude", "W")
    return f"{number(abs(value), decimal_pos=6)}° {hemisphere}"


class Operator(ChangeLoggedModel):
    """A mobile operator licensed by the BTK (Turkcell, Vodafone, Türk Telekom, ...)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    tax_number = models.CharField(_("tax number (VKN)"), max_length=10)
    authorisation = models.CharField(
        _("BTK authorisation"),
        max_length=100,
        blank=True,
        help_text=_("The number of the operator's authorisation by the BTK."),
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("keeping unit"),
        on_delete=models.PROTECT,
        related_name="base_station_operators",
    )
    active = models.BooleanField(_("active"), default=True)

    scope_path = "unit"
    visible_to_all_staff = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("operator")
        verbose_name_plural = _("operators")

    def __str__(self) -> str:
        return self.name


class BaseStationSite(ChangeLoggedModel):
    """An operator's site permit on an application: received → inspected → approved (or
    refused) → under contract, with its yearly accruals and right-of-way agreement."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="base_station_site",
    )
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="sites"
    )
    site_code = models.CharField(
        _("operator's site code"), max_length=50, blank=True, help_text=_("e.g. MER0123")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    latitude = models.DecimalField(
        _("latitude"),
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
        **COORDINATE,
    )
    longitude = models.DecimalField(
        _("longitude"),
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
        **COORDINATE,
    )
    neighbourhood = models.CharField(_("neighbourhood (mahalle)"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    block = models.CharField(_("block (ada)"), max_length=20, blank=True)
    parcel = models.CharField(_("parcel (parsel)"), max_length=20, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=SiteState.choices, default=SiteState.RECEIVED
    )
    documents_received = models.JSONField(
        _("documents received"),
        default=list,
        blank=True,
        help_text=_("The documents of the application type that came."),
    )
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    inspection_note = models.TextField(_("inspection note"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_note = models.TextField(
        _("decision note"), blank=True, help_text=_("The conditions, or the reason for refusing.")
    )
    contract_kind = models.CharField(
        _("contract kind"), max_length=10, choices=ContractKind.choices, blank=True
    )
    contract_number = models.CharField(_("contract number"), max_length=50, blank=True)
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    yearly_amount = models.DecimalField(
        _("yearly amount (TRY)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        **MONEY,
    )
    right_of_way_number = models.CharField(
        _("right-of-way agreement number"), max_length=50, blank=True
    )
    right_of_way_signed_on = models.DateField(
        _("right-of-way agreement signed on"), null=True, blank=True
    )
    right_of_way_route = models.TextField(
        _("right-of-way route"),
        blank=True,
        help_text=_("The cable or power line route over municipal property."),
    )

    scope_path = "application__responsible_unit"

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["state", "id"]),
            # The bounding box of the nearest sites (``selectors.nearest_sites``).
            models.Index(fields=["latitude", "longitude"], name="site_coordinates"),
        ]
        verbose_name = _("base-station site")
        verbose_name_plural = _("base-station sites")
        permissions = [
            ("decide_basestationsite", _("Can decide on a base-station site permit")),
            (
                "collect_basestationsite",
                _("Can record a base-station contract and accrue its yearly fee or rent"),
            ),
        ]

    def __str__(self) -> str:
        code = f" {self.site_code}" if self.site_code else ""
        return f"{self.application.number} — {self.operator.name}{code}"

    @property
    def coordinates_text(self) -> str:
        """ "36,812100° K, 34,641500° D": each number closed by its hemisphere, so the
        decimal commas and the comma between them cannot be mixed up."""
        return f"{latitude_text(self.latitude)}, {longitude_text(self.longitude)}"

    @property
    def place(self) -> str:
        parts = [self.neighbourhood, self.address]
        if self.block or self.parcel:
            parts.append(f"{self.block}/{self.parcel}")
        return ", ".join(part for part in parts if part)


class SiteAccrual(ChangeLoggedModel):
    """The fee or rent of one contract year, accrued (``BAZ-TAH-YYYY-NNNNN``) and paid."""

    site = models.ForeignKey(
        BaseStationSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="accruals"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (TRY)"), validators=[MinValueValidator(0)], **MONEY)
    accrual_number = models.CharField(_("accrual number"), max_length=30, unique=True)
    accrued_on = models.DateField(_("accrued on"))
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    scope_path = "site__application__responsible_unit"

    class Meta:
        ordering = ["site", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["site", "year"], name="basestation_accrual_once_a_year")
        ]
        verbose_name = _("site accrual")
        verbose_name_plural = _("site accruals")

    def __str__(self) -> str:
        return f"{self.accrual_number} ({self.year})"


class SiteComplaint(ChangeLoggedModel):
    """A resident's complaint about a site, on an application of the type
    ``baz-istasyonu-sikayet`` (its legal deadline and responsible unit)."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="site_complaint",
    )
    site = models.ForeignKey(
        BaseStationSite,
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ComplaintState.choices, default=ComplaintState.OPEN
    )
    finding = models.TextField(
        _("finding"), blank=True, help_text=_("What the inspection found; the answer given.")
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    scope_path = "application__responsible_unit"

    class Meta:
        ordering = ["-id"]
        verbose_name = _("site complaint")
        verbose_name_plural = _("site complaints")

    def __str__(self) -> str:
        return f"{self.application.number} — {self.site}"
