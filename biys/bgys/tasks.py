"""Celery beat job of the BGYS module (``CELERY_BEAT_SCHEDULE`` in config/settings.py): the
reminders of overdue corrective actions (DÖF), run hourly, each action reminded at most once a
day. Without a broker it runs in-process."""

from celery import shared_task

from biys.bgys import audit_services


@shared_task(name="biys.bgys.tasks.send_overdue_reminders", ignore_result=True)
def send_overdue_reminders() -> dict:
    return audit_services.send_overdue_reminders()


@shared_task(name="biys.bgys.tasks.refresh_policy_audiences", ignore_result=True)
def refresh_policy_audiences() -> dict:
    """Daily: newcomers to a published policy's audience are asked to acknowledge it."""
    from biys.bgys import policy_services

    return policy_services.refresh_audiences()


@shared_task(name="biys.bgys.tasks.send_agreement_reminders", ignore_result=True)
def send_agreement_reminders() -> dict:
    """Daily: third parties' confidentiality agreements about to end, told to the BGYS managers."""
    from biys.bgys import third_party_services

    return third_party_services.send_agreement_reminders()
