"""The URLs of the public entry point (``config.public_settings``): the application form and
the tracking page, nothing else of BİYS."""

from django.urls import include, path

urlpatterns = [path("", include("biys.applications.public_urls"))]

handler404 = "biys.applications.public_views.not_found"
handler500 = "biys.applications.public_views.server_error"
