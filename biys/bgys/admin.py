from django.contrib import admin

from biys.bgys.models import (
    ApplicabilityEntry,
    Assessment,
    AssetGroup,
    Framework,
    InformationAsset,
    Measure,
    MeasureMapping,
    Methodology,
    Question,
    Risk,
    Section,
    Threat,
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
