from django.urls import include, path

from biys.core.views.generic import get_model_urls
from biys.logs5651 import navigation, views  # noqa: F401 - menu and view registration

app_name = "logs5651"
urlpatterns = [
    path("who/", views.WhoView.as_view(), name="who"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("files/upload/", views.UploadView.as_view(), name="upload"),
    path("files/<int:pk>/download/", views.DownloadView.as_view(), name="download"),
    path("searches/<int:pk>/evidence/", views.EvidenceView.as_view(), name="evidence"),
    path("seals/<int:pk>/retry/", views.RetrySealView.as_view(), name="seal_retry"),
    path("sources/", include(get_model_urls("logs5651", "logsource"))),
    path("files/", include(get_model_urls("logs5651", "logfile"))),
    path("seals/", include(get_model_urls("logs5651", "dailyseal"))),
    path("searches/", include(get_model_urls("logs5651", "searchrequest"))),
]
