"""Writes of the working calendar: administrators declare days off, half days and make-up days."""

from datetime import date

from django.db import transaction

from biys.calendar.choices import DeclaredDayKind
from biys.calendar.models import DeclaredDay


@transaction.atomic
def declare_day(
    *,
    date: date,
    description: str,
    decision_reference: str,
    kind: str = DeclaredDayKind.FULL_DAY,
    user=None,
) -> DeclaredDay:
    day = DeclaredDay(
        date=date,
        kind=kind,
        description=description,
        decision_reference=decision_reference,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    day.full_clean()
    day.save()
    return day


@transaction.atomic
def update_declared_day(*, declared_day: DeclaredDay, **changes) -> DeclaredDay:
    allowed = {"date", "kind", "description", "decision_reference"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(declared_day, name, value)
    declared_day.full_clean()
    declared_day.save()
    return declared_day


@transaction.atomic
def delete_declared_day(*, declared_day: DeclaredDay) -> None:
    declared_day.delete()
