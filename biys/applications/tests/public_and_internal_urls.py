"""For the browser test: the installation's pages and, under /e-basvuru/, the public entry
point's, so that one live server plays both hosts."""

from django.urls import include, path

from config.urls import urlpatterns as internal

urlpatterns = [path("e-basvuru/", include("biys.applications.public_urls")), *internal]
