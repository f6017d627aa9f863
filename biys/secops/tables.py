"""The findings tables: findings (worst first), imports, remediation targets."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.html import ChoiceBadges, format_html
from biys.core.tables import BiysTable
from biys.secops.choices import Severity, State
from biys.secops.models import (
    Breach,
    Finding,
    Incident,
    NotificationRule,
    PenTest,
    RemediationTarget,
    ScanImport,
    UsomAddress,
    UsomListImport,
)

SEVERITY_BADGES = {
    Severity.CRITICAL: "red",
    Severity.HIGH: "orange",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "azure",
    Severity.INFO: "secondary",
}
STATE_BADGES = {
    State.OPEN: "red",
    State.REOPENED: "red",
    State.IN_REMEDIATION: "orange",
    State.RISK_ACCEPTED: "purple",
    State.FALSE_POSITIVE: "secondary",
    State.FIXED: "green",
}


_SEVERITY_BADGES = ChoiceBadges(Severity, SEVERITY_BADGES, data_attribute="severity")
_STATE_BADGES = ChoiceBadges(State, STATE_BADGES, data_attribute="state")


def severity_badge(record) -> str:
    return _SEVERITY_BADGES(record.severity)


def state_badge(record) -> str:
    return _STATE_BADGES(record.state)


class FindingTable(BiysTable):
    title = tables.Column(verbose_name=_("Finding"), linkify=True)
    severity = tables.Column(verbose_name=_("Severity"))
    state = tables.Column(verbose_name=_("Lifecycle state"))
    host = tables.Column(verbose_name=_("Scanned asset"))
    cves = tables.Column(verbose_name=_("CVE"), orderable=False)
    unit = tables.Column(verbose_name=_("Responsible unit"), order_by=("unit__name",))
    due_date = tables.DateColumn(verbose_name=_("Fix by"), format="d.m.Y")
    last_seen = tables.DateTimeColumn(verbose_name=_("Last seen"), format="d.m.Y H:i")

    class Meta(BiysTable.Meta):
        model = Finding
        fields = (
            "severity",
            "title",
            "host",
            "state",
            "due_date",
            "unit",
            "cves",
            "cvss_score",
            "port",
            "scanner",
            "last_seen",
        )  # fmt: skip

    def render_severity(self, value, record):
        return severity_badge(record)

    def value_severity(self, value, record):
        return record.get_severity_display()

    def render_state(self, value, record):
        return state_badge(record)

    def value_state(self, value, record):
        return record.get_state_display()

    def render_host(self, value, record):
        if record.hostname and record.hostname != value:
            return format_html('{} <span class="text-secondary">{}</span>', value, record.hostname)
        return value

    def render_cves(self, value, record):
        cves = record.cve_list
        return " ".join(cves[:3]) + (" …" if len(cves) > 3 else "")


class ScanImportTable(BiysTable):
    filename = tables.Column(verbose_name=_("File name"), linkify=True)
    created = tables.DateTimeColumn(verbose_name=_("Imported"), format="d.m.Y H:i")
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__name",))

    class Meta(BiysTable.Meta):
        model = ScanImport
        fields = ("filename", "format", "status", "progress", "unit", "created", "total",
                  "created_count", "updated_count", "reopened_count", "skipped_count",
                  "imported_by")  # fmt: skip


class PenTestTable(BiysTable):
    title = tables.Column(verbose_name=pgettext_lazy("penetration test", "Title"), linkify=True)
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__name",))
    started_on = tables.DateColumn(verbose_name=_("Started on"), format="d.m.Y")
    ended_on = tables.DateColumn(verbose_name=_("Ended on"), format="d.m.Y")

    class Meta(BiysTable.Meta):
        model = PenTest
        fields = ("title", "tester", "started_on", "ended_on", "unit")


class RemediationTargetTable(BiysTable):
    severity = tables.Column(verbose_name=_("Severity"), linkify=True)

    class Meta(BiysTable.Meta):
        model = RemediationTarget
        fields = ("severity", "days", "last_updated")


INCIDENT_STATE_BADGES = {"open": "red", "contained": "orange", "recovered": "azure",
                         "closed": "green"}  # fmt: skip


def incident_state_badge(record) -> str:
    return format_html(
        '<span class="badge bg-{}-lt" data-state="{}">{}</span>',
        INCIDENT_STATE_BADGES.get(record.state, "secondary"),
        record.state,
        record.get_state_display(),
    )


class IncidentTable(BiysTable):
    number = tables.Column(verbose_name=_("Incident number"), linkify=True)
    title = tables.Column(verbose_name=pgettext_lazy("incident", "Title"))
    severity = tables.Column(verbose_name=_("Severity"))
    state = tables.Column(verbose_name=_("Incident state"))
    detected_at = tables.DateTimeColumn(verbose_name=_("Detected at"), format="d.m.Y H:i")
    unit = tables.Column(verbose_name=_("Responsible unit"), order_by=("unit__name",))

    class Meta(BiysTable.Meta):
        model = Incident
        fields = ("number", "title", "severity", "state", "classification", "detected_at",
                  "personal_data", "unit")  # fmt: skip

    def render_severity(self, value, record):
        return severity_badge(record)

    def value_severity(self, value, record):
        return record.get_severity_display()

    def render_state(self, value, record):
        return incident_state_badge(record)

    def value_state(self, value, record):
        return record.get_state_display()


class NotificationRuleTable(BiysTable):
    name = tables.Column(verbose_name=pgettext_lazy("notification rule", "Name"), linkify=True)

    class Meta(BiysTable.Meta):
        model = NotificationRule
        fields = ("authority", "name", "hours", "applies_when", "active")


class BreachTable(BiysTable):
    incident = tables.Column(
        verbose_name=_("Incident"), linkify=False, order_by=("incident__number",)
    )
    breach = tables.Column(
        verbose_name=_("Personal data breach"), accessor="pk", linkify=False, orderable=False
    )
    detected_at = tables.DateTimeColumn(
        verbose_name=_("Detected at"), accessor="incident__detected_at", format="d.m.Y H:i"
    )

    class Meta(BiysTable.Meta):
        model = Breach
        fields = ("incident", "breach", "detected_at", "subjects_affected", "records_affected",
                  "subjects_notified_at")  # fmt: skip

    def render_incident(self, value, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.incident.number)

    def value_incident(self, value, record):
        return record.incident.number

    def render_breach(self, value, record):
        return record.incident.title

    def value_breach(self, value, record):
        return record.incident.title


class UsomListImportTable(BiysTable):
    filename = tables.Column(verbose_name=_("File name"), linkify=True)
    created = tables.DateTimeColumn(verbose_name=_("Imported"), format="d.m.Y H:i")

    class Meta(BiysTable.Meta):
        model = UsomListImport
        fields = ("filename", "source", "status", "created", "total", "added_count",
                  "delisted_count", "match_count", "new_match_count", "imported_by")  # fmt: skip


class UsomAddressTable(BiysTable):
    value = tables.Column(verbose_name=_("Address"))
    listed_at = tables.DateTimeColumn(verbose_name=_("Listed by USOM"), format="d.m.Y")
    first_seen = tables.DateTimeColumn(verbose_name=_("First imported"), format="d.m.Y")

    class Meta(BiysTable.Meta):
        model = UsomAddress
        fields = ("value", "kind", "category", "criticality", "listed_at", "first_seen",
                  "active")  # fmt: skip
