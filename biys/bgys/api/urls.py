from rest_framework.routers import DefaultRouter

from biys.bgys.api import audit_views, policy_views, third_party_views, training_views, views

router = DefaultRouter()
router.register("frameworks", views.FrameworkViewSet, basename="bgys-framework")
router.register("measures", views.MeasureViewSet, basename="bgys-measure")
router.register("assessments", views.AssessmentViewSet, basename="bgys-assessment")
router.register("mappings", views.MeasureMappingViewSet, basename="bgys-mapping")
router.register("soa", views.ApplicabilityEntryViewSet, basename="bgys-soa")
router.register("assets", views.InformationAssetViewSet, basename="bgys-asset")
router.register("methodologies", views.MethodologyViewSet, basename="bgys-methodology")
router.register("threats", views.ThreatViewSet, basename="bgys-threat")
router.register("vulnerabilities", views.VulnerabilityViewSet, basename="bgys-vulnerability")
router.register("risks", views.RiskViewSet, basename="bgys-risk")
router.register("audit-plans", audit_views.AuditPlanViewSet, basename="bgys-auditplan")
router.register("audits", audit_views.AuditViewSet, basename="bgys-audit")
router.register("checklist", audit_views.ChecklistItemViewSet, basename="bgys-checklistitem")
router.register("findings", audit_views.FindingViewSet, basename="bgys-finding")
router.register(
    "corrective-actions", audit_views.CorrectiveActionViewSet, basename="bgys-correctiveaction"
)
router.register(
    "management-reviews", audit_views.ManagementReviewViewSet, basename="bgys-managementreview"
)
router.register("review-actions", audit_views.ReviewActionViewSet, basename="bgys-reviewaction")
router.register("policies", policy_views.PolicyViewSet, basename="bgys-policy")
router.register("policy-versions", policy_views.PolicyVersionViewSet, basename="bgys-policyversion")
router.register(
    "training-sessions", training_views.TrainingSessionViewSet, basename="bgys-trainingsession"
)
router.register(
    "training-attendance",
    training_views.TrainingAttendanceViewSet,
    basename="bgys-trainingattendance",
)
router.register("third-parties", third_party_views.ThirdPartyViewSet, basename="bgys-thirdparty")
router.register(
    "confidentiality-agreements",
    third_party_views.ConfidentialityAgreementViewSet,
    basename="bgys-confidentialityagreement",
)
urlpatterns = router.urls
