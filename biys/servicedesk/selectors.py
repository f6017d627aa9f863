"""Reads of the service desk: who sees which ticket, queues, suggestions and SLA clocks."""

import copy
import re
from datetime import datetime, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from biys.accounts.scope import ALL, get_scope
from biys.calendar.choices import CalendarMode
from biys.calendar.selectors import get_calendar
from biys.core.assets import (
    FaultCounts,
    reference_key,
    reference_key_expression,
    squeezed_upper,
)
from biys.core.generations import GenerationCache
from biys.core.text import fold, search_terms, sort_key
from biys.servicedesk.choices import TicketState
from biys.servicedesk.models import CatalogItem, KnowledgeArticle, Queue, SLATarget, Ticket

VIEW_TICKET = "servicedesk.view_ticket"
CHANGE_TICKET = "servicedesk.change_ticket"
VIEW_UNIT_REQUESTS = "servicedesk.view_unit_requests"
APPROVE_REQUESTS = "servicedesk.approve_requests"
VIEW_ARTICLE = "servicedesk.view_knowledgearticle"

# What a list needs to render a row without a query per ticket.
TICKET_LIST_RELATED = (
    "catalog_item",
    "requester",
    "requesting_unit",
    "responsible_unit",
    "assignee",
)


# Visibility --------------------------------------------------------------------------------------


def ticket_visibility_q(user, action: str = "view") -> Q | None:
    """The condition a ticket must meet for ``user``; ``None`` means every ticket.

    One ``Q`` (an OR of the rules), so a list is one query whatever the user's roles:
      - the requester (their person) and whoever filed the ticket;
      - holders of ``view_unit_requests`` over the requesting unit (its managers);
      - IT staff holding ``view_ticket`` over the responsible unit, once the ticket is past
        its approval step.
    ``change`` is the IT staff's rule alone, with ``change_ticket``.
    """
    scope = get_scope(user)
    if action == "change":
        units = scope.units_for(CHANGE_TICKET)
        if units is ALL:
            return None
        return Q(responsible_unit__in=units) if units else Q(pk__in=[])
    it_units = scope.units_for(VIEW_TICKET)
    if it_units is ALL:
        return None
    condition = _requester_side_q(user, scope)
    if condition is None:
        return None
    if it_units:
        condition |= Q(responsible_unit__in=it_units) & ~Q(state=TicketState.PENDING_APPROVAL)
    return condition


def _requester_side_q(user, scope) -> Q | None:
    """The tickets a user sees as their requester, their filer or a manager of the requesting
    unit (``None``: every ticket). By column, not through a join on users, so the indexes on
    the ticket table serve it."""
    condition = Q(created_by=user)
    if user.person_id:
        condition |= Q(requester_id=user.person_id)
    unit_requests = scope.units_for(VIEW_UNIT_REQUESTS)
    if unit_requests is ALL:
        return None
    if unit_requests:
        condition |= Q(requesting_unit__in=unit_requests)
    return condition


def unit_tickets(user, units):
    """The tickets ``user`` sees among those of ``units``, units where they hold
    ``view_ticket``: ``tickets_visible_to(user).filter(responsible_unit__in=units)`` with the
    rule's IT branch already met by the unit, so the condition is one column list and a short
    OR rather than every branch of the rule twice."""
    queryset = Ticket.objects.filter(responsible_unit__in=units)
    requester_side = _requester_side_q(user, get_scope(user))
    if requester_side is None:
        return queryset
    return queryset.filter(~Q(state=TicketState.PENDING_APPROVAL) | requester_side)


def restrict_tickets(queryset, user, action: str = "view"):
    if user is None or not user.is_authenticated:
        return queryset.none()
    if action not in ("view", "change"):
        from biys.accounts.scope import restrict_queryset

        return restrict_queryset(queryset, user, action)
    condition = ticket_visibility_q(user, action)
    return queryset if condition is None else queryset.filter(condition)


def tickets_visible_to(user):
    return restrict_tickets(Ticket.objects.all(), user, "view")


