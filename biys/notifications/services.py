import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from biys.notifications.models import Notification, OutboxMessage

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 60
BACKOFF_CAP_SECONDS = 3600


def max_attempts() -> int:
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most an hour."""
    return timedelta(seconds=min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS))


def enqueue_delivery() -> None:
    """Ask a worker to send the outbox once the current transaction has committed."""

    def _send():
        from biys.notifications.tasks import deliver_outbox

        try:
            deliver_outbox.delay()
        except Exception:  # the broker is down: the beat schedule picks the messages up later
            logger.exception("Could not enqueue outbox delivery")

    transaction.on_commit(_send)


@transaction.atomic
def queue_email(*, to: str, subject: str, body: str, html: str = "") -> OutboxMessage:
    message = OutboxMessage.objects.create(
        to=to, subject=subject[:300], body=body, html=html, next_attempt_at=timezone.now()
    )
    enqueue_delivery()
    return message


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    target=None,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """In-app notifications for ``recipients`` and, with ``email``, an outbox e-mail for each one
    who has an address. Both are written in the caller's transaction; the e-mail is sent after it
    commits."""
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    target_id = str(target.pk) if target is not None else ""
    if not url and target is not None and hasattr(target, "get_absolute_url"):
        url = target.get_absolute_url() or ""
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                title=title[:200],
                body=body,
                target_content_type=target_type,
                target_object_id=target_id,
                url=url[:500],
            )
            for user in users.values()
        ]
    )
    if email:
        now = timezone.now()
        messages = [
            OutboxMessage(
                to=user.email,
                subject=title[:300],
                body=_email_body(body, url),
                next_attempt_at=now,
            )
            for user in users.values()
            if user.email
        ]
        if messages:
            OutboxMessage.objects.bulk_create(messages)
            enqueue_delivery()
    return notifications


def store(*, notifications: list[Notification], messages: list[OutboxMessage]) -> None:
    """Write prepared notifications and e-mails in the caller's transaction (one INSERT each),
    so they commit, or vanish, with the event they report; a worker sends the e-mails."""
    if notifications:
        Notification.objects.bulk_create(notifications)
    if messages:
        now = timezone.now()
        for message in messages:
            message.subject = message.subject[:300]
            message.next_attempt_at = message.next_attempt_at or now
        OutboxMessage.objects.bulk_create(messages)
        enqueue_delivery()


def _email_body(body: str, url: str) -> str:
    if not url:
        return body
    base = getattr(settings, "BIYS_BASE_URL", "").rstrip("/")
    link = url if url.startswith("http") or not base else f"{base}{url}"
    return f"{body}\n\n{link}" if body else link


@transaction.atomic
def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def _due_messages(batch_size: int):
    due = OutboxMessage.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()),
        status=OutboxMessage.Status.QUEUED,
    ).order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        # Rows another worker holds are skipped, so two workers never send the same message.
        due = due.select_for_update(skip_locked=True)
    return list(due[:batch_size])


def deliver_outbox(*, batch_size: int = 50) -> dict[str, int]:
    """Send queued e-mails in batches until none is due; returns counts of sent and failed."""
    totals = {"sent": 0, "retry": 0, "failed": 0}
    while True:
        with transaction.atomic():
            batch = _due_messages(batch_size)
            if not batch:
                return totals
            for outcome in _send_batch(batch):
                totals[outcome] += 1
        if len(batch) < batch_size:
            return totals


def _send_batch(batch: list[OutboxMessage]) -> list[str]:
    outcomes = []
    mail_connection = get_connection(fail_silently=False)
    try:
        mail_connection.open()
    except Exception as error:  # server down: every message in the batch waits for a retry
        return [_record_failure(message, error) for message in batch]
    try:
        for message in batch:
            try:
                _build(message, mail_connection).send()
            except Exception as error:
                outcomes.append(_record_failure(message, error))
            else:
                message.status = OutboxMessage.Status.SENT
                message.attempts += 1
                message.sent_at = timezone.now()
                message.last_error = ""
                message.save(update_fields=["status", "attempts", "sent_at", "last_error"])
                outcomes.append("sent")
    finally:
        try:
            mail_connection.close()
        except Exception:  # closing a broken connection must not undo the sends we recorded
            logger.warning("Closing the mail connection failed", exc_info=True)
    return outcomes


def _build(message: OutboxMessage, mail_connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        connection=mail_connection,
        headers={"Message-ID": message.message_id},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    return email


def _record_failure(message: OutboxMessage, error: Exception) -> str:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= max_attempts():
        message.status = OutboxMessage.Status.FAILED
        outcome = "failed"
        logger.error("Giving up on e-mail %s to %s: %s", message.pk, message.to, error)
    else:
        message.next_attempt_at = timezone.now() + backoff(message.attempts)
        outcome = "retry"
        logger.warning("E-mail %s to %s will be retried: %s", message.pk, message.to, error)
    message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    return outcome


@transaction.atomic
def retry_messages(*, queryset) -> int:
    """Put failed (or stuck) messages back in the queue, from the admin."""
    count = queryset.exclude(status=OutboxMessage.Status.SENT).update(
        status=OutboxMessage.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )
    if count:
        enqueue_delivery()
    return count
