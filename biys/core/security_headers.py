"""Security headers Django 5.2 does not send itself: the Content Security Policy.

Every asset is served by the installation, scripts come only from static files (no inline
scripts, no ``eval``), so ``script-src 'self'`` holds. Inline ``style`` attributes remain in
templates and in Tabler, ApexCharts and HTMX's indicator styles, hence ``'unsafe-inline'`` for
styles only: a style cannot run code.
"""

from django.conf import settings

DEFAULT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],  # ReDoc's search worker
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def map_origins() -> list[str]:
    """The origins of the map server the municipality configures (``BIYS_MAP_TILE_URL``,
    ``BIYS_MAP_WMS_URL``): the base-station map loads its tiles from there. A ``{s}``
    subdomain template becomes a wildcard host."""
    from urllib.parse import urlsplit

    origins = []
    for url in (
        getattr(settings, "BIYS_MAP_TILE_URL", ""),
        getattr(settings, "BIYS_MAP_WMS_URL", ""),
    ):
        if not url:
            continue
        parts = urlsplit(url.replace("{s}", "*"))
        if parts.scheme in ("http", "https") and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    return origins


def policy_header(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        policy = {
            directive: list(sources)
            for directive, sources in getattr(
                settings, "BIYS_CONTENT_SECURITY_POLICY", DEFAULT_POLICY
            ).items()
        }
        policy["img-src"] = [*policy.get("img-src", ["'self'"]), *map_origins()]
        self.header = policy_header(policy)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response
