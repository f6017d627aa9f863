"""The public entry point's pages (mounted by ``config.public_urls`` only)."""

from django.urls import path

from biys.applications import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.ApplyView.as_view(), name="apply"),
    path("takip/", public_views.TrackView.as_view(), name="track"),
]
