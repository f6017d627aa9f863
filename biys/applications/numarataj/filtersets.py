"""Filters of the numbering and street naming lists, shared by the web lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.applications.numarataj.choices import FeeKind, ProposalState, RequestState, StreetKind
from biys.applications.numarataj.models import (
    Building,
    NumberingRequest,
    NumberingTariff,
    Street,
    StreetNamingProposal,
)
from biys.core.filtersets import ColumnChoicesFilter
from biys.org.filtersets import SearchFilterSet, UnitScopedFilterSet
from biys.org.models import Unit


class StreetFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "neighbourhood", "code")
    kind = django_filters.ChoiceFilter(choices=StreetKind.choices, label=_("Kind"))
    neighbourhood = django_filters.CharFilter(
        lookup_expr="iexact", label=_("Neighbourhood (mahalle)")
    )

    class Meta:
        model = Street
        fields = ["q", "kind", "neighbourhood", "unit", "active"]


@extend_schema_field(OpenApiTypes.INT)
class StreetChoiceFilter(django_filters.ModelChoiceFilter):
    """The street."""


@extend_schema_field(OpenApiTypes.INT)
class KeepingUnitFilter(django_filters.ModelMultipleChoiceFilter):
    """The street's keeping unit."""


class BuildingFilterSet(UnitScopedFilterSet):
    search_lookups = ("door_number", "block", "parcel", "building_name", "street__name")
    unit_lookup = "street__unit"
    unit = KeepingUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    street = StreetChoiceFilter(queryset=Street.objects.all(), label=_("Street"))
    block = django_filters.CharFilter(label=_("Block (ada)"))
    parcel = django_filters.CharFilter(label=_("Parcel (parsel)"))

    class Meta:
        model = Building
        fields = ["q", "street", "block", "parcel", "unit"]


@extend_schema_field(OpenApiTypes.INT)
class ResponsibleUnitFilter(django_filters.ModelMultipleChoiceFilter):
    """The application's responsible unit."""


class NumberingRequestFilterSet(UnitScopedFilterSet):
    search_lookups = ("application__number", "application__applicant_name", "accrual_number",
                      "certificate_number", "block", "parcel", "street__name")  # fmt: skip
    unit_lookup = "application__responsible_unit"
    unit = ResponsibleUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    state = ColumnChoicesFilter(choices=RequestState.choices, label=_("State"))
    street = StreetChoiceFilter(queryset=Street.objects.all(), label=_("Street"))
    received_from = django_filters.DateFilter(
        field_name="application__received_on", lookup_expr="gte", label=_("Received from")
    )
    received_to = django_filters.DateFilter(
        field_name="application__received_on", lookup_expr="lte", label=_("Received until")
    )

    class Meta:
        model = NumberingRequest
        fields = ["q", "state", "street", "unit", "received_from", "received_to"]


class StreetNamingProposalFilterSet(UnitScopedFilterSet):
    search_lookups = ("proposed_name", "decided_name", "neighbourhood", "decision_number")
    state = ColumnChoicesFilter(choices=ProposalState.choices, label=_("State"))

    class Meta:
        model = StreetNamingProposal
        fields = ["q", "state", "unit"]


class NumberingTariffFilterSet(SearchFilterSet):
    """The tariff's rows: by kind, and ``valid_on`` a day (per kind, the row in force then)."""

    search_lookups = ("council_decision",)
    kind = django_filters.ChoiceFilter(choices=FeeKind.choices, label=_("Charged for"))
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("Valid on"))

    class Meta:
        model = NumberingTariff
        fields = ["q", "kind", "valid_on"]

    def filter_valid_on(self, queryset, name, value):
        from biys.applications.numarataj.selectors import tariff_on

        return queryset.filter(pk__in=[row.pk for row in tariff_on(value).values()])
