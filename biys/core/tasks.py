from celery import shared_task

from biys.core.checkpoints import prune_checkpoints, write_checkpoint


@shared_task(name="biys.core.tasks.write_audit_checkpoint", ignore_result=True)
def write_audit_checkpoint() -> str:
    """Seal the change log's chain heads in a signed file outside the database (beat), and thin
    out the old ones (``BIYS_AUDIT_CHECKPOINT_KEEP_DAYS``)."""
    path = write_checkpoint()
    prune_checkpoints()
    return str(path)


@shared_task(name="biys.core.tasks.purge_idempotency_keys", ignore_result=True)
def purge_idempotency_keys() -> int:
    """Forget API Idempotency-Keys older than BIYS_IDEMPOTENCY_HOURS (beat, hourly)."""
    from biys.core.api.idempotency import purge_expired

    return purge_expired()
