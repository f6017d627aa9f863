"""Celery jobs of the evrak module: ``send_reminders`` and ``cancel_abandoned_numbers`` hourly
(``CELERY_BEAT_SCHEDULE`` in config/settings.py) and ``recognise_scan``, queued when a scan is
stored (the text recognition of a scanned PDF or image), and ``send_by_kep``, queued when a
signed document is sent to a recipient by KEP. Without a broker they run in-process."""

from celery import shared_task

from biys.evrak import services


@shared_task(name="biys.evrak.tasks.send_reminders", ignore_result=True)
def send_reminders() -> dict:
    return services.send_reminders()


@shared_task(name="biys.evrak.tasks.recognise_scan", ignore_result=True)
def recognise_scan(scan_text_id: int) -> None:
    services.recognise_scan(scan_text_id=scan_text_id)


@shared_task(name="biys.evrak.tasks.cancel_abandoned_numbers", ignore_result=True)
def cancel_abandoned_numbers() -> int:
    """Outgoing numbers reserved for a signature that never finished: cancelled (iptal)."""
    from biys.evrak import outgoing_services

    return outgoing_services.cancel_abandoned_numbers()


@shared_task(name="biys.evrak.tasks.send_by_kep", ignore_result=True)
def send_by_kep(sending_id: int) -> None:
    """A signed document to one recipient by KEP (``services.deliver_kep``)."""
    services.deliver_kep(sending_id=sending_id)


@shared_task(name="biys.evrak.tasks.refresh_revocation_lists", ignore_result=True)
def refresh_revocation_lists() -> dict:
    """Hourly: the trust store's CRLs fetched again from their addresses (only when
    ``BIYS_EVRAK_CRL_FETCH`` is on); a failure keeps the last CRL."""
    from biys.evrak import revocation

    return revocation.refresh_revocation_lists()


@shared_task(name="biys.evrak.tasks.stamp_archives", ignore_result=True)
def stamp_archives() -> dict:
    """Daily: the kept packages without an archive time-stamp, or whose last one's authority
    certificate expires soon, time-stamped (only when ``BIYS_EVRAK_ARCHIVE_TIMESTAMP`` is on)."""
    from biys.evrak import archive_stamps

    return archive_stamps.stamp_due()
