"""Reads of the KVKK module: scoped lists, the overdue requests, the VERBİS export rows."""

from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone

from biys.kvkk.choices import OPEN_STATES
from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest


def today() -> date:
    return timezone.localdate()


def items_of(kind: str):
    """The active entries of one pick-list, in list order."""
    return ListItem.objects.filter(kind=kind, active=True).order_by("position", "name")


def activities_for(user):
    return ProcessingActivity.objects.restrict(user, "view")


def requests_for(user):
    return SubjectRequest.objects.restrict(user, "view")


def overdue_q(day: date) -> Q:
    return Q(state__in=OPEN_STATES, due_date__lt=day)


def overdue_requests(user, *, day: date | None = None):
    return requests_for(user).filter(overdue_q(day or today()))


def days_left(request: SubjectRequest, *, day: date | None = None) -> int | None:
    """Calendar days until the deadline of an open request (negative when late)."""
    if not request.is_open:
        return None
    return (request.due_date - (day or today())).days


def role_holders(unit, slugs) -> list:
    """Active logins holding one of the roles ``slugs`` over ``unit`` (directly, or over an
    ancestor with its sub-units)."""
    from biys.accounts.models import User

    ancestors = [int(part) for part in unit.path.strip("/").split("/") if part] or [unit.pk]
    return list(
        User.objects.filter(
            Q(role_assignments__role__slug__in=slugs)
            & (
                Q(role_assignments__unit=unit)
                | Q(role_assignments__unit__in=ancestors, role_assignments__include_subtree=True)
            ),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


# The VERBİS export --------------------------------------------------------------------------

LIST_FIELDS = ("data_categories", "purposes", "legal_bases", "subject_groups",
               "recipient_groups", "technical_measures", "administrative_measures")  # fmt: skip


def inventory_for_export(user, queryset=None):
    """The activities ``user`` may read, each list prefetched in list order (a constant number
    of queries whatever their number)."""
    queryset = activities_for(user) if queryset is None else queryset
    ordered = ListItem.objects.order_by("position", "name")
    return (
        queryset.prefetch_related(None)
        .filter(active=True)
        .select_related("unit")
        .prefetch_related(*(Prefetch(name, queryset=ordered) for name in LIST_FIELDS))
        .order_by("unit__name", "name", "pk")
    )


def verbis_rows(activities) -> list[dict]:
    """One row per activity and data category, as VERBİS asks for it (a category with its
    purposes, subject groups, recipients, transfers abroad, retention and measures)."""

    def joined(items, *, codes=False) -> str:
        return "; ".join(str(item) if codes else item.name for item in items)

    rows = []
    for activity in activities:
        lists = {name: list(getattr(activity, name).all()) for name in LIST_FIELDS}
        shared = {
            "unit": activity.unit.name,
            "activity": activity.name,
            "personal_data": activity.personal_data,
            "purposes": joined(lists["purposes"]),
            "legal_bases": joined(lists["legal_bases"], codes=True),
            "subject_groups": joined(lists["subject_groups"]),
            "recipient_groups": joined(lists["recipient_groups"]),
            "transfer_abroad": activity.transfer_abroad,
            "transfer_countries": activity.transfer_countries,
            "transfer_basis": activity.transfer_basis,
            "retention_period": activity.retention_period,
            "technical_measures": joined(lists["technical_measures"]),
            "administrative_measures": joined(lists["administrative_measures"]),
        }
        for category in lists["data_categories"]:
            rows.append({"data_category": category.name, "special": category.special, **shared})
    return rows
