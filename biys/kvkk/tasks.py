"""Celery beat job of the KVKK module (``CELERY_BEAT_SCHEDULE`` in config/settings.py: the
answer-deadline reminders of data subjects' requests, hourly). Without a broker it runs
in-process."""

from celery import shared_task

from biys.kvkk import services


@shared_task(name="biys.kvkk.tasks.send_reminders", ignore_result=True)
def send_reminders() -> dict:
    return services.send_reminders()
