"""Filters of the BGYS lists, shared by the web lists and the API. Filters that run a method
declare their type for the API schema (drf-spectacular cannot infer it)."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.bgys.models import (
    LEVEL_CHOICES,
    ApplicabilityEntry,
    Assessment,
    AssetGroup,
    AssetKind,
    Framework,
    ImplementationState,
    InformationAsset,
    Measure,
    MeasureMapping,
    Methodology,
    Risk,
    RiskStatus,
    Section,
    Threat,
    Treatment,
    Vulnerability,
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


class InformationAssetFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "description", "platform_references")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    kind = django_filters.MultipleChoiceFilter(choices=AssetKind.choices, label=_("Kind"))
    asset_group = django_filters.ModelChoiceFilter(
        queryset=AssetGroup.objects.all(), label=_("Asset group heading")
    )
    owner = django_filters.ModelChoiceFilter(queryset=Person.objects.all(), label=_("Asset owner"))

    class Meta:
        model = InformationAsset
        fields = ["q", "unit", "include_subtree", "kind", "asset_group", "owner"]


class CatalogueFilterSet(SearchFilterSet):
    search_lookups = ("name", "description")


class ThreatFilterSet(CatalogueFilterSet):
    class Meta:
        model = Threat
        fields = ["q"]


class VulnerabilityFilterSet(CatalogueFilterSet):
    class Meta:
        model = Vulnerability
        fields = ["q"]


class MethodologyFilterSet(SearchFilterSet):
    search_lookups = ("name",)

    class Meta:
        model = Methodology
        fields = ["q"]


class RiskFilterSet(UnitScopedFilterSet):
    """The heat map's cells link here with ``likelihood`` and ``impact`` (inherent) or
    ``residual_likelihood`` and ``residual_impact``."""

    unit_lookup = "asset__unit"
    search_lookups = ("asset__name", "threat__name", "vulnerability__name", "description")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    asset = django_filters.ModelChoiceFilter(
        queryset=InformationAsset.objects.all(), label=_("Information asset")
    )
    methodology = django_filters.ModelChoiceFilter(
        queryset=Methodology.objects.all(), label=_("Risk methodology")
    )
    threat = django_filters.ModelChoiceFilter(queryset=Threat.objects.all(), label=_("Threat"))
    vulnerability = django_filters.ModelChoiceFilter(
        queryset=Vulnerability.objects.all(), label=_("Vulnerability")
    )
    status = django_filters.MultipleChoiceFilter(choices=RiskStatus.choices, label=_("Status"))
    treatment = django_filters.MultipleChoiceFilter(choices=Treatment.choices, label=_("Treatment"))
    owner = django_filters.ModelChoiceFilter(queryset=Person.objects.all(), label=_("Risk owner"))
    likelihood = django_filters.NumberFilter(label=_("Likelihood"))
    impact = django_filters.NumberFilter(label=_("Impact"))
    residual_likelihood = django_filters.NumberFilter(label=_("Residual likelihood"))
    residual_impact = django_filters.NumberFilter(label=_("Residual impact"))
    above_appetite = django_filters.BooleanFilter(
        method="filter_above_appetite", label=_("Above the risk appetite")
    )
    panel_fields = ("q", "unit", "include_subtree", "status", "treatment", "above_appetite")

    class Meta:
        model = Risk
        fields = [
            "q", "unit", "include_subtree", "asset", "methodology", "threat", "vulnerability",
            "status", "treatment", "owner", "likelihood", "impact", "residual_likelihood",
            "residual_impact", "above_appetite",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_above_appetite(self, queryset, name, value):
        if value is None:
            return queryset
        above = Q(inherent_score__gt=F("methodology__appetite"))
        return queryset.filter(above) if value else queryset.exclude(above)
