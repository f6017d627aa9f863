"""Filters of the KVKK lists, shared by the web lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.kvkk import selectors
from biys.kvkk.choices import ListKind, RequestState, Right
from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest
from biys.org.filtersets import SearchFilterSet, UnitScopedFilterSet


@extend_schema_field(OpenApiTypes.BOOL)
class OverdueFilter(django_filters.BooleanFilter):
    """Open after its answer deadline (a computed condition, no column)."""


@extend_schema_field(OpenApiTypes.INT)
class ListItemFilter(django_filters.ModelChoiceFilter):
    """Activities with this pick-list entry."""


class ListItemFilterSet(SearchFilterSet):
    search_lookups = ("name", "code")
    kind = django_filters.ChoiceFilter(choices=ListKind.choices, label=_("List"))
    special = django_filters.BooleanFilter(label=_("Special category"))
    active = django_filters.BooleanFilter(label=pgettext_lazy("kvkk", "Active"))

    class Meta:
        model = ListItem
        fields = ["q", "kind", "special", "active"]


class ProcessingActivityFilterSet(UnitScopedFilterSet):
    """``q`` finds the activity's name, description and data items."""

    search_lookups = ("name", "description", "personal_data")
    data_category = ListItemFilter(
        field_name="data_categories",
        queryset=ListItem.objects.filter(kind=ListKind.DATA_CATEGORY),
        label=_("Data category"),
        distinct=True,
    )
    special = django_filters.BooleanFilter(
        method="filter_special", label=_("Special categories processed")
    )
    transfer_abroad = django_filters.BooleanFilter(label=_("Transferred abroad"))
    active = django_filters.BooleanFilter(label=pgettext_lazy("kvkk", "Active"))

    class Meta:
        model = ProcessingActivity
        fields = ["q", "unit", "include_subtree", "data_category", "special",
                  "transfer_abroad", "active"]  # fmt: skip

    panel_fields = ("unit", "include_subtree", "data_category", "special", "transfer_abroad",
                    "active")  # fmt: skip

    def filter_special(self, queryset, name, value):
        if value is None:
            return queryset
        special = ProcessingActivity.data_categories.through.objects.filter(
            listitem__special=True
        ).values("processingactivity_id")
        return queryset.filter(pk__in=special) if value else queryset.exclude(pk__in=special)


class SubjectRequestFilterSet(UnitScopedFilterSet):
    """``q`` finds the number and the applicant's name (never the TC kimlik number: the
    personal-data report finds a person by it)."""

    search_lookups = ("number", "applicant_name")
    state = django_filters.MultipleChoiceFilter(
        choices=RequestState.choices, label=_("Request state"), distinct=False
    )
    right = django_filters.MultipleChoiceFilter(
        choices=Right.choices, label=pgettext_lazy("kvkk", "Request"), distinct=False
    )
    overdue = OverdueFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = SubjectRequest
        fields = ["q", "state", "right", "unit", "include_subtree", "overdue"]

    panel_fields = ("state", "right", "unit", "include_subtree", "overdue")

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = selectors.overdue_q(selectors.today())
        return queryset.filter(condition) if value else queryset.exclude(condition)
