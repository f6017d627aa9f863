"""Reads of the acknowledgements: a person's own list, and a document's record of who has and
who has not acknowledged it, per unit (for the document's keepers: the caller checks they may
read the document)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q
from django.utils import timezone

from biys.acknowledgements.models import Acknowledgement


def mine(user):
    """The signed-in person's acknowledgements, the pending ones first (soonest due first)."""
    return (
        Acknowledgement.objects.restrict(user, "view")
        .select_related("content_type")
        .order_by(F("acknowledged_at").desc(nulls_first=True), "due_on", "pk")
    )


def attach_targets(rows) -> list:
    """Each row's document, fetched once per document type rather than once per row; a
    document gone (deleted) leaves ``target`` None."""
    rows = list(rows)
    wanted: dict[int, set[str]] = {}
    for row in rows:
        wanted.setdefault(row.content_type_id, set()).add(row.object_id)
    found = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        related = getattr(model, "acknowledgement_related", ())
        for obj in model._default_manager.filter(pk__in=ids).select_related(*related):
            found[(type_id, str(obj.pk))] = obj
    for row in rows:
        row.target = found.get((row.content_type_id, row.object_id))
    return rows


def pending_count(user) -> int:
    return Acknowledgement.objects.restrict(user, "view").pending().count()


def for_target(target):
    """Every row of a document with the person and their unit, by unit and name."""
    return (
        Acknowledgement.objects.of(target)
        .select_related("person__unit", "acknowledged_by")
        .order_by("person__unit__path", "person__sort_name", "pk")
    )


@dataclass
class UnitRow:
    unit_id: int
    unit_name: str
    total: int
    done: int
    overdue: int

    @property
    def pending(self) -> int:
        return self.total - self.done

    @property
    def rate(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def per_unit(target, today=None) -> list[UnitRow]:
    """Per unit of the people asked: how many, how many done, how many late. One query."""
    today = today or timezone.localdate()
    rows = (
        Acknowledgement.objects.of(target)
        .values("person__unit", "person__unit__name", "person__unit__path")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            overdue=Count("pk", filter=Q(acknowledged_at__isnull=True, due_on__lt=today)),
        )
        .order_by("person__unit__path")
    )
    return [
        UnitRow(
            row["person__unit"],
            row["person__unit__name"],
            row["total"],
            row["done"],
            row["overdue"],
        )
        for row in rows
    ]


def totals(target, today=None) -> dict:
    today = today or timezone.localdate()
    return Acknowledgement.objects.of(target).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        overdue=Count("pk", filter=Q(acknowledged_at__isnull=True, due_on__lt=today)),
    )


def totals_by_target(targets, today=None) -> dict:
    """``totals`` for many documents of one type in one query: {pk: {total, done, overdue}}."""
    targets = list(targets)
    if not targets:
        return {}
    today = today or timezone.localdate()
    content_type = ContentType.objects.get_for_model(targets[0])
    rows = (
        Acknowledgement.objects.filter(
            content_type=content_type, object_id__in=[str(target.pk) for target in targets]
        )
        .values("object_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            overdue=Count("pk", filter=Q(acknowledged_at__isnull=True, due_on__lt=today)),
        )
        .order_by()
    )
    by_id = {row["object_id"]: row for row in rows}
    result = {}
    for target in targets:
        row = by_id.get(str(target.pk), {"total": 0, "done": 0, "overdue": 0})
        total, done = row["total"], row["done"]
        result[target.pk] = {
            "total": total,
            "done": done,
            "pending": total - done,
            "overdue": row["overdue"],
            "rate": round(100 * done / total) if total else 100,
        }
    return result