def ticket_list(user):
    """Visible tickets with what a list row shows."""
    return tickets_visible_to(user).select_related(*TICKET_LIST_RELATED)


def can_view_ticket(user, ticket: Ticket) -> bool:
    return tickets_visible_to(user).filter(pk=ticket.pk).exists()


def can_work_on(user, ticket: Ticket) -> bool:
    """IT staff of the responsible unit (``change_ticket`` there)."""
    if user is None or not user.is_authenticated:
        return False
    return get_scope(user).has_perm(CHANGE_TICKET, ticket.responsible_unit_id)


def is_requester(user, ticket: Ticket) -> bool:
    if user is None or not user.is_authenticated:
        return False
    person_id = getattr(user, "person_id", None)
    return person_id is not None and person_id == ticket.requester_id


def is_unit_manager_of_requester(user, ticket: Ticket) -> bool:
    if user is None or not user.is_authenticated:
        return False
    scope = get_scope(user)
    return scope.has_perm(APPROVE_REQUESTS, ticket.requesting_unit_id) or scope.has_perm(
        VIEW_UNIT_REQUESTS, ticket.requesting_unit_id
    )


def can_approve(user, ticket: Ticket) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return get_scope(user).has_perm(APPROVE_REQUESTS, ticket.requesting_unit_id)


def pending_approvals_for(user):
    """Tickets waiting for ``user``'s approval."""
    units = get_scope(user).units_for(APPROVE_REQUESTS)
    queryset = Ticket.objects.filter(state=TicketState.PENDING_APPROVAL)
    if units is not ALL:
        queryset = queryset.filter(requesting_unit__in=units or [])
    return queryset.select_related(*TICKET_LIST_RELATED)


# Queues --------------------------------------------------------------------------------------


# "Not looked up yet": passed where a caller may hand over the queue it has just read.
NO_QUEUE = object()

# Every filing asks which queue serves the unit and who its members are: kept by the process
# while no queue, membership or login changes (a queue's round-robin pointer and a login's
# time change at every assignment and sign-in, and neither changes the answer).
ROUTING_GENERATION = "servicedesk_routing"
_routing = GenerationCache(ROUTING_GENERATION)


def routing_tables() -> tuple[list[str], dict[str, list[str]]]:
    """The tables the routing cache reads, and per table the columns whose updates it
    ignores."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    queue, user = Queue._meta, User._meta
    tables = [queue.db_table, Queue.members.through._meta.db_table, user.db_table]
    ignoring = {
        queue.db_table: [queue.get_field("last_assigned").column],
        user.db_table: [user.get_field("last_login").column],
    }
    return tables, ignoring


def _kept(key, build) -> list:
    """Copies of the instances kept under ``key``: a caller may set attributes on them."""
    return [copy.copy(instance) for instance in _routing.get(key, build)]


def queue_for_unit(unit) -> Queue | None:
    """The queue that serves ``unit``: its own, else the nearest ancestor's that includes
    sub-units."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part] or [unit.pk]
    # Written out (every filing asks it): building the ORM's query cost more than running it.
    marks = ", ".join(["%s"] * len(ids))
    sql = f"SELECT * FROM {Queue._meta.db_table} WHERE unit_id IN ({marks})"
    found = _kept(("queues", tuple(ids)), lambda: list(Queue.objects.raw(sql, ids)))
    queues = {queue.unit_id: queue for queue in found}
    if unit.pk in queues:
        return queues[unit.pk]
    for ancestor_id in reversed(ids[:-1]):
        queue = queues.get(ancestor_id)
        if queue is not None and queue.include_subtree:
            return queue
    return None


