"""Filters of the findings lists, shared by the web lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.org.filtersets import SearchFilterSet, UnitScopedFilterSet
from biys.secops import selectors
from biys.secops.choices import (
    Classification,
    FindingSource,
    Format,
    ImportStatus,
    IncidentState,
    IndicatorKind,
    Severity,
    State,
)
from biys.secops.models import (
    Breach,
    Finding,
    Incident,
    PenTest,
    ScanImport,
    UsomAddress,
    UsomListImport,
)


@extend_schema_field(OpenApiTypes.BOOL)
class OverdueFilter(django_filters.BooleanFilter):
    """Still waiting for a fix after its date to fix by (a computed condition, no column)."""


class FindingFilterSet(UnitScopedFilterSet):
    """``q`` finds the asset (address, host name, image or URL), the CVE and the title."""

    search_lookups = ("host", "hostname", "cves", "title", "rule_id")
    severity = django_filters.MultipleChoiceFilter(
        choices=Severity.choices, label=_("Severity"), distinct=False
    )
    state = django_filters.MultipleChoiceFilter(
        choices=State.choices, label=_("Lifecycle state"), distinct=False
    )
    scanner = django_filters.MultipleChoiceFilter(
        choices=FindingSource.choices, label=_("Source"), distinct=False
    )
    overdue = OverdueFilter(method="filter_overdue", label=_("Overdue"))
    last_import = django_filters.NumberFilter(field_name="last_import_id", label=_("Import"))
    pentest = django_filters.NumberFilter(field_name="pentest_id", label=_("Penetration test"))
    awaiting_verification = OverdueFilter(
        method="filter_awaiting_verification", label=_("Fix awaiting verification")
    )

    class Meta:
        model = Finding
        fields = ["q", "severity", "state", "scanner", "unit", "include_subtree", "overdue",
                  "last_import", "pentest", "awaiting_verification"]  # fmt: skip

    panel_fields = ("severity", "state", "scanner", "unit", "include_subtree", "overdue",
                    "awaiting_verification")  # fmt: skip

    def filter_awaiting_verification(self, queryset, name, value):
        if value is None:
            return queryset
        condition = selectors.awaiting_verification_q()
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = selectors.overdue_q(selectors.today())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class ScanImportFilterSet(UnitScopedFilterSet):
    search_lookups = ("filename",)
    format = django_filters.MultipleChoiceFilter(
        choices=Format.choices, label=_("Scanner"), distinct=False
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ImportStatus.choices, label=_("Import status"), distinct=False
    )

    class Meta:
        model = ScanImport
        fields = ["q", "format", "status", "unit", "include_subtree"]


class IncidentFilterSet(UnitScopedFilterSet):
    """``q`` finds the number and the title."""

    search_lookups = ("number", "title")
    state = django_filters.MultipleChoiceFilter(
        choices=IncidentState.choices, label=_("Incident state"), distinct=False
    )
    severity = django_filters.MultipleChoiceFilter(
        choices=Severity.choices, label=_("Severity"), distinct=False
    )
    classification = django_filters.MultipleChoiceFilter(
        choices=Classification.choices, label=_("Classification"), distinct=False
    )
    personal_data = django_filters.BooleanFilter(label=_("Personal data involved"))

    class Meta:
        model = Incident
        fields = ["q", "state", "severity", "classification", "personal_data", "unit",
                  "include_subtree"]  # fmt: skip

    panel_fields = ("state", "severity", "classification", "personal_data", "unit",
                    "include_subtree")  # fmt: skip


class BreachFilterSet(SearchFilterSet):
    """``q`` finds the incident's number and title."""

    search_lookups = ("incident__number", "incident__title")
    subjects_notified = django_filters.BooleanFilter(
        field_name="subjects_notified_at", lookup_expr="isnull", exclude=True,
        label=_("Data subjects notified"),
    )  # fmt: skip

    class Meta:
        model = Breach
        fields = ["q", "subjects_notified"]


class PenTestFilterSet(UnitScopedFilterSet):
    search_lookups = ("title", "tester", "scope")

    class Meta:
        model = PenTest
        fields = ["q", "unit", "include_subtree"]

    panel_fields = ("unit", "include_subtree")


class UsomListImportFilterSet(SearchFilterSet):
    search_lookups = ("filename",)
    status = django_filters.MultipleChoiceFilter(
        choices=ImportStatus.choices, label=_("Import status"), distinct=False
    )

    class Meta:
        model = UsomListImport
        fields = ["q", "status"]

    panel_fields = ("status",)


class UsomAddressFilterSet(SearchFilterSet):
    """``q`` finds the address (its lower-case spelling, as stored)."""

    search_lookups = ("value",)
    kind = django_filters.MultipleChoiceFilter(
        choices=[(k, v) for k, v in IndicatorKind.choices if k in ("ip", "domain", "url")],
        label=_("Kind"),
        distinct=False,
    )
    active = django_filters.BooleanFilter(label=_("On the list"))

    class Meta:
        model = UsomAddress
        fields = ["q", "kind", "active"]

    panel_fields = ("kind", "active")
