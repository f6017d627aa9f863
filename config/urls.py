from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from biys.inventory.agent_endpoint import agent_endpoint

API_APPS = [
    "core",
    "org",
    "accounts",
    "calendar",
    "acknowledgements",
    "attachments",
    "comments",
    "notifications",
    "servicedesk",
    "logs5651",
    "inventory",
    "applications",
    "evrak",
    "secops",
    "bgys",
    "kvkk",
]

urlpatterns = [
    # The API first, under one prefix: a request to it is matched without trying every page's
    # pattern first (no page's pattern starts with "api/v1/", so no answer changes).
    path(
        "api/v1/", include([path(f"{app}/", include(f"biys.{app}.api.urls")) for app in API_APPS])
    ),
    path("", include("biys.core.urls")),
    path("org/", include("biys.org.urls")),
    path("accounts/", include("biys.accounts.urls")),
    path("calendar/", include("biys.calendar.urls")),
    path("acknowledgements/", include("biys.acknowledgements.urls")),
    path("attachments/", include("biys.attachments.urls")),
    path("comments/", include("biys.comments.urls")),
    path("notifications/", include("biys.notifications.urls")),
    path("servicedesk/", include("biys.servicedesk.urls")),
    path("logs5651/", include("biys.logs5651.urls")),
    path("inventory/", include("biys.inventory.urls")),
    path("applications/", include("biys.applications.urls")),
    path("evrak/", include("biys.evrak.urls")),
    path("secops/", include("biys.secops.urls")),
    path("bgys/", include("biys.bgys.urls")),
    path("kvkk/", include("biys.kvkk.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # Inventory agents (GLPI Agent JSON, FusionInventory XML): their own protocol, not the API's;
    # GLPI's and FusionInventory's paths too, so an agent's configuration keeps its path.
    re_path(
        r"^(?:api/agent|front/inventory\.php|plugins/(?:fusioninventory|glpiinventory))/?$",
        agent_endpoint,
        name="inventory-agent",
    ),
]
# No /media/ route, not even in debug mode: uploaded files are private and reach a browser only
# through the attachments app's permission-checked download view.

# Under /api/ these answer with problem details; elsewhere with the templates.
handler400 = "biys.core.api.problems.handler400"
handler404 = "biys.core.api.problems.handler404"
handler500 = "biys.core.api.problems.handler500"
