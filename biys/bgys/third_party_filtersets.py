"""Filters of the third parties and their confidentiality agreements, shared by the web lists
and the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.bgys.filtersets import UnitFilter
from biys.bgys.third_party_models import AgreementState, ConfidentialityAgreement, ThirdParty
from biys.bgys.third_party_selectors import state_q
from biys.org.filtersets import UnitScopedFilterSet
from biys.org.models import Unit


class ThirdPartyFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "tax_number", "contact_name", "services", "contract")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    is_active = django_filters.BooleanFilter(label=_("Working with us"))

    class Meta:
        model = ThirdParty
        fields = ["q", "unit", "include_subtree", "is_active"]


class ConfidentialityAgreementFilterSet(UnitScopedFilterSet):
    unit_lookup = "third_party__unit"
    search_lookups = ("signatory", "third_party__name", "scope")
    unit = UnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    third_party = django_filters.ModelChoiceFilter(
        queryset=ThirdParty.objects.all(), label=_("Third party")
    )
    state = django_filters.ChoiceFilter(
        choices=AgreementState.choices, method="filter_state", label=_("State")
    )

    class Meta:
        model = ConfidentialityAgreement
        fields = ["q", "unit", "include_subtree", "third_party", "state"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(state_q(value, timezone.localdate())) if value else queryset
