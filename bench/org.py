"""Scenario ``org``: 200 units and 30,000 people; the people list and the search.

Each measure requests a page through the whole stack (Django test client, session login as an
administrator, middleware, DRF or the search page) and compares it with running the SQL that
request sent to the database (captured with ``connection.execute_wrapper``, re-executed with
``cursor.execute`` and fully fetched) in the same run. The ratio is the price of the stack.
"""

import random
import statistics
import time
from contextlib import contextmanager
from urllib.parse import quote

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


@contextmanager
def recording():
    """Every (sql, params) the block sends to the database."""
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def run_raw(statements) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params, many in statements:
            if many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()


def median_ms(action, repeat: int) -> float:
    action()  # warm
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def measure(client, name: str, url: str, table_marker: str, repeat: int) -> dict:
    """Time ``url`` through the stack and the statements it sent that touch ``table_marker``."""

    def request():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response

    request()  # warm caches and the session
    with recording() as statements:
        request()
    data_statements = [item for item in statements if table_marker in item[0]]
    api_ms = median_ms(request, repeat)
    raw_ms = median_ms(lambda: run_raw(data_statements), repeat)
    return {
        "name": name,
        "url": url,
        "api_ms": round(api_ms, 2),
        "raw_ms": round(raw_ms, 2),
        "ratio": round(api_ms / raw_ms, 2) if raw_ms else None,
        "queries": len(statements),
        "raw_queries": len(data_statements),
    }


def run(*, size: int | None = None, repeat: int = 7) -> dict:
    from django.test import Client

    from biys.core.text import fold, turkish_upper

    size = size or DEFAULT_SIZE
    started = time.perf_counter()
    built = build(size)
    build_seconds = time.perf_counter() - started

    client = Client()
    client.force_login(built["admin"])
    last_page = max(1, -(-size // PAGE_SIZE))
    deep_page = max(1, last_page - 1)
    people = "/api/v1/org/people/"
    first, last = built["sample_name"]
    # Typed as people type them: lower case without Turkish letters, or upper case with them.
    one_word = quote(fold(last))
    two_words = quote(turkish_upper(f"{first} {last}"))
    measures = [
        measure(client, "people list, page 1", people, "org_person", repeat),
        measure(
            client,
            f"people list, page {deep_page}",
            f"{people}?page={deep_page}",
            "org_person",
            repeat,
        ),
        measure(client, "people search, one word", f"{people}?q={one_word}", "org_person", repeat),
        measure(
            client, "people search, two words", f"{people}?q={two_words}", "org_person", repeat
        ),
        measure(client, "global search page", f"/search/?q={one_word}", "search_text", repeat),
    ]
    return {
        "scenario": "org",
        "size": {"people": built["people"], "units": built["units"]},
        "build_seconds": round(build_seconds, 2),
        "repeat": repeat,
        "ratio": max(item["ratio"] for item in measures if item["ratio"] is not None),
        "queries": measures[0]["queries"],
        "measures": measures,
    }


def print_table(result: dict) -> None:
    size = result["size"]
    print(
        f"org: {size['people']} people in {size['units']} units on {result['database']}"
        f" (built in {result['build_seconds']} s; median of {result['repeat']} warm runs)"
    )
    header = f"{'measure':36} {'stack ms':>9} {'raw ms':>8} {'ratio':>7} {'queries':>8}"
    print(header)
    print("-" * len(header))
    for item in result["measures"]:
        print(
            f"{item['name']:36} {item['api_ms']:9.2f} {item['raw_ms']:8.2f}"
            f" {item['ratio']:7.2f} {item['queries']:8d}"
        )
    print(f"worst ratio {result['ratio']}; {result['queries']} queries per list page")
