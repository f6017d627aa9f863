"""Service desk bench: N tickets with their history, then the pages technicians and requesters
use, each against the best query an expert would write (bench/common.py has the rules).

    python -m bench servicedesk --size 20000 [--json] [--repeat 7] [--http]

Pages: the default queue (no filters), ticket detail (HTML and API), the API queue, a search
that also finds closed tickets (API and HTML), a deep API page (by cursor), the requester's
"my tickets", the statistics page for a year, and ticket creation through the API.
"""

from __future__ import annotations

import json
import os
import random
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from urllib.parse import quote

from bench.common import (
    Page,
    http_figures,
    measure_floors,
    measure_page,
    median_ms,
    print_pages,
    query_count,
)

TARGET = (
    "Target: 1,000,000 tickets on PostgreSQL, every page within 3x of its best query plus the "
    "stack's floor, constant queries, and 5x Request Tracker's HTTP throughput."
)
DEFAULT_SIZE = 20_000
BATCH = 5000
SEED = 20251121

TITLES = [
    ("Yazıcı çalışmıyor", "fault"),
    ("Kağıt sıkışması, yazıcı hata veriyor", "fault"),
    ("Bilgisayar açılmıyor", "fault"),
    ("İnternet bağlantısı yok", "fault"),
    ("EBYS yetki talebi", "access"),
    ("e-İmza sertifikası yenileme", "esignature"),
    ("Mobil imza başvurusu", "esignature"),
    ("Toplantı salonu projeksiyon desteği", "event"),
    ("Yeni kullanıcı hesabı açılması", "request"),
    ("Monitör değişimi talebi", "request"),
    ("CBS katman yetkisi", "access"),
    ("E-posta kutusu dolu", "fault"),
]
IT_UNITS = [
    ("Sistem ve Ağ Şube Müdürlüğü", ["Ağ Şefliği", "Sunucu Şefliği"]),
    ("Yazılım Şube Müdürlüğü", ["Uygulama Şefliği", "CBS Şefliği"]),
    ("Teknik Destek Şube Müdürlüğü", ["Donanım Şefliği", "Kullanıcı Destek Şefliği"]),
]
REQUESTING_UNITS = [
    "Fen İşleri",
    "Zabıta",
    "İmar ve Şehircilik",
    "Mali Hizmetler",
    "İnsan Kaynakları ve Eğitim",
    "Kültür ve Sosyal İşler",
    "Park ve Bahçeler",
    "Temizlik İşleri",
    "Emlak ve İstimlak",
    "Yazı İşleri",
    "Hukuk İşleri",
    "Destek Hizmetleri",
    "Sağlık İşleri",
    "Çevre Koruma ve Kontrol",
    "Ulaşım Hizmetleri",
    "Basın Yayın ve Halkla İlişkiler",
    "Strateji Geliştirme",
    "Sosyal Destek Hizmetleri",
    "İtfaiye Dairesi",
    "Veteriner İşleri",
]
FIRST_NAMES = [
    "Ayşe",
    "Mehmet",
    "Fatma",
    "Mustafa",
    "Emine",
    "Ahmet",
    "Hatice",
    "Ali",
    "Zeynep",
    "Hüseyin",
    "Elif",
    "İbrahim",
    "Şule",
    "Çağrı",
    "Gülşen",
    "Oğuz",
    "Ümit",
    "Özge",
]
LAST_NAMES = [
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Öztürk",
    "Aydın",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Koç",
    "Kurt",
    "Özdemir",
    "Erdoğan",
    "Güneş",
]


# Data ----------------------------------------------------------------------------------------


