"""Scenario ``documents``: the official correspondence register (issue 10) at a municipality's
scale, its pages against their best queries, registry numbers under parallel writers and
e-Yazışma packages built and checked.

    python -m bench documents --size 20000 [--json] [--repeat 7] [--http]

Builds the municipality of the ``applications`` scenario (61 units), the sample file plan
(SDP codes) and ``--size`` incoming documents (default 20,000) over three years with
``bulk_create``: senders (institutions with a DETSİS number, companies, citizens), urgencies,
the yearly registry numbers (``GE-YYYY-NNNNNN``, the sequence's counters left where the
register ends), and a routing history for every third document (closed when older than a
month, open otherwise).

Measured as the registry clerk of the whole municipality (bench/common.py has the rules):

| page | URL |
|---|---|
| `ui_registry`, `api_registry` | the register as it opens: newest first |
| `ui_search_number`, `api_search_number` | `?q=<a registry number>`: the document with that sayı |
| `ui_search_word`, `api_search_word` | `?q=<a word of the subjects>`: the newest documents it finds |

Each against the best query an expert would write for what it shows: the page's rows by the
``(registered_at, id)`` order with a capped count; the number by its unique index; the word
by the search index (pg_trgm on PostgreSQL, FTS5 on SQLite), newest first.

Writes: ``WRITERS`` (16) threads register documents through the product's service at once,
each in its own connection, for ``WRITE_SECONDS``; the figure is registry numbers per second,
with the numbers checked afterwards: no duplicate, no gap from the register's last number on.
SQLite takes one writer at a time (its database lock), so it runs the same with one thread.

Packages: ``PACKAGES`` outgoing replies are drafted, signed (each gets its sayı) and given
their e-Yazışma 2.x package (``outgoing_services.eyp_package``: the official PDF, Üstveri,
PaketOzeti, NihaiÜstveri, NihaiÖzet, checked as an import checks them before it is kept);
the figures are packages built and checked per second, and packages checked per second
(``eyp.check_package`` alone: schemas of every XML part and every digest).
"""

from __future__ import annotations

import random
import tempfile
import threading
import time
from datetime import datetime, timedelta

from bench.common import (
    Page,
    add_http_figures,
    measure_floors,
    measure_page,
    print_pages,
    query_count,
)

TARGET = (
    "Target: the register's list and its searches by sayı and by subject word within 3x of "
    "their best query plus the stack's floor with constant queries; registry numbers from 16 "
    "parallel writers with zero duplicates and zero gaps; e-Yazışma packages built and valid."
)
DEFAULT_SIZE = 20_000
SEED = 20261201
PER_PAGE = 50
BATCH = 2_000
WRITERS = 16
WRITE_SECONDS = 5.0
PACKAGES = 10
YEARS = 3
WORD = "yazılım"  # a word of about a tenth of the subjects (SUBJECTS below)
SUBJECTS = [
    "Bilgi işlem altyapısı hakkında bilgi talebi",
    "Yazılım lisansı yenileme talebi",
    "Ağ kesintisi bildirimi",
    "Kişisel verilerin korunması başvurusu",
    "Siber güvenlik tatbikatı duyurusu",
    "Donanım envanteri güncellemesi",
    "E-imza sertifikası başvurusu",
    "Web sitesi erişim sorunu",
    "Veri merkezi enerji kesintisi planı",
    "Elektronik belge yönetimi eğitimi",
]
INSTITUTIONS = [
    ("T.C. İçişleri Bakanlığı Bilgi İşlem Dairesi Başkanlığı", "61648174"),
    ("Cumhurbaşkanlığı Dijital Dönüşüm Ofisi", "26612340"),
    ("Valilik İl Afet ve Acil Durum Müdürlüğü", "38417202"),
    ("Bilgi Teknolojileri ve İletişim Kurumu", "33590418"),
]
COMPANIES = [("Anadolu Bilişim A.Ş.", "1234567890"), ("Kuzey Yazılım Ltd. Şti.", "9876543210")]


def _bulk(model, rows: list) -> list:
    created = []
    for start in range(0, len(rows), BATCH):
        created += model.objects.bulk_create(rows[start : start + BATCH])
    return created


