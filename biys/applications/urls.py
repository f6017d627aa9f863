from django.urls import include, path

from biys.applications import navigation, views  # noqa: F401 - menu and view registration
from biys.core.views.generic import get_model_urls

app_name = "applications"
urlpatterns = [
    path("report/", views.ReportView.as_view(), name="report"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("<int:pk>/route/", views.RouteView.as_view(), name="route"),
    path("<int:pk>/extend/", views.ExtendView.as_view(), name="extend"),
    path("<int:pk>/outcome/", views.OutcomeView.as_view(), name="outcome"),
    path("<int:pk>/answer-document/", views.DraftAnswerView.as_view(), name="draft_answer"),
    path("<int:pk>/personal-data/", views.RevealView.as_view(), name="reveal"),
    path("gis/", include("biys.applications.gis.urls")),
    path("numarataj/", include("biys.applications.numarataj.urls")),
    path("basestation/", include("biys.applications.basestation.urls")),
    path("types/", include(get_model_urls("applications", "applicationtype"))),
    path("", include(get_model_urls("applications", "application"))),
]
