"""Celery beat job of the inventory (``CELERY_BEAT_SCHEDULE`` in config/settings.py: the licence
expiry notices, daily). Without a broker it runs in-process."""

from celery import shared_task

from biys.inventory import licence_services


@shared_task(name="biys.inventory.tasks.send_licence_expiry_alerts", ignore_result=True)
def send_licence_expiry_alerts() -> dict:
    return licence_services.send_licence_expiry_alerts()
