"""Scenario ``org``: 200 units and 30,000 people; the people list and the search.

Each page is set against the best query an expert would write for it plus the stack's floor
(``ratio``), and against its own SQL replayed (``replay_ratio``): bench/common.py has the rules.
"""

import random
import time
from urllib.parse import quote

from bench.common import (
    Page,
    add_http_figures,
    measure_floors,
    measure_page,
    print_pages,
    query_count,
)

DEFAULT_SIZE = 30_000
UNIT_COUNT = 200
BATCH = 2_000
PAGE_SIZE = 50

TITLES = (
    "Mühendis",
    "Bilgisayar Mühendisi",
    "Tekniker",
    "Teknisyen",
    "Programcı",
    "Çözümleyici",
    "Şef",
    "Şube Müdürü",
    "Daire Başkanı",
    "Memur",
    "Veri Hazırlama ve Kontrol İşletmeni",
    "Büro Personeli",
    "İşçi",
    "Şoför",
    "Zabıta Memuru",
)
DEPARTMENTS = (
    "Bilgi İşlem",
    "Fen İşleri",
    "Zabıta",
    "İtfaiye",
    "Mali Hizmetler",
    "İnsan Kaynakları ve Eğitim",
    "Destek Hizmetleri",
    "Park ve Bahçeler",
    "Kültür ve Sosyal İşler",
    "Sağlık İşleri",
    "İmar ve Şehircilik",
    "Emlak ve İstimlak",
    "Çevre Koruma ve Kontrol",
    "Ulaşım Hizmetleri",
    "Yazı İşleri ve Kararlar",
    "Hukuk Müşavirliği",
    "Basın Yayın ve Halkla İlişkiler",
    "Sosyal Hizmetler",
    "Gençlik ve Spor Hizmetleri",
    "Etüt ve Projeler",
)


