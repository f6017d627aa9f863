from django.contrib import admin

from biys.secops.models import (
    Breach,
    Evidence,
    Finding,
    Incident,
    Indicator,
    NotificationRule,
    PenTest,
    RemediationTarget,
    ScanImport,
    UsomAddress,
    UsomListImport,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read only: imports and findings change through the findings services (deduplication,
    lifecycle, permissions), never by editing rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScanImport)
class ScanImportAdmin(ReadOnlyAdmin):
    list_display = ["filename", "format", "status", "unit", "created", "created_count",
                    "updated_count", "reopened_count", "skipped_count"]  # fmt: skip
    list_filter = ["format", "status"]
    search_fields = ["filename"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["title", "host", "port", "severity", "state", "unit", "due_date"]
    list_filter = ["severity", "state", "scanner"]
    search_fields = ["host", "cves", "title"]
    show_full_result_count = False


@admin.register(RemediationTarget)
class RemediationTargetAdmin(admin.ModelAdmin):
    list_display = ["severity", "days"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    """Incidents change through their services (numbering, timeline, clocks)."""

    list_display = ["number", "title", "severity", "state", "unit", "detected_at"]
    list_filter = ["state", "severity", "classification"]
    search_fields = ["number", "title"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["kind", "value", "first_seen"]
    list_filter = ["kind"]
    search_fields = ["value"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["filename", "incident", "sha256", "added_by", "added_at"]


@admin.register(NotificationRule)
class NotificationRuleAdmin(admin.ModelAdmin):
    list_display = ["authority", "name", "hours", "applies_when", "active"]


@admin.register(Breach)
class BreachAdmin(ReadOnlyAdmin):
    """Breach records change through their services (the incident's clock and timeline)."""

    list_display = ["incident", "subjects_affected", "records_affected", "subjects_notified_at"]
    search_fields = ["incident__number", "incident__title"]


@admin.register(PenTest)
class PenTestAdmin(ReadOnlyAdmin):
    list_display = ["title", "tester", "started_on", "ended_on", "unit"]
    search_fields = ["title", "tester"]


@admin.register(UsomListImport)
class UsomListImportAdmin(ReadOnlyAdmin):
    list_display = ["filename", "source", "status", "created", "added_count", "match_count"]
    list_filter = ["source", "status"]


@admin.register(UsomAddress)
class UsomAddressAdmin(ReadOnlyAdmin):
    list_display = ["value", "kind", "category", "listed_at", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["value"]
