"""GIS data sales (CBS veri satışı; trabzon-bb MADDE 9 (1) u, kocaeli-bb MADDE 7 ğ, j).

The council's approved tariff is dated data: a ``GisTariff`` (its council decision and the
days it is valid) with one ``GisTariffLine`` per data layer and format (the unit of charge,
the unit price in TRY, an optional minimum charge and the KDV rate). A ``GisDataSale`` is the
sale side of an application of the shipped type ``cbs-veri-satisi``: the applicant, the
legal deadline and the responsible unit are the application's; the sale adds the requested
layers (``GisSaleItem``), the quote priced by the tariff valid on the day of the request, the
accrual (tahakkuk) and the payment, the buyer's signed undertaking (an attachment) and the
records of the deliveries (``GisDelivery``, one or more parts, each with its lines: how much of
which requested layer went out; the sale stays open until every layer is delivered in full).
Access follows the application's responsible unit.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from biys.applications.gis.choices import ChargeUnit, DataFormat, DeliveryMethod, SaleState
from biys.core.models import ChangeLoggedModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class GisLayer(ChangeLoggedModel):
    """A data layer the municipality sells (halihazır harita, ortofoto, imar planı, ...)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("producing unit"),
        on_delete=models.PROTECT,
        related_name="gis_layers",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    scope_path = "unit"
    visible_to_all_staff = True

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("GIS data layer")
        verbose_name_plural = _("GIS data layers")

    def __str__(self) -> str:
        return self.name


