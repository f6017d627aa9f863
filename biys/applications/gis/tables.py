"""Tables of the GIS data sale lists (their columns are the CSV and Excel exports too)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from biys.applications.gis.models import GisDataSale, GisLayer, GisTariff, GisTariffLine
from biys.core.tables import BiysTable


class GisLayerTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    unit = tables.Column(verbose_name=_("Producing unit"), order_by=("unit__name",))

    class Meta(BiysTable.Meta):
        model = GisLayer
        fields = ("name", "code", "unit", "position", "active")


class GisTariffTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    valid_from = tables.DateColumn(verbose_name=_("Valid from"), format="d.m.Y")
    valid_until = tables.DateColumn(verbose_name=_("Valid until"), format="d.m.Y")

    class Meta(BiysTable.Meta):
        model = GisTariff
        fields = ("name", "valid_from", "valid_until", "council_decision", "unit")


class GisTariffLineTable(BiysTable):
    layer = tables.Column(
        verbose_name=_("Data layer"), linkify=lambda record: record.get_absolute_url()
    )
    tariff = tables.Column(verbose_name=_("Tariff"), order_by=("tariff__valid_from",))

    class Meta(BiysTable.Meta):
        model = GisTariffLine
        fields = ("layer", "data_format", "charge_unit", "unit_price", "minimum_charge",
                  "kdv_rate", "tariff")  # fmt: skip


class GisDataSaleTable(BiysTable):
    number = tables.Column(
        verbose_name=_("Application number"),
        accessor="application__number",
        order_by=("application__number",),
        linkify=lambda record: record.get_absolute_url(),
    )
    applicant = tables.Column(
        verbose_name=_("Applicant"),
        accessor="application__applicant_name",
        order_by=("application__applicant_name",),
    )
    received_on = tables.DateColumn(
        verbose_name=_("Received on"),
        accessor="application__received_on",
        order_by=("application__received_on",),
        format="d.m.Y",
    )
    unit = tables.Column(
        verbose_name=_("Responsible unit"),
        accessor="application__responsible_unit__name",
        order_by=("application__responsible_unit__name",),
    )
    total = tables.Column(verbose_name=_("Total (TRY)"))
    paid_on = tables.DateColumn(verbose_name=_("Paid on"), format="d.m.Y")

    class Meta(BiysTable.Meta):
        model = GisDataSale
        fields = ("number", "applicant", "received_on", "state", "area_description", "total",
                  "accrual_number", "paid_on", "unit")  # fmt: skip
