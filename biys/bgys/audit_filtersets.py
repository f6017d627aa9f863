"""Filters of the internal audit lists, shared by the web lists and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.bgys.audit_models import (
    Audit,
    AuditPlan,
    AuditState,
    ChecklistItem,
    ChecklistResult,
    CorrectiveAction,
    CorrectiveState,
    Finding,
    FindingKind,
    ManagementReview,
    ReviewAction,
)
from biys.bgys.filtersets import UnitFilter
from biys.core.filtersets import ColumnChoicesFilter, YearFilter
from biys.org.filtersets import UnitScopedFilterSet
from biys.org.models import Person, Unit

OPEN_STATES = (CorrectiveState.OPEN, CorrectiveState.IMPLEMENTED)


class AuditPlanFilterSet(UnitScopedFilterSet):
    search_lookups = ("title", "notes")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    year = YearFilter(label=_("Year"))

    class Meta:
        model = AuditPlan
        fields = ["q", "unit", "include_subtree", "year"]


class AuditFilterSet(UnitScopedFilterSet):
    search_lookups = ("title", "scope")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    plan = django_filters.ModelChoiceFilter(
        queryset=AuditPlan.objects.all(), label=_("Internal audit plan")
    )
    state = ColumnChoicesFilter(choices=AuditState.choices, label=_("State"))
    year = YearFilter(field_name="planned_start__year", label=_("Year"))
    auditor = django_filters.ModelChoiceFilter(
        field_name="auditors", queryset=Person.objects.all(), label=_("Auditor")
    )
    panel_fields = ("q", "unit", "include_subtree", "state", "year")

    class Meta:
        model = Audit
        fields = ["q", "unit", "include_subtree", "plan", "state", "year", "auditor"]


class ChecklistItemFilterSet(UnitScopedFilterSet):
    unit_lookup = "audit__unit"
    search_lookups = ("measure__number", "measure__title", "notes")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    audit = django_filters.ModelChoiceFilter(
        queryset=Audit.objects.all(), label=_("Internal audit")
    )
    result = ColumnChoicesFilter(choices=ChecklistResult.choices, label=_("Result"))
    panel_fields = ("q", "audit", "result")

    class Meta:
        model = ChecklistItem
        fields = ["q", "unit", "include_subtree", "audit", "result"]


class FindingFilterSet(UnitScopedFilterSet):
    unit_lookup = "audit__unit"
    search_lookups = ("description", "measure__number", "audit__title")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    audit = django_filters.ModelChoiceFilter(
        queryset=Audit.objects.all(), label=_("Internal audit")
    )
    kind = ColumnChoicesFilter(choices=FindingKind.choices, label=_("Kind"))
    panel_fields = ("q", "unit", "include_subtree", "audit", "kind")

    class Meta:
        model = Finding
        fields = ["q", "unit", "include_subtree", "audit", "kind"]


class CorrectiveActionFilterSet(UnitScopedFilterSet):
    search_lookups = ("root_cause", "actions", "finding__description", "finding__audit__title")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    audit = django_filters.ModelChoiceFilter(
        field_name="finding__audit", queryset=Audit.objects.all(), label=_("Internal audit")
    )
    state = ColumnChoicesFilter(choices=CorrectiveState.choices, label=_("State"))
    owner = django_filters.ModelChoiceFilter(queryset=Person.objects.all(), label=_("Owner"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    panel_fields = ("q", "unit", "include_subtree", "state", "overdue")

    class Meta:
        model = CorrectiveAction
        fields = ["q", "unit", "include_subtree", "audit", "state", "owner", "overdue"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(state__in=OPEN_STATES, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ManagementReviewFilterSet(UnitScopedFilterSet):
    search_lookups = ("title", "inputs", "decisions")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    year = YearFilter(field_name="held_on__year", label=_("Year"))

    class Meta:
        model = ManagementReview
        fields = ["q", "unit", "include_subtree", "year"]


class ReviewActionFilterSet(UnitScopedFilterSet):
    unit_lookup = "review__unit"
    search_lookups = ("description", "notes")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    review = django_filters.ModelChoiceFilter(
        queryset=ManagementReview.objects.all(), label=_("Management review")
    )
    owner = django_filters.ModelChoiceFilter(queryset=Person.objects.all(), label=_("Owner"))
    done = django_filters.BooleanFilter(
        field_name="done_on", lookup_expr="isnull", exclude=True, label=_("Done")
    )
    panel_fields = ("q", "unit", "include_subtree", "review", "done")

    class Meta:
        model = ReviewAction
        fields = ["q", "unit", "include_subtree", "review", "owner", "done"]
