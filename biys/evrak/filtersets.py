"""Filters of the registry, shared by the web list and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.evrak.choices import Channel, Confidentiality, Urgency
from biys.evrak.models import IncomingDocument, SdpCode
from biys.org.filtersets import SearchFilterSet, UnitScopedFilterSet
from biys.org.models import Unit


@extend_schema_field(OpenApiTypes.INT)
class ReceivingUnitFilter(django_filters.ModelMultipleChoiceFilter):
    """The receiving unit (the model has no field named ``unit`` to guess the type from)."""


class IncomingDocumentFilterSet(UnitScopedFilterSet):
    """Search by registry number, sender's sayı, subject and sender."""

    search_lookups = ("number", "sender_number", "subject", "sender_name")
    unit_lookup = "receiving_unit"
    unit = ReceivingUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    year = django_filters.NumberFilter(field_name="year", label=_("Year"))
    confidentiality = django_filters.MultipleChoiceFilter(
        choices=Confidentiality.choices, label=_("Confidentiality")
    )
    urgency = django_filters.MultipleChoiceFilter(choices=Urgency.choices, label=_("Urgency"))
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices, label=_("Arrived as"))
    registered_from = django_filters.DateFilter(
        field_name="registered_at__date", lookup_expr="gte", label=_("Registered from")
    )
    registered_to = django_filters.DateFilter(
        field_name="registered_at__date", lookup_expr="lte", label=_("Registered until")
    )

    class Meta:
        model = IncomingDocument
        fields = [
            "q", "year", "unit", "confidentiality", "urgency", "channel", "registered_from",
            "registered_to",
        ]  # fmt: skip


class SdpCodeFilterSet(SearchFilterSet):
    search_lookups = ("code", "title")

    class Meta:
        model = SdpCode
        fields = ["q", "active", "is_sample"]