def active_queue_members(queue) -> list:
    """The queue's members who may sign in, by user name (every filing asks: written out)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    through = Queue.members.through._meta
    sql = (
        f"SELECT u.* FROM {User._meta.db_table} u JOIN {through.db_table} m"
        f" ON m.{through.get_field('user').column} = u.id"
        f" WHERE m.{through.get_field('queue').column} = %s AND u.is_active"
        " ORDER BY u.username"
    )
    return _kept(("members", queue.pk), lambda: list(User.objects.raw(sql, [queue.pk])))


def queue_tickets(user, unit=None, include_subtree: bool = True):
    """Open tickets the user works on, optionally for one unit (with its sub-units).

    Every ticket of the queue (past approval, in a unit where the user holds ``view_ticket``)
    meets the IT staff's branch of ``ticket_visibility_q``, so that branch alone is the
    condition: the list and its count read the queue's partial indexes instead of an OR over
    every branch of the rule."""
    from biys.servicedesk.choices import QUEUE_STATES

    queryset = Ticket.objects.filter(state__in=QUEUE_STATES).select_related(*TICKET_LIST_RELATED)
    units = get_scope(user).units_for(VIEW_TICKET)
    if units is not ALL:
        queryset = queryset.filter(responsible_unit__in=units or [])
    if unit is not None:
        if include_subtree:
            queryset = queryset.filter(responsible_unit__path__startswith=unit.path)
        else:
            queryset = queryset.filter(responsible_unit=unit)
    return queryset.order_by("priority", "resolution_due", "-id")


def recent_ticket_with_subject(*, requester, title: str, since) -> Ticket | None:
    """The requester's ticket of the same subject filed since ``since`` (a likely duplicate)."""
    wanted = fold(title)
    candidates = Ticket.objects.filter(requester=requester, created__gte=since).order_by("-id")
    return next((ticket for ticket in candidates[:20] if fold(ticket.title) == wanted), None)


# Suggestions -------------------------------------------------------------------------------------


def _rank(text_fields: list[str], terms: list[str]) -> int:
    score = 0
    for weight, text in zip((5, 3, 1), text_fields, strict=False):
        words = text.split()
        for term in terms:
            if term in text:
                score += weight
                if any(word.startswith(term) for word in words):
                    score += weight
    return score


def _term_condition(terms: list[str]) -> Q:
    """Any word matching (prefixes of four letters tolerate Turkish suffixes: yazıcım)."""
    condition = Q()
    for term in terms:
        condition |= Q(search_text__contains=term)
        if len(term) > 5:
            condition |= Q(search_text__contains=term[:5])
    return condition


# Systems requesters name in their own words (folded). A text naming one prefers the services
# about it: "EBYS'ye giremiyorum, şifremi unuttum" is an EBYS password, not an e-mail account.
NAMED_SYSTEMS = {
    "ebys": ("ebys", "elektronik belge"),
    "e-belediye": ("e-belediye", "ebelediye", "belediye otomasyon"),
    "cbs": ("cbs", "kbs", "cografi bilgi", "kent bilgi"),
    "domain": ("domain", "etki alani", "windows", "bilgisayar oturum"),
    "e-posta": ("e-posta", "eposta", "mail"),
    "ybs": ("ybs",),
    "vpn": ("vpn",),
}
_SUFFIX = re.compile(r"['’`]\w*")  # Turkish case endings after a name: EBYS'ye, CBS’de
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SYSTEM_WEIGHT = 20


def suggestion_terms(query: str) -> list[str]:
    """Folded words without the suffixes set off by an apostrophe ("ebys'ye" -> "ebys")."""
    return [word for word in _WORD.findall(_SUFFIX.sub("", fold(query))) if len(word) > 1]


def named_systems(text: str) -> set[str]:
    text = " " + _SUFFIX.sub("", text)
    return {
        system
        for system, aliases in NAMED_SYSTEMS.items()
        if any(re.search(rf"(?<![a-z0-9]){re.escape(alias)}", text) for alias in aliases)
    }


