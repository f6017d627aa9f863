"""The outbox task through a real Celery worker and Redis broker, and concurrent delivery."""

import socket
import threading
import time

import pytest
from django.db import connection, connections, transaction

from biys.notifications import services
from biys.notifications.models import OutboxMessage

BROKER_URL = "redis://127.0.0.1:6379/15"


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def forget_broker_connections(app) -> None:
    """Drop pooled broker connections so the next publish uses the broker URL now configured
    (what Celery itself does after a fork)."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._after_fork()


@pytest.fixture
def celery_on_redis(settings):
    """config.celery's app pointed at Redis database 15, not eager, for the duration of a test."""
    if not redis_reachable():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379: the real-worker test needs it")
    from config.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=BROKER_URL, task_always_eager=False)
    forget_broker_connections(app)
    with app.connection_for_write() as broker:
        broker.default_channel.client.flushdb()
    try:
        yield app
    finally:
        app.conf.update(saved)
        forget_broker_connections(app)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_outbox(celery_on_redis, smtp_server, make_user, org_tree):
    from celery.contrib.testing.worker import start_worker

    user = make_user("technician", org_tree["network"], email="murat@belediye.test")

    with start_worker(celery_on_redis, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        # Committed at once (no surrounding transaction): the commit hook publishes to Redis.
        services.notify(recipients=[user], title="Sunucu bakımı: Perşembe 22.00", body="Bilginize.")
        delivered = wait_for(lambda: smtp_server.envelopes)
    connections.close_all()

    assert delivered, "the worker did not deliver the message within 20 seconds"
    assert smtp_server.envelopes[0].rcpt_tos == ["murat@belediye.test"]
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("sent", 1)


@pytest.mark.django_db(transaction=True)
def test_rows_locked_by_one_worker_are_skipped_by_another(smtp_server):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL; SQLite serialises writers instead")
    # Rows written directly: queue_email would deliver them at once through the eager task.
    held = OutboxMessage.objects.create(to="a@belediye.test", subject="Birinci", body="1")
    free = OutboxMessage.objects.create(to="b@belediye.test", subject="İkinci", body="2")
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        with transaction.atomic():
            OutboxMessage.objects.select_for_update().get(pk=held.pk)
            locked.set()
            release.wait(10)
        connections.close_all()

    worker = threading.Thread(target=other_worker)
    worker.start()
    try:
        assert locked.wait(10)
        assert services.deliver_outbox() == {"sent": 1, "retry": 0, "failed": 0}
    finally:
        release.set()
        worker.join()

    assert [envelope.rcpt_tos for envelope in smtp_server.envelopes] == [["b@belediye.test"]]
    held.refresh_from_db()
    free.refresh_from_db()
    assert (held.status, free.status) == ("queued", "sent")
