"""/health/ asks the real database, cache and broker (Redis on loopback) and needs no login."""

import socket

import pytest
from django.test import Client

REDIS_URL = "redis://127.0.0.1:6379/15"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # released on close: nothing listens there


@pytest.mark.django_db
def test_healthy_without_a_broker(settings):
    settings.CELERY_BROKER_URL = None
    response = Client().get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["components"]["database"]["status"] == "ok"
    assert body["components"]["cache"]["status"] == "ok"
    assert body["components"]["broker"] == {"status": "not configured"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_unreachable_broker_is_a_503_naming_it(settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = Client().get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["components"]["broker"]["status"] == "error"
    assert "Connection" in body["components"]["broker"]["detail"]
    assert body["components"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_reachable_broker_is_ok(settings):
    settings.CELERY_BROKER_URL = REDIS_URL
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json()["components"]["broker"]["status"] == "ok"


@pytest.mark.django_db
def test_broken_cache_is_a_503(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    response = Client().get("/health/")  # Django swaps the cache handlers with the setting
    assert response.status_code == 503
    assert response.json()["components"]["cache"]["status"] == "error"


@pytest.mark.django_db
def test_only_get_is_allowed():
    assert Client().post("/health/").status_code == 405
