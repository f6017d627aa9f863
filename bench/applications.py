"""Scenario ``applications``: N applications received over three years across 60 units, then the
work lists of the municipality's applications manager (every unit) and the deadline rule itself.

    python -m bench applications --size 1000000 [--json] [--repeat 7] [--http]

Pages: the "due this week" list across every unit (HTML and API), the default list (open
applications, the nearest deadline first) and the late list; each set against the best query an
expert would write for it plus the stack's floor (bench/common.py has the rules). Also
``deadlines_per_s``: legal deadlines computed per second by the code the product uses
(``biys.applications.deadlines.deadline_for``) on the working calendar, for random types and
receipt days across three years of holidays.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from bench.common import (
    Page,
    add_http_figures,
    measure_floors,
    measure_page,
    print_pages,
    query_count,
)

TARGET = (
    "Target: 1,000,000 applications on PostgreSQL, the 'due this week' list across all units "
    "within 3x of its best query plus the stack's floor, with constant queries."
)
DEFAULT_SIZE = 20_000
BATCH = 5_000
SEED = 20261130
DEPARTMENTS = (
    "Bilgi İşlem",
    "Fen İşleri",
    "İmar ve Şehircilik",
    "Zabıta",
    "Yazı İşleri ve Kararlar",
    "Emlak ve İstimlak",
    "Ulaşım Hizmetleri",
    "Çevre Koruma ve Kontrol",
    "Park ve Bahçeler",
    "Kültür ve Sosyal İşler",
    "Mali Hizmetler",
    "Destek Hizmetleri",
)
SUBJECTS = (
    "Meclis kararlarının listesi",
    "İhale dosyası hakkında bilgi talebi",
    "Sokak lambası yanmıyor",
    "Kaldırım onarımı talebi",
    "Baz istasyonu şikâyeti",
    "Kapı numarası verilmesi",
    "Kent kameralarının bakım sözleşmesi",
    "Park alanındaki kablosuz ağ",
)
NAMES = ("Ayşe Yılmaz", "Mehmet Kaya", "Zeynep Arslan", "Ali Çelik", "Elif Şahin", "Hasan Öztürk")
DAYS = 3 * 365
PER_PAGE = 50

APPLICATION_SELECT = """
SELECT a.id, a.number, a.subject, a.applicant_name, a.channel, a.received_on, a.due_date,
       a.state, a.extended, a.answered_on, t.id, t.name, u.id, u.name
