"""Celery beat job of the acknowledgements (``CELERY_BEAT_SCHEDULE`` in config/settings.py):
each pending acknowledgement past its due date is reminded, then every
``BIYS_ACKNOWLEDGEMENT_REMIND_DAYS`` days. Without a broker it runs in-process."""

from celery import shared_task

from biys.acknowledgements import services


@shared_task(name="biys.acknowledgements.tasks.send_reminders", ignore_result=True)
def send_reminders() -> dict:
    return services.send_reminders()
