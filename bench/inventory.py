"""Scenario ``inventory``: the fixed-asset register at scale and agents reporting at once (issue 9).

    python -m bench inventory --size 1000000 [--json] [--repeat 7] [--http]

Builds ``--size`` assets on the IT department's registers (bulk: ten years of acquisitions, 40
item models, a custodian for most, rooms), their custody records (the open one and, for a third,
an earlier one), then measures, in one run:

- the register's pages against the best query an expert would write for each (bench/common.py
  has the rules: page / (best + floor), constant queries): the asset list as it opens (newest
  acquisitions first, keyset), the same list in the API, a search for a model word found in a
  fortieth of the register, a search for one serial number, and one person's custody page (what
  they hold and their history);
- ``agent_inventories_per_s``: GLPI Agent inventories (the shared example, one distinct computer
  each: half on the register by serial number, half discovered) applied through the agent
  service by 8 threads at once, each on its own database connection, then every computer
  reporting again; ``deadlocks`` (and any other error) and ``lost_updates`` (a computer whose
  stored report is not its last one) must both be 0.

Snipe-IT's users report more than 20 s per page at 1.39 million assets (snipe/snipe-it issue
8243); GLPI's, deadlocks with concurrent agents (glpi issues 15862, 16717).
"""

from __future__ import annotations

import copy
import json
import random
import threading
import time
from datetime import timedelta
from pathlib import Path

from bench.common import (
    Page,
    add_http_figures,
    measure_floors,
    measure_page,
    print_pages,
    query_count,
)

TARGET = (
    "Target: 1,000,000 assets on PostgreSQL, every list within 3x of its best query plus the "
    "stack's floor, with constant queries; 8 concurrent agents without deadlock or lost update."
)
DEFAULT_SIZE = 20_000
BATCH = 5_000
SEED = 20261201
AGENTS = 8
AGENT_REPORTS = 240  # computers reporting (each twice)
MODELS = (
    ("Dell", "OptiPlex 7010"),
    ("Dell", "OptiPlex 7090"),
    ("Dell", "Latitude 5420"),
    ("HP", "EliteDesk 800 G6"),
    ("HP", "ProBook 450 G8"),
    ("HP", "LaserJet Pro M404"),
    ("Lenovo", "ThinkCentre M70q"),
    ("Lenovo", "ThinkPad T14"),
    ("Canon", "i-SENSYS MF445"),
    ("Casper", "Nirvana N500"),
)
STATUSES = ("in_custody",) * 12 + ("in_store",) * 4 + ("faulty", "at_repair", "scrapped")
SAMPLE = Path(__file__).resolve().parent.parent / "biys/inventory/tests/agent_samples"


