"""Every route of the root URLconf, and which of them the automatic matrix reaches.

A route is named by its URL name (``evrak:outgoing_eyp``, ``outgoingdocument-eyp``); the DRF
routers' format-suffix twins share their route's name and count once. The completeness test
(test_route_completeness) fails for a route that is neither reached automatically nor declared in
tests/permissions/custom_routes.py nor in the short public list below.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Routes anyone may reach, signed in or not, or that guard themselves outside the role model.
PUBLIC = {
    "core:home",  # the start page: the login page for an anonymous visitor
    "core:health",  # load balancer health check
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor",  # the second step of signing in
    "set_language",  # django.conf.urls.i18n
    "api-root",  # DRF's index of an app's API routes: links only
    "api-schema",  # the OpenAPI schema and its viewers (drf-spectacular)
    "api-docs",
    "api-redoc",
    "inventory-agent",  # inventory agents' own protocol, authenticated by the agent's token
    "servicedesk:alerts_alertmanager",  # monitoring webhooks, authenticated by a shared secret
    "servicedesk:alerts_zabbix",
}
# Django's admin site: staff accounts only (its own is_staff check, tested below).
ADMIN_PREFIX = "admin/"


@dataclass(frozen=True)
class UrlRoute:
    name: str
    pattern: str
    callback: object

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def actions(self) -> dict:
        """A DRF viewset route's {method: action}."""
        return getattr(self.callback, "actions", None) or {}


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield UrlRoute(
                name or prefix + str(entry.pattern), prefix + str(entry.pattern), entry.callback
            )


def all_routes() -> dict[str, UrlRoute]:
    """Every route by name, the admin site's left out (see ADMIN_PREFIX)."""
    routes = {}
    for route in _walk(get_resolver().url_patterns):
        if route.pattern.startswith(ADMIN_PREFIX):
            continue
        routes.setdefault(route.name, route)
    return routes


def automatic_routes() -> dict[str, str]:
    """{route name: the test that reaches it} for the generic matrix: the registered model pages
    (list, detail, edit, delete, history; add and bulk edit by the forms matrix) and the API's
    list and detail routes."""
    from tests.permissions.matrix import api_endpoints, ui_pages
    from tests.permissions.test_ui_forms_matrix import ENTRIES

    reached = {}
    for page in ui_pages():
        for name in (page.list_url_name, page.detail_url_name, page.edit_url_name):
            if name:
                reached[name] = "test_ui_matrix"
        if page.delete_url_name:
            reached[page.delete_url_name] = "test_ui_matrix"
        if page.changelog_url_name:
            reached[page.changelog_url_name] = "test_ui_matrix (history)"
    for entry in ENTRIES:
        for role in ("add", "bulk_edit"):
            if role in entry.views and "edit" in entry.views:
                reached[entry.url_name(role)] = "test_ui_forms_matrix"
    for endpoint in api_endpoints():
        reached[endpoint.list_url_name] = "test_api_matrix"
        reached[endpoint.detail_url_name] = "test_api_matrix"
    return reached
