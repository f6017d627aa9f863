"""Celery beat job of the evrak module (``CELERY_BEAT_SCHEDULE`` in config/settings.py:
``send_reminders`` hourly). Without a broker it runs in-process."""

from celery import shared_task

from biys.evrak import services


@shared_task(name="biys.evrak.tasks.send_reminders", ignore_result=True)
def send_reminders() -> dict:
    return services.send_reminders()
