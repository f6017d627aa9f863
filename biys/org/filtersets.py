"""Filters for the organisation's lists, shared by the API and the web lists.

``q`` is the Turkish-aware search box (``İ``/``i``, ``I``/``ı`` and the other diacritics fold
alike). ``unit`` narrows to one or more units, and ``include_subtree`` widens each of them to
its whole subtree (a branch with its sections).
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.core.filtersets import CheapFilterCopiesMixin, ColumnChoicesFilter, NamedFiltersFormMixin
from biys.core.search import filter_by_terms
from biys.core.text import turkish_lower, turkish_upper
from biys.org.choices import EmploymentType, PersonStatus, UnitKind
from biys.org.models import (
    Article,
    Duty,
    DutyCategory,
    Municipality,
    Person,
    Position,
    Regulation,
    Title,
    Unit,
)


def _case_variants(term: str) -> set[str]:
    lower = turkish_lower(term)
    return {term, lower, turkish_upper(term), turkish_upper(lower[:1]) + lower[1:]}


class SearchFilterSet(CheapFilterCopiesMixin, NamedFiltersFormMixin, django_filters.FilterSet):
    """``q``: every word must appear. Searchable models match their folded ``search_text``;
    others match any of ``search_lookups`` in the word's Turkish lower, upper and title case
    (the databases' own case folding is ASCII-only or locale-bound)."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    search_lookups: tuple[str, ...] = ()

    def filter_q(self, queryset, name, value):
        if hasattr(queryset.model, "search_text"):
            return filter_by_terms(queryset, value)
        for term in value.split():
            condition = Q()
            for lookup in self.search_lookups:
                for variant in _case_variants(term):
                    condition |= Q(**{f"{lookup}__contains": variant})
            queryset = queryset.filter(condition)
        return queryset


class UnitScopedFilterSet(SearchFilterSet):
    """Adds ``unit`` and ``include_subtree`` over the lookup ``unit_lookup`` to the owning unit
    (``None`` filters units themselves)."""

    unit = django_filters.ModelMultipleChoiceFilter(
        queryset=Unit.objects.all(), method="filter_unit", label=_("Unit")
    )
    include_subtree = django_filters.BooleanFilter(
        method="filter_include_subtree", label=_("Include sub-units")
    )

    unit_lookup: str | None = "unit"

    def filter_unit(self, queryset, name, units):
        if not units:
            return queryset
        prefix = f"{self.unit_lookup}__" if self.unit_lookup else ""
        if self.form.cleaned_data.get("include_subtree"):
            condition = Q()
            for unit in units:
                condition |= Q(**{f"{prefix}path__startswith": unit.path})
            return queryset.filter(condition)
        return queryset.filter(**{f"{prefix}pk__in": [unit.pk for unit in units]})

    def filter_include_subtree(self, queryset, name, value):
        return queryset  # read by filter_unit


class MunicipalityFilterSet(SearchFilterSet):
    search_lookups = ("name",)

    class Meta:
        model = Municipality
        fields = ["kind"]


class UnitFilterSet(UnitScopedFilterSet):
    unit_lookup = None
    unit = django_filters.ModelMultipleChoiceFilter(
        queryset=Unit.objects.all(), field_name="id", method="filter_unit", label=_("Unit")
    )
    kind = ColumnChoicesFilter(choices=UnitKind.choices, label=_("Kind"))
    parent = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("Parent unit"))
    is_root = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label=_("Top-level units")
    )

    class Meta:
        model = Unit
        fields = ["q", "unit", "include_subtree", "kind", "parent", "is_it_department", "is_active"]


class TitleFilterSet(SearchFilterSet):
    search_lookups = ("name",)

    class Meta:
        model = Title
        fields = ["q"]


class PositionFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "holder__first_name", "holder__last_name")
    title = django_filters.ModelMultipleChoiceFilter(queryset=Title.objects.all(), label=_("Title"))
    vacant = django_filters.BooleanFilter(
        field_name="holder", lookup_expr="isnull", label=_("Vacant")
    )

    class Meta:
        model = Position
        fields = ["q", "unit", "include_subtree", "title", "holder", "is_manager", "vacant"]


class PersonFilterSet(UnitScopedFilterSet):
    # Columns of the person itself: rows cannot repeat, so no DISTINCT (see the ticket filter).
    title = django_filters.ModelMultipleChoiceFilter(queryset=Title.objects.all(), label=_("Title"))
    employment_type = ColumnChoicesFilter(
        choices=EmploymentType.choices, label=_("Employment type")
    )
    status = ColumnChoicesFilter(choices=PersonStatus.choices, label=_("Status"))

    class Meta:
        model = Person
        fields = ["q", "unit", "include_subtree", "title", "employment_type", "status"]


class RegulationFilterSet(SearchFilterSet):
    search_lookups = ("title", "council_decision_no")

    class Meta:
        model = Regulation
        fields = ["q", "is_in_force"]


class ArticleFilterSet(SearchFilterSet):
    search_lookups = ("heading", "text")

    class Meta:
        model = Article
        fields = ["q", "regulation", "number"]


class DutyCategoryFilterSet(SearchFilterSet):
    search_lookups = ("name", "slug")

    class Meta:
        model = DutyCategory
        fields = ["q"]


class DutyFilterSet(UnitScopedFilterSet):
    category = django_filters.ModelMultipleChoiceFilter(
        field_name="categories",
        queryset=DutyCategory.objects.all(),
        label=_("Category"),
    )
    regulation = django_filters.ModelChoiceFilter(
        field_name="paragraph__article__regulation",
        queryset=Regulation.objects.all(),
        label=_("Regulation"),
    )
    article = django_filters.ModelChoiceFilter(
        field_name="paragraph__article", queryset=Article.objects.all(), label=_("Article")
    )
    status = django_filters.ChoiceFilter(choices=Duty.Status.choices, label=_("Status"))

    class Meta:
        model = Duty
        fields = ["q", "unit", "include_subtree", "category", "regulation", "article", "status"]