def suggest_catalog_items(query: str, *, limit: int = 5) -> list[CatalogItem]:
    """Active catalogue items best matching a requester's own words ("yazıcı çalışmıyor")."""
    terms = suggestion_terms(query)
    if not terms:
        return []
    wanted = named_systems(fold(query))
    candidates = (
        CatalogItem.objects.filter(is_active=True)
        .filter(_term_condition(terms))
        .select_related("unit", "duty")[:200]
    )
    stems = terms + [t[:5] for t in terms if len(t) > 5]
    scored = []
    for item in candidates:
        fields = [fold(item.name), fold(item.keywords), item.search_text]
        about = named_systems(f"{fields[0]} {fields[1]}")
        score = _rank(fields, stems) + (SYSTEM_WEIGHT if about & wanted else 0)
        scored.append((-score, item.order, sort_key(item.name), item, about))
    if wanted and any(about & wanted for *_, about in scored):
        # another system's service (the e-mail account for an EBYS login) is not a suggestion
        scored = [row for row in scored if not row[-1] or row[-1] & wanted]
    scored.sort(key=lambda row: row[:3])
    return [row[3] for row in scored[:limit]]


def suggest_knowledge_articles(query: str, *, user, limit: int = 5) -> list[KnowledgeArticle]:
    terms = search_terms(query)
    if not terms:
        return []
    candidates = (
        KnowledgeArticle.objects.restrict(user, "view")
        .filter(_term_condition(terms))
        .select_related("unit")[:200]
    )
    scored = []
    for article in candidates:
        fields = [fold(article.title), fold(article.keywords), article.search_text]
        stems = terms + [t[:5] for t in terms if len(t) > 5]
        scored.append((-_rank(fields, stems), article.title, article))
    scored.sort(key=lambda row: row[:2])
    return [row[-1] for row in scored[:limit]]


def restrict_knowledge_articles(queryset, user, action: str = "view"):
    from biys.accounts.scope import restrict_queryset

    if user is None or not user.is_authenticated:
        return queryset.none()
    if action != "view":
        return restrict_queryset(queryset, user, action)
    units = get_scope(user).units_for(VIEW_ARTICLE)
    if units is ALL:
        return queryset
    condition = Q(is_public=True)
    if units:
        condition |= Q(unit__in=units)
    return queryset.filter(condition)


# SLA -----------------------------------------------------------------------------------------


def sla_mode(ticket: Ticket) -> str:
    return CalendarMode.ROUND_THE_CLOCK if ticket.round_the_clock else CalendarMode.OFFICE_HOURS


def _clock(*, due, target_minutes, met_at, paused_at, now, calendar, mode) -> dict:
    """One clock. ``remaining`` is measured from now (or from when the clock stopped) to the
    due time, so the paused periods that pushed the due time forward are not counted as used."""
    if due is None:
        return {"due": None, "remaining": None, "percent": None, "state": "none"}
    end = met_at or paused_at or now
    remaining = calendar.duration_between(end, due, mode=mode)
    total = timedelta(minutes=target_minutes) if target_minutes else None
    if not total:
        total = max(remaining, timedelta(minutes=1))
    percent = round(100 * (total - remaining) / total)
    if met_at is not None:
        state = "met" if met_at <= due else "breached"
    elif remaining < timedelta():
        state = "breached"
    elif paused_at is not None:
        state = "paused"
    else:
        state = "ok"
    return {"due": due, "remaining": remaining, "percent": max(percent, 0), "state": state}


SLA_CLOCKS = ("response", "resolution")


def sla_status(
    ticket: Ticket, *, now: datetime | None = None, calendar=None, target=None, clocks=SLA_CLOCKS
) -> dict:
    """The ticket's two clocks, ``response`` and ``resolution``: due, remaining (negative when
    late), percent used and state (ok, warning, breached, paused, met, none). ``clocks`` names
    the ones to compute (a list shows the resolution clock alone)."""
    now = now or timezone.now()
    calendar = calendar or get_calendar()
    mode = sla_mode(ticket)
    if target is None:
        target = sla_target_for(ticket.catalog_item_id, ticket.priority)
    warn_percent = target.warn_before_percent if target else 80
    stopped_at = None
    if ticket.state in (TicketState.RESOLVED, TicketState.CLOSED):
        stopped_at = ticket.resolved_at or now
    elif ticket.state == TicketState.CANCELLED:
        stopped_at = ticket.last_updated or now
    status = {"mode": str(mode), "warn_percent": warn_percent}
    if "response" in clocks:
        status["response"] = _clock(
            due=ticket.first_response_due,
            target_minutes=target.first_response_minutes if target else None,
            met_at=ticket.first_responded_at or stopped_at,
            paused_at=ticket.sla_paused_at,
            now=now,
            calendar=calendar,
            mode=mode,
        )
    if "resolution" in clocks:
        status["resolution"] = _clock(
            due=ticket.resolution_due,
            target_minutes=target.resolution_minutes if target else None,
            met_at=stopped_at,
            paused_at=ticket.sla_paused_at,
            now=now,
            calendar=calendar,
            mode=mode,
        )
    for name in clocks:
        clock = status[name]
        if clock["state"] == "ok" and clock["percent"] >= warn_percent:
            clock["state"] = "warning"
    return status