@contextmanager
def own_timestamps(*models):
    """bulk_create would stamp ``created`` with now; the history needs its own times."""
    fields = [model._meta.get_field("created") for model in models]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def build_organisation(rng: random.Random, size: int) -> dict:
    from biys.accounts.models import Role, RoleAssignment, User
    from biys.core.text import fold, sort_key
    from biys.org.models import Municipality, Person, Unit
    from biys.servicedesk.choices import Priority, TicketKind
    from biys.servicedesk.models import CatalogItem, Queue, SLATarget

    Municipality.objects.create(name="Bench Belediyesi", kind="buyuksehir")
    it = Unit.objects.create(
        name="Bilgi İşlem Dairesi Başkanlığı", kind="daire_baskanligi", is_it_department=True
    )
    branches, sections = [], []
    for branch_name, section_names in IT_UNITS:
        branch = Unit.objects.create(
            name=branch_name, kind="sube_mudurlugu", parent=it, is_it_department=True
        )
        branches.append(branch)
        for name in section_names:
            sections.append(
                Unit.objects.create(name=name, kind="seflik", parent=branch, is_it_department=True)
            )
    requesting = [
        Unit.objects.create(name=f"{name} Müdürlüğü", kind="mudurluk") for name in REQUESTING_UNITS
    ]

    people_count = min(max(size // 20, 100), 20000)
    people = []
    for index in range(people_count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        unit = requesting[index % len(requesting)]
        people.append(
            Person(
                first_name=first,
                last_name=f"{last} {index}",
                employment_type="memur",
                unit=unit,
                work_phone=f"0222 211 {index % 10000:04d}",
                location=f"{unit.name}, kat {index % 5}",
                sort_name=sort_key(f"{last} {index} {first}", 200),
                search_text=fold(f"{first} {last} {index}"),
            )
        )
    people = Person.objects.bulk_create(people, batch_size=BATCH)

    chief = User.objects.create_user(username="bench-chief", password="-")
    RoleAssignment.objects.create(
        user=chief, role=Role.objects.get(slug="chief"), unit=it, include_subtree=True
    )
    technicians = []
    for index in range(8):
        user = User.objects.create_user(username=f"bench-tech-{index}", password="-")
        RoleAssignment.objects.create(
            user=user,
            role=Role.objects.get(slug="technician"),
            unit=sections[index % len(sections)],
            include_subtree=True,
        )
        technicians.append(user)
    requester = User.objects.create_user(username="bench-requester", password="-", person=people[0])
    # Ticket creation through the API is done by a help-desk technician on the caller's behalf.
    RoleAssignment.objects.create(
        user=technicians[0], role=Role.objects.get(slug="technician"), unit=it
    )

    items = []
    for index, (title, kind) in enumerate(TITLES):
        unit = sections[index % len(sections)]
        items.append(
            CatalogItem.objects.create(
                name=title,
                kind=kind,
                unit=unit,
                keywords=title.lower(),
                round_the_clock=kind == TicketKind.FAULT and index % 4 == 3,
            )
        )
    for priority, response, resolution in (
        (Priority.CRITICAL, 30, 4 * 60),
        (Priority.HIGH, 60, 8 * 60),
        (Priority.MEDIUM, 4 * 60, 24 * 60),
        (Priority.LOW, 8 * 60, 40 * 60),
    ):
        SLATarget.objects.create(
            priority=priority, first_response_minutes=response, resolution_minutes=resolution
        )
    Queue.objects.create(unit=it)
    return {
        "it": it,
        "branches": branches,
        "sections": sections,
        "requesting": requesting,
        "people": people,
        "chief": chief,
        "requester": requester,
        "technicians": technicians,
        "items": items,
    }


def _ticket_state(rng: random.Random, age: timedelta) -> str:
    from biys.servicedesk.choices import TicketState

    roll = rng.random()
    if age > timedelta(days=30):
        table = [
            (0.84, TicketState.CLOSED),
            (0.90, TicketState.CANCELLED),
            (0.94, TicketState.RESOLVED),
            (0.97, TicketState.ON_HOLD),
        ]
    else:
        table = [
            (0.25, TicketState.CLOSED),
            (0.45, TicketState.RESOLVED),
            (0.55, TicketState.NEW),
            (0.70, TicketState.ASSIGNED),
            (0.88, TicketState.IN_PROGRESS),
            (0.95, TicketState.ON_HOLD),
            (0.97, TicketState.CANCELLED),
        ]
    for limit, state in table:
        if roll < limit:
            return state
    return TicketState.IN_PROGRESS


def load_organisation() -> dict:
    """What ``build_organisation`` returned, read back from a kept database (``--keep-db``)."""
    from biys.accounts.models import User
    from biys.org.models import Person, Unit
    from biys.servicedesk.models import CatalogItem

    units = Unit.objects.order_by("id")
    return {
        "it": units.get(is_it_department=True, parent=None),
        "branches": list(units.filter(kind="sube_mudurlugu")),
        "sections": list(units.filter(kind="seflik")),
        "requesting": list(units.filter(kind="mudurluk")),
        "people": list(Person.objects.order_by("id")),
        "chief": User.objects.get(username="bench-chief"),
        "requester": User.objects.get(username="bench-requester"),
        "technicians": list(
            User.objects.filter(username__startswith="bench-tech-").order_by("username")
        ),
        "items": list(CatalogItem.objects.order_by("id")),
    }


def built_counts() -> dict:
    from biys.comments.models import Comment
    from biys.servicedesk.models import Ticket, TicketResponsibility

    return {
        "tickets": Ticket.objects.count(),
        "responsibilities": TicketResponsibility.objects.count(),
        "comments": Comment.objects.count(),
    }


def build_tickets(rng: random.Random, org: dict, size: int, now: datetime) -> dict:
    """``size`` tickets over the last two years, with responsibility periods and comments."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from biys.comments.models import Comment
    from biys.core.text import fold
    from biys.servicedesk.choices import Channel, HoldReason, Priority, TicketState
    from biys.servicedesk.models import Ticket, TicketResponsibility

    span = timedelta(days=730)
    offsets = sorted(rng.random() for _ in range(size))
    items, people, technicians = org["items"], org["people"], org["technicians"]
    resolved_states = (TicketState.RESOLVED, TicketState.CLOSED)
    ticket_type = ContentType.objects.get_for_model(Ticket)
    priorities = (
        [Priority.CRITICAL] + [Priority.HIGH] * 3 + [Priority.MEDIUM] * 8 + [Priority.LOW] * 8
    )
    counts = {"tickets": 0, "responsibilities": 0, "comments": 0}
    for batch_start in range(0, size, BATCH):
        tickets, extras = [], []
        for index in range(batch_start, min(size, batch_start + BATCH)):
            created = now - span + span * offsets[index]
            item = items[int(rng.paretovariate(1.2)) % len(items)]
            person = people[rng.randrange(len(people))]
            priority = rng.choice(priorities)
            state = _ticket_state(rng, now - created)
            response_hours = {1: 0.5, 2: 1, 3: 4, 4: 8}[priority]
            first_response_due = created + timedelta(hours=response_hours * 2)
            resolution_due = created + timedelta(hours=response_hours * 10)
            responded = (
                created + timedelta(hours=rng.uniform(0.05, response_hours * 3))
                if state not in (TicketState.NEW, TicketState.CANCELLED)
                else None
            )
            resolved = closed = rating = None
            if state in resolved_states:
                resolved = responded + timedelta(hours=rng.uniform(0.2, response_hours * 14))
                resolved = min(resolved, now)
                if state == TicketState.CLOSED:
                    closed = resolved + timedelta(days=5)
                if rng.random() < 0.4:
                    rating = rng.choices([1, 2, 3, 4, 5], weights=[3, 4, 10, 30, 53])[0]
            if state == TicketState.CANCELLED:
                closed = created + timedelta(hours=2)
            title = f"{item.name} - {person.unit.name}"
            number = f"ARZ-{created.year}-B{index + 1:07d}"
            asset = f"PC-{2018 + index % 7}-{index % 5000:04d}" if item.kind == "fault" else ""
            description = f"{item.name}. Oda {index % 300}, dahili {index % 9000 + 1000}."
            tickets.append(
                Ticket(
                    number=number,
                    kind=item.kind,
                    catalog_item=item,
                    title=title,
                    description=description,
                    channel=rng.choice([Channel.WEB] * 6 + [Channel.PHONE] * 3 + [Channel.EMAIL]),
                    requester=person,
                    requesting_unit_id=person.unit_id,
                    contact_phone=person.work_phone,
                    location=person.location,
                    responsible_unit_id=item.unit_id,
                    assignee=rng.choice(technicians)
                    if state not in (TicketState.NEW, TicketState.CANCELLED)
                    else None,
                    state=state,
                    hold_reason=HoldReason.SUPPLIER if state == TicketState.ON_HOLD else "",
                    priority=priority,
                    asset_reference=asset,
                    round_the_clock=item.round_the_clock,
                    first_response_due=first_response_due,
                    resolution_due=resolution_due,
                    first_responded_at=responded,
                    resolved_at=resolved,
                    closed_at=closed,
                    resolution="Sorun giderildi." if resolved else "",
                    rating=rating,
                    rated_at=resolved + timedelta(hours=3) if rating else None,
                    created=created,
                    search_text=fold(
                        f"{number} {title} {description} {person.first_name} {person.last_name}"
                    ),
                )
            )
            extras.append((created, responded, rng.random()))
        with transaction.atomic(), own_timestamps(Ticket, Comment):
            tickets = Ticket.objects.bulk_create(tickets, batch_size=1000)
            periods, comments = [], []
            for ticket, (created, responded, roll) in zip(tickets, extras, strict=True):
                if roll < 0.08:  # transferred once: the first unit held it for an hour
                    first_unit = org["sections"][int(roll * 1000) % len(org["sections"])]
                    periods.append(
                        TicketResponsibility(
                            ticket=ticket,
                            unit=first_unit,
                            started_at=created,
                            ended_at=created + timedelta(hours=1),
                            reason="Yanlış birime açılmış",
                        )
                    )
                    start = created + timedelta(hours=1)
                else:
                    start = created
                periods.append(
                    TicketResponsibility(
                        ticket=ticket, unit_id=ticket.responsible_unit_id, started_at=start
                    )
                )
                if responded and roll < 0.6:
                    comments.append(
                        Comment(
                            content_type=ticket_type,
                            object_id=str(ticket.pk),
                            author=ticket.assignee,
                            text="İnceleniyor, en kısa sürede dönüş yapılacak.",
                            created=responded,
                        )
                    )
                if roll < 0.15:
                    comments.append(
                        Comment(
                            content_type=ticket_type,
                            object_id=str(ticket.pk),
                            author=ticket.assignee,
                            text="Parça siparişi verildi.",
                            is_internal=True,
                            created=created + timedelta(hours=2),
                        )
                    )
            TicketResponsibility.objects.bulk_create(periods, batch_size=1000)
            Comment.objects.bulk_create(comments, batch_size=1000)
        counts["tickets"] += len(tickets)
        counts["responsibilities"] += len(periods)
        counts["comments"] += len(comments)
    return counts


def analyse(connection) -> None:
    """Statistics and, on PostgreSQL, the visibility map: a bulk-loaded table has none until
    autovacuum comes by, and index-only scans need it (an installation in use has it)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# The expert's queries ------------------------------------------------------------------------

# The related names as correlated subqueries, not joins: evaluated for the page's rows alone,
# and PostgreSQL plans a one-table query with subplans in a fraction of the time it spends
# ordering five joins (0.5 ms against 6-14 ms here).
LIST_SELECT = """
SELECT t.id, t.number, t.title, t.kind, t.channel, t.state, t.priority, t.created,
       t.first_response_due, t.resolution_due, t.first_responded_at, t.sla_paused_at,
       t.round_the_clock,
       (SELECT ci.name FROM servicedesk_catalogitem ci WHERE ci.id = t.catalog_item_id),
       (SELECT p.first_name FROM org_person p WHERE p.id = t.requester_id),
       (SELECT p.last_name FROM org_person p WHERE p.id = t.requester_id),
       (SELECT ru.name FROM org_unit ru WHERE ru.id = t.requesting_unit_id),
       (SELECT su.name FROM org_unit su WHERE su.id = t.responsible_unit_id),
       (SELECT a.username FROM accounts_user a WHERE a.id = t.assignee_id)
FROM servicedesk_ticket t
"""
QUEUE_ORDER = "ORDER BY t.priority, t.resolution_due, t.id DESC"
NEWEST_FIRST = "ORDER BY t.id DESC"


def _in(values) -> tuple[str, list]:
    values = list(values)
    return ", ".join(["%s"] * len(values)), values


def list_queries(where: str, params: list, order: str, per_page: int) -> list:
    """One page (one row more, to know whether there is a next one) and a capped count."""
    from biys.core.pagination import COUNT_LIMIT

    return [
        (f"{LIST_SELECT} WHERE {where} {order} LIMIT {per_page + 1}", params),
        (
            f"SELECT COUNT(*) FROM (SELECT 1 FROM servicedesk_ticket t WHERE {where} "
            f"LIMIT {COUNT_LIMIT + 1}) c",
            params,
        ),
    ]


def search_condition(connection, word: str) -> tuple[str, list]:
    """The indexed substring match: pg_trgm serves LIKE, SQLite asks its FTS5 trigram table."""
    if connection.vendor == "sqlite":
        return (
            "t.id IN (SELECT rowid FROM servicedesk_ticket_fts "
            "WHERE servicedesk_ticket_fts MATCH %s)",
            [f'"{word}"'],
        )
    return "t.search_text LIKE %s", [f"%{word}%"]


def statistics_best(first, last):
    """The statistics page's best query: the summary tables' reader when the scenario module
    ``bench.servicedesk_stats`` provides one, else one aggregate over the year's tickets."""
    try:
        from bench import servicedesk_stats
    except ImportError:
        servicedesk_stats = None
    if servicedesk_stats is not None and hasattr(servicedesk_stats, "best_queries"):
        return servicedesk_stats.best_queries(first, last), "summary tables"
    return [
        (
            "SELECT t.state, t.priority, COUNT(*), "
            "SUM(CASE WHEN t.resolved_at IS NOT NULL THEN 1 ELSE 0 END) "
            "FROM servicedesk_ticket t WHERE t.created >= %s AND t.created < %s "
            "GROUP BY t.state, t.priority",
            [first, last],
        )
    ], "one aggregate over the year's tickets (no summary table)"


# Measurements --------------------------------------------------------------------------------


def measure_creates(client, org: dict, creates: int) -> dict:
    items, people = org["items"], org["people"]
    url = "/api/v1/servicedesk/tickets/"
    payloads = [create_payload(org, index) for index in range(creates + 1)]
    response = client.post(url, payloads[0], content_type="application/json")  # warm
    if response.status_code != 201:
        raise RuntimeError(
            f"POST {url} answered {response.status_code}: {response.content[:300]!r}"
        )
    started = time.perf_counter()
    for payload in payloads[1:]:
        response = client.post(url, payload, content_type="application/json")
        assert response.status_code == 201, response.content[:300]
    elapsed = time.perf_counter() - started
    del items, people
    return {
        "creates": creates,
        "seconds": round(elapsed, 3),
        "creates_per_s": round(creates / elapsed, 1),
        "ms_per_create": round(elapsed / creates * 1000, 2),
    }


def create_payload(org: dict, index: int) -> dict:
    items, people = org["items"], org["people"]
    return {
        "catalog_item": items[index % len(items)].pk,
        "requester": people[index % len(people)].pk,
        "title": f"Bench talebi {index}",
        "description": "Telefonla bildirildi.",
        "channel": "phone",
    }


def best_insert_ms(org: dict, repeat: int) -> float:
    """One ticket row and its responsibility row, inserted and rolled back."""
    from django.db import transaction
    from django.utils import timezone

    from biys.servicedesk.models import Ticket, TicketResponsibility

    item, person = org["items"][0], org["people"][0]
    counter = iter(range(10**9))

    def insert():
        with transaction.atomic():
            now = timezone.now()
            ticket = Ticket.objects.bulk_create(
                [
                    Ticket(
                        number=f"ARZ-BEST-{next(counter)}",
                        kind=item.kind,
                        catalog_item=item,
                        title="Bench talebi",
                        requester=person,
                        requesting_unit_id=person.unit_id,
                        responsible_unit_id=item.unit_id,
                        state="new",
                        priority=3,
                        resolution_due=now,
                        first_response_due=now,
                    )
                ]
            )[0]
            TicketResponsibility.objects.bulk_create(
                [TicketResponsibility(ticket=ticket, unit_id=item.unit_id, started_at=now)]
            )
            transaction.set_rollback(True)

    return median_ms(insert, repeat)


def run(
    *,
    size: int | None = None,
    repeat: int = 7,
    creates: int | None = None,
    http_seconds: int = 0,
    reuse: bool = False,
    pages: tuple[str, ...] = (),
) -> dict:
    """Build the data set (in the bench's own database) and measure; returns the figures.
    ``reuse``: a kept database that already holds a build is measured as it is; ``pages``:
    measure only the pages named, in process (no creation, no HTTP)."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from biys.accounts.scope import ALL, get_scope
    from biys.accounts.tokens import new_key, store_key
    from biys.core.pagination import encode_cursor
    from biys.servicedesk.choices import OPEN_STATES, TicketState
    from biys.servicedesk.models import Ticket
    from biys.servicedesk.selectors import VIEW_TICKET

    size = size or DEFAULT_SIZE
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    creates = creates if creates is not None else max(10, min(size // 10, 200))
    rng = random.Random(SEED)
    result: dict = {"scenario": "servicedesk", "size": size, "vendor": connection.vendor}
    result["repeat"] = repeat
    started = time.perf_counter()
    if reuse and Ticket.objects.exists():
        org = load_organisation()
        counts = built_counts()
        result["reused_database"] = True
    else:
        org = build_organisation(rng, size)
        counts = build_tickets(rng, org, size, timezone.now())
    analyse(connection)
    result["build_s"] = round(time.perf_counter() - started, 2)
    result["rows"] = {**counts, "people": len(org["people"])}

    chief, requester = Client(), Client()
    chief.force_login(org["chief"])
    requester.force_login(org["requester"])
    units = get_scope(org["chief"]).units_for(VIEW_TICKET)
    assert units is not ALL
    unit_marks, unit_ids = _in(sorted(units))
    queue_states = [state for state in OPEN_STATES if state != TicketState.PENDING_APPROVAL]
    state_marks, state_values = _in(queue_states)
    open_marks, open_values = _in(OPEN_STATES)
    mine = f"t.responsible_unit_id IN ({unit_marks})"
    word = "yazici"
    match, match_params = search_condition(connection, word)
    all_states = "&".join(f"state={state}" for state, _ in TicketState.choices)

    closed_ids = list(
        Ticket.objects.filter(state=TicketState.CLOSED, responsible_unit_id__in=units)
        .order_by("-id")
        .values_list("id", flat=True)
    )
    deep_id = closed_ids[len(closed_ids) // 2] if closed_ids else 1
    detail = (
        Ticket.objects.filter(state=TicketState.IN_PROGRESS, responsible_unit_id__in=units)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    ) or Ticket.objects.values_list("id", flat=True).first()
    ticket_type = ContentType.objects.get_for_model(Ticket).pk
    person, user = org["people"][0], org["requester"]
    today = timezone.localdate()
    first = today - timedelta(days=365)
    stats_best, stats_note = statistics_best(first, today + timedelta(days=1))

    api, ui = "/api/v1/servicedesk/tickets/", "/servicedesk/tickets/"
    all_pages = [
        Page(
            "ui_queue_default",
            ui,
            list_queries(
                f"t.state IN ({state_marks}) AND {mine}", state_values + unit_ids, QUEUE_ORDER, 25
            ),
            marker="servicedesk_ticket",
        ),
        Page(
            "api_queue_open",
            f"{api}?is_open=true",
            list_queries(
                f"t.state IN ({open_marks}) AND {mine}", open_values + unit_ids, NEWEST_FIRST, 50
            ),
            kind="api",
            marker="servicedesk_ticket",
        ),
        Page(
            "ui_ticket_detail",
            f"{ui}{detail}/",
            [
                (f"{LIST_SELECT} WHERE t.id = %s", [detail]),
                (
                    "SELECT c.id, c.text, c.is_internal, c.created, a.username "
                    "FROM comments_comment c LEFT JOIN accounts_user a ON a.id = c.author_id "
                    "WHERE c.content_type_id = %s AND c.object_id = %s ORDER BY c.created",
                    [ticket_type, str(detail)],
                ),
                (
                    "SELECT r.unit_id, r.started_at, r.ended_at, r.reason "
                    "FROM servicedesk_ticketresponsibility r WHERE r.ticket_id = %s",
                    [detail],
                ),
            ],
        ),
        Page(
            "api_ticket_detail",
            f"{api}{detail}/",
            [(f"{LIST_SELECT} WHERE t.id = %s", [detail])],
            kind="api",
        ),
        Page(
            "api_search_all",
            f"{api}?q={word}",
            list_queries(f"{match} AND {mine}", match_params + unit_ids, NEWEST_FIRST, 50),
            kind="api",
            marker="servicedesk_ticket",
            note="open and closed tickets",
        ),
        Page(
            "ui_search_all",
            f"{ui}?q=yaz%C4%B1c%C4%B1&{all_states}",
            list_queries(f"{match} AND {mine}", match_params + unit_ids, NEWEST_FIRST, 25),
            marker="servicedesk_ticket",
            note="every state ticked, newest first",
        ),
        Page(
            "api_deep_page",
            f"{api}?state=closed&cursor={encode_cursor({'k': [deep_id], 'r': 0})}",
            list_queries(
                f"t.state = %s AND {mine} AND t.id < %s",
                [TicketState.CLOSED, *unit_ids, deep_id],
                NEWEST_FIRST,
                50,
            ),
            kind="api",
            marker="servicedesk_ticket",
            note=f"by cursor, half-way down {len(closed_ids):,} closed tickets",
        ),
        Page(
            "ui_my_tickets",
            "/servicedesk/my/",
            list_queries(
                "(t.requester_id = %s OR t.created_by_id = %s)",
                [person.pk, user.pk],
                NEWEST_FIRST,
                50,
            ),
            marker="servicedesk_ticket",
        ),
        Page(
            "ui_stats_year",
            f"/servicedesk/stats/?period=custom&first={first}&last={today}",
            stats_best,
            note=f"best: {stats_note}",
        ),
    ]
    if pages:
        unknown = set(pages) - {page.name for page in all_pages}
        if unknown:
            raise SystemExit(f"unknown pages: {', '.join(sorted(unknown))}")
    only = [page for page in all_pages if not pages or page.name in pages]
    floors = measure_floors(chief, repeat)
    measured = []
    for page in only:
        client = requester if page.name == "ui_my_tickets" else chief
        measured.append(measure_page(client, page, repeat, floors))
    if pages:
        result["floors_ms"] = {name: round(value, 2) for name, value in floors.items()}
        result["pages"] = measured
        result["ratio"] = max(item["ratio"] for item in measured)
        return result
    constant = {}
    for page in only:
        if page.name in ("ui_queue_default", "api_queue_open", "api_search_all", "ui_my_tickets"):
            client = requester if page.name == "ui_my_tickets" else chief
            glue = "&" if "?" in page.url else "?"
            constant[page.name] = [
                query_count(client, f"{page.url}{glue}per_page=10"),
                query_count(client, f"{page.url}{glue}per_page=100"),
            ]

    creator = Client()
    creator.force_login(org["technicians"][0])
    create = measure_creates(creator, org, creates)
    insert_ms = best_insert_ms(org, repeat)
    create["best_ms"] = round(insert_ms, 2)
    create["floor_ms"] = round(floors["api"], 2)
    create["ratio"] = round(create["ms_per_create"] / (insert_ms + floors["api"]), 2)

    result["floors_ms"] = {name: round(value, 2) for name, value in floors.items()}
    result["pages"] = measured
    result["create"] = create
    result["queries"] = {item["name"]: item["queries"] for item in measured}
    result["queries_constant"] = all(many <= few for few, many in constant.values())
    result["queries_constant_by_page"] = constant
    result["ratio"] = max(item["ratio"] for item in measured)
    result["replay_ratio"] = max(item["replay_ratio"] or 0 for item in measured)
    result["creates_per_s"] = create["creates_per_s"]
    result["target"] = TARGET
    if http_seconds:
        key = new_key()
        store_key(org["technicians"][0], key)
        body = json.dumps(create_payload(org, 1))
        token = {"Authorization": f"Token {key}"}
        # Creation at the issue's 4 connections, then at 8 concurrent clients (issue 6's
        # creation target: 5x today's rate with 8 clients, no lock shared by unrelated writes).
        posts = {"create": (api, token, body), "create_c8": (api, token, body, 8)}
        # The same POST stored as one row and nothing else: the write floor creation is set
        # against (creation's best possible rate with 8 clients on this machine and stack).
        from bench.urls import ensure_write_table

        ensure_write_table()
        posts["floor_write_c8"] = ("/bench/floor/api/write/", token, body, 8)
        result["http_seconds"] = http_seconds
        try:
            result["http"] = http_figures(only, chief, http_seconds, posts, rt=rt_pages())
            result["rt"] = result["http"].pop("rt", None)
        except Exception as error:  # keep the in-process figures whatever happens here
            result["http_error"] = repr(error)
    return result


def rt_pages() -> dict:
    """Request Tracker's page for each of ours (bench/README.md, "Request Tracker side by side").

    The same rows per page as ours (25 on HTML lists, 50 on the API), REST2 lists asked for the
    fields our list shows (without ``fields`` RT gives only ids and links), searches over every
    status as ours. Reads are signed in by RT's session cookie, as ours are by Django's; creation
    takes a REST2 token as ours takes an API token (RT checks it with bcrypt at cost 12 on each
    request), and ``create_cookie`` is RT's creation through the signed-in session instead."""
    ticket = os.environ.get("BENCH_RT_TICKET", "1")
    active = quote("Status = '__Active__'")
    subject = quote("Subject LIKE 'yazici'")
    fields = "fields=Subject,Status,Queue,Owner,Requestor,Priority,Created,LastUpdated,Due"
    create = json.dumps(
        {
            "Queue": "General",
            "Subject": "Bench talebi",
            "Content": "Oda 12, dahili 1234.",
            "Requestor": "ayse.yilmaz@belediye.example",
        }
    )
    return {
        "ui_queue_default": {"path": f"/Search/Results.html?Query={active}&Rows=25"},
        "api_queue_open": {"path": f"/REST/2.0/tickets?query={active}&per_page=50&{fields}"},
        "ui_ticket_detail": {"path": f"/Ticket/Display.html?id={ticket}"},
        # RT 5 fetches the history after the page ($ShowHistory 'delay'): its second request.
        "ui_ticket_history": {
            "path": f"/Helpers/TicketHistory?id={ticket}",
            "biys": "ui_ticket_detail",
        },
        "api_ticket_detail": {"path": f"/REST/2.0/ticket/{ticket}"},
        # "yazici any": RT's simple search looks only at active tickets unless told "any".
        "api_search_all": {
            "path": f"/REST/2.0/tickets?simple=1&query=yazici%20any&per_page=50&{fields}"
        },
        # What Search/Simple.html?q=yazici+any shows (it renders Results.html with this
        # query, at 50 rows: asked here for 25, as ours).
        "ui_search_all": {"path": f"/Search/Results.html?Query={subject}&Rows=25"},
        "create": {"path": "/REST/2.0/ticket", "body": create, "auth": "token"},
        "create_cookie": {"path": "/REST/2.0/ticket", "body": create, "biys": "create"},
    }


def print_table(result: dict) -> None:
    print(
        f"servicedesk: {result['size']:,} tickets on {result.get('database', result['vendor'])} "
        f"(built in {result['build_s']} s: {result['rows']}); floors {result['floors_ms']} ms",
    )
    print_pages(result)
    create = result.get("create")
    if create is None:  # --pages: the pages alone
        return
    print(
        f"\nAPI ticket creation: {create['creates']} tickets, {create['creates_per_s']} per second "
        f"({create['ms_per_create']} ms each; best insert {create['best_ms']} ms, ratio "
        f"{create['ratio']})",
    )
    print(
        f"Worst ratio {result['ratio']} (replay {result['replay_ratio']}); query count constant "
        f"as the page grows: {'yes' if result['queries_constant'] else 'NO'}",
    )
    print(result["target"])
