"""The frame every HTML page shares (``core/base.html``: head, top bar, footer) rendered once
per language and user, then reused: its dozens of template nodes (translations, static files,
links, the language and user menus) cost more than many a page's own body.

A memoised part may vary per request only in the values named in ``PER_REQUEST``: it is
rendered with a marker in their place, and each request puts its own escaped values in. Any
other value a part shows must be in its key (the language always is)."""

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# A context name → its marker, a private-use character pair that escaping leaves alone and no
# text of the frame contains.
PER_REQUEST = {
    "csrf_token": "\ue000csrf\ue000",
    "frame_next_path": "\ue000next\ue000",
    "global_search_query": "\ue000query\ue000",
}
_MAX_PARTS = 4096
_parts: dict[tuple, str] = {}


def per_request_values(context) -> dict[str, str]:
    """The real values, escaped as the template would have escaped them; worked out once per
    rendering (a page puts several parts in)."""
    values = getattr(context, "_frame_values", None)
    if values is None:
        values = context._frame_values = _per_request_values(context)
    return values


def _per_request_values(context) -> dict[str, str]:
    request = context.get("request")
    token = context.get("csrf_token")
    return {
        "csrf_token": escape(str(token)) if token is not None else "",
        "frame_next_path": escape(request.get_full_path()) if request is not None else "",
        "global_search_query": escape(context.get("global_search_query") or ""),
    }


def render_part(where: tuple, key: tuple, nodelist, context) -> SafeString:
    values = per_request_values(context)
    # Rendered afresh while the server runs with DEBUG (templates edited must show at once),
    # and outside a request (no token: the token tag writes nothing rather than an empty one).
    if settings.DEBUG or context.get("csrf_token") is None:
        with context.push(**{name: mark_safe(value) for name, value in values.items()}):
            return mark_safe(nodelist.render(context))
    cache_key = (where, get_language(), *key)
    html = _parts.get(cache_key)
    if html is None:
        with context.push(**{name: mark_safe(marker) for name, marker in PER_REQUEST.items()}):
            html = nodelist.render(context)
        if len(_parts) >= _MAX_PARTS:
            _parts.clear()
        _parts[cache_key] = html
    for name, marker in PER_REQUEST.items():
        if marker in html:
            html = html.replace(marker, values[name])
    return mark_safe(html)