FROM applications_application a
JOIN applications_applicationtype t ON t.id = a.type_id
JOIN org_unit u ON u.id = a.responsible_unit_id
"""


def list_queries(where: str, params: list) -> list:
    """The expert's page (one row more, for "next"), in the lists' order, and a capped count."""
    from biys.core.pagination import COUNT_LIMIT

    return [
        (
            f"{APPLICATION_SELECT} WHERE {where} ORDER BY a.due_date, a.id LIMIT {PER_PAGE + 1}",
            params,
        ),
        (
            "SELECT COUNT(*) FROM (SELECT 1 FROM applications_application a "
            f"WHERE {where} LIMIT {COUNT_LIMIT + 1}) c",
            params,
        ),
    ]


def build_units() -> list:
    """The municipality, a top unit, twelve departments with four directorates each."""
    from biys.core.text import fold, sort_key
    from biys.org.models import Municipality, Unit

    Municipality.objects.create(name="Örnek Büyükşehir Belediyesi", kind="buyuksehir")

    def create(specs):
        units = Unit.objects.bulk_create(
            Unit(
                name=name,
                kind=kind,
                parent=parent,
                is_it_department=it,
                sort_name=sort_key(name, 200),
                search_text=fold(name),
            )
            for name, kind, parent, it in specs
        )
        for unit in units:
            unit.path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
            unit.depth = unit.path.count("/") - 2
        Unit.objects.bulk_update(units, ["path", "depth"])
        return units

    (top,) = create([("Örnek Büyükşehir Belediyesi", "belediye", None, False)])
    departments = create(
        [(f"{name} Dairesi Başkanlığı", "daire_baskanligi", top, i == 0)
         for i, name in enumerate(DEPARTMENTS)]
    )  # fmt: skip
    branches = create(
        [
            (f"{d.name.replace(' Dairesi Başkanlığı', '')} {n}. Şube Müdürlüğü",
             "sube_mudurlugu", d, d.is_it_department)
            for d in departments
            for n in range(1, 5)
        ]
    )  # fmt: skip
    return [top, *departments, *branches]


def build(rng: random.Random, size: int, today) -> dict:
    from biys.accounts.models import Role, RoleAssignment, User
    from biys.applications.choices import Channel, State
    from biys.applications.deadlines import deadline_for
    from biys.applications.models import Application, ApplicationResponsibility, ApplicationType
    from biys.applications.types_loader import load_types
    from biys.calendar.selectors import get_calendar

    units = build_units()
    load_types()
    types = list(ApplicationType.objects.order_by("pk"))
    # bilgi edinme and petitions are most of them
    weights = [6 if t.code in ("bilgi-edinme", "dilekce", "cimer", "alo-153") else 1 for t in types]
    calendar = get_calendar()
    deadlines: dict = {}
    first_day = today - timedelta(days=DAYS)
    channels = [c for c in Channel.values if c != Channel.WEB] + [Channel.WEB] * 3
    rows = []
    for number in range(1, size + 1):
        received = first_day + timedelta(days=rng.randrange(DAYS + 1))
        application_type = rng.choices(types, weights)[0]
        key = (application_type.pk, received)
        due = deadlines.get(key)
        if due is None:
            due = deadlines[key] = deadline_for(application_type, received, calendar=calendar)
        # nearly all of the past answered, a third of what is still running
        answered = rng.random() < (0.97 if due < today else 0.35)
        answered_on = None
        if answered:
            answered_on = min(today, received + timedelta(days=rng.randint(1, 35)))
        rows.append(
            Application(
                number=f"BSV-{received.year}-{number:07d}",
                type=application_type,
                channel=rng.choice(channels),
                received_on=received,
                subject=rng.choice(SUBJECTS),
                applicant_name=rng.choice(NAMES),
                responsible_unit=rng.choice(units[1:]),
                state=State.ANSWERED if answered else State.OPEN,
                due_date=due,
                answered_on=answered_on,
                outcome_note="Cevap verildi." if answered else "",
            )
        )
        if len(rows) == BATCH or number == size:
            created = Application.objects.bulk_create(rows)
            ApplicationResponsibility.objects.bulk_create(
                ApplicationResponsibility(
                    application=a, unit_id=a.responsible_unit_id, started_at=a.created
                )
                for a in created
            )
            rows = []
    manager = User.objects.create_user(username="bench-applications", password=None)
    RoleAssignment.objects.create(
        user=manager,
        role=Role.objects.get(slug="applications_manager"),
        unit=units[0],
        include_subtree=True,
    )
    return {"manager": manager, "units": len(units), "types": types}


def deadlines_per_second(types: list, today, count: int = 20_000) -> float:
    """Fresh (type, receipt day) pairs through the product's own rule and calendar."""
    from biys.applications.deadlines import deadline_for
    from biys.calendar.selectors import get_calendar

    rng = random.Random(SEED + 1)
    calendar = get_calendar()
    pairs = [(rng.choice(types), today - timedelta(days=rng.randrange(DAYS))) for _ in range(count)]
    started = time.perf_counter()
    for application_type, received in pairs:
        deadline_for(application_type, received, calendar=calendar)
    return count / (time.perf_counter() - started)


def load_built() -> dict:
    """What ``build`` returned, read back from a kept database that holds a build."""
    from biys.accounts.models import User
    from biys.applications.models import Application, ApplicationType
    from biys.org.models import Unit

    return {
        "manager": User.objects.get(username="bench-applications"),
        "units": Unit.objects.count(),
        "types": list(ApplicationType.objects.order_by("pk")),
        "size": Application.objects.count(),
    }


