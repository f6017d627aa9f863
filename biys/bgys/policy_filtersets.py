"""Filters of the policy lists, shared by the web lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from biys.bgys.filtersets import UnitFilter
from biys.bgys.policy_models import Policy, PolicyKind, PolicyVersion, VersionState
from biys.core.filtersets import ColumnChoicesFilter
from biys.org.filtersets import UnitScopedFilterSet
from biys.org.models import Unit


class PolicyFilterSet(UnitScopedFilterSet):
    search_lookups = ("code", "title", "description")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    kind = ColumnChoicesFilter(choices=PolicyKind.choices, label=_("Kind"))

    class Meta:
        model = Policy
        fields = ["q", "unit", "include_subtree", "kind"]


class PolicyVersionFilterSet(UnitScopedFilterSet):
    unit_lookup = "policy__unit"
    search_lookups = ("policy__code", "policy__title", "text", "change_summary")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    policy = django_filters.ModelChoiceFilter(queryset=Policy.objects.all(), label=_("Policy"))
    state = ColumnChoicesFilter(choices=VersionState.choices, label=_("State"))

    class Meta:
        model = PolicyVersion
        fields = ["q", "unit", "include_subtree", "policy", "state"]
