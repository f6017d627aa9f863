from django.urls import include, path

from biys.core.views.generic import get_model_urls
from biys.secops import navigation, views  # noqa: F401 - menu and view registration

app_name = "secops"
urlpatterns = [
    path("findings/overdue/", views.OverdueView.as_view(), name="overdue"),
    path(
        "findings/<int:pk>/<slug:action>/",
        views.FindingActionView.as_view(),
        name="finding_action",
    ),
    path("findings/", include(get_model_urls("secops", "finding"))),
    path("imports/", include(get_model_urls("secops", "scanimport"))),
    path("targets/", include(get_model_urls("secops", "remediationtarget"))),
]
