"""Reads of the awareness training: who of the staff has been trained in the last twelve
months (kocaeli MADDE 4 (y): every member at least once a year), per unit and by name."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from biys.bgys.training_models import TrainingAttendance
from biys.core.access import get_scope, policy
from biys.org.choices import PersonStatus
from biys.org.models import Person

VIEW = "bgys.view_trainingsession"


def since(today: date | None = None) -> date:
    """The first day of the twelve months that count."""
    today = today or timezone.localdate()
    return today - timedelta(days=365)


def staff_for(user, today: date | None = None):
    """The staff of the units whose training the user may see (those who have left are not
    counted), each with ``trained`` (a session in the last twelve months) and
    ``last_trained_on``."""
    today = today or timezone.localdate()
    attended = TrainingAttendance.objects.filter(
        person=OuterRef("pk"), session__held_on__gt=since(today), session__held_on__lte=today
    )
    last = (
        TrainingAttendance.objects.filter(person=OuterRef("pk"), session__held_on__lte=today)
        .order_by()
        .values("person")
        .annotate(last=Max("session__held_on"))
        .values("last")
    )
    people = Person.objects.exclude(status=PersonStatus.LEFT)
    visible = get_scope(user).units_for(VIEW)
    if visible is not policy().ALL:
        people = people.filter(unit_id__in=visible)
    return people.annotate(trained=Exists(attended), last_trained_on=Subquery(last))


@dataclass
class UnitRow:
    unit_id: int
    unit_name: str
    total: int
    trained: int

    @property
    def untrained(self) -> int:
        return self.total - self.trained

    @property
    def rate(self) -> int:
        return round(100 * self.trained / self.total) if self.total else 100


def per_unit(user, today: date | None = None) -> list[UnitRow]:
    """Per unit: the staff and how many were trained in the last twelve months. One query."""
    rows = (
        staff_for(user, today)
        .values("unit", "unit__name", "unit__path")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(trained=True)))
        .order_by("unit__path")
    )
    return [UnitRow(row["unit"], row["unit__name"], row["total"], row["done"]) for row in rows]


def untrained(user, today: date | None = None, unit_id: int | None = None):
    """Those not trained in the last twelve months, by unit and name."""
    people = staff_for(user, today).filter(trained=False).select_related("unit")
    if unit_id is not None:
        people = people.filter(unit_id=unit_id)
    return people.order_by("unit__path", "sort_name", "pk")
