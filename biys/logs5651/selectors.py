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


ACCESS_RECORD_VIEW = "logs5651.view_accessrecord"
MATCH_BATCH = 2000


def records_to(addresses: list[str], *, user, limit: int = 100):
    """The access records whose destination (``dst_ip``, the firewall's NAT sessions) is one of
    ``addresses``, for the seam ``biys.core.access_records``: the newest ``limit`` of them, of
    the units where ``user`` may read access records, and their number (capped at
    ``COUNT_LIMIT``); to whoever may read none, the number of all of them without a row.
    Answered from the (dst_ip, start) index, ``MATCH_BATCH`` addresses a query."""
    import ipaddress

    from biys.core.access_records import AccessMatch, AccessMatches
    from biys.core.pagination import COUNT_LIMIT

    valid = []
    for address in addresses:
        try:
            valid.append(str(ipaddress.ip_address(address.strip())))
        except ValueError:
            continue
    visible = get_scope(user).has_perm(ACCESS_RECORD_VIEW) if user else False
    base = AccessRecord.objects.all()
    if visible:
        base = base.restrict(user, "view")
    count, rows = 0, []
    for start in range(0, len(valid), MATCH_BATCH):
        batch = base.filter(dst_ip__in=valid[start : start + MATCH_BATCH])
        if count <= COUNT_LIMIT:
            count += batch.order_by().values("pk")[: COUNT_LIMIT + 1 - count].count()
        if visible:
            rows.extend(
                batch.select_related("source", "file")
                .only(*RECORD_FIELDS, "source__name", "file__day")
                .order_by("-start", "-pk")[:limit]
            )
    rows.sort(key=lambda record: (record.start, record.pk), reverse=True)
    return AccessMatches(
        count=min(count, COUNT_LIMIT),
        capped=count > COUNT_LIMIT,
        visible=visible,
        rows=[
            AccessMatch(
                address=record.dst_ip,
                internal_ip=record.ip,
                identity=record.identity,
                mac=record.mac,
                hostname=record.hostname,
                start=record.start,
                end=record.end,
                dst_port=record.dst_port,
                source=record.source.name,
                day=record.file.day,
            )
            for record in rows[:limit]
        ],
    )
