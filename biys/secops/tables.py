"""The findings tables: findings (worst first), imports, remediation targets."""

from functools import cached_property

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.dates import format_value
from biys.core.html import ChoiceBadges, format_html
from biys.core.models import choice_labels
from biys.core.tables import BiysTable
from biys.core.urlcache import pk_urls
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
EMPTY = (None, "")
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

    # The rows' cells (``biys.core.tables.render_rows``): the text the columns above render,
    # built straight from the record (``None``: the column's default; plain text is escaped
    # and numbers localised by the row renderer). The list reads its page as plain rows
    # (``read_rows``), so a cell costs a few attribute reads instead of django-tables2's
    # accessor, choice and render lookups.
    @cached_property
    def urls(self):
        return pk_urls("secops:finding")

    @cached_property
    def scanner_labels(self) -> dict:
        return choice_labels(Finding._meta.get_field("scanner"))

    @cached_property
    def day_texts(self) -> dict:
        return {}

    @cached_property
    def badges(self) -> dict:
        """(column, value) -> its badge, for this page (one language)."""
        return {}

    @cached_property
    def zone(self):
        return timezone.get_current_timezone()

    def _badge(self, badges: ChoiceBadges, name: str, value):
        badge = self.badges.get((name, value))
        if badge is None:
            badge = self.badges[(name, value)] = badges(value)
        return badge

    def cell_severity(self, record):
        severity = record.severity
        return None if severity is None else self._badge(_SEVERITY_BADGES, "severity", severity)

    def cell_title(self, record):
        title = record.title
        if title in EMPTY:
            return None
        return format_html('<a href="{}">{}</a>', self.urls(record.pk), title)

    def cell_host(self, record):
        host = record.host
        if host in EMPTY:
            return None
        return self.render_host(host, record)

    def cell_state(self, record):
        state = record.state
        return None if state in EMPTY else self._badge(_STATE_BADGES, "state", state)

    def cell_due_date(self, record):
        value = record.due_date
        if value is None:
            return None
        text = self.day_texts.get(value)
        if text is None:
            text = self.day_texts[value] = format_value(value, "d.m.Y")
        return text

    def cell_unit(self, record):
        unit = record.unit
        return None if unit is None else str(unit)

    def cell_cves(self, record):
        return None if record.cves in EMPTY else self.render_cves(record.cves, record)

    def cell_cvss_score(self, record):
        return record.cvss_score

    def cell_port(self, record):
        return record.port

    def cell_scanner(self, record):
        shown = self.scanner_labels.get(record.scanner, record.scanner)
        return None if shown in EMPTY else shown

    def cell_last_seen(self, record):
        """``d.m.Y H:i`` in the page's time zone (the column's format: numbers only, the
        same in every language)."""
        value = record.last_seen
        if value is None:
            return None
        if timezone.is_aware(value):
            value = value.astimezone(self.zone)
        return (
            f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
            f" {value.hour:02d}:{value.minute:02d}"
        )


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
