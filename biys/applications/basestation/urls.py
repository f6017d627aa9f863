"""The base-station URLs, in the applications namespace (included from its ``urls.py``)."""

from django.urls import include, path

from biys.applications.basestation import navigation, views  # noqa: F401 - menu and views
from biys.core.views.generic import get_model_urls

urlpatterns = [
    path("map/", views.SiteMapView.as_view(), name="basestation_map"),
    path(
        "sites/<int:pk>/do/<slug:action>/",
        views.SiteActionView.as_view(),
        name="basestation_site_action",
    ),
    path(
        "sites/<int:pk>/sheet.pdf",
        views.SiteSheetPdfView.as_view(),
        name="basestation_site_sheet_pdf",
    ),
    path("sites/search/", views.SiteSearchView.as_view(), name="basestation_site_search"),
    path("sites/", include(get_model_urls("applications", "basestationsite"))),
    path(
        "complaints/<int:pk>/answer/",
        views.ComplaintAnswerView.as_view(),
        name="basestation_complaint_answer",
    ),
    path(
        "complaints/<int:pk>/unlink/",
        views.ComplaintUnlinkView.as_view(),
        name="basestation_complaint_unlink",
    ),
    path(
        "applications/<int:pk>/link-site/",
        views.ComplaintLinkView.as_view(),
        name="basestation_complaint_link",
    ),
    path("complaints/", include(get_model_urls("applications", "sitecomplaint"))),
    path("operators/", include(get_model_urls("applications", "operator"))),
]
