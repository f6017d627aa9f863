from django.urls import include, path

from biys.bgys import (  # noqa: F401 - menu and view registration
    audit_views,
    compliance_views,
    navigation,
    policy_views,
    third_party_views,
    training_views,
    views,
)
from biys.core.views.generic import get_model_urls

app_name = "bgys"
urlpatterns = [
    path("compliance/", compliance_views.ComplianceDashboardView.as_view(), name="compliance"),
    path("frameworks/load/", views.FrameworkLoadView.as_view(), name="framework_load"),
    path("frameworks/<int:pk>/add-to-soa/", views.AddToSoaView.as_view(), name="add_to_soa"),
    path("frameworks/", include(get_model_urls("bgys", "framework"))),
    path("mappings/", include(get_model_urls("bgys", "measuremapping"))),
    path("measures/", include(get_model_urls("bgys", "measure"))),
    path(
        "assessments/<int:pk>/add-to-soa/",
        views.AddApplicableView.as_view(),
        name="add_applicable",
    ),
    path("assessments/", include(get_model_urls("bgys", "assessment"))),
    path("soa/pdf/", views.ApplicabilityEntryPdfView.as_view(), name="soa_pdf"),
    path("soa/", include(get_model_urls("bgys", "applicabilityentry"))),
    path("assets/", include(get_model_urls("bgys", "informationasset"))),
    path("methodologies/", include(get_model_urls("bgys", "methodology"))),
    path("threats/", include(get_model_urls("bgys", "threat"))),
    path("vulnerabilities/", include(get_model_urls("bgys", "vulnerability"))),
    path("risks/heat-map/", views.RiskHeatMapView.as_view(), name="risk_heatmap"),
    path(
        "risks/<int:pk>/workflow/<slug:action>/",
        views.RiskActionView.as_view(),
        name="risk_action",
    ),
    path("risks/", include(get_model_urls("bgys", "risk"))),
    path("audit-plans/", include(get_model_urls("bgys", "auditplan"))),
    path("audits/assigned/", audit_views.AssignedAuditListView.as_view(), name="audit_assigned"),
    path("audits/<int:pk>/report/", audit_views.AuditReportView.as_view(), name="audit_report"),
    path(
        "audits/<int:pk>/checklist/",
        audit_views.ChecklistDrawView.as_view(),
        name="checklist_draw",
    ),
    path(
        "audits/<int:pk>/workflow/<slug:action>/",
        audit_views.AuditActionView.as_view(),
        name="audit_action",
    ),
    path("audits/", include(get_model_urls("bgys", "audit"))),
    path("checklist/", include(get_model_urls("bgys", "checklistitem"))),
    path("findings/", include(get_model_urls("bgys", "finding"))),
    path(
        "corrective-actions/<int:pk>/step/<slug:step>/",
        audit_views.CorrectiveActionStepView.as_view(),
        name="correctiveaction_step",
    ),
    path("corrective-actions/", include(get_model_urls("bgys", "correctiveaction"))),
    path("management-reviews/", include(get_model_urls("bgys", "managementreview"))),
    path("review-actions/", include(get_model_urls("bgys", "reviewaction"))),
    path("policies/compliance/", policy_views.ComplianceView.as_view(), name="policy_compliance"),
    path("policies/read/<int:pk>/", policy_views.PolicyReadView.as_view(), name="policy_read"),
    path("policies/", include(get_model_urls("bgys", "policy"))),
    path(
        "policy-versions/<int:pk>/workflow/<slug:action>/",
        policy_views.PolicyVersionActionView.as_view(),
        name="policyversion_action",
    ),
    path(
        "policy-versions/<int:pk>/acknowledgements.csv",
        policy_views.PolicyVersionCsvView.as_view(),
        name="policyversion_csv",
    ),
    path("policy-versions/", include(get_model_urls("bgys", "policyversion"))),
    path(
        "training/compliance/",
        training_views.TrainingComplianceView.as_view(),
        name="training_compliance",
    ),
    path(
        "training/compliance.csv",
        training_views.TrainingComplianceCsvView.as_view(),
        name="training_compliance_csv",
    ),
    path(
        "training/<int:pk>/attendees/",
        training_views.AttendeesView.as_view(),
        name="training_attendees",
    ),
    path("training/", include(get_model_urls("bgys", "trainingsession"))),
    path("training-attendance/", include(get_model_urls("bgys", "trainingattendance"))),
    path("third-parties/", include(get_model_urls("bgys", "thirdparty"))),
    path("confidentiality/", include(get_model_urls("bgys", "confidentialityagreement"))),
]
