"""Filters of the catalogue and knowledge-base web lists. The queue uses the API's ticket filter
(``biys.servicedesk.filtersets.TicketFilterSet``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from biys.core.search import filter_by_terms
from biys.org.models import Unit
from biys.servicedesk.choices import TicketKind
from biys.servicedesk.models import CatalogItem, KnowledgeArticle


class CatalogItemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=TicketKind.choices, empty_label=_("Any")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Responsible unit"),
        queryset=Unit.objects.filter(is_active=True).order_by("path"),
        empty_label=_("Any"),
    )
    requires_approval = django_filters.BooleanFilter(label=_("Needs approval"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = CatalogItem
        fields = ["q", "kind", "unit", "requires_approval", "is_active"]

    def filter_q(self, queryset, name, value):
        return filter_by_terms(queryset, value)


class KnowledgeArticleFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    is_public = django_filters.BooleanFilter(label=_("Public"))

    class Meta:
        model = KnowledgeArticle
        fields = ["q", "is_public"]

    def filter_q(self, queryset, name, value):
        return filter_by_terms(queryset, value)
