"""Writes of the working calendar: administrators declare days off, half days and make-up days."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from biys.calendar.choices import DeclaredDayKind
from biys.calendar.models import DeclaredDay
from biys.core.access import get_scope


def _require_municipality_wide(user, action: str) -> None:
    """A declared day belongs to no unit: it changes only for someone who holds the permission
    over the whole municipality. ``user=None`` is the system (imports, commands)."""
    if user is None:
        return
    if not get_scope(user).has_perm(f"calendar.{action}_declaredday", None):
        raise PermissionDenied(
            _("Only those who hold this permission over the whole municipality may do this.")
        )


@transaction.atomic
def declare_day(
    *,
    date: date,
    description: str,
    decision_reference: str,
    kind: str = DeclaredDayKind.FULL_DAY,
    user=None,
) -> DeclaredDay:
    _require_municipality_wide(user, "add")
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
def update_declared_day(*, declared_day: DeclaredDay, user=None, **changes) -> DeclaredDay:
    _require_municipality_wide(user, "change")
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
def delete_declared_day(*, declared_day: DeclaredDay, user=None) -> None:
    _require_municipality_wide(user, "delete")
    declared_day.delete()
