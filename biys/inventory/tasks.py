"""Celery jobs of the inventory: the licence expiry notices (``CELERY_BEAT_SCHEDULE`` in
config/settings.py, daily) and the background check and import of a large asset register.
Without a broker they run in-process."""

from celery import shared_task

from biys.inventory import import_services, licence_services


@shared_task(name="biys.inventory.tasks.send_licence_expiry_alerts", ignore_result=True)
def send_licence_expiry_alerts() -> dict:
    return licence_services.send_licence_expiry_alerts()


@shared_task(name="biys.inventory.tasks.check_asset_import", ignore_result=True)
def check_asset_import(asset_import_id: int) -> None:
    import_services.check_file(asset_import_id=asset_import_id)


@shared_task(name="biys.inventory.tasks.run_asset_import", ignore_result=True)
def run_asset_import(asset_import_id: int) -> None:
    import_services.run_import(asset_import_id=asset_import_id)
