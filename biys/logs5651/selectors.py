"""Reads of the 5651 module that are more than a filter."""

from datetime import datetime

from django.db.models import Q

from biys.core.access import get_scope, holds_everywhere
from biys.logs5651.models import AccessRecord, DailySeal, SearchRequest


def who_had(*, ip: str, at: datetime, user=None):
    """Records of ``ip`` (the address given out, or the address a NAT session was translated
    to) whose use covers ``at``; restricted to what ``user`` may see when given. Answered from
    the (ip, start, end) and (nat_ip, start) indexes."""
    covers = Q(start__lte=at) & (Q(end__gte=at) | Q(end__isnull=True))
    queryset = AccessRecord.objects.filter(covers & (Q(ip=ip) | Q(nat_ip=ip)))
    if user is not None:
        queryset = queryset.restrict(user, "view")
    # What the answer shows of the source and the file (their name, the file's day), not the
    # whole rows: the evidence package reads the files it needs on its own.
    return (
        queryset.select_related("source", "file")
        .only(*RECORD_FIELDS, "source__name", "source__unit_id", "file__name", "file__day")
        .order_by("start", "pk")
    )


RECORD_FIELDS = tuple(
    field.attname for field in AccessRecord._meta.concrete_fields if field.attname != "id"
)


def searches_for(user):
    """The search log: all of it for whoever holds its view permission over the whole
    municipality (auditors, the log officer of the department), else one's own searches."""
    if holds_everywhere(get_scope(user), "logs5651.view_searchrequest"):
        return SearchRequest.objects.all()
    if get_scope(user).has_perm("logs5651.view_searchrequest"):
        return SearchRequest.objects.filter(user=user)
    return SearchRequest.objects.none()


def seal_summary(user) -> dict:
    seals = DailySeal.objects.restrict(user, "view")
    return {
        status: seals.filter(status=status).count() for status in ("sealed", "not_sealed", "failed")
    }
