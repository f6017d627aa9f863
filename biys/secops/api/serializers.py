"""Serializers of the findings API. Names are app-unique (``Finding…``, ``ScanImport…``) so
the schema's components never clash with another app's."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.org.models import Unit
from biys.secops.choices import Classification, DetectionSource, Format, IndicatorKind, Severity
from biys.secops.models import (
    Breach,
    Evidence,
    Finding,
    Incident,
    IncidentEvent,
    IncidentTask,
    Indicator,
    Notification,
    NotificationRule,
    PenTest,
    RemediationTarget,
    ScanImport,
    UsomAddress,
    UsomListImport,
)


class FindingSerializer(BiysModelSerializer):
    cve_list = serializers.ListField(child=serializers.CharField(), read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id", "display", "unit", "host", "ip", "hostname", "asset_reference", "port",
            "protocol", "component", "scanner", "rule_id", "cves", "cve_list", "title",
            "severity", "cvss_score", "cvss_vector", "description", "solution", "references",
            "evidence", "first_seen", "last_seen", "first_import", "last_import", "pentest", "state",
            "state_changed_at", "state_note", "due_date", "overdue", "risk_accepted_by",
            "risk_accepted_until", "fixed_at", "times_reopened", "ticket", "created",
            "last_updated",
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


# Incidents ---------------------------------------------------------------------------------


class IncidentEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentEvent
        fields = ["id", "occurred_at", "text", "author", "created"]
        read_only_fields = fields


class IncidentIndicatorSerializer(serializers.ModelSerializer):
    seen_in = serializers.SerializerMethodField(help_text=_("How many incidents saw it."))

    class Meta:
        model = Indicator
        fields = ["id", "kind", "value", "seen_in", "first_seen", "usom_address"]
        read_only_fields = fields

    def get_seen_in(self, obj) -> int:
        return obj.incidents.count()


class IncidentNotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "rule", "sent_at", "reference", "content", "sent_by", "created"]
        read_only_fields = fields


class IncidentClockSerializer(serializers.Serializer):
    rule = serializers.IntegerField(source="rule.pk")
    authority = serializers.CharField(source="rule.authority")
    name = serializers.CharField(source="rule.name")
    deadline = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(source="first_sent_at", allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)
    late = serializers.SerializerMethodField()

    def get_late(self, obj) -> bool:
        return obj.is_late()


class IncidentEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "filename", "size", "sha256", "description", "added_by", "added_at"]
        read_only_fields = fields


class IncidentTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentTask
        fields = ["id", "title", "assignee", "due", "state", "note", "done_at", "created_by",
                  "created"]  # fmt: skip
        read_only_fields = fields


class IncidentTaskRequestSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A user who may see the incident (the SOME, a named person)."),
    )
    due = serializers.DateTimeField(required=False, allow_null=True, default=None)


class IncidentTaskStepRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["start", "done", "cancel", "reopen"])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IncidentSerializer(BiysModelSerializer):
    ticket_number = serializers.SerializerMethodField()
    tasks = IncidentTaskSerializer(many=True, read_only=True)
    events = IncidentEventSerializer(many=True, read_only=True)
    indicators = IncidentIndicatorSerializer(many=True, read_only=True)
    notifications = IncidentNotificationSerializer(many=True, read_only=True)
    evidence = IncidentEvidenceSerializer(many=True, read_only=True)
    clocks = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id", "display", "number", "title", "unit", "source", "ticket", "ticket_number",
            "source_reference", "detected_at", "classification", "severity", "personal_data",
            "affected_units", "affected_assets", "description", "state", "contained_at",
            "recovered_at", "closed_at", "containment", "recovery", "lessons", "named_people",
            "reported_by", "events", "indicators", "notifications", "evidence", "tasks",
            "clocks", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = fields

    def get_ticket_number(self, obj) -> str:
        return obj.ticket.number if obj.ticket_id else ""

    @extend_schema_field(IncidentClockSerializer(many=True))
    def get_clocks(self, obj):
        from biys.secops.selectors import clocks

        return IncidentClockSerializer(clocks(obj), many=True).data


class IncidentCreateSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    title = serializers.CharField(max_length=300)
    source = serializers.ChoiceField(choices=DetectionSource.choices)
    ticket_number = serializers.CharField(required=False, allow_blank=True, default="")
    source_reference = serializers.CharField(required=False, allow_blank=True, default="")
    detected_at = serializers.DateTimeField()
    classification = serializers.ChoiceField(choices=Classification.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    personal_data = serializers.BooleanField(required=False, default=False)
    affected_assets = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class IncidentStepRequestSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IncidentEventRequestSerializer(serializers.Serializer):
    text = serializers.CharField()
    occurred_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class IncidentIndicatorRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)
    value = serializers.CharField(max_length=500)


class IncidentNotificationRequestSerializer(serializers.Serializer):
    rule = serializers.PrimaryKeyRelatedField(queryset=NotificationRule.objects.all())
    sent_at = serializers.DateTimeField()
    content = serializers.CharField()
    reference = serializers.CharField(required=False, allow_blank=True, default="")


class NotificationRuleSerializer(BiysModelSerializer):
    class Meta:
        model = NotificationRule
        fields = ["id", "display", "authority", "name", "hours", "applies_when", "source",
                  "active", "created", "last_updated"]  # fmt: skip


class BreachSerializer(BiysModelSerializer):
    """A personal-data breach with its incident's KVKK clock (``board_clock``: the deadline
    counted from the detection, when the Board was first notified)."""

    incident_number = serializers.CharField(source="incident.number", read_only=True)
    detected_at = serializers.DateTimeField(source="incident.detected_at", read_only=True)
    board_clock = serializers.SerializerMethodField()

    class Meta:
        model = Breach
        fields = [
            "id", "display", "incident", "incident_number", "detected_at", "data_categories",
            "subject_groups", "subjects_affected", "records_affected", "consequences",
            "measures", "late_reason", "subjects_notified_at", "subjects_notification",
            "board_clock", "recorded_by", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(IncidentClockSerializer(allow_null=True))
    def get_board_clock(self, obj):
        from biys.secops.models import NotificationRule
        from biys.secops.selectors import board_clock

        if "_rules" not in self.context:  # read once per response, not once per breach
            self.context["_rules"] = list(NotificationRule.objects.all())
        clock = board_clock(
            obj.incident,
            rules=self.context["_rules"],
            notifications=list(obj.incident.notifications.all()),
        )
        return IncidentClockSerializer(clock).data if clock is not None else None


class BreachWriteSerializer(serializers.Serializer):
    """Record (``incident`` required) or change (``PATCH``: the fields given) a breach."""

    incident = serializers.IntegerField(required=False)
    data_categories = serializers.CharField()
    subject_groups = serializers.CharField()
    subjects_affected = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    records_affected = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    consequences = serializers.CharField(required=False, allow_blank=True)
    measures = serializers.CharField(required=False, allow_blank=True)
    late_reason = serializers.CharField(required=False, allow_blank=True)
    subjects_notified_at = serializers.DateTimeField(required=False, allow_null=True)
    subjects_notification = serializers.CharField(required=False, allow_blank=True)


class BoardNotificationSerializer(serializers.Serializer):
    sent_at = serializers.DateTimeField()
    content = serializers.CharField()
    reference = serializers.CharField(required=False, allow_blank=True, default="")


# Penetration tests -------------------------------------------------------------------------


class PenTestSerializer(BiysModelSerializer):
    finding_count = serializers.IntegerField(read_only=True, help_text=_("Findings it reported."))
    has_report = serializers.SerializerMethodField()

    class Meta:
        model = PenTest
        fields = [
            "id", "display", "title", "unit", "tester", "started_on", "ended_on", "scope",
            "has_report", "report_filename", "report_sha256", "finding_count", "recorded_by",
            "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = fields

    def get_has_report(self, obj) -> bool:
        return bool(obj.report)


class PenTestCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        help_text=_("Responsible for the findings whose asset the register does not know."),
    )
    tester = serializers.CharField(max_length=200)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    scope = serializers.CharField(required=False, allow_blank=True, default="")
    report = serializers.FileField(required=False, allow_null=True, default=None)


class PenTestFindingRequestSerializer(serializers.Serializer):
    host = serializers.CharField(max_length=255, help_text=_("IP address, host name or URL."))
    title = serializers.CharField(max_length=500)
    severity = serializers.ChoiceField(choices=Severity.choices)
    rule_id = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="",
        help_text=_("The report's number for the finding or its CWE."),
    )  # fmt: skip
    port = serializers.IntegerField(required=False, allow_null=True, default=None,
                                    min_value=1, max_value=65535)  # fmt: skip
    protocol = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    component = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    cves = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default="",
        help_text=_("Separated by spaces."),
    )  # fmt: skip
    cvss_score = serializers.DecimalField(
        max_digits=3, decimal_places=1, required=False, allow_null=True, default=None,
        min_value=0, max_value=10,
    )  # fmt: skip
    cvss_vector = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    solution = serializers.CharField(required=False, allow_blank=True, default="")
    references = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class PenTestFindingResultSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["created", "updated", "reopened"])
    finding = FindingSerializer()


# USOM's malicious address list -------------------------------------------------------------


class UsomListImportSerializer(BiysModelSerializer):
    class Meta:
        model = UsomListImport
        fields = [
            "id", "display", "filename", "size", "format", "source", "status", "complete",
            "total", "added_count", "known_count", "delisted_count", "skipped_count",
            "match_count", "new_match_count", "error", "imported_by", "started_at",
            "finished_at", "created",
        ]  # fmt: skip
        read_only_fields = fields


class UsomListUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("url-list.txt (one address a line) or a JSON page of USOM's address API.")
    )


class UsomAddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = UsomAddress
        fields = ["id", "kind", "value", "usom_id", "category", "criticality", "listed_at",
                  "first_seen", "active"]  # fmt: skip
        read_only_fields = fields


class UsomMatchSerializer(serializers.ModelSerializer):
    usom_address = UsomAddressSerializer(read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "kind", "value", "first_seen", "usom_address"]
        read_only_fields = fields


class UsomAccessMatchSerializer(serializers.Serializer):
    address = serializers.CharField()
    internal_ip = serializers.CharField()
    identity = serializers.CharField()
    mac = serializers.CharField()
    hostname = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(allow_null=True)
    dst_port = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()
    day = serializers.DateField()


class UsomAccessMatchesSerializer(serializers.Serializer):
    installed = serializers.BooleanField()
    count = serializers.IntegerField()
    capped = serializers.BooleanField()
    visible = serializers.BooleanField()
    rows = UsomAccessMatchSerializer(many=True)


class FindingSeverityCountsSerializer(serializers.Serializer):
    critical = serializers.IntegerField()
    high = serializers.IntegerField()
    medium = serializers.IntegerField()
    low = serializers.IntegerField()
    info = serializers.IntegerField()
    total = serializers.IntegerField()


class FindingDueUnitSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    overdue = FindingSeverityCountsSerializer(help_text="Date to fix by before `day`.")
    due_soon = FindingSeverityCountsSerializer(
        help_text="Date to fix by from `day` to `soon_until`, both included."
    )
    oldest_overdue = serializers.DateField(allow_null=True)


class FindingDueByUnitSerializer(serializers.Serializer):
    day = serializers.DateField()
    soon_days = serializers.IntegerField()
    soon_until = serializers.DateField()
    units = FindingDueUnitSerializer(many=True)


class FindingDueByUnitRequestSerializer(serializers.Serializer):
    soon_days = serializers.IntegerField(
        min_value=0, max_value=365, required=False, default=7,
        help_text="How many days after today count as due soon (7 when left out).",
    )  # fmt: skip
