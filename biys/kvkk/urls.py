from django.urls import include, path

from biys.core.views.generic import get_model_urls
from biys.kvkk import navigation, views  # noqa: F401 - menu and view registration

app_name = "kvkk"
urlpatterns = [
    path("inventory/verbis/", views.VerbisExportView.as_view(), name="verbis_export"),
    path("inventory/", include(get_model_urls("kvkk", "processingactivity"))),
    path("requests/overdue/", views.OverdueRequestListView.as_view(), name="request_overdue"),
    path("requests/<int:pk>/edit/", views.SubjectRequestEditView.as_view(), name="request_edit"),
    path("requests/<int:pk>/reveal/", views.RevealView.as_view(), name="request_reveal"),
    path(
        "requests/<int:pk>/do/<slug:action>/",
        views.RequestActionView.as_view(),
        name="request_action",
    ),
    path("requests/", include(get_model_urls("kvkk", "subjectrequest"))),
    path("lists/", include(get_model_urls("kvkk", "listitem"))),
]
