"""Celery jobs of the findings module: the background import of a large report and the daily
end of expired risk acceptances and the daily fetch of USOM's malicious address list
(``CELERY_BEAT_SCHEDULE``). Without a broker they run
in-process."""

from celery import shared_task

from biys.secops import services


@shared_task(name="biys.secops.tasks.run_import", ignore_result=True)
def run_import(scan_import_id: int) -> None:
    services.run_import(scan_import_id=scan_import_id)


@shared_task(name="biys.secops.tasks.expire_risk_acceptances", ignore_result=True)
def expire_risk_acceptances() -> int:
    return services.expire_risk_acceptances()


@shared_task(name="biys.secops.tasks.run_usom_import", ignore_result=True)
def run_usom_import(usom_import_id: int) -> None:
    services.run_usom_import(usom_import_id=usom_import_id)


@shared_task(name="biys.secops.tasks.fetch_usom_list", ignore_result=True)
def fetch_usom_list() -> int | None:
    """Fetch USOM's list from ``BIYS_USOM_LIST_URL`` (empty: switched off) and import it."""
    return services.fetch_usom_list()
