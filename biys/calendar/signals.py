"""``calendar_changed``: sent after a commit that changed the working calendar, so apps whose
deadlines were computed on it (the service desk's SLA due times) can move them.

Sent for every path that writes a declared day (services, generic views, admin, API) and for a
change of the municipality's office hours. Arguments:
  ``changes``   [(date, kind before the change or "")] for declared days;
  ``old_hours`` the ``OfficeHours`` fields before the change as a dict (office hours changes
                only), with ``since``: the instant from which the new hours apply.
"""

import dataclasses

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal
from django.utils import timezone

calendar_changed = Signal()

DECLARED_FIELDS = ("date", "kind")


def _send(**kwargs) -> None:
    transaction.on_commit(lambda: calendar_changed.send(sender=None, **kwargs))


def remember_declared_day(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._calendar_before = None
        return
    instance._calendar_before = (
        sender._base_manager.filter(pk=instance.pk).values_list(*DECLARED_FIELDS).first()
    )


def declared_day_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_calendar_before", None)
    if before == (instance.date, instance.kind):
        return  # only the description or the reference changed
    changes = [(instance.date, "")]
    if before is not None:
        changes = [(before[0], before[1])] + ([] if before[0] == instance.date else changes)
    _send(changes=changes)


def declared_day_deleted(sender, instance, **kwargs):
    _send(changes=[(instance.date, instance.kind)])


def _hours_of(municipality) -> dict:
    from biys.calendar.workcalendar import OfficeHours

    return dataclasses.asdict(OfficeHours.from_municipality(municipality))


def remember_office_hours(sender, instance, raw=False, **kwargs):
    previous = (
        None if raw or instance.pk is None else sender._base_manager.filter(pk=instance.pk).first()
    )
    instance._calendar_hours_before = _hours_of(previous) if previous is not None else None


def office_hours_saved(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_calendar_hours_before", None)
    if raw or before is None or before == _hours_of(instance):
        return
    _send(changes=[], old_hours=before, since=timezone.now())


def connect() -> None:
    from biys.calendar.models import DeclaredDay
    from biys.org.models import Municipality

    pre_save.connect(remember_declared_day, sender=DeclaredDay, dispatch_uid="calendar-before")
    post_save.connect(declared_day_saved, sender=DeclaredDay, dispatch_uid="calendar-saved")
    post_delete.connect(declared_day_deleted, sender=DeclaredDay, dispatch_uid="calendar-deleted")
    pre_save.connect(remember_office_hours, sender=Municipality, dispatch_uid="calendar-hours")
    post_save.connect(office_hours_saved, sender=Municipality, dispatch_uid="calendar-hours-saved")
