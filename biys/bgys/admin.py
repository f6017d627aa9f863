from django.contrib import admin

from biys.bgys.models import (
    ApplicabilityEntry,
    Assessment,
    AssetGroup,
    Audit,
    AuditPlan,
    ChecklistItem,
    ConfidentialityAgreement,
    CorrectiveAction,
    Finding,
    Framework,
    InformationAsset,
    ManagementReview,
    Measure,
    MeasureMapping,
    Methodology,
    Policy,
    PolicyVersion,
    Question,
    ReviewAction,
    Risk,
    Section,
    ThirdParty,
    Threat,
    TrainingAttendance,
    TrainingSession,
    Vulnerability,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Framework data changes by loading its file (``biys frameworks load``), never by editing
    rows; the questionnaire and the SoA through the BGYS screens' services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["name", "version", "slug", "licence", "loaded_at"]


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "framework"]
    list_filter = ["framework"]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["number", "level", "title", "framework"]
    list_filter = ["framework", "level"]
    search_fields = ["number", "title"]


@admin.register(AssetGroup)
class AssetGroupAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "framework"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["number", "dimension", "framework"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "asset_group", "unit", "score", "level", "assessed_on"]
    list_filter = ["level"]


@admin.register(ApplicabilityEntry)
class ApplicabilityEntryAdmin(ReadOnlyAdmin):
    list_display = ["measure", "unit", "assessment", "applicable", "state", "owner"]
    list_filter = ["applicable", "state"]


@admin.register(MeasureMapping)
class MeasureMappingAdmin(ReadOnlyAdmin):
    list_display = ["source", "target", "reference"]


@admin.register(InformationAsset)
class InformationAssetAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "unit", "asset_group", "confidentiality", "integrity"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Methodology)
class MethodologyAdmin(ReadOnlyAdmin):
    list_display = ["name", "appetite", "is_default"]


@admin.register(Threat)
class ThreatAdmin(ReadOnlyAdmin):
    list_display = ["name"]


@admin.register(Vulnerability)
class VulnerabilityAdmin(ReadOnlyAdmin):
    list_display = ["name"]


@admin.register(Risk)
class RiskAdmin(ReadOnlyAdmin):
    list_display = ["asset", "threat", "inherent_score", "treatment", "residual_score", "status"]
    list_filter = ["status", "treatment"]


# Internal audits: read-only here; they change through the audit screens' services (states,
# the corrective action each nonconformity opens, the verification by someone else).


@admin.register(AuditPlan)
class AuditPlanAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "unit"]
    list_filter = ["year"]


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "planned_start", "planned_end", "state"]
    list_filter = ["state"]
    search_fields = ["title"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ReadOnlyAdmin):
    list_display = ["audit", "measure", "result"]
    list_filter = ["result"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["audit", "number", "kind", "measure"]
    list_filter = ["kind"]


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "finding", "unit", "owner", "due_date", "state", "overdue_reminded_on"]
    list_filter = ["state"]


@admin.register(ManagementReview)
class ManagementReviewAdmin(ReadOnlyAdmin):
    list_display = ["title", "held_on", "unit"]


@admin.register(ReviewAction)
class ReviewActionAdmin(ReadOnlyAdmin):
    list_display = ["description", "review", "owner", "due_date", "done_on"]


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "kind", "unit"]
    list_filter = ["kind"]
    search_fields = ["code", "title"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["policy", "number", "state", "approved_by", "published_on"]
    list_filter = ["state"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "held_on", "trainer", "unit"]
    search_fields = ["title"]


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(ReadOnlyAdmin):
    list_display = ["session", "person", "quiz_score"]


@admin.register(ThirdParty)
class ThirdPartyAdmin(admin.ModelAdmin):
    list_display = ["name", "tax_number", "unit", "is_active"]
    search_fields = ["name", "tax_number"]


@admin.register(ConfidentialityAgreement)
class ConfidentialityAgreementAdmin(admin.ModelAdmin):
    list_display = ["third_party", "signatory", "signed_on", "expires_on"]
    readonly_fields = ["reminded_for"]
