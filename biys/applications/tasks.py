"""Celery beat jobs of the applications module (``CELERY_BEAT_SCHEDULE`` in config/settings.py:
``check_deadlines`` hourly). Without a broker they run in-process."""

from celery import shared_task

from biys.applications import services


@shared_task(name="biys.applications.tasks.check_deadlines", ignore_result=True)
def check_deadlines() -> dict:
    return services.check_deadlines()
