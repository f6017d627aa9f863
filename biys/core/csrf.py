"""One masked CSRF token per request.

Django's ``get_token`` masks the secret afresh on every call (a 32-character random string:
about 490 Python calls), and every template rendered with the request runs the context
processors again, each with its own lazy token: a list page paid for three or four masks. One
mask per response is what protects against BREACH (the token differs from one response to the
next), so a request keeps the token it masked, as long as its secret stays the same (a login
rotates the secret and gets a new token)."""

from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject


def page_csrf_token(request) -> str:
    secret = request.META.get("CSRF_COOKIE")
    kept = getattr(request, "_biys_csrf_token", None)
    if kept is not None and secret is not None and kept[0] == secret:
        return kept[1]
    token = get_token(request)
    request._biys_csrf_token = (request.META.get("CSRF_COOKIE"), token)
    return token


def csrf(request) -> dict:
    """Replaces Django's built-in ``csrf`` context processor (which runs first: a later
    processor's value wins) with the request's one token."""
    return {"csrf_token": SimpleLazyObject(lambda: page_csrf_token(request))}