# Unfinished tickets whose resolution clock can run (pending approval has no due time yet).
OVERDUE_STATES = (
    TicketState.NEW,
    TicketState.ASSIGNED,
    TicketState.IN_PROGRESS,
    TicketState.ON_HOLD,
    # Finished by now but perhaps not yet at an earlier ``at`` (statistics of a past period).
    TicketState.RESOLVED,
    TicketState.CLOSED,
)


def overdue_q(at: datetime | None = None, *, calendar=None) -> Q:
    """The one definition of "overdue": the resolution clock ran out while the ticket was
    still unfinished at ``at`` (default now). UI filters, API filters and statistics use it.

    It agrees with the SLA badge (``sla_status``): an office-hours clock is breached once some
    office time passed after the due time, so a ticket due at Friday's closing time is not
    overdue over the weekend. A ticket put on hold before its due time has a stopped clock.
    """
    at = at or timezone.now()
    calendar = calendar or get_calendar()
    office_line = calendar.office_time_reached(at)
    due_passed = Q(round_the_clock=True, resolution_due__lt=at) | Q(
        round_the_clock=False, resolution_due__lt=office_line
    )
    unfinished = Q(state__in=OVERDUE_STATES) & ~Q(resolved_at__lte=at) & ~Q(closed_at__lte=at)
    paused_in_time = Q(sla_paused_at__isnull=False, sla_paused_at__lte=F("resolution_due"))
    return due_passed & unfinished & ~paused_in_time


# SLA targets (a small table: catalogue items times four priorities) are kept by the process
# while the table is unchanged (``biys.core.generations``): every list row and every filing
# needs one.
SLA_TARGET_GENERATION = "sla_targets"
_sla_targets = GenerationCache(SLA_TARGET_GENERATION, maxsize=4)


def sla_target_tables() -> list[str]:
    return [SLATarget._meta.db_table]


def _load_sla_targets() -> dict:
    return {(target.catalog_item_id, target.priority): target for target in SLATarget.objects.all()}


def sla_targets() -> dict:
    """Every SLA target by (catalogue item id, or ``None`` for the default row, priority). The
    targets are shared by the process's requests: read them, never change them."""
    return _sla_targets.get("targets", _load_sla_targets)


def sla_target_for(catalog_item_id, priority):
    """The item's own target for the priority, else the default row, else ``None``."""
    targets = sla_targets()
    return targets.get((catalog_item_id, priority)) or targets.get((None, priority))


# The catalogue items with their units and duties, kept by the process while none of the three
# tables changes (``biys.core.generations``): a filing through the API chooses one, every ticket
# page shows one, and reading it cost a query each time. The catalogue, the units and the
# regulation's duties change a few times a year.
CATALOG_GENERATION = "catalog"
_offered_items = GenerationCache(CATALOG_GENERATION, maxsize=4)


def catalog_tables() -> list[str]:
    from biys.org.models import Duty, Unit

    return [CatalogItem._meta.db_table, Unit._meta.db_table, Duty._meta.db_table]


def _load_offered_items() -> dict:
    return {
        item.pk: item for item in CatalogItem.objects.filter(is_active=True).select_related("unit")
    }


def offered_catalog_item(pk) -> CatalogItem | None:
    """The active catalogue item ``pk`` with its unit loaded, or ``None``: a copy of the
    process's shared one (item and unit), so the caller may keep and change it; its form
    fields are shared and only read."""
    item = _offered_items.get("offered", _load_offered_items).get(pk)
    if item is None:
        return None
    item = copy.copy(item)
    item.unit = copy.copy(item.unit)
    return item


