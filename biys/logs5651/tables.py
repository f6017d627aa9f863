"""Tables of the 5651 lists."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from biys.core.tables import BiysTable
from biys.logs5651.models import DailySeal, LogFile, LogSource, SearchRequest

STATUS_COLOURS = {"sealed": "green", "not_sealed": "orange", "failed": "red"}


class LogSourceTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    unit = tables.Column(verbose_name=_("Responsible unit"), linkify=True)

    class Meta(BiysTable.Meta):
        model = LogSource
        fields = ("name", "unit", "kind", "parser", "active")


class LogFileTable(BiysTable):
    day = tables.DateColumn(verbose_name=_("Day"), format="Y-m-d")
    name = tables.Column(verbose_name=_("File name"), linkify=True)
    source = tables.Column(verbose_name=_("Source"), linkify=True)
    sha256 = tables.Column(verbose_name=_("SHA-256"))

    class Meta(BiysTable.Meta):
        model = LogFile
        fields = ("day", "name", "source", "size", "lines", "records", "unreadable", "received_at")

    def render_sha256(self, value):
        return format_html('<code title="{}">{}…</code>', value, value[:16])


class DailySealTable(BiysTable):
    day = tables.DateColumn(verbose_name=_("Day"), format="Y-m-d", linkify=True)
    unit = tables.Column(verbose_name=_("Unit"))
    status = tables.Column(verbose_name=_("Status"))
    manifest_sha256 = tables.Column(verbose_name=_("Manifest SHA-256"))

    class Meta(BiysTable.Meta):
        model = DailySeal
        fields = (
            "day",
            "unit",
            "status",
            "stamped_at",
            "attempts",
            "next_retry_at",
            "manifest_sha256",
        )

    def render_status(self, value, record):
        colour = STATUS_COLOURS.get(record.status, "secondary")
        return format_html('<span class="badge bg-{}-lt">{}</span>', colour, value)

    def value_status(self, value, record):
        return record.get_status_display()

    def render_manifest_sha256(self, value):
        return format_html('<code title="{}">{}…</code>', value, value[:16])


class SearchRequestTable(BiysTable):
    time = tables.DateTimeColumn(verbose_name=_("Searched at"))
    user_name = tables.Column(verbose_name=_("User"))
    request_number = tables.Column(verbose_name=_("Request number"))
    ip = tables.Column(verbose_name=_("IP address"))
    at = tables.DateTimeColumn(verbose_name=_("Time asked about"))
    results = tables.Column(verbose_name=_("Records found"))

    class Meta(BiysTable.Meta):
        model = SearchRequest
        fields = ("time", "user_name", "request_number", "ip", "at", "results")
