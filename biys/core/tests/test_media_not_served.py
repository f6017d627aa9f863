"""Uploaded files are never served straight from MEDIA_ROOT, not even with debug on."""

import importlib

import pytest
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, get_resolver

import config.urls


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "secret.txt").write_text("KVKK")
    return tmp_path


@pytest.fixture
def debug_urlconf(media_root):
    with override_settings(DEBUG=True):
        module = importlib.reload(config.urls)
    clear_url_caches()
    yield module
    importlib.reload(config.urls)
    clear_url_caches()


def test_no_media_route_even_in_debug(debug_urlconf, settings):
    resolver = get_resolver(debug_urlconf)
    for path in (
        f"{settings.MEDIA_URL}attachments/2026/01/secret.pdf",
        f"{settings.MEDIA_URL}x",
    ):
        with pytest.raises(Resolver404):
            resolver.resolve(path)


@pytest.mark.django_db
def test_media_url_is_404_in_debug(debug_urlconf, client, settings):
    response = client.get(f"{settings.MEDIA_URL}secret.txt")
    assert response.status_code == 404
    assert b"KVKK" not in response.content