def run(
    *, size: int | None = None, repeat: int = 7, http_seconds: int = 0, reuse: bool = False
) -> dict:
    """Build (or, ``reuse``, measure a kept database's build as it is) and measure."""
    from django.db import connection
    from django.test import Client

    from biys.accounts.scope import ALL, get_scope
    from biys.applications.models import Application
    from biys.applications.selectors import today as local_today
    from biys.applications.selectors import week_bounds

    size = size or DEFAULT_SIZE
    rng = random.Random(SEED)
    today = local_today()
    started = time.perf_counter()
    reused = reuse and Application.objects.exists()
    if reused:
        built = load_built()
        size = built["size"]
    else:
        built = build(rng, size, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    build_seconds = time.perf_counter() - started
    assert get_scope(built["manager"]).units_for("applications.view_application") is ALL

    client = Client()
    client.force_login(built["manager"])
    monday, sunday = week_bounds(today)
    week = "a.state = 'open' AND a.due_date >= %s AND a.due_date <= %s"
    late = (
        "((a.state = 'open' AND a.due_date < %s)"
        " OR (a.state <> 'open' AND a.answered_on > a.due_date))"
    )
    pages = [
        Page("ui_due_this_week", "/applications/?due=this_week",
             list_queries(week, [monday, sunday]), marker="applications_application"),
        Page("api_due_this_week", "/api/v1/applications/applications/?due=this_week",
             list_queries(week, [monday, sunday]), kind="api", marker="applications_application"),
        Page("ui_open", "/applications/", list_queries("a.state = 'open'", []),
             marker="applications_application", note="the default list: open, nearest first"),
        Page("ui_late", "/applications/?due=late", list_queries(late, [today]),
             marker="applications_application", note="open past the deadline, or answered late"),
    ]  # fmt: skip
    floors = measure_floors(client, repeat)
    measures = [measure_page(client, page, repeat, floors) for page in pages]
    constant = query_count(client, "/applications/?due=this_week&per_page=10") >= query_count(
        client, "/applications/?due=this_week&per_page=100"
    ) and query_count(client, "/api/v1/applications/applications/?per_page=10") >= query_count(
        client, "/api/v1/applications/applications/?per_page=100"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM applications_application WHERE state = 'open' "
            "AND due_date >= %s AND due_date <= %s",
            [monday, sunday],
        )
        (week_open,) = cursor.fetchone()
    result = {
        "scenario": "applications",
        "size": size,
        "vendor": connection.vendor,
        "units": built["units"],
        "due_this_week": week_open,
        "build_s": round(build_seconds, 2),
        **({"reused_database": True} if reused else {}),
        "repeat": repeat,
        "floors_ms": {name: round(value, 2) for name, value in floors.items()},
        "pages": measures,
        "ratio": max(item["ratio"] for item in measures[:2]),
        "replay_ratio": max(item["replay_ratio"] or 0 for item in measures[:2]),
        "queries": measures[0]["queries"],
        "queries_constant": constant,
        "deadlines_per_s": round(deadlines_per_second(built["types"], today)),
        "target": TARGET,
    }
    return add_http_figures(result, pages, client, http_seconds)


def print_table(result: dict) -> None:
    print(
        f"applications: {result['size']:,} in {result['units']} units on {result['database']}"
        f" ({result['due_this_week']:,} open and due this week; built in {result['build_s']} s;"
        f" median of {result['repeat']} warm runs; floors {result['floors_ms']} ms)"
    )
    print_pages(result)
    print(
        f"'due this week' ratio {result['ratio']} (replay {result['replay_ratio']}); "
        f"{result['queries']} queries per page; constant as the page grows: "
        f"{'yes' if result['queries_constant'] else 'NO'}; "
        f"{result['deadlines_per_s']:,} deadlines computed per second"
    )
    print(result["target"])