class GisTariff(ChangeLoggedModel):
    """The tariff the council approved, valid from its first day until its last or until a
    later tariff starts (``selectors.tariff_on``). The tariff valid on a sale's request day
    prices it."""

    name = models.CharField(_("name"), max_length=200)
    council_decision = models.CharField(
        _("council decision"),
        max_length=200,
        help_text=_("e.g. the council's decision no. 512 of 04.12.2025"),
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    valid_from = models.DateField(
        _("valid from"), unique=True, help_text=_("A later tariff replaces it from its own day.")
    )
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: until a later tariff.")
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("keeping unit"),
        on_delete=models.PROTECT,
        related_name="gis_tariffs",
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "unit"
    visible_to_all_staff = True

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("GIS data tariff")
        verbose_name_plural = _("GIS data tariffs")

    def __str__(self) -> str:
        return self.name


class GisTariffLine(ChangeLoggedModel):
    """The price of one layer in one format under a tariff."""

    tariff = models.ForeignKey(
        GisTariff, verbose_name=_("tariff"), on_delete=models.CASCADE, related_name="lines"
    )
    layer = models.ForeignKey(
        GisLayer, verbose_name=_("data layer"), on_delete=models.PROTECT, related_name="+"
    )
    data_format = models.CharField(_("format"), max_length=20, choices=DataFormat.choices)
    charge_unit = models.CharField(_("charged per"), max_length=20, choices=ChargeUnit.choices)
    unit_price = models.DecimalField(
        _("unit price (TRY)"), validators=[MinValueValidator(0)], **MONEY
    )
    minimum_charge = models.DecimalField(
        _("minimum charge (TRY)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Charged when the quantity comes to less (before KDV)."),
        **MONEY,
    )
    kdv_rate = models.DecimalField(
        _("KDV rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_path = "tariff__unit"
    visible_to_all_staff = True

    class Meta:
        ordering = ["tariff", "layer__position", "layer__name", "data_format"]
        constraints = [
            models.UniqueConstraint(
                fields=["tariff", "layer", "data_format"], name="gis_tariff_line_once"
            )
        ]
        verbose_name = _("tariff line")
        verbose_name_plural = _("tariff lines")

    def __str__(self) -> str:
        return f"{self.layer} · {self.get_data_format_display()}"


class GisDataSale(ChangeLoggedModel):
    """The sale of GIS data on an application of the type ``cbs-veri-satisi``."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="gis_sale",
    )
    purpose = models.CharField(
        _("intended use"), max_length=300, blank=True, help_text=_("What the buyer needs it for.")
    )
    area_description = models.CharField(
        _("area"),
        max_length=300,
        blank=True,
        help_text=_("Neighbourhood, block and parcel, sheet numbers."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=SaleState.choices, default=SaleState.REQUESTED
    )
    tariff = models.ForeignKey(
        GisTariff,
        verbose_name=_("tariff"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales",
    )
    quoted_on = models.DateField(_("quoted on"), null=True, blank=True)
    net_total = models.DecimalField(_("amount before KDV"), null=True, blank=True, **MONEY)
    kdv_total = models.DecimalField(_("KDV"), null=True, blank=True, **MONEY)
    total = models.DecimalField(_("total (TRY)"), null=True, blank=True, **MONEY)
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
    paid_amount = models.DecimalField(_("amount paid"), null=True, blank=True, **MONEY)
    undertaking = models.ForeignKey(
        "attachments.Attachment",
        verbose_name=_("signed undertaking"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    undertaking_signed_on = models.DateField(_("undertaking signed on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    scope_path = "application__responsible_unit"
    # The signed undertaking carries the buyer's identity: read with the reveal permission.
    attachment_view_perm = "applications.reveal_applicant_data"

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "id"])]
        verbose_name = _("GIS data sale")
        verbose_name_plural = _("GIS data sales")
        permissions = [
            ("collect_gisdatasale", _("Can accrue a GIS data sale and record its payment")),
            ("deliver_gisdatasale", _("Can record the delivery of GIS data")),
        ]

    def __str__(self) -> str:
        return f"{self.application.number} — {self.application.applicant_name}"

    def may_add_attachment(self, user) -> bool:
        from biys.core.access import get_scope

        scope = get_scope(user)
        unit_id = self.application.responsible_unit_id
        return any(
            scope.has_perm(f"applications.{perm}", unit_id)
            for perm in ("change_gisdatasale", "collect_gisdatasale", "deliver_gisdatasale")
        )


class GisSaleItem(ChangeLoggedModel):
    """A requested layer in a format and its quantity (hectares, sheets or items); the price
    is copied from the tariff line when the sale is quoted."""

    sale = models.ForeignKey(
        GisDataSale, verbose_name=_("sale"), on_delete=models.CASCADE, related_name="items"
    )
    layer = models.ForeignKey(
        GisLayer, verbose_name=_("data layer"), on_delete=models.PROTECT, related_name="+"
    )
    data_format = models.CharField(_("format"), max_length=20, choices=DataFormat.choices)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(0)],
        help_text=_("Hectares, sheets or items, as the tariff charges the layer."),
    )
    tariff_line = models.ForeignKey(
        GisTariffLine,
        verbose_name=_("tariff line"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    charge_unit = models.CharField(
        _("charged per"), max_length=20, choices=ChargeUnit.choices, blank=True
    )
    unit_price = models.DecimalField(_("unit price (TRY)"), null=True, blank=True, **MONEY)
    minimum_charge = models.DecimalField(_("minimum charge (TRY)"), null=True, blank=True, **MONEY)
    kdv_rate = models.DecimalField(
        _("KDV rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    net_amount = models.DecimalField(_("amount before KDV"), null=True, blank=True, **MONEY)
    kdv_amount = models.DecimalField(_("KDV"), null=True, blank=True, **MONEY)
    total_amount = models.DecimalField(_("total (TRY)"), null=True, blank=True, **MONEY)

    scope_path = "sale__application__responsible_unit"

    class Meta:
        ordering = ["sale", "id"]
        verbose_name = _("requested layer")
        verbose_name_plural = _("requested layers")

    def __str__(self) -> str:
        return f"{self.layer} · {self.get_data_format_display()} · {self.quantity}"


class GisDelivery(ChangeLoggedModel):
    """One delivery (the whole order or a part of it): what went out (its lines), in which
    files, to whom, when and by whom, optionally with a file (the signed delivery receipt or
    the data itself, an attachment of the sale)."""

    sale = models.ForeignKey(
        GisDataSale, verbose_name=_("sale"), on_delete=models.CASCADE, related_name="deliveries"
    )
    delivered_at = models.DateTimeField(_("delivered at"))
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_name = models.CharField(_("received by"), max_length=200)
    method = models.CharField(_("delivered as"), max_length=20, choices=DeliveryMethod.choices)
    files = models.TextField(
        _("files delivered"), help_text=_("File names (and checksums), one per line.")
    )
    file = models.ForeignKey(
        "attachments.Attachment",
        verbose_name=_("file"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The signed delivery receipt or the data delivered (optional)."),
    )
    note = models.TextField(_("note"), blank=True)

    scope_path = "sale__application__responsible_unit"

    class Meta:
        ordering = ["-delivered_at", "-id"]
        verbose_name = _("GIS data delivery")
        verbose_name_plural = _("GIS data deliveries")

    def __str__(self) -> str:
        return f"{self.sale_id}: {self.recipient_name} {self.delivered_at:%Y-%m-%d %H:%M}"


class GisDeliveryLine(ChangeLoggedModel):
    """How much of one requested layer a delivery carried (hectares, sheets or items, as the
    layer was ordered); never more, over all deliveries, than was ordered."""

    delivery = models.ForeignKey(
        GisDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey(
        GisSaleItem,
        verbose_name=_("requested layer"),
        on_delete=models.PROTECT,
        related_name="delivered_lines",
    )
    quantity = models.DecimalField(
        _("quantity delivered"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )

    scope_path = "delivery__sale__application__responsible_unit"

    class Meta:
        ordering = ["delivery", "item_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "item"], name="gis_delivery_line_once"),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="gis_delivery_line_positive"
            ),
        ]
        verbose_name = _("delivered quantity")
        verbose_name_plural = _("delivered quantities")

    def __str__(self) -> str:
        return f"{self.item} · {self.quantity}"
