"""Filters of the awareness training lists, shared by the web lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from biys.bgys.filtersets import UnitFilter
from biys.bgys.training_models import TrainingAttendance, TrainingSession
from biys.core.filtersets import YearFilter
from biys.org.filtersets import UnitScopedFilterSet
from biys.org.models import Person, Unit


class TrainingSessionFilterSet(UnitScopedFilterSet):
    search_lookups = ("title", "topic", "trainer")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    year = YearFilter(field_name="held_on__year", label=_("Year"))

    class Meta:
        model = TrainingSession
        fields = ["q", "unit", "include_subtree", "year"]


class TrainingAttendanceFilterSet(UnitScopedFilterSet):
    unit_lookup = "session__unit"
    search_lookups = ("person__first_name", "person__last_name", "session__title")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    session = django_filters.ModelChoiceFilter(
        queryset=TrainingSession.objects.all(), label=_("Session")
    )
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.all(), label=_("Person"))

    class Meta:
        model = TrainingAttendance
        fields = ["q", "unit", "include_subtree", "session", "person"]