def build(rng: random.Random, size: int) -> dict:
    """The IT department's registers, their officer, people, models, rooms, assets, custody."""
    from django.db.models import Count
    from django.utils import timezone

    from biys.accounts.models import Role, RoleAssignment, User
    from biys.core.text import fold, sort_key
    from biys.demo.builder import FIRST_NAMES, LAST_NAMES
    from biys.inventory.codes import load_default_codes
    from biys.inventory.models import Asset, Custody, ItemModel, Location, TasinirCode
    from biys.org.models import Municipality, Person, Unit

    Municipality.objects.create(name="Örnek Büyükşehir Belediyesi", kind="buyuksehir")
    top = Unit.objects.create(
        name="Bilgi İşlem Dairesi Başkanlığı", kind="daire_baskanligi", is_it_department=True
    )
    branches = [
        Unit.objects.create(name=name, kind="sube_mudurlugu", parent=top, is_it_department=True)
        for name in ("Sistem ve Ağ Şube Müdürlüğü", "Yazılım Şube Müdürlüğü",
                     "Teknik Destek Şube Müdürlüğü", "Kent Bilgi Sistemi Şube Müdürlüğü")
    ]  # fmt: skip
    units = [top, *branches]
    officer_person = Person.objects.create(
        first_name="Selin", last_name="Taşınır", employment_type="memur", unit=top
    )
    officer = User.objects.create_user(username="tasinir.bench", person=officer_person)
    RoleAssignment.objects.create(
        user=officer,
        role=Role.objects.get(slug="inventory_officer"),
        unit=top,
        include_subtree=True,
    )
    load_default_codes()
    code = TasinirCode.objects.get(code="253.02.01.01")
    models = []
    for brand, name in MODELS:
        for generation in range(4):
            label = f"{name} R{generation + 1}"
            models.append(
                ItemModel.objects.create(
                    unit=top,
                    brand=brand,
                    name=label,
                    tasinir_code=code,
                    kind="fixed",
                    category="laptop" if "Latitude" in name or "Pad" in name else "desktop",
                )
            )
    rooms = [
        Location.objects.create(unit=unit, building="Hizmet Binası", floor=str(floor), room=f"{n}")
        for unit in units
        for floor, n in ((1, 101), (2, 204), (3, 310))
    ]
    people = [
        Person(
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            sicil_no=f"{200000 + number}",
            employment_type="memur",
            unit=rng.choice(units),
            status="active",
        )
        for number in range(max(50, size // 10))
    ]
    for person in people:
        person.sort_name = sort_key(f"{person.last_name} {person.first_name}", 200)
        person.search_text = fold(f"{person.first_name} {person.last_name} {person.sicil_no}")
    for start in range(0, len(people), BATCH):
        Person.objects.bulk_create(people[start : start + BATCH])
    people = list(Person.objects.exclude(pk=officer_person.pk).only("id", "unit_id"))

    now = timezone.now()
    today = timezone.localdate()
    assets, holders, custodies = [], [], []
    for number in range(size):
        model = models[number % len(models)]
        unit = units[number % len(units)]
        acquired = today - timedelta(days=rng.randrange(3650))
        status = rng.choice(STATUSES)
        holder = rng.choice(people) if status in ("in_custody", "faulty", "at_repair") else None
        inventory_number = f"{code.code}-{acquired.year}-{number + 1:07d}"
        serial = f"SN{number:08X}"
        assets.append(
            Asset(
                inventory_number=inventory_number,
                unit=unit,
                item_model=model,
                tasinir_code=code,
                serial_number=serial,
                status=status,
                custodian_id=holder.pk if holder else None,
                location=rooms[number % len(rooms)],
                acquired_on=acquired,
                value=rng.randrange(8_000, 90_000),
                warranty_end=acquired + timedelta(days=730),
                search_text=fold(f"{inventory_number} {serial} {model.brand} {model.name}"),
            )
        )
        holders.append(holder)
        if len(assets) == BATCH:
            custodies += custody_rows(Asset.objects.bulk_create(assets), holders, people, rng, now)
            assets, holders = [], []
    custodies += custody_rows(Asset.objects.bulk_create(assets), holders, people, rng, now)
    for number, custody in enumerate(custodies):
        custody.number = f"ZF-B-{number + 1:08d}"
    for start in range(0, len(custodies), BATCH):
        Custody.objects.bulk_create(custodies[start : start + BATCH])
    busiest = (
        Custody.objects.values("person_id")
        .annotate(records=Count("id"))
        .order_by("-records", "person_id")
        .first()["person_id"]
    )
    return {"officer": officer, "units": units, "person": busiest, "models": models}


def custody_rows(assets, holders, people, rng, now) -> list:
    """The open custody of each held asset, and for a third an earlier one, ended."""
    from biys.inventory.models import Custody

    rows = []
    for asset, holder in zip(assets, holders, strict=True):
        if holder is None:
            continue
        started = now - timedelta(days=rng.randrange(1, 1500))
        if rng.random() < 0.33:
            rows.append(
                Custody(
                    asset=asset,
                    person_id=rng.choice((holder, rng.choice(people))).pk,
                    unit_id=asset.unit_id,
                    started_at=started - timedelta(days=400),
                    ended_at=started,
                    end_reason="returned",
                    acknowledged_at=started,
                )
            )
        rows.append(
            Custody(
                asset=asset,
                person_id=holder.pk,
                unit_id=asset.unit_id,
                started_at=started,
                acknowledged_at=started,
            )
        )
    return rows


# --------------------------------------------------------------------------- agents


def agent_documents(serials: list[str], count: int) -> list[dict]:
    """``count`` inventories of distinct computers from the shared GLPI example: the first half
    carries serial numbers of the register, the rest are computers nobody registered."""
    example = json.loads((SAMPLE / "computer_1.json").read_text(encoding="utf-8"))
    documents = []
    for number in range(count):
        document = copy.deepcopy(example)
        document["deviceid"] = f"bench-pc-{number:05d}-2026-12-01-10-00-00"
        hardware = document["content"]["hardware"]
        hardware["uuid"] = f"BENCH-{number:08d}-0000-0000-000000000000"
        hardware["name"] = f"PC-{number:05d}"
        bios = document["content"]["bios"]
        bios["ssn"] = serials[number] if number < count // 2 else f"UNREG{number:07d}"
        document["content"].pop("networks", None)  # MACs of the example: shared by every copy
        documents.append(document)
    return documents


def measure_agents(serials: list[str], count: int = AGENT_REPORTS, threads: int = AGENTS) -> dict:
    """Every computer reports twice, ``threads`` agents at once; errors and lost updates."""
    from django.db import connections

    from biys.inventory import agent_services
    from biys.inventory.models import AgentDevice

    documents = agent_documents(serials, count)
    errors: list[str] = []
    applied = [0]
    lock = threading.Lock()

    def agent(part: list[dict], round_number: int) -> None:
        try:
            for document in part:
                document["content"]["hardware"]["memory"] = 4096 * round_number
                body = json.dumps(document).encode()
                try:
                    agent_services.ingest(body=body, content_type="application/json")
                except Exception as error:  # a deadlock or a lost race, counted
                    with lock:
                        errors.append(repr(error)[:200])
                else:
                    with lock:
                        applied[0] += 1
        finally:
            connections.close_all()

    started = time.perf_counter()
    for round_number in (1, 2):
        workers = [
            threading.Thread(target=agent, args=(documents[index::threads], round_number))
            for index in range(threads)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    seconds = time.perf_counter() - started
    devices = AgentDevice.objects.filter(name__startswith="PC-")
    stale = devices.exclude(memory_mb=4096 * 2).count()
    return {
        "agents": threads,
        "computers": count,
        "inventories": 2 * count,
        "applied": applied[0],
        "seconds": round(seconds, 2),
        "agent_inventories_per_s": round(applied[0] / seconds, 1),
        "deadlocks": sum("deadlock" in error.lower() for error in errors),
        "errors": len(errors),
        "error_sample": errors[:3],
        "devices": devices.count(),
        "matched_to_register": devices.filter(asset__isnull=False).count(),
        "lost_updates": stale + max(0, count - devices.count()),
    }


# --------------------------------------------------------------------------- pages

ASSET_SELECT = (
    "SELECT a.id, a.inventory_number, a.serial_number, a.status, a.acquired_on, a.value,"
    " a.warranty_end, a.unit_id, a.item_model_id, a.custodian_id, a.location_id,"
    " (SELECT m.brand || ' ' || m.name FROM inventory_itemmodel m WHERE m.id = a.item_model_id),"
    " (SELECT p.first_name || ' ' || p.last_name FROM org_person p WHERE p.id = a.custodian_id),"
    " (SELECT u.name FROM org_unit u WHERE u.id = a.unit_id),"
    " (SELECT l.building || ' ' || l.floor || ' ' || l.room FROM inventory_location l"
    "  WHERE l.id = a.location_id)"
    " FROM inventory_asset a"
)


def asset_queries(where: str, params: list, rows: int) -> list:
    """The expert's page (one row more, for "next"), newest acquisitions first, and a capped
    count."""
    from biys.core.pagination import COUNT_LIMIT

    return [
        (
            f"{ASSET_SELECT} WHERE {where} ORDER BY a.acquired_on DESC, a.id DESC LIMIT {rows + 1}",
            params,
        ),
        (
            f"SELECT COUNT(*) FROM (SELECT 1 FROM inventory_asset a WHERE {where}"
            f" LIMIT {COUNT_LIMIT + 1}) c",
            params,
        ),
    ]


def search_condition(connection, word: str) -> tuple[str, list]:
    """The indexed substring match: pg_trgm serves LIKE, SQLite asks its FTS5 trigram table."""
    if connection.vendor == "sqlite":
        return (
            "a.id IN (SELECT rowid FROM inventory_asset_fts WHERE inventory_asset_fts MATCH %s)",
            [f'"{word}"'],
        )
    return "a.search_text LIKE %s", [f"%{word}%"]


def custody_queries(person: int, units: str) -> list:
    return [
        (
            "SELECT a.id, a.inventory_number, a.serial_number, a.status, m.brand, m.name,"
            " l.building, l.floor, l.room, u.name FROM inventory_asset a"
            " JOIN inventory_itemmodel m ON m.id = a.item_model_id"
            " JOIN org_unit u ON u.id = a.unit_id"
            " LEFT JOIN inventory_location l ON l.id = a.location_id"
            f" WHERE a.custodian_id = %s AND a.unit_id IN ({units}) ORDER BY a.inventory_number",
            [person],
        ),
        (
            "SELECT c.id, c.number, c.started_at, c.acknowledged_at, c.ended_at, c.end_reason,"
            " a.inventory_number, m.brand, m.name, u.name FROM inventory_custody c"
            " JOIN inventory_asset a ON a.id = c.asset_id"
            " JOIN inventory_itemmodel m ON m.id = a.item_model_id"
            " JOIN org_unit u ON u.id = c.unit_id"
            f" WHERE c.person_id = %s AND c.unit_id IN ({units})"
            " ORDER BY c.started_at DESC, c.id DESC",
            [person],
        ),
    ]


def load() -> dict:
    """A kept database's build (``--keep-db``): its officer, units and busiest person."""
    from django.db.models import Count

    from biys.accounts.models import User
    from biys.inventory.models import Custody
    from biys.org.models import Unit

    officer = User.objects.get(username="tasinir.bench")
    top = Unit.objects.get(name="Bilgi İşlem Dairesi Başkanlığı", parent=None)
    units = [top, *Unit.objects.filter(parent=top).order_by("id")]
    busiest = (
        Custody.objects.values("person_id")
        .annotate(records=Count("id"))
        .order_by("-records", "person_id")
        .first()["person_id"]
    )
    return {"officer": officer, "units": units, "person": busiest}


def run(
    *, size: int | None = None, repeat: int = 7, http_seconds: int = 0, reuse: bool = False
) -> dict:
    """Build (or, ``reuse``, measure a kept database's build as it is) and measure."""
    from django.db import connection
    from django.test import Client

    from biys.inventory.models import Asset

    started = time.perf_counter()
    reused = reuse and Asset.objects.exists()
    if reused:
        built = load()
        size = Asset.objects.count()
    else:
        size = size or DEFAULT_SIZE
        built = build(random.Random(SEED), size)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    build_seconds = time.perf_counter() - started
    officer, units, person = built["officer"], built["units"], built["person"]
    scope = f"a.unit_id IN ({', '.join(str(unit.pk) for unit in units)})"
    unit_list = ", ".join(str(unit.pk) for unit in units)
    word = "7090"  # one model of forty: a fortieth of the register
    match, match_params = search_condition(connection, word)
    serial = Asset.objects.order_by("-id").values_list("serial_number", flat=True)[size // 3]
    one, one_params = search_condition(connection, serial.lower())

    client = Client()
    client.force_login(officer)
    api = "/api/v1/inventory/assets/"
    pages = [
        Page("ui_assets", "/inventory/assets/", asset_queries(scope, [], 50),
             marker="inventory_asset", note="the register as it opens: newest acquisitions"),
        Page("api_assets", api, asset_queries(scope, [], 50), kind="api",
             marker="inventory_asset"),
        Page("ui_search_model", f"/inventory/assets/?q={word}",
             asset_queries(f"{match} AND {scope}", match_params, 50), marker="inventory_asset",
             note="a model word found in a fortieth of the register"),
        Page("api_search_serial", f"{api}?q={serial}",
             asset_queries(f"{one} AND {scope}", one_params, 50), kind="api",
             marker="inventory_asset", note="one serial number"),
        Page("ui_person_custody", f"/inventory/people/{person}/",
             custody_queries(person, unit_list), marker="inventory_",
             note="what one person holds and their custody history"),
    ]  # fmt: skip
    floors = measure_floors(client, repeat)
    measures = [measure_page(client, page, repeat, floors) for page in pages]
    constant = query_count(client, "/inventory/assets/?per_page=25") >= query_count(
        client, "/inventory/assets/?per_page=100"
    ) and query_count(client, f"{api}?per_page=10") >= query_count(client, f"{api}?per_page=100")
    serials = list(
        Asset.objects.order_by("id").values_list("serial_number", flat=True)[:AGENT_REPORTS]
    )
    agents = measure_agents(serials)
    result = {
        "scenario": "inventory",
        "size": size,
        "vendor": connection.vendor,
        "build_s": round(build_seconds, 2),
        "reused_database": reused,
        "repeat": repeat,
        "floors_ms": {name: round(value, 2) for name, value in floors.items()},
        "pages": measures,
        "ratio": max(item["ratio"] for item in measures),
        "replay_ratio": max(item["replay_ratio"] or 0 for item in measures),
        "queries": measures[0]["queries"],
        "queries_constant": constant,
        "agents": agents,
        "agent_inventories_per_s": agents["agent_inventories_per_s"],
        "target": TARGET,
    }
    return add_http_figures(result, pages, client, http_seconds)


def print_table(result: dict) -> None:
    agents = result["agents"]
    print(
        f"inventory: {result['size']:,} assets on {result['database']}"
        f" (built in {result['build_s']} s; median of {result['repeat']} warm runs;"
        f" floors {result['floors_ms']} ms)"
    )
    print_pages(result)
    print(
        f"asset list ratio {result['ratio']} (replay {result['replay_ratio']}); "
        f"{result['queries']} queries per page; constant as the page grows: "
        f"{'yes' if result['queries_constant'] else 'NO'}"
    )
    print(
        f"agents: {agents['inventories']} inventories of {agents['computers']} computers from "
        f"{agents['agents']} agents at once: {agents['agent_inventories_per_s']}/s, "
        f"{agents['deadlocks']} deadlocks, {agents['errors']} errors, "
        f"{agents['lost_updates']} lost updates"
    )
    print(result["target"])
