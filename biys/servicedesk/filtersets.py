"""Filters for the service desk's lists, shared by the API and the web lists. ``q`` is the
Turkish-aware search box over the folded ``search_text``."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.accounts.models import User
from biys.org.filtersets import SearchFilterSet
from biys.org.models import Unit
from biys.servicedesk.choices import (
    AssignmentRule,
    Channel,
    Priority,
    Recurrence,
    TicketKind,
    TicketState,
)
from biys.servicedesk.models import (
    CatalogItem,
    KnowledgeArticle,
    Queue,
    RecurringTicket,
    SLATarget,
    Ticket,
)


class UnitTreeFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more units, each with its sub-units (a branch with its sections)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Unit.objects.all())
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        # Resolve the subtrees to ids first: ``unit_id IN (...)`` uses the ticket indexes, a join
        # on ``path LIKE`` cannot.
        subtrees = Q()
        for unit in value:
            subtrees |= Q(path__startswith=unit.path)
        unit_ids = list(Unit.objects.filter(subtrees).values_list("pk", flat=True))
        return queryset.filter(**{f"{self.field_name}__in": unit_ids})


class CatalogItemFilterSet(SearchFilterSet):
    unit = UnitTreeFilter(field_name="unit", label=_("Responsible unit"))
    kind = django_filters.MultipleChoiceFilter(choices=TicketKind.choices, label=_("Kind"))

    class Meta:
        model = CatalogItem
        fields = ["q", "unit", "kind", "is_active", "requires_approval", "round_the_clock"]


class SLATargetFilterSet(django_filters.FilterSet):
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices, label=_("Priority"))
    is_default = django_filters.BooleanFilter(
        field_name="catalog_item", lookup_expr="isnull", label=_("Default targets")
    )

    class Meta:
        model = SLATarget
        fields = ["catalog_item", "priority", "is_default"]


class QueueFilterSet(django_filters.FilterSet):
    assignment_rule = django_filters.MultipleChoiceFilter(
        choices=AssignmentRule.choices, label=_("Assignment rule")
    )

    class Meta:
        model = Queue
        fields = ["unit", "assignment_rule"]


class TicketFilterSet(SearchFilterSet):
    state = django_filters.MultipleChoiceFilter(choices=TicketState.choices, label=_("State"))
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices, label=_("Priority"))
    kind = django_filters.MultipleChoiceFilter(choices=TicketKind.choices, label=_("Kind"))
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices, label=_("Channel"))
    responsible_unit = UnitTreeFilter(field_name="responsible_unit", label=_("Responsible unit"))
    requesting_unit = UnitTreeFilter(field_name="requesting_unit", label=_("Requesting unit"))
    assignee = django_filters.ModelMultipleChoiceFilter(
        queryset=User.objects.all(), label=_("Assignee")
    )
    unassigned = django_filters.BooleanFilter(
        field_name="assignee", lookup_expr="isnull", label=_("Unassigned")
    )
    catalog_item = django_filters.ModelMultipleChoiceFilter(
        queryset=CatalogItem.objects.all(), label=_("Catalogue item")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    is_open = django_filters.BooleanFilter(method="filter_open", label=_("Open"))
    created_after = django_filters.DateFilter(
        field_name="created", lookup_expr="date__gte", label=_("Created on or after")
    )
    created_before = django_filters.DateFilter(
        field_name="created", lookup_expr="date__lte", label=_("Created on or before")
    )

    class Meta:
        model = Ticket
        fields = [
            "q",
            "state",
            "priority",
            "kind",
            "channel",
            "responsible_unit",
            "requesting_unit",
            "assignee",
            "unassigned",
            "catalog_item",
            "requester",
            "overdue",
            "is_open",
            "asset_unregistered",
            "under_warranty",
            "created_after",
            "created_before",
        ]

    def filter_overdue(self, queryset, name, value):
        """Past the resolution due time and unfinished (``false``: the others), as defined by
        ``selectors.overdue_q``."""
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()

    def filter_open(self, queryset, name, value):
        from biys.servicedesk.choices import OPEN_STATES

        if value is None:
            return queryset
        if value:
            return queryset.filter(state__in=OPEN_STATES)
        return queryset.exclude(state__in=OPEN_STATES)


class KnowledgeArticleFilterSet(SearchFilterSet):
    unit = UnitTreeFilter(field_name="unit", label=_("Unit"))

    class Meta:
        model = KnowledgeArticle
        fields = ["q", "unit", "is_public", "catalog_items"]


class RecurringTicketFilterSet(SearchFilterSet):
    search_lookups = ("title", "description")
    recurrence = django_filters.MultipleChoiceFilter(
        choices=Recurrence.choices, label=_("Recurrence")
    )
    responsible_unit = UnitTreeFilter(field_name="responsible_unit", label=_("Responsible unit"))

    class Meta:
        model = RecurringTicket
        fields = ["q", "recurrence", "responsible_unit", "catalog_item", "is_active"]
