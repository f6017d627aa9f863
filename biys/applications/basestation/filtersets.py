"""Filters of the base-station lists, shared by the web lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.applications.basestation.choices import ComplaintState, SiteKind, SiteState
from biys.applications.basestation.models import BaseStationSite, Operator, SiteComplaint
from biys.core.filtersets import ColumnChoicesFilter
from biys.org.filtersets import UnitScopedFilterSet
from biys.org.models import Unit


class OperatorFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "tax_number", "authorisation")

    class Meta:
        model = Operator
        fields = ["q", "unit", "active"]


@extend_schema_field(OpenApiTypes.INT)
class OperatorChoiceFilter(django_filters.ModelChoiceFilter):
    """The operator."""


@extend_schema_field(OpenApiTypes.INT)
class SiteResponsibleUnitFilter(django_filters.ModelMultipleChoiceFilter):
    """The application's responsible unit."""


class BaseStationSiteFilterSet(UnitScopedFilterSet):
    search_lookups = ("application__number", "site_code", "neighbourhood", "address", "block",
                      "parcel", "contract_number", "operator__name")  # fmt: skip
    unit_lookup = "application__responsible_unit"
    unit = SiteResponsibleUnitFilter(
        queryset=Unit.objects.all(), method="filter_unit", label=_("Unit")
    )
    state = ColumnChoicesFilter(choices=SiteState.choices, label=_("State"))
    kind = django_filters.ChoiceFilter(choices=SiteKind.choices, label=_("Kind"))
    operator = OperatorChoiceFilter(queryset=Operator.objects.all(), label=_("Operator"))

    class Meta:
        model = BaseStationSite
        fields = ["q", "state", "kind", "operator", "unit"]


@extend_schema_field(OpenApiTypes.INT)
class SiteChoiceFilter(django_filters.ModelChoiceFilter):
    """The site complained about."""


class SiteComplaintFilterSet(UnitScopedFilterSet):
    search_lookups = ("application__number", "application__subject", "site__site_code")
    unit_lookup = "application__responsible_unit"
    unit = SiteResponsibleUnitFilter(
        queryset=Unit.objects.all(), method="filter_unit", label=_("Unit")
    )
    state = ColumnChoicesFilter(choices=ComplaintState.choices, label=_("State"))
    site = SiteChoiceFilter(queryset=BaseStationSite.objects.all(), label=_("Site"))

    class Meta:
        model = SiteComplaint
        fields = ["q", "state", "site", "unit"]
