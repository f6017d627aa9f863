"""Celery beat jobs of the service desk.

Beat schedule (config/settings.py ``CELERY_BEAT_SCHEDULE``): ``check_sla`` every 15 minutes,
``close_resolved_tickets`` hourly, ``create_recurring_tickets`` daily at 06:00.
"""

from celery import shared_task

from biys.servicedesk import services


@shared_task(name="biys.servicedesk.tasks.check_sla", ignore_result=True)
def check_sla() -> dict:
    return services.check_sla()


@shared_task(name="biys.servicedesk.tasks.close_resolved_tickets", ignore_result=True)
def close_resolved_tickets() -> int:
    return services.close_resolved_tickets()


@shared_task(name="biys.servicedesk.tasks.create_recurring_tickets", ignore_result=True)
def create_recurring_tickets() -> list[str]:
    return [ticket.number for ticket in services.create_recurring_tickets()]


@shared_task(name="biys.servicedesk.tasks.recompute_due_dates", ignore_result=True)
def recompute_due_dates(changes, old_hours=None, since=None) -> int:
    """After a calendar change (``biys.calendar.signals.calendar_changed``)."""
    from biys.servicedesk.sla import decode_change
    from biys.servicedesk.sla import recompute_due_dates as recompute

    return recompute(**decode_change(changes, old_hours, since))
