"""Serializers of the findings API. Names are app-unique (``Finding…``, ``ScanImport…``) so
the schema's components never clash with another app's."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.org.models import Unit
from biys.secops.choices import Format
from biys.secops.models import Finding, RemediationTarget, ScanImport


class FindingSerializer(BiysModelSerializer):
    cve_list = serializers.ListField(child=serializers.CharField(), read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id", "display", "unit", "host", "ip", "hostname", "asset_reference", "port",
            "protocol", "component", "scanner", "rule_id", "cves", "cve_list", "title",
            "severity", "cvss_score", "cvss_vector", "description", "solution", "references",
            "evidence", "first_seen", "last_seen", "first_import", "last_import", "state",
            "state_changed_at", "state_note", "due_date", "overdue", "risk_accepted_by",
            "risk_accepted_until", "fixed_at", "times_reopened", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        from biys.secops.selectors import today

        return bool(obj.is_active and obj.due_date and obj.due_date < today())


class FindingActionRequestSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("The reason.")
    )
    until = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The day a risk acceptance ends (accept-risk only)."),
    )


class ScanImportSerializer(BiysModelSerializer):
    class Meta:
        model = ScanImport
        fields = [
            "id", "display", "unit", "filename", "size", "format", "status", "progress",
            "total", "created_count", "updated_count", "reopened_count", "skipped_count",
            "error", "imported_by", "started_at", "finished_at", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = fields


class ScanImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The scanner report."))
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        help_text=_("Responsible for the findings whose asset the register does not know."),
    )
    scanner_format = serializers.ChoiceField(
        choices=Format.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Recognised from the file when left out."),
    )


class RemediationTargetSerializer(BiysModelSerializer):
    class Meta:
        model = RemediationTarget
        fields = ["id", "display", "severity", "days", "created", "last_updated"]
        read_only_fields = ["severity"]
