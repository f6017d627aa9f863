"""Filters of the service desk web lists (the queue's unit selector, state, priority, ...)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from biys.accounts.scope import ALL, get_scope
from biys.core.search import filter_by_terms
from biys.org.models import Unit
from biys.servicedesk import selectors
from biys.servicedesk.choices import Priority, TicketKind, TicketState
from biys.servicedesk.models import CatalogItem, KnowledgeArticle, Ticket


def it_units(request):
    """Units whose tickets the user works on, for the queue's unit selector."""
    units = get_scope(request.user).units_for(selectors.VIEW_TICKET) if request else frozenset()
    queryset = Unit.objects.filter(is_active=True).order_by("path")
    return queryset if units is ALL else queryset.filter(pk__in=units or [])


def active_items(request):
    return CatalogItem.objects.filter(is_active=True).order_by("name")


class AssigneeFilter(django_filters.ChoiceFilter):
    def filter(self, queryset, value):
        if value == "me":
            return queryset.filter(assignee=self.parent.request.user)
        if value == "unassigned":
            return queryset.filter(assignee__isnull=True)
        return queryset


class TicketFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=it_units, method="filter_unit", empty_label=_("All my units")
    )
    subtree = django_filters.BooleanFilter(label=_("Include sub-units"), method="filter_noop")
    state = django_filters.MultipleChoiceFilter(
        label=_("State"),
        choices=[c for c in TicketState.choices if c[0] != TicketState.PENDING_APPROVAL],
    )
    priority = django_filters.MultipleChoiceFilter(label=_("Priority"), choices=Priority.choices)
    assignee = AssigneeFilter(
        label=_("Assignee"),
        choices=[("me", _("Me")), ("unassigned", _("Unassigned"))],
        empty_label=_("Anyone"),
    )
    catalog_item = django_filters.ModelChoiceFilter(
        label=_("Service"), queryset=active_items, empty_label=_("Any")
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Ticket
        fields = [
            "q",
            "unit",
            "subtree",
            "state",
            "priority",
            "assignee",
            "catalog_item",
            "overdue",
        ]

    def filter_q(self, queryset, name, value):
        return filter_by_terms(queryset, value)

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_unit(self, queryset, name, unit):
        if not unit:
            return queryset
        if self.data.get("subtree") not in ("false", "False", "0"):
            return queryset.filter(responsible_unit__path__startswith=unit.path)
        return queryset.filter(responsible_unit=unit)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()


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