def _load_names() -> dict:
    from biys.org.models import Unit

    return {
        "item": {
            str(pk): (name, kind)
            for pk, name, kind in CatalogItem.objects.values_list("pk", "name", "kind")
        },
        "unit": {str(pk): name for pk, name in Unit.objects.values_list("pk", "name")},
    }


def catalog_and_unit_names() -> dict:
    """``{"item": {pk: (name, kind)}, "unit": {pk: name}}`` for every catalogue item and unit,
    keys as text (the statistics' facet keys): the process's shared dictionaries, only read."""
    return _offered_items.get("names", _load_names)


def _load_every_item() -> dict:
    return {item.pk: item for item in CatalogItem.objects.select_related("unit", "duty")}


def catalog_item_of_ticket(pk) -> CatalogItem | None:
    """Catalogue item ``pk``, offered or not, with its unit and duty: a copy of the process's
    shared one (item, unit and duty), so the ticket holding it may change it."""
    item = _offered_items.get("every", _load_every_item).get(pk)
    if item is None:
        return None
    item = copy.copy(item)
    item.unit = copy.copy(item.unit)
    if item.duty_id is not None:
        item.duty = copy.copy(item.duty)
    return item


def fault_counts_of_devices(asset_ids, references, *, since=None):
    """Tickets per device, in one grouped query: the network inventory's fault statistics per
    device model (``biys.core.assets.fault_counts``). A ticket linked to one of ``asset_ids``
    counts for that asset; one linked to none counts for the device reference it names when
    that folds (``reference_key``) to one of ``references``'s, found by the database's
    upper-cased, separator-free reference (``reference_key_expression``) or as typed, and
    compared by key here. Figures only, of every ticket."""
    keys = {reference_key(reference) for reference in references} - {""}
    about = Q(asset_id__in=list(asset_ids)) if asset_ids else Q()
    tickets = Ticket.objects.all()
    if keys:
        typed = set(references) | keys
        squeezed = {squeezed_upper(reference) for reference in typed}
        tickets = tickets.annotate(reference_key=reference_key_expression("asset_reference"))
        about |= Q(asset_id__isnull=True) & (
            Q(reference_key__in=sorted(squeezed)) | Q(asset_reference__in=sorted(typed))
        )
    if not about:
        return FaultCounts(by_asset={}, by_reference={})
    tickets = tickets.filter(about)
    if since is not None:
        tickets = tickets.filter(created__gte=since)
    rows = tickets.order_by().values_list("asset_id", "asset_reference").annotate(n=Count("pk"))
    by_asset: dict[int, int] = {}
    by_reference: dict[str, int] = {}
    for asset_id, reference, n in rows:
        if asset_id is not None:
            by_asset[asset_id] = by_asset.get(asset_id, 0) + n
            continue
        key = reference_key(reference)
        if key in keys:
            by_reference[key] = by_reference.get(key, 0) + n
    return FaultCounts(by_asset=by_asset, by_reference=by_reference)


def faults_of_device(user, references, limit: int = 50, asset_pk=None) -> list:
    """The tickets ``user`` may see about a device, newest first: the asset page's fault
    history (``biys.core.assets``). Those linked to the asset ``asset_pk``, and those not linked
    to any asset whose device reference is its inventory or serial number (filed before the
    link, or while the register did not know it)."""
    from biys.core.assets import FaultRecord

    about = Q(asset_id__isnull=True, asset_reference__in=list(references))
    if asset_pk is not None:
        about |= Q(asset_id=asset_pk)
    tickets = (
        tickets_visible_to(user)
        .filter(about)
        .only("pk", "number", "title", "state", "created")
        .order_by("-created", "-pk")[:limit]
    )
    return [
        FaultRecord(
            number=ticket.number,
            title=ticket.title,
            state=ticket.get_state_display(),
            created=ticket.created,
            url=ticket.get_absolute_url(),
        )
        for ticket in tickets
    ]
