"""Filters of the application lists, shared by the web list and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.applications import selectors
from biys.applications.choices import Channel, PeriodUnit, State
from biys.applications.models import Application, ApplicationType
from biys.core.filtersets import ColumnChoicesFilter
from biys.org.filtersets import UnitScopedFilterSet
from biys.org.models import Unit

DUE_CHOICES = (
    ("this_week", _("Due this week")),
    ("late", _("Late")),
    ("soon", _("Due in the next 3 working days")),
)


class ApplicationTypeFilterSet(UnitScopedFilterSet):
    search_lookups = ("code", "name", "law", "citations")
    period_unit = django_filters.ChoiceFilter(choices=PeriodUnit.choices, label=_("Counted in"))

    class Meta:
        model = ApplicationType
        fields = ["q", "unit", "period_unit", "active"]


@extend_schema_field(OpenApiTypes.INT)
class ResponsibleUnitFilter(django_filters.ModelMultipleChoiceFilter):
    """The responsible unit (the model has no field named ``unit`` to guess the type from)."""


class ApplicationFilterSet(UnitScopedFilterSet):
    search_lookups = ("number", "subject", "applicant_name", "channel_reference")
    unit_lookup = "responsible_unit"
    unit = ResponsibleUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    due = django_filters.ChoiceFilter(choices=DUE_CHOICES, method="filter_due", label=_("Deadline"))
    state = ColumnChoicesFilter(choices=State.choices, label=_("State"))
    channel = ColumnChoicesFilter(choices=Channel.choices, label=_("Channel"))
    type = django_filters.ModelMultipleChoiceFilter(
        queryset=ApplicationType.objects.all(), label=_("Type")
    )
    received_from = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("Received from")
    )
    received_to = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("Received until")
    )

    class Meta:
        model = Application
        fields = ["q", "due", "state", "type", "unit", "channel", "received_from", "received_to"]

    def filter_due(self, queryset, name, value):
        day = selectors.today()
        if value == "this_week":
            monday, sunday = selectors.week_bounds(day)
            return queryset.filter(state=State.OPEN, due_date__gte=monday, due_date__lte=sunday)
        if value == "late":
            return queryset.filter(selectors.late_q(day))
        if value == "soon":
            from biys.calendar.selectors import get_calendar

            until = get_calendar().add_working_days(day, selectors.SOON_WORKING_DAYS)
            return queryset.filter(Q(state=State.OPEN, due_date__gte=day, due_date__lte=until))
        return queryset
