"""Every write of the awareness training: the sessions and who attended them.

Functions take keyword arguments only and run in one transaction; a refusal is a
``ValidationError`` naming the field (or ``PermissionDenied``), and nothing is half-written.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.bgys.training_models import TrainingAttendance, TrainingSession
from biys.core.access import can, can_add, check_save


@transaction.atomic
def save_session(*, session: TrainingSession, user) -> TrainingSession:
    check_save(user, session, session.unit_id, system=False)
    session.title = session.title.strip()
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def record_attendance(*, session: TrainingSession, people, user) -> int:
    """Those who attended (people already recorded are left as they are). A session is
    recorded once it has been held. Returns how many were added."""
    stored = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if not can(user, "view", stored) or not can_add(user, TrainingAttendance, stored.unit_id):
        raise PermissionDenied
    if stored.held_on > timezone.localdate():
        raise ValidationError(_("Attendance is recorded once the session has been held."))
    have = set(stored.attendances.values_list("person_id", flat=True))
    rows = [
        TrainingAttendance(session=stored, person=person)
        for person in people
        if person.pk not in have
    ]
    for row in rows:
        row.full_clean()
        row.save()
    return len(rows)


@transaction.atomic
def save_attendance(*, attendance: TrainingAttendance, user) -> TrainingAttendance:
    """One attendance (its quiz score)."""
    unit_id = TrainingSession.objects.values_list("unit_id", flat=True).get(
        pk=attendance.session_id
    )
    check_save(user, attendance, unit_id, system=False)
    session = TrainingSession.objects.get(pk=attendance.session_id)
    if session.held_on > timezone.localdate():
        raise ValidationError(_("Attendance is recorded once the session has been held."))
    attendance.full_clean()
    attendance.save()
    return attendance
