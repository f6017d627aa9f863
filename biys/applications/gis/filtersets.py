"""Filters of the GIS data sale lists, shared by the web lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.applications.choices import ApplicantKind
from biys.applications.gis.choices import ChargeUnit, DataFormat, SaleState
from biys.applications.gis.models import GisDataSale, GisLayer, GisTariff, GisTariffLine
from biys.core.filtersets import ColumnChoicesFilter
from biys.org.filtersets import UnitScopedFilterSet
from biys.org.models import Unit


class GisLayerFilterSet(UnitScopedFilterSet):
    search_lookups = ("code", "name", "description")

    class Meta:
        model = GisLayer
        fields = ["q", "unit", "active"]


class GisTariffFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "council_decision", "notes")
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("Valid on"))

    class Meta:
        model = GisTariff
        fields = ["q", "valid_on", "unit"]

    def filter_valid_on(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(valid_from__lte=value).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=value)
        )


class GisTariffLineFilterSet(UnitScopedFilterSet):
    search_lookups = ("layer__name", "note")
    unit_lookup = "tariff__unit"
    data_format = django_filters.ChoiceFilter(choices=DataFormat.choices, label=_("Format"))
    charge_unit = django_filters.ChoiceFilter(choices=ChargeUnit.choices, label=_("Charged per"))

    class Meta:
        model = GisTariffLine
        fields = ["q", "tariff", "layer", "data_format", "charge_unit"]


@extend_schema_field(OpenApiTypes.INT)
class ResponsibleUnitFilter(django_filters.ModelMultipleChoiceFilter):
    """The application's responsible unit."""


@extend_schema_field(OpenApiTypes.INT)
class LayerFilter(django_filters.ModelChoiceFilter):
    """Sales requesting this layer."""


class GisDataSaleFilterSet(UnitScopedFilterSet):
    search_lookups = ("application__number", "application__applicant_name", "accrual_number",
                      "payment_reference", "area_description")  # fmt: skip
    unit_lookup = "application__responsible_unit"
    unit = ResponsibleUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    state = ColumnChoicesFilter(choices=SaleState.choices, label=_("State"))
    applicant_kind = django_filters.ChoiceFilter(
        field_name="application__applicant_kind",
        choices=ApplicantKind.choices,
        label=_("Applicant is a"),
    )
    layer = LayerFilter(
        field_name="items__layer", queryset=GisLayer.objects.all(), label=_("Data layer"),
        distinct=True,
    )  # fmt: skip
    received_from = django_filters.DateFilter(
        field_name="application__received_on", lookup_expr="gte", label=_("Received from")
    )
    received_to = django_filters.DateFilter(
        field_name="application__received_on", lookup_expr="lte", label=_("Received until")
    )
    paid_from = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="gte", label=_("Paid from")
    )
    paid_to = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="lte", label=_("Paid until")
    )

    class Meta:
        model = GisDataSale
        fields = ["q", "state", "applicant_kind", "layer", "unit", "received_from",
                  "received_to", "paid_from", "paid_to"]  # fmt: skip
