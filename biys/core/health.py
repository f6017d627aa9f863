"""``/health/``: is the installation able to work? For load balancers and monitoring, no login.

Each component answers ``ok``, ``error`` (with a detail) or ``not configured``; the response is
200 when none failed and 503 otherwise.
"""

import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

OK = "ok"
ERROR = "error"
NOT_CONFIGURED = "not configured"
BROKER_TIMEOUT_SECONDS = 2


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone()[0] != 1:
            raise RuntimeError("unexpected answer")


def check_cache() -> None:
    key = f"biys:health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    try:
        if cache.get(key) != "1":
            raise RuntimeError("a value written was not read back")
    finally:
        cache.delete(key)


def check_broker() -> str:
    url = getattr(settings, "CELERY_BROKER_URL", None)
    if not url:
        return NOT_CONFIGURED
    if urlsplit(url).scheme in ("redis", "rediss", "unix"):
        import redis

        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
            socket_timeout=BROKER_TIMEOUT_SECONDS,
            retry_on_timeout=False,
        )
        try:
            client.ping()
        finally:
            client.close()
    else:
        from kombu import Connection

        with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as broker:
            broker.ensure_connection(max_retries=1)
    return OK


def _run(check) -> dict:
    started = time.perf_counter()
    try:
        outcome = check() or OK
    except Exception as error:  # any failure is the answer, not a crash
        return {"status": ERROR, "detail": f"{type(error).__name__}: {error}"[:300]}
    result = {"status": outcome}
    if outcome == OK:
        result["milliseconds"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@never_cache
@require_GET
def health(request):
    components = {
        "database": _run(check_database),
        "cache": _run(check_cache),
        "broker": _run(check_broker),
    }
    healthy = all(component["status"] != ERROR for component in components.values())
    return JsonResponse(
        {"status": OK if healthy else ERROR, "components": components},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )
