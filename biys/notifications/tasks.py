from celery import shared_task

from biys.notifications import services


@shared_task(name="biys.notifications.tasks.deliver_outbox", ignore_result=True)
def deliver_outbox(batch_size: int = 50) -> dict[str, int]:
    """Send due outbox e-mails. Enqueued after each commit that queues mail, and run every
    minute by beat so retries and messages queued while the broker was down go out too."""
    return services.deliver_outbox(batch_size=batch_size)
