"""Filters of the BGYS lists, shared by the web lists and the API. Filters that run a method
declare their type for the API schema (drf-spectacular cannot infer it)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.bgys.models import (
    LEVEL_CHOICES,
    ApplicabilityEntry,
    Assessment,
    AssetGroup,
    Framework,
    ImplementationState,
    Measure,
    MeasureMapping,
    Section,
)
from biys.org.filtersets import SearchFilterSet, UnitScopedFilterSet
from biys.org.models import Person, Unit


@extend_schema_field(OpenApiTypes.INT)
class SectionFilter(django_filters.ModelChoiceFilter):
    """A section with its sub-sections."""


@extend_schema_field(OpenApiTypes.INT)
class UnitFilter(django_filters.ModelMultipleChoiceFilter):
    """The owning unit (declared: the schema cannot read the type of a method filter)."""


def _in_section(queryset, section, prefix: str = ""):
    if section is None:
        return queryset
    return queryset.filter(
        Q(**{f"{prefix}section": section})
        | Q(
            **{
                f"{prefix}section__number__startswith": section.number + ".",
                f"{prefix}framework": section.framework_id,
            }
        )
    )


class FrameworkFilterSet(SearchFilterSet):
    search_lookups = ("name", "slug", "publisher")

    class Meta:
        model = Framework
        fields = ["q"]


class MeasureFilterSet(SearchFilterSet):
    """``q`` finds numbers, titles and texts; ``section`` takes its sub-sections too."""

    search_lookups = ("number", "title", "text")
    framework = django_filters.ModelChoiceFilter(
        queryset=Framework.objects.all(), label=_("Framework")
    )
    level = django_filters.MultipleChoiceFilter(
        choices=LEVEL_CHOICES, label=pgettext_lazy("bgys", "Level")
    )
    section = SectionFilter(
        queryset=Section.objects.filter(depth__lte=2).select_related("framework"),
        method="filter_section",
        label=_("Section"),
    )

    class Meta:
        model = Measure
        fields = ["q", "framework", "level", "section"]

    def filter_section(self, queryset, name, section):
        return _in_section(queryset, section)


class AssessmentFilterSet(UnitScopedFilterSet):
    search_lookups = ("name",)
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    asset_group = django_filters.ModelChoiceFilter(
        queryset=AssetGroup.objects.all(), label=_("Asset group heading")
    )
    level = django_filters.MultipleChoiceFilter(choices=LEVEL_CHOICES, label=_("Criticality level"))

    class Meta:
        model = Assessment
        fields = ["q", "unit", "include_subtree", "asset_group", "level"]


class ApplicabilityEntryFilterSet(UnitScopedFilterSet):
    search_lookups = ("measure__number", "measure__title", "reason")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    framework = django_filters.ModelChoiceFilter(
        field_name="measure__framework", queryset=Framework.objects.all(), label=_("Framework")
    )
    level = django_filters.MultipleChoiceFilter(
        field_name="measure__level", choices=LEVEL_CHOICES, label=pgettext_lazy("bgys", "Level")
    )
    section = SectionFilter(
        queryset=Section.objects.filter(depth__lte=2).select_related("framework"),
        method="filter_section",
        label=_("Section"),
    )
    assessment = django_filters.ModelChoiceFilter(
        queryset=Assessment.objects.all(), label=_("Criticality assessment")
    )
    applicable = django_filters.BooleanFilter(label=_("Applicable"))
    state = django_filters.MultipleChoiceFilter(
        choices=ImplementationState.choices, label=_("Implementation state")
    )
    owner = django_filters.ModelChoiceFilter(queryset=Person.objects.all(), label=_("Owner"))
    panel_fields = (
        "q",
        "unit",
        "include_subtree",
        "framework",
        "level",
        "section",
        "applicable",
        "state",
    )

    class Meta:
        model = ApplicabilityEntry
        fields = [
            "q", "unit", "include_subtree", "framework", "level", "section", "assessment",
            "applicable", "state", "owner",
        ]  # fmt: skip

    def filter_section(self, queryset, name, section):
        return _in_section(queryset, section, prefix="measure__")


class MeasureMappingFilterSet(SearchFilterSet):
    search_lookups = ("source__number", "target__number", "reference")
    source_framework = django_filters.ModelChoiceFilter(
        field_name="source__framework", queryset=Framework.objects.all(), label=_("Framework")
    )
    target_framework = django_filters.ModelChoiceFilter(
        field_name="target__framework",
        queryset=Framework.objects.all(),
        label=_("Corresponding framework"),
    )
    verified = django_filters.BooleanFilter(method="filter_verified", label=_("Verified"))

    class Meta:
        model = MeasureMapping
        fields = ["q", "source_framework", "target_framework", "verified", "source", "target"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_verified(self, queryset, name, value):
        if value is None:
            return queryset
        unverified = Q(reference="")
        return queryset.exclude(unverified) if value else queryset.filter(unverified)
