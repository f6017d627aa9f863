import email
import email.policy
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from biys.notifications import services
from biys.notifications.models import Notification, OutboxMessage
from biys.notifications.tasks import deliver_outbox

SUBJECT = "Arıza kaydınız güncellendi: İŞ-2026/000123 çözüldü"
BODY = "Sayın Gülşen Çağlayan, yazıcı arızanız giderildi. Teşekkürler."


@pytest.fixture
def ayse(make_user, org_tree):
    return make_user("technician", org_tree["network"], email="ayse@belediye.test")


@pytest.fixture
def no_mail_user(make_user, org_tree):
    return make_user("technician", org_tree["network"], email="")


def parsed(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def test_notify_writes_notifications_and_outbox_and_mails_after_commit(
    smtp_server, ayse, no_mail_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(recipients=[ayse, no_mail_user], title=SUBJECT, body=BODY, url="/org/")
        assert Notification.objects.count() == 2
        assert list(OutboxMessage.objects.values_list("to", "status")) == [
            ("ayse@belediye.test", "queued")
        ]
        assert smtp_server.envelopes == []  # nothing leaves before the commit
    assert len(callbacks) == 1

    callbacks[0]()  # the commit hook enqueues the task, which runs eagerly without a broker

    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("sent", 1)
    assert message.sent_at is not None
    (envelope,) = smtp_server.envelopes
    assert envelope.rcpt_tos == ["ayse@belediye.test"]
    received = parsed(envelope)
    # Python folds the long encoded subject onto the next line ("Subject:\n =?utf-8?..."), so
    # the parsed value starts with the folding space that mail readers drop.
    assert received["Subject"].strip() == SUBJECT
    assert received["To"] == "ayse@belediye.test"
    headers = envelope.original_content.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii() and b"=?utf-8?b?" in headers.lower()
    assert BODY in received.get_content()


def test_delivery_retries_with_backoff_and_gives_up_when_the_server_is_down(
    smtp_settings, ayse, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = services.queue_email(to=ayse.email, subject=SUBJECT, body=BODY)

    assert deliver_outbox() == {"sent": 0, "retry": 1, "failed": 0}
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    assert "Connection" in message.last_error
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert deliver_outbox() == {"sent": 0, "retry": 0, "failed": 0}  # not due yet

    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert deliver_outbox() == {"sent": 0, "retry": 0, "failed": 1}
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 2)


def test_failed_mail_is_sent_after_an_admin_retry(smtp_settings, ayse, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    services.queue_email(to=ayse.email, subject=SUBJECT, body=BODY)
    deliver_outbox()
    assert OutboxMessage.objects.get().status == "failed"

    from aiosmtpd.controller import Controller

    from biys.notifications.tests.conftest import Mailbox

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        assert services.retry_messages(queryset=OutboxMessage.objects.all()) == 1
        assert deliver_outbox() == {"sent": 1, "retry": 0, "failed": 0}
    finally:
        controller.stop()
    assert [envelope.rcpt_tos for envelope in mailbox.envelopes] == [["ayse@belediye.test"]]


def test_menu_list_and_mark_read(client, ayse, make_user, org_tree):
    other = make_user("technician", org_tree["network"])
    services.notify(recipients=[ayse], title="Yeni arıza atandı", email=False)
    services.notify(recipients=[ayse], title="Zimmet onayı bekliyor", email=False)
    services.notify(recipients=[other], title="Başkasının bildirimi", email=False)
    client.force_login(ayse)

    menu = client.get(reverse("notifications:menu")).content.decode()
    assert "Zimmet onayı bekliyor" in menu and "Başkasının" not in menu
    assert 'badge-notification badge-pill">2<' in menu

    first = Notification.objects.get(title="Yeni arıza atandı")
    mine_not = Notification.objects.get(recipient=other)
    assert client.post(reverse("notifications:mark_read", args=[mine_not.pk])).status_code == 404
    client.post(reverse("notifications:mark_read", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at is not None

    client.post(reverse("notifications:mark_all_read"), HTTP_HX_REQUEST="true")
    assert not Notification.objects.filter(recipient=ayse, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).exists()

    page = client.get(reverse("notifications:list"))
    assert page.status_code == 200
    assert "Zimmet onayı bekliyor" in page.content.decode()


def test_api_shows_own_notifications_only_and_marks_read(ayse, make_user, org_tree):
    other = make_user("technician", org_tree["network"])
    api = APIClient()

    def fetch(user):
        api.force_authenticate(type(user).objects.get(pk=user.pk))
        return api.get("/api/v1/notifications/").json()["results"]

    services.notify(recipients=[ayse, other], title="Bakım penceresi", email=False)
    with CaptureQueriesContext(connection) as small:
        assert len(fetch(ayse)) == 1
    for index in range(12):
        services.notify(recipients=[ayse], title=f"Bildirim {index}", email=False)
    with CaptureQueriesContext(connection) as large:
        rows = fetch(ayse)
    assert len(rows) == 13 and len(large) == len(small)

    others = Notification.objects.get(recipient=other)
    assert api.post(f"/api/v1/notifications/{others.pk}/read/").status_code == 404
    response = api.post(f"/api/v1/notifications/{rows[0]['id']}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 12}
    assert len(api.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]) == 0
