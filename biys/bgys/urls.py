from django.urls import include, path

from biys.bgys import navigation, views  # noqa: F401 - menu and view registration
from biys.core.views.generic import get_model_urls

app_name = "bgys"
urlpatterns = [
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
]
