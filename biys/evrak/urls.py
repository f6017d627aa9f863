from django.urls import include, path

from biys.core.views.generic import get_model_urls
from biys.evrak import navigation, views  # noqa: F401 - menu and view registration

app_name = "evrak"
urlpatterns = [
    path("<int:pk>/sender-data/", views.RevealView.as_view(), name="reveal"),
    path("parts/<int:pk>/", views.PartView.as_view(), name="part"),
    path("sdp/", include(get_model_urls("evrak", "sdpcode"))),
    path("", include(get_model_urls("evrak", "incomingdocument"))),
]
