"""Celery beat job of the 5651 module (``CELERY_BEAT_SCHEDULE``: every 10 minutes): take the
watched folder's closed files, then write the manifests of ended days and send every due
timestamp request (a day not sealed is retried with backoff, see ``sealing``)."""

from celery import shared_task

from biys.core.context import change_context


@shared_task(name="biys.logs5651.tasks.collect_and_seal", ignore_result=True)
def collect_and_seal() -> dict:
    from biys.logs5651.collect import collect
    from biys.logs5651.services import seal_pending

    with change_context(user_name="biys-5651"):
        collected = collect()
        seals = seal_pending()
    return {
        "collected": [entry.as_dict() for entry in collected],
        "seals": {str(seal): seal.status for seal in seals},
    }


@shared_task(name="biys.logs5651.tasks.apply_retention", ignore_result=True)
def apply_retention() -> list[dict]:
    from biys.logs5651.retention import apply_retention

    with change_context(user_name="biys-5651-retention"):
        return [entry.as_dict() for entry in apply_retention()]