def build(rng: random.Random, size: int, now: datetime) -> dict:
    from bench.applications import build_units
    from biys.accounts.models import Role, RoleAssignment, User
    from biys.core.models import SequenceCounter
    from biys.core.numbering import ensure_sequence
    from biys.evrak import services
    from biys.evrak.models import IncomingDocument, Routing, SdpCode
    from biys.org.models import Municipality

    units = build_units()
    top, departments = units[0], units[1:13]
    services.load_sample_sdp_codes()
    codes = list(SdpCode.objects.filter(active=True).order_by("code"))
    clerk = User.objects.create_user(username="bench-clerk", password=None)
    RoleAssignment.objects.create(
        user=clerk, role=Role.objects.get(slug="evrak_clerk"), unit=top, include_subtree=True
    )
    writer = User.objects.create_user(username="bench-writer", password=None)
    RoleAssignment.objects.create(
        user=writer,
        role=Role.objects.get(slug="evrak_writer"),
        unit=departments[0],
        include_subtree=True,
    )
    signer = User.objects.create_user(
        username="bench-signer", password=None, first_name="Daire", last_name="Başkanı"
    )
    # The department head signs the replies to institutions (the signing authorities).
    RoleAssignment.objects.create(
        user=signer,
        role=Role.objects.get(slug="department_head"),
        unit=departments[0],
        include_subtree=True,
    )
    municipality = Municipality.objects.order_by("pk").first()
    if municipality is not None and not municipality.detsis_no:
        municipality.detsis_no = "99999901"  # made up, as in the demo
        municipality.save(update_fields=["detsis_no"])

    first = now - timedelta(days=365 * YEARS)
    step = (now - timedelta(hours=1) - first) / max(size, 1)
    last_of_year: dict[int, int] = {}
    documents = []
    for n in range(size):
        registered = first + step * n
        year = registered.year
        last_of_year[year] = last_of_year.get(year, 0) + 1
        kind = rng.choices(["institution", "company", "person"], [6, 2, 2])[0]
        sender = {"sender_kind": kind}
        if kind == "institution":
            name, detsis = rng.choice(INSTITUTIONS)
            sender |= {
                "sender_name": name,
                "sender_detsis_no": detsis,
                "sender_number": f"E-{detsis}-010.01-{rng.randint(1000, 999999)}",
            }
        elif kind == "company":
            name, vkn = rng.choice(COMPANIES)
            sender |= {"sender_name": name, "sender_vkn": vkn}
        else:
            sender |= {"sender_name": f"Vatandaş {n % 997}"}
        urgency = rng.choices(["NRM", "ACL", "GNL"], [8, 1, 1])[0]
        document = IncomingDocument(
            number=f"GE-{year}-{last_of_year[year]:06d}",
            registered_at=registered,
            year=year,
            receiving_unit=rng.choice(units),
            subject=rng.choice(SUBJECTS),
            sender_date=(registered - timedelta(days=rng.randint(1, 5))).date(),
            sdp_code=rng.choice(codes) if codes else None,
            urgency=urgency,
            due_date=(registered + timedelta(days=10)).date() if urgency == "GNL" else None,
            registered_by=clerk,
            **sender,
        )
        document.search_text = document.build_search_text()
        documents.append(document)
    documents = _bulk(IncomingDocument, documents)
    sequence = ensure_sequence(name=services.NUMBER_SEQUENCE, template=services.NUMBER_TEMPLATE)
    SequenceCounter.objects.filter(sequence=sequence).delete()
    SequenceCounter.objects.bulk_create(
        SequenceCounter(sequence=sequence, year=year, value=value)
        for year, value in last_of_year.items()
    )
    month_ago = now - timedelta(days=30)
    routings = []
    for document in documents[::3]:
        routed = document.registered_at + timedelta(hours=2)
        closed = document.registered_at < month_ago
        routings.append(
            Routing(
                document=document, unit=rng.choice(departments), instruction="Gereğini rica ederim.",
                due_date=(routed + timedelta(days=14)).date(), routed_at=routed, routed_by=clerk,
                state="closed" if closed else "open",
                closed_at=routed + timedelta(days=rng.randint(1, 12)) if closed else None,
                outcome="Cevap yazısı gönderildi." if closed else "",
            )
        )  # fmt: skip
    _bulk(Routing, routings)
    return {
        "clerk": clerk,
        "writer": writer,
        "signer": signer,
        "unit": departments[0],
        "units": units,
        "codes": codes,
        "documents": len(documents),
        "routings": len(routings),
        "last_number": documents[len(documents) // 2].number,
    }


COLUMNS = (
    "d.id, d.number, d.registered_at, d.urgency, d.confidentiality, d.subject, d.sender_name,"
    " d.sender_number, d.sender_date, d.due_date, d.channel, u.name"
)


def capped_count(where: str) -> str:
    from biys.core.pagination import COUNT_LIMIT

    return (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM evrak_incomingdocument d WHERE {where}"
        f" LIMIT {COUNT_LIMIT + 1}) c"
    )


def pages(connection, number: str) -> list:
    """The register's pages, each with the expert's queries for what it shows."""
    from biys.core.text import fold

    limit = PER_PAGE + 1
    rows = (
        f"SELECT {COLUMNS} FROM evrak_incomingdocument d"
        " JOIN org_unit u ON u.id = d.receiving_unit_id"
    )
    newest = f"ORDER BY d.registered_at DESC, d.id DESC LIMIT {limit}"
    word = fold(WORD)
    if connection.vendor == "postgresql":
        match, params = "d.search_text LIKE %s", [f"%{word}%"]
    else:
        match = (
            "d.id IN (SELECT rowid FROM evrak_incomingdocument_fts"
            " WHERE evrak_incomingdocument_fts MATCH %s)"
        )
        params = [f'"{word}"']
    registry = [(f"{rows} {newest}", []), (capped_count("TRUE"), [])]
    by_number = [(f"{rows} WHERE d.number = %s", [number])]
    by_word = [
        (f"{rows} WHERE {match} {newest}", params),
        (capped_count(match), params),
    ]
    ui, api = "/evrak/", "/api/v1/evrak/incoming/"
    marker = "evrak_incomingdocument"
    return [
        Page("ui_registry", ui, registry, marker=marker),
        Page("api_registry", api, registry, kind="api", marker=marker),
        Page("ui_search_number", f"{ui}?q={number}", by_number, marker=marker),
        Page("api_search_number", f"{api}?q={number}", by_number, kind="api", marker=marker),
        Page("ui_search_word", f"{ui}?q={WORD}", by_word, marker=marker, note="newest first"),
        Page("api_search_word", f"{api}?q={WORD}", by_word, kind="api", marker=marker),
    ]


def parallel_registrations(built: dict, writers: int, seconds: float) -> dict:
    """``writers`` threads register documents through the service for ``seconds``; the numbers
    they were given are then checked for duplicates and gaps."""
    from django.db import connections
    from django.utils import timezone

    from biys.evrak import services
    from biys.evrak.models import IncomingDocument

    year = timezone.localtime().year
    before = IncomingDocument.objects.filter(year=year).count()
    last = services_last_number(year)
    clerk, units = built["clerk"], built["units"]
    deadline = time.perf_counter() + seconds
    errors: list[str] = []
    counts = [0] * writers
    start = threading.Barrier(writers)

    def work(index: int) -> None:
        rng = random.Random(SEED + index)
        try:
            start.wait()
            while time.perf_counter() < deadline:
                services.register_incoming_document(
                    user=clerk,
                    receiving_unit=rng.choice(units),
                    subject=rng.choice(SUBJECTS),
                    sender_kind="institution",
                    sender_name=INSTITUTIONS[index % len(INSTITUTIONS)][0],
                    sender_detsis_no=INSTITUTIONS[index % len(INSTITUTIONS)][1],
                )
                counts[index] += 1
        except Exception as error:  # reported, never hidden
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(writers)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    numbers = list(
        IncomingDocument.objects.filter(year=year)
        .order_by("number")
        .values_list("number", flat=True)[before:]
    )
    sequence = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    expected = list(range(last + 1, last + 1 + len(sequence)))
    return {
        "writers": writers,
        "registered": sum(counts),
        "numbers_per_s": round(sum(counts) / elapsed, 1),
        "duplicates": len(numbers) - len(set(numbers)),
        "gaps": len(set(expected) - set(sequence)),
        "errors": errors[:5],
    }


def services_last_number(year: int) -> int:
    from biys.core.models import SequenceCounter
    from biys.evrak import services

    counter = SequenceCounter.objects.filter(
        sequence__name=services.NUMBER_SEQUENCE, year=year
    ).first()
    return counter.value if counter else 0


def packages(built: dict, count: int) -> dict:
    """``count`` signed replies, each given its e-Yazışma package; the package's build (with
    its checks) and a second check alone are timed."""
    from django.test import override_settings

    from biys.evrak import eyp, outgoing_services

    writer, signer, unit = built["writer"], built["signer"], built["unit"]
    code = built["codes"][0] if built["codes"] else None
    build_s = check_s = 0.0
    problems = 0
    with (
        tempfile.TemporaryDirectory(prefix="biys-bench-media-") as directory,
        override_settings(MEDIA_ROOT=directory),
    ):
        for n in range(count):
            draft = outgoing_services.save_outgoing_draft(
                user=writer, unit=unit, subject=f"{SUBJECTS[n % len(SUBJECTS)]} hk.",
                sdp_code=code, signer=signer, signer_title="Bilgi İşlem Dairesi Başkanı",
                body="İlgi yazınız incelenmiştir.\n\nBilgilerinizi arz ederim.",
                distribution=[{"kind": "GRG", "name": INSTITUTIONS[0][0],
                               "detsis_no": INSTITUTIONS[0][1]}],
            )  # fmt: skip
            outgoing_services.submit_for_approval(user=writer, document=draft, path=[])
            signed = outgoing_services.sign(user=signer, document=draft)
            started = time.perf_counter()
            package = outgoing_services.eyp_package(document=signed)
            build_s += time.perf_counter() - started
            started = time.perf_counter()
            problems += len(eyp.check_package(package).problems)
            check_s += time.perf_counter() - started
    return {
        "packages": count,
        "built_per_s": round(count / build_s, 2) if build_s else None,
        "checked_per_s": round(count / check_s, 2) if check_s else None,
        "invalid": problems,
    }


def load_built() -> dict:
    """What ``build`` returned, read back from a kept database that holds a build (the writers
    of earlier runs registered documents after the build's: its median is still the
    build's)."""
    from biys.accounts.models import User
    from biys.evrak.models import IncomingDocument, Routing, SdpCode
    from biys.org.models import Unit

    units = list(Unit.objects.order_by("pk"))
    documents = IncomingDocument.objects.count()
    return {
        "clerk": User.objects.get(username="bench-clerk"),
        "writer": User.objects.get(username="bench-writer"),
        "signer": User.objects.get(username="bench-signer"),
        "unit": units[1],
        "units": units,
        "codes": list(SdpCode.objects.filter(active=True).order_by("code")),
        "documents": documents,
        "routings": Routing.objects.count(),
        "last_number": IncomingDocument.objects.order_by("pk").values_list("number", flat=True)[
            documents // 2
        ],
    }


def run(
    *, size: int | None = None, repeat: int = 7, http_seconds: int = 0, reuse: bool = False
) -> dict:
    """Build (or, ``reuse``, measure a kept database's build as it is) and measure."""
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from biys.accounts.scope import ALL, get_scope
    from biys.evrak.models import IncomingDocument

    size = size or DEFAULT_SIZE
    rng = random.Random(SEED)
    started = time.perf_counter()
    reused = reuse and IncomingDocument.objects.exists()
    if reused:
        built = load_built()
        size = built["documents"]
    else:
        built = build(rng, size, timezone.now())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    build_seconds = time.perf_counter() - started
    assert get_scope(built["clerk"]).units_for("evrak.view_incomingdocument") is ALL

    client = Client()
    client.force_login(built["clerk"])
    measured_pages = pages(connection, built["last_number"])
    floors = measure_floors(client, repeat)
    measures = [measure_page(client, page, repeat, floors) for page in measured_pages]
    constant = query_count(client, "/evrak/?per_page=25") >= query_count(
        client, "/evrak/?per_page=100"
    ) and query_count(client, "/api/v1/evrak/incoming/?per_page=10") >= query_count(
        client, "/api/v1/evrak/incoming/?per_page=100"
    )
    writers = WRITERS if connection.vendor == "postgresql" else 1
    writes = parallel_registrations(built, writers, WRITE_SECONDS)
    result = {
        "scenario": "documents",
        "size": size,
        "vendor": connection.vendor,
        "documents": built["documents"],
        "routings": built["routings"],
        "build_s": round(build_seconds, 2),
        "repeat": repeat,
        "floors_ms": {name: round(value, 2) for name, value in floors.items()},
        "pages": measures,
        "ratio": max(item["ratio"] for item in measures),
        "replay_ratio": max(item["replay_ratio"] or 0 for item in measures),
        "queries_constant": constant,
        "registrations": writes,
        "eyp": packages(built, PACKAGES),
        "target": TARGET,
        **({"reused_database": True} if reused else {}),
    }
    return add_http_figures(result, measured_pages, client, http_seconds)


def print_table(result: dict) -> None:
    print(
        f"documents: {result['documents']:,} incoming documents, {result['routings']:,}"
        f" routings on {result['database']} (built in {result['build_s']} s; median of"
        f" {result['repeat']} warm runs; floors {result['floors_ms']} ms)"
    )
    print_pages(result)
    writes, packages_ = result["registrations"], result["eyp"]
    print(
        f"worst ratio {result['ratio']} (replay {result['replay_ratio']}); lists constant as"
        f" the page grows: {'yes' if result['queries_constant'] else 'NO'}"
    )
    print(
        f"registry numbers: {writes['numbers_per_s']}/s from {writes['writers']} writers"
        f" ({writes['registered']} registered), {writes['duplicates']} duplicates,"
        f" {writes['gaps']} gaps{'; errors: ' + '; '.join(writes['errors']) if writes['errors'] else ''}"
    )
    print(
        f"e-Yazışma packages: {packages_['built_per_s']}/s built and checked,"
        f" {packages_['checked_per_s']}/s checked, {packages_['invalid']} problems"
        f" in {packages_['packages']}"
    )
    print(result["target"])
