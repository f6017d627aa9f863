"""Filters of the registry, shared by the web list and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.core.filtersets import ColumnChoicesFilter
from biys.evrak.choices import (
    ArchiveState,
    Channel,
    Confidentiality,
    MailState,
    OutgoingState,
    RecognitionStatus,
    RoutingKind,
    RoutingState,
    Urgency,
)
from biys.evrak.models import (
    EvrakMailbox,
    IncomingDocument,
    OutgoingDocument,
    ReceivedMail,
    RevocationList,
    Routing,
    ScanText,
    SdpCode,
    SigningRule,
    TrustedCertificate,
)
from biys.evrak.numbering import registry_number
from biys.org.filtersets import SearchFilterSet, UnitScopedFilterSet
from biys.org.models import Unit


def number_in_register(value: str, request=None) -> str | None:
    """The registry number ``value`` names when typed whole and some document has it (a probe
    of the number's unique index, asked once per request), else None: the text is searched."""
    number = registry_number(value)
    if number is None:
        return None
    asked = getattr(request, "_evrak_numbers_in_register", None)
    if asked is None:
        asked = {}
        if request is not None:
            request._evrak_numbers_in_register = asked
    if number not in asked:
        asked[number] = IncomingDocument.objects.filter(number=number).exists()
    return number if asked[number] else None


def filters_hidden_fields(params, row_params, request=None) -> bool:
    """Whether a filter among ``params`` (any not in ``row_params``, the filters that say
    nothing of a masked row's hidden fields) could probe a masked row's hidden fields. With
    ``request`` (the incoming register), a registry number typed whole that some document has
    is a row filter: it finds the row by its number, which a masked row shows."""
    return any(
        value
        for name, value in params.items()
        if name not in row_params
        and not (name == "q" and request is not None and number_in_register(value, request))
    )


@extend_schema_field(OpenApiTypes.INT)
class ReceivingUnitFilter(django_filters.ModelMultipleChoiceFilter):
    """The receiving unit (the model has no field named ``unit`` to guess the type from)."""


class IncomingDocumentFilterSet(UnitScopedFilterSet):
    """Search by registry number, sender's sayı, subject and sender. A registry number typed
    whole (``GE-2026-000042``, ``2026-42``) finds the document registered under it through the
    number's unique index (nothing, when the reader may not see it); only when no document has
    that number is it searched as text (the subject of a later letter may cite it)."""

    search_lookups = ("number", "sender_number", "subject", "sender_name")
    unit_lookup = "receiving_unit"
    unit = ReceivingUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    year = django_filters.NumberFilter(field_name="year", label=_("Year"))
    confidentiality = ColumnChoicesFilter(
        choices=Confidentiality.choices, label=_("Confidentiality")
    )
    urgency = ColumnChoicesFilter(choices=Urgency.choices, label=_("Urgency"))
    channel = ColumnChoicesFilter(choices=Channel.choices, label=_("Arrived as"))
    archive_state = ColumnChoicesFilter(choices=ArchiveState.choices, label=_("Archive"))
    registered_from = django_filters.DateFilter(
        field_name="registered_at__date", lookup_expr="gte", label=_("Registered from")
    )
    registered_to = django_filters.DateFilter(
        field_name="registered_at__date", lookup_expr="lte", label=_("Registered until")
    )

    def filter_q(self, queryset, name, value):
        number = number_in_register(value, self.request)
        if number is not None:
            return queryset.filter(number=number)
        return super().filter_q(queryset, name, value)

    class Meta:
        model = IncomingDocument
        fields = [
            "q", "year", "unit", "confidentiality", "urgency", "channel", "archive_state",
            "registered_from", "registered_to",
        ]  # fmt: skip


class SdpCodeFilterSet(SearchFilterSet):
    search_lookups = ("code", "title")

    class Meta:
        model = SdpCode
        fields = ["q", "active", "is_sample"]


class SigningRuleFilterSet(SearchFilterSet):
    search_lookups = ("name", "notes")

    class Meta:
        model = SigningRule
        fields = ["q", "confidentiality", "recipients", "level", "active"]


class TrustedCertificateFilterSet(SearchFilterSet):
    search_lookups = ("name", "subject", "fingerprint")

    class Meta:
        model = TrustedCertificate
        fields = ["q", "active", "is_root"]


class RevocationListFilterSet(SearchFilterSet):
    search_lookups = ("authority__name", "issuer", "url")

    class Meta:
        model = RevocationList
        fields = ["q", "authority"]


class EvrakMailboxFilterSet(SearchFilterSet):
    search_lookups = ("name", "username", "address", "host")

    class Meta:
        model = EvrakMailbox
        fields = ["q", "kind", "is_active"]


class RoutingFilterSet(django_filters.FilterSet):
    """Routings by document, unit, person, kind and state, and by due date."""

    document = django_filters.NumberFilter(field_name="document_id", label=_("Document"))
    unit = django_filters.NumberFilter(field_name="unit_id", label=pgettext_lazy("routing", "Unit"))
    assignee = django_filters.NumberFilter(
        field_name="assignee_id", label=pgettext_lazy("routing", "Person")
    )
    kind = django_filters.ChoiceFilter(choices=RoutingKind.choices, label=_("Routed for"))
    state = django_filters.ChoiceFilter(choices=RoutingState.choices, label=_("State"))
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due on or before")
    )

    class Meta:
        model = Routing
        fields = []


class ScanTextFilterSet(django_filters.FilterSet):
    """Recognised scan texts by document and by state (the failed ones, to try again)."""

    document = django_filters.NumberFilter(field_name="document_id", label=_("Document"))
    status = django_filters.ChoiceFilter(
        choices=RecognitionStatus.choices, label=_("Text recognition")
    )

    class Meta:
        model = ScanText
        fields = []


class ReceivedMailFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=MailState.choices, label=_("State"))
    mailbox = django_filters.NumberFilter(field_name="mailbox_id", label=_("Mailbox"))

    class Meta:
        model = ReceivedMail
        fields = []


class OutgoingDocumentFilterSet(UnitScopedFilterSet):
    """Search by number (sayı) and subject."""

    search_lookups = ("number", "subject")
    state = ColumnChoicesFilter(choices=OutgoingState.choices, label=_("State"))
    confidentiality = ColumnChoicesFilter(
        choices=Confidentiality.choices, label=_("Confidentiality")
    )
    urgency = ColumnChoicesFilter(choices=Urgency.choices, label=_("Urgency"))
    year = django_filters.NumberFilter(field_name="year", label=_("Year"))
    archive_state = ColumnChoicesFilter(choices=ArchiveState.choices, label=_("Archive"))

    class Meta:
        model = OutgoingDocument
        fields = ["q", "unit", "state", "year", "confidentiality", "urgency", "archive_state"]
