"""Filters of the 5651 lists, shared by the web lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from biys.logs5651.models import DailySeal, LogFile, LogSource, SealStatus, SourceKind
from biys.org.filtersets import UnitScopedFilterSet


class LogSourceFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "notes")
    kind = django_filters.MultipleChoiceFilter(choices=SourceKind.choices, label=_("Kind"))

    class Meta:
        model = LogSource
        fields = ["q", "unit", "kind", "parser", "active"]


class LogFileFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "source__name", "sha256")
    unit_lookup = "source__unit"
    day_from = django_filters.DateFilter(field_name="day", lookup_expr="gte", label=_("From"))
    day_to = django_filters.DateFilter(field_name="day", lookup_expr="lte", label=_("To"))

    class Meta:
        model = LogFile
        fields = ["q", "unit", "source", "day_from", "day_to"]


class DailySealFilterSet(UnitScopedFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=SealStatus.choices, label=_("Status"))
    day_from = django_filters.DateFilter(field_name="day", lookup_expr="gte", label=_("From"))
    day_to = django_filters.DateFilter(field_name="day", lookup_expr="lte", label=_("To"))

    class Meta:
        model = DailySeal
        fields = ["unit", "status", "day_from", "day_to"]
