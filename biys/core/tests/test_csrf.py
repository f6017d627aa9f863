"""One masked CSRF token per request (``biys.core.csrf``)."""

from django.middleware.csrf import _unmask_cipher_token, rotate_token
from django.test import RequestFactory

from biys.core.csrf import page_csrf_token


def test_a_request_keeps_its_token_until_its_secret_changes():
    request = RequestFactory().get("/")
    first = page_csrf_token(request)
    assert page_csrf_token(request) == first
    secret = request.META["CSRF_COOKIE"]
    assert _unmask_cipher_token(first) == secret
    rotate_token(request)  # a login in the middle of the request
    rotated = page_csrf_token(request)
    assert rotated != first
    assert _unmask_cipher_token(rotated) == request.META["CSRF_COOKIE"] != secret
