"""Filters of the 5651 lists, shared by the web lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.core.filtersets import ColumnChoicesFilter
from biys.logs5651.models import DailySeal, LogFile, LogSource, SealStatus, SourceKind
from biys.org.filtersets import UnitScopedFilterSet
from biys.org.models import Unit


class LogSourceFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "notes")
    kind = ColumnChoicesFilter(choices=SourceKind.choices, label=_("Kind"))

    class Meta:
        model = LogSource
        fields = ["q", "unit", "kind", "parser", "active"]


@extend_schema_field(OpenApiTypes.INT)
class SourceUnitFilter(django_filters.ModelMultipleChoiceFilter):
    """The unit of the file's source (the model has no unit of its own to guess from)."""


class LogFileFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "source__name", "sha256")
    unit_lookup = "source__unit"
    unit = SourceUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    day_from = django_filters.DateFilter(field_name="day", lookup_expr="gte", label=_("From"))
    day_to = django_filters.DateFilter(field_name="day", lookup_expr="lte", label=_("To"))

    class Meta:
        model = LogFile
        fields = ["q", "unit", "source", "day_from", "day_to"]


class DailySealFilterSet(UnitScopedFilterSet):
    status = ColumnChoicesFilter(choices=SealStatus.choices, label=_("Status"))
    day_from = django_filters.DateFilter(field_name="day", lookup_expr="gte", label=_("From"))
    day_to = django_filters.DateFilter(field_name="day", lookup_expr="lte", label=_("To"))

    class Meta:
        model = DailySeal
        fields = ["unit", "status", "day_from", "day_to"]
