"""Service desk bench: N tickets with their history, then the queue, the search and ticket creation.

    python -m bench servicedesk --size 20000 [--json] [--repeat 7]

Runs in the throw-away database ``bench/__main__.py`` creates (the configured database is never
touched), fills it with bulk inserts and measures, warm, the median of several runs of:

- the queue through the API (``/api/v1/servicedesk/tickets/?responsible_unit=..&state=..``),
  page 1 and a deep page, and the UI queue page with the same filters;
- the filtered search (``?q=``) through the API and the UI;
- ticket creation through the API (POST, one ticket at a time).

Each list is compared with the raw SQL of the same page (the ticket queries the request ran,
re-executed through a cursor in the same run), so the ratio is the cost of everything around the
database: authentication, scope, filters, serialisation, templates. ``--json`` prints ``ratio``
(worst list), ``queries`` (per list page), ``creates_per_s`` and the details.

Target: at 1,000,000 tickets on PostgreSQL the queue page within 3x of its raw SQL with a
constant query count. GLPI needs about 30 s per page at 40,000 tickets (glpi-project/glpi#15246).
"""

from __future__ import annotations

import random
import statistics
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

TARGET = (
    "Target: 1,000,000 tickets on PostgreSQL, queue page within 3x of its raw SQL, constant "
    "queries (GLPI: ~30 s per page at 40,000 tickets, glpi-project/glpi#15246)."
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
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# Measurements --------------------------------------------------------------------------------


def _median_seconds(function, runs: int) -> float:
    function()  # warm: caches, prepared plans, imports
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _ticket_queries(captured) -> list[str]:
    return [
        query["sql"]
        for query in captured
        if "servicedesk_ticket" in query["sql"].split(" WHERE ")[0]
        and query["sql"].lstrip().upper().startswith("SELECT")
    ]


def measure_list(client, connection, url: str, runs: int) -> dict:
    from django.db import reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # each request clears the log: start the capture from an empty one
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    # Snapshot now: every request clears the connection's query log.
    queries = list(captured.captured_queries)
    raw_sql = _ticket_queries(queries)

    def fetch():
        assert client.get(url).status_code == 200

    def raw():
        with connection.cursor() as cursor:
            for sql in raw_sql:
                cursor.execute(sql)
                cursor.fetchall()

    app = _median_seconds(fetch, runs)
    database = _median_seconds(raw, runs)
    return {
        "url": url,
        "app_ms": round(app * 1000, 2),
        "raw_ms": round(database * 1000, 2),
        "ratio": round(app / database, 2) if database else None,
        "queries": len(queries),
        "ticket_queries": len(raw_sql),
        "bytes": len(response.content),
    }


def query_count(client, connection, url: str) -> int:
    from django.db import reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
        count = len(captured.captured_queries)
    return count


def measure_creates(client, org: dict, creates: int) -> dict:
    items, people = org["items"], org["people"]
    url = "/api/v1/servicedesk/tickets/"
    payloads = [
        {
            "catalog_item": items[index % len(items)].pk,
            "requester": people[index % len(people)].pk,
            "title": f"Bench talebi {index}",
            "description": "Telefonla bildirildi.",
            "channel": "phone",
        }
        for index in range(creates + 1)
    ]
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
    return {
        "creates": creates,
        "seconds": round(elapsed, 3),
        "creates_per_s": round(creates / elapsed, 1),
        "ms_per_create": round(elapsed / creates * 1000, 2),
    }


def run(*, size: int | None = None, repeat: int = 7, creates: int | None = None) -> dict:
    """Build the data set (in the bench's own database) and measure; returns the figures."""
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from biys.servicedesk.choices import TicketState

    size = size or DEFAULT_SIZE
    runs = repeat
    # Logins are made with force_login; notifications go to memory, not to an SMTP server.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    creates = creates if creates is not None else max(10, min(size // 10, 200))
    rng = random.Random(SEED)
    result: dict = {"scenario": "servicedesk", "size": size, "vendor": connection.vendor}
    result["repeat"] = repeat
    started = time.perf_counter()
    org = build_organisation(rng, size)
    counts = build_tickets(rng, org, size, timezone.now())
    analyse(connection)
    result["build_s"] = round(time.perf_counter() - started, 2)
    result["rows"] = {**counts, "people": len(org["people"])}

    chief = Client()
    chief.force_login(org["chief"])
    branch = org["branches"][2].pk  # the help-desk branch holds the hardware faults
    open_states = "&".join(
        f"state={state}"
        for state in (TicketState.NEW, TicketState.ASSIGNED, TicketState.IN_PROGRESS)
    )
    queue = f"responsible_unit={branch}&{open_states}"
    closed = f"responsible_unit={org['it'].pk}&state={TicketState.CLOSED}"
    api = "/api/v1/servicedesk/tickets/"
    ui = "/servicedesk/tickets/"
    closed_count = chief.get(f"{api}?{closed}&per_page=1").json()["count"]
    deep_page = max(1, min(closed_count // 50 // 2, 1000))
    lists = {
        "api_queue": f"{api}?{queue}",
        "api_queue_deep": f"{api}?{closed}&page={deep_page}",
        "ui_queue": f"{ui}?{queue}",
        "api_search": f"{api}?q=yazici",
        "ui_search": f"{ui}?q=yazıcı",
    }
    measured = {}
    for name, url in lists.items():
        measured[name] = measure_list(chief, connection, url, runs)
    constant = {
        name: query_count(chief, connection, url + "&per_page=10")
        == query_count(chief, connection, url + "&per_page=100")
        for name, url in lists.items()
    }
    today = timezone.localdate()
    stats_url = (
        f"/servicedesk/stats/?period=custom&first={today - timedelta(days=365)}&last={today}"
    )
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        assert chief.get(stats_url).status_code == 200
        stats_queries = len(captured.captured_queries)
    result["stats_page"] = {
        "url": stats_url,
        "app_ms": round(_median_seconds(lambda: chief.get(stats_url), max(1, runs // 2)) * 1000, 2),
        "queries": stats_queries,
    }
    creator = Client()
    creator.force_login(org["technicians"][0])
    result["create"] = measure_creates(creator, org, creates)

    result["lists"] = measured
    result["queries"] = {name: item["queries"] for name, item in measured.items()}
    result["queries_constant"] = all(constant.values())
    result["ratio"] = max(item["ratio"] for item in measured.values())
    result["queue_ratio"] = max(measured["api_queue"]["ratio"], measured["ui_queue"]["ratio"])
    result["creates_per_s"] = result["create"]["creates_per_s"]
    result["target"] = TARGET
    return result


def print_table(result: dict) -> None:
    print(
        f"servicedesk: {result['size']:,} tickets on {result.get('database', result['vendor'])} "
        f"(built in {result['build_s']} s: {result['rows']})",
    )
    header = f"{'page':<16}{'app ms':>10}{'raw SQL ms':>12}{'ratio':>8}{'queries':>9}  url"
    print(header)
    print("-" * len(header))
    for name, item in result["lists"].items():
        print(
            f"{name:<16}{item['app_ms']:>10.2f}{item['raw_ms']:>12.2f}{item['ratio']:>8.2f}"
            f"{item['queries']:>9}  {item['url']}",
        )
    create = result["create"]
    print(
        f"\nAPI ticket creation: {create['creates']} tickets, {create['creates_per_s']} per second "
        f"({create['ms_per_create']} ms each)",
    )
    print(
        f"Worst ratio {result['ratio']} (queue {result['queue_ratio']}); query count constant "
        f"as the page grows: {'yes' if result['queries_constant'] else 'NO'}",
    )
    stats = result["stats_page"]
    print(f"Statistics dashboard, last 365 days: {stats['app_ms']} ms, {stats['queries']} queries")
    print(result["target"])