def _unit_counts(size: int) -> tuple[int, int, int]:
    """(departments, branches per department, sections per branch) for about 200 units."""
    total = UNIT_COUNT if size >= 2_000 else max(12, size // 20)
    departments = min(len(DEPARTMENTS), max(2, total // 10))
    branches = max(1, (total - departments) // (departments * 3))
    sections = max(1, (total - departments - departments * branches) // (departments * branches))
    return departments, branches, sections


def build(size: int) -> dict:
    """Bulk-create the municipality, units, titles, people and an administrator."""
    from biys.accounts.models import Role, RoleAssignment, User
    from biys.core.text import fold, sort_key
    from biys.demo.builder import FIRST_NAMES, LAST_NAMES
    from biys.org.models import Municipality, Person, Title, Unit

    rng = random.Random(2026)
    Municipality.objects.create(name="Örnek Büyükşehir Belediyesi", kind="buyuksehir")
    departments, branches, sections = _unit_counts(size)

    def create_level(specs, parents):
        units = Unit.objects.bulk_create(
            Unit(
                name=name,
                kind=kind,
                parent=parent,
                is_it_department=it,
                sort_name=sort_key(name, 200),
                search_text=fold(name),
            )
            for (name, kind, it), parent in zip(specs, parents, strict=True)
        )
        for unit, parent in zip(units, parents, strict=True):
            unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
            unit.depth = unit.path.count("/") - 2
        Unit.objects.bulk_update(units, ["path", "depth"])
        return units

    top = create_level(
        [
            (f"{name} Dairesi Başkanlığı", "daire_baskanligi", index == 0)
            for index, name in enumerate(DEPARTMENTS[:departments])
        ],
        [None] * departments,
    )
    middle_specs, middle_parents = [], []
    for department in top:
        for number in range(1, branches + 1):
            base = department.name.replace(" Dairesi Başkanlığı", "")
            middle_specs.append(
                (f"{base} {number}. Şube Müdürlüğü", "sube_mudurlugu", department.is_it_department)
            )
            middle_parents.append(department)
    middle = create_level(middle_specs, middle_parents)
    leaf_specs, leaf_parents = [], []
    for branch in middle:
        for number in range(1, sections + 1):
            name = branch.name.replace(" Şube Müdürlüğü", "")
            leaf_specs.append((f"{name} {number}. Şefliği", "seflik", branch.is_it_department))
            leaf_parents.append(branch)
    leaves = create_level(leaf_specs, leaf_parents)
    units = [*top, *middle, *leaves]

    titles = Title.objects.bulk_create(Title(name=name) for name in TITLES)
    people = []
    for number in range(size):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        title = rng.choice(titles)
        sicil = f"{100000 + number}"
        email = f"p{sicil}@ornek.bel.tr"
        people.append(
            Person(
                first_name=first,
                last_name=last,
                sicil_no=sicil,
                email=email,
                employment_type=rng.choice(("memur", "isci", "sozlesmeli", "hizmet_alimi")),
                unit=rng.choice(units),
                title=title,
                status="active",
                sort_name=sort_key(f"{last} {first}", 200),
                search_text=fold(f"{first} {last} {sicil} {email} {title.name}"),
            )
        )
    for start in range(0, len(people), BATCH):
        Person.objects.bulk_create(people[start : start + BATCH])

    admin = User.objects.create_user(username="bench-admin", password=None)
    RoleAssignment.objects.create(
        user=admin, role=Role.objects.get(slug="administrator"), unit=top[0], include_subtree=True
    )
    sample = people[len(people) // 2]
    return {
        "admin": admin,
        "units": len(units),
        "people": size,
        "sample_name": (sample.first_name, sample.last_name),
    }


PEOPLE_SELECT = """
SELECT p.id, p.first_name, p.last_name, p.sicil_no, p.email, p.work_phone, p.employment_type,
       p.status, p.sort_name, u.id, u.name, t.id, t.name
FROM org_person p
LEFT JOIN org_unit u ON u.id = p.unit_id
LEFT JOIN org_title t ON t.id = p.title_id
"""


def people_queries(where: str, params: list, per_page: int) -> list:
    """The expert's page (one row more, for "next") and a capped count."""
    from biys.core.pagination import COUNT_LIMIT

    where = f"WHERE {where}" if where else ""
    return [
        (f"{PEOPLE_SELECT} {where} ORDER BY p.sort_name, p.id LIMIT {per_page + 1}", params),
        (
            f"SELECT COUNT(*) FROM (SELECT 1 FROM org_person p {where} LIMIT {COUNT_LIMIT + 1}) c",
            params,
        ),
    ]


def search_condition(connection, words: list[str]) -> tuple[str, list]:
    """Every folded word a substring of ``search_text``, through the search index."""
    if connection.vendor == "sqlite":
        long = [word for word in words if len(word) >= 3]
        short = [word for word in words if len(word) < 3]
        parts, params = [], []
        if long:
            parts.append("p.id IN (SELECT rowid FROM org_person_fts WHERE org_person_fts MATCH %s)")
            params.append(" AND ".join(f'"{word}"' for word in long))
        for word in short:
            parts.append("p.search_text LIKE %s")
            params.append(f"%{word}%")
        return " AND ".join(parts), params
    return " AND ".join(["p.search_text LIKE %s"] * len(words)), [f"%{w}%" for w in words]


def load_built() -> dict:
    """What ``build`` returned, read back from a kept database that holds a build."""
    from biys.accounts.models import User
    from biys.org.models import Person, Unit

    size = Person.objects.count()
    sample = Person.objects.order_by("pk").values_list("first_name", "last_name")[size // 2]
    return {
        "admin": User.objects.get(username="bench-admin"),
        "units": Unit.objects.count(),
        "people": size,
        "sample_name": tuple(sample),
    }


def run(
    *, size: int | None = None, repeat: int = 7, http_seconds: int = 0, reuse: bool = False
) -> dict:
    """Build the data set and measure; ``reuse``: a kept database that already holds a build
    is measured as it is (``--keep-db``)."""
    from django.db import connection
    from django.test import Client

    from biys.core.pagination import encode_cursor
    from biys.core.text import fold, search_terms, turkish_upper
    from biys.org.models import Person

    size = size or DEFAULT_SIZE
    started = time.perf_counter()
    reused = reuse and Person.objects.exists()
    built = load_built() if reused else build(size)
    size = built["people"]
    build_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = Client()
    client.force_login(built["admin"])
    people = "/api/v1/org/people/"
    first, last = built["sample_name"]
    # Typed as people type them: lower case without Turkish letters, or upper case with them.
    one_word = fold(last)
    two_words = turkish_upper(f"{first} {last}")
    half = Person.objects.order_by("sort_name", "pk").values_list("sort_name", "pk")[size // 2]
    cursor = encode_cursor({"k": list(half), "r": 0})
    one, one_params = search_condition(connection, search_terms(one_word))
    two, two_params = search_condition(connection, search_terms(two_words))
    pages = [
        Page(
            "api_people_page1",
            people,
            people_queries("", [], PAGE_SIZE),
            kind="api",
            marker="org_person",
        ),
        Page(
            "api_people_deep",
            f"{people}?cursor={cursor}",
            people_queries("(p.sort_name, p.id) > (%s, %s)", list(half), PAGE_SIZE),
            kind="api",
            marker="org_person",
            note=f"by cursor, half-way down {size:,} people",
        ),
        Page(
            "api_search_one_word",
            f"{people}?q={quote(one_word)}",
            people_queries(one, one_params, PAGE_SIZE),
            kind="api",
            marker="org_person",
        ),
        Page(
            "api_search_two_words",
            f"{people}?q={quote(two_words)}",
            people_queries(two, two_params, PAGE_SIZE),
            kind="api",
            marker="org_person",
        ),
        Page(
            "ui_people_list",
            "/org/people/",
            people_queries("", [], PAGE_SIZE),
            marker="org_person",
        ),
        Page(
            "ui_people_search",
            f"/org/people/?q={quote(two_words)}",
            people_queries(two, two_params, PAGE_SIZE),
            marker="org_person",
        ),
        Page(
            "global_search",
            f"/search/?q={quote(one_word)}",
            people_queries(one, one_params, 10)[:1],
            marker="search_text",
            note="best: the people part only",
        ),
    ]
    if connection.vendor == "sqlite":  # no row values on old SQLite builds: spell it out
        pages[1].best = people_queries(
            "(p.sort_name > %s OR (p.sort_name = %s AND p.id > %s))",
            [half[0], half[0], half[1]],
            PAGE_SIZE,
        )
    floors = measure_floors(client, repeat)
    measures = [measure_page(client, page, repeat, floors) for page in pages]
    constant = query_count(client, f"{people}?per_page=10") >= query_count(
        client, f"{people}?per_page=100"
    ) and query_count(client, "/org/people/?per_page=25") >= query_count(
        client, "/org/people/?per_page=100"
    )
    result = {
        "scenario": "org",
        "size": {"people": built["people"], "units": built["units"]},
        "build_seconds": round(build_seconds, 2),
        **({"reused_database": True} if reused else {}),
        "repeat": repeat,
        "floors_ms": {name: round(value, 2) for name, value in floors.items()},
        "ratio": max(item["ratio"] for item in measures),
        "replay_ratio": max(item["replay_ratio"] or 0 for item in measures),
        "queries": measures[0]["queries"],
        "queries_constant": constant,
        "pages": measures,
    }
    return add_http_figures(result, pages, client, http_seconds)


def print_table(result: dict) -> None:
    size = result["size"]
    print(
        f"org: {size['people']} people in {size['units']} units on {result['database']}"
        f" (built in {result['build_seconds']} s; median of {result['repeat']} warm runs;"
        f" floors {result['floors_ms']} ms)"
    )
    print_pages(result)
    print(
        f"worst ratio {result['ratio']} (replay {result['replay_ratio']}); "
        f"{result['queries']} queries per list page; constant as the page grows: "
        f"{'yes' if result['queries_constant'] else 'NO'}"
    )
