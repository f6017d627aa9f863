"""Filters for the service desk's lists, shared by the API and the web lists. ``q`` is the
Turkish-aware search box over the folded ``search_text``."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.accounts.scope import ALL, get_scope
from biys.core.filtersets import ColumnChoicesFilter
from biys.org.filtersets import SearchFilterSet
from biys.org.models import Unit
from biys.servicedesk.choices import (
    OPEN_STATES,
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
from biys.servicedesk.selectors import VIEW_TICKET


def _nothing_chosen(value) -> bool:
    """No choice made: ``None``, an empty list or the form's empty queryset (``.none()``), told
    without running it (``not value`` would compile and run the empty query)."""
    if isinstance(value, QuerySet):
        return value.query.is_empty()
    return not value


class ModelChoicesFilter(django_filters.ModelMultipleChoiceFilter):
    """Objects chosen by id; nothing chosen filters nothing, without a query."""

    def filter(self, queryset, value):
        if _nothing_chosen(value):
            return queryset
        return super().filter(queryset, value)


class UnitTreeFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more units, each with its sub-units (a branch with its sections)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Unit.objects.all())
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if _nothing_chosen(value):
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
    kind = ColumnChoicesFilter(choices=TicketKind.choices, label=_("Kind"))

    class Meta:
        model = CatalogItem
        fields = ["q", "unit", "kind", "is_active", "requires_approval", "round_the_clock"]


class SLATargetFilterSet(django_filters.FilterSet):
    priority = ColumnChoicesFilter(choices=Priority.choices, label=_("Priority"))
    is_default = django_filters.BooleanFilter(
        field_name="catalog_item", lookup_expr="isnull", label=_("Default targets")
    )

    class Meta:
        model = SLATarget
        fields = ["catalog_item", "priority", "is_default"]


class QueueFilterSet(django_filters.FilterSet):
    assignment_rule = ColumnChoicesFilter(
        choices=AssignmentRule.choices, label=_("Assignment rule")
    )

    class Meta:
        model = Queue
        fields = ["unit", "assignment_rule"]


def it_units(request):
    """Units whose tickets the user works on, for the queue's unit selector."""
    if request is None or not request.user.is_authenticated:
        return Unit.objects.none()
    units = get_scope(request.user).units_for(VIEW_TICKET)
    queryset = Unit.objects.filter(is_active=True).order_by("path")
    return queryset if units is ALL else queryset.filter(pk__in=units or [])


class AssigneeField(forms.MultipleChoiceField):
    """``me``, ``unassigned`` or a user's id."""

    def valid_value(self, value):
        return str(value).isdigit() or super().valid_value(value)


class AssigneeFilter(django_filters.MultipleChoiceFilter):
    field_class = AssigneeField

    def filter(self, queryset, value):
        if not value:
            return queryset
        condition, ids = Q(), set()
        for choice in value:
            if choice == "unassigned":
                condition |= Q(assignee__isnull=True)
            elif choice == "me":
                request = self.parent.request
                ids.add(request.user.pk if request is not None else None)
            else:
                ids.add(int(choice))
        ids.discard(None)
        if ids:
            condition |= Q(assignee_id__in=sorted(ids))
        return queryset.filter(condition) if condition else queryset.none()


def _choices(field_name, choices, label):
    return ColumnChoicesFilter(field_name=field_name, choices=choices, label=label)


@extend_schema_field(OpenApiTypes.INT)
class UnitIdFilter(django_filters.ModelChoiceFilter):
    """A unit chosen by id (its queryset depends on the user, so the schema cannot guess it)."""


class TicketFilterSet(SearchFilterSet):
    """The one ticket filter of the API and the web queue."""

    unit = UnitIdFilter(
        label=_("Unit"), queryset=it_units, method="filter_unit", empty_label=_("All my units")
    )
    subtree = django_filters.BooleanFilter(label=_("Include sub-units"), method="filter_noop")
    state = _choices("state", TicketState.choices, _("State"))
    priority = _choices("priority", Priority.choices, _("Priority"))
    kind = _choices("kind", TicketKind.choices, _("Kind"))
    channel = _choices("channel", Channel.choices, _("Channel"))
    responsible_unit = UnitTreeFilter(field_name="responsible_unit", label=_("Responsible unit"))
    requesting_unit = UnitTreeFilter(field_name="requesting_unit", label=_("Requesting unit"))
    assignee = AssigneeFilter(
        label=_("Assignee"), choices=[("me", _("Me")), ("unassigned", _("Unassigned"))]
    )
    unassigned = django_filters.BooleanFilter(
        field_name="assignee", lookup_expr="isnull", label=_("Unassigned")
    )
    catalog_item = ModelChoicesFilter(
        queryset=CatalogItem.objects.order_by("name"), label=_("Service")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    is_open = django_filters.BooleanFilter(method="filter_open", label=_("Open"))
    created_after = django_filters.DateFilter(
        field_name="created", lookup_expr="date__gte", label=_("Created on or after")
    )
    created_before = django_filters.DateFilter(
        field_name="created", lookup_expr="date__lte", label=_("Created on or before")
    )

    # What the web queue's filter panel shows; the API accepts every filter.
    panel_fields = (
        "q",
        "unit",
        "subtree",
        "state",
        "priority",
        "assignee",
        "catalog_item",
        "overdue",
    )

    class Meta:
        model = Ticket
        fields = [
            "q",
            "unit",
            "subtree",
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

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_unit

    def filter_unit(self, queryset, name, unit):
        if not unit:
            return queryset
        if self.data.get("subtree") in ("false", "False", "0"):
            return queryset.filter(responsible_unit=unit)
        subtree = Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)
        return queryset.filter(responsible_unit__in=list(subtree))

    def filter_overdue(self, queryset, name, value):
        """Past the resolution due time and unfinished (``false``: the others), as defined by
        ``selectors.overdue_q``: the queue, the API and the statistics agree."""
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()

    def filter_open(self, queryset, name, value):
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
    recurrence = ColumnChoicesFilter(choices=Recurrence.choices, label=_("Recurrence"))
    responsible_unit = UnitTreeFilter(field_name="responsible_unit", label=_("Responsible unit"))

    class Meta:
        model = RecurringTicket
        fields = ["q", "recurrence", "responsible_unit", "catalog_item", "is_active"]
