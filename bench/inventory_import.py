"""Scenario ``inventory_import``: importing an asset register (issue 9).

    python -m bench inventory_import --size 10000 [--json]

Builds a unit, its inventory officer and the shipped taşınır code list, writes ``--size`` rows of
a BİYS register (twelve makes and models, some of them new to BİYS, twenty rooms, unique serials,
Turkish dates and amounts) and times ``import_services.check_import`` (the preview) and
``import_services.import_rows`` (check again, then write every asset, its number and its change
record in one transaction): rows per second of each.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

TARGET = "Target: at least 2,000 rows/s through import_rows on PostgreSQL (10,000 rows)."
DEFAULT_SIZE = 10_000
SEED = 20261201
MODELS = (
    ("Dell", "OptiPlex 7010", "253.02.01.01"), ("Dell", "Latitude 5440", "253.02.01.02"),
    ("HP", "EliteDesk 800 G6", "253.02.01.01"), ("HP", "LaserJet Pro M404dn", "253.02.01.06"),
    ("Lenovo", "ThinkPad E14 Gen 5", "253.02.01.02"), ("Lenovo", "ThinkCentre M70q", "253.02.01.01"),
    ("Casper", "Nirvana Ş100", "253.02.01.01"), ("Philips", "243V7QDAB", "253.02.01.05"),
    ("Canon", "i-SENSYS MF455dw", "253.02.01.08"), ("Epson", "EB-X51", "253.02.01.09"),
    ("HPE", "ProLiant DL380 Gen10", "253.02.01.04"), ("APC", "Smart-UPS 1500", "253.02.01.11"),
)  # fmt: skip
STATUSES = ("Depoda",) * 8 + ("Arızalı", "Tamirde")


def rows(size: int, seed: int = SEED) -> list[dict]:
    """``size`` register rows as ``importing.read_file`` gives them."""
    rng = random.Random(seed)
    start = date(2015, 1, 1)
    result = []
    for n in range(size):
        brand, model, code = rng.choice(MODELS)
        acquired = start + timedelta(days=rng.randrange(3000))
        result.append(
            {
                "brand": brand,
                "model": model,
                "tasinir_code": code,
                "serial_number": f"BNC{n:07d}{rng.randrange(1000):03d}",
                "status": rng.choice(STATUSES),
                "location": f"Hizmet Binası Kat {n % 5} Oda {n % 20:02d}",
                "assigned_to": rng.choice(("Ayşe Yılmaz", "Çağrı Şahin", "")),
                "acquired_on": acquired.strftime("%d.%m.%Y"),
                "value": f"{rng.randrange(2000, 60000):,}".replace(",", ".") + ",00",
                "warranty_end": (acquired + timedelta(days=730)).isoformat(),
                "supplier": "Öz Bilişim Ltd. Şti.",
                "old_number": f"DMR-{n:06d}",
            }
        )
    return result


def build():
    from biys.accounts.models import Role, RoleAssignment, User
    from biys.inventory import codes
    from biys.org.models import Municipality, Person, Unit

    Municipality.objects.create(name="Örnek Büyükşehir Belediyesi", kind="buyuksehir")
    unit = Unit.objects.create(
        name="Bilgi İşlem Dairesi Başkanlığı", kind="daire_baskanligi", is_it_department=True
    )
    codes.load_default_codes()
    person = Person.objects.create(
        first_name="Taşınır", last_name="Kayıt", employment_type="memur", unit=unit
    )
    officer = User.objects.create_user(username="inventory.bench", password="x", person=person)
    RoleAssignment.objects.create(
        user=officer, role=Role.objects.get(slug="inventory_officer"), unit=unit
    )
    return unit, officer


def measure(unit, officer, size: int) -> dict:
    """The preview's and the import's rows per second, on ``size`` generated rows."""
    from biys.core.context import change_context
    from biys.inventory import import_services

    data = rows(size)
    started = time.perf_counter()
    checked = import_services.check_import(unit=unit, rows=data)
    check_seconds = time.perf_counter() - started
    assert checked.ok, [row.errors for row in checked.rows if not row.ok][:3]
    with change_context(user=officer):
        report = import_services.import_rows(unit=unit, rows=data, user=officer)
    assert report.created == size
    return {
        "rows": size,
        "check_s": round(check_seconds, 2),
        "check_per_s": round(size / check_seconds),
        "import_s": round(report.seconds, 2),
        "import_per_s": round(report.rows_per_second),
    }


def run(*, size: int | None = None, repeat: int = 7, http_seconds: int = 0) -> dict:
    from django.db import connection

    size = size or DEFAULT_SIZE
    unit, officer = build()
    figures = measure(unit, officer, size)
    return {
        "scenario": "inventory_import",
        "size": size,
        "vendor": connection.vendor,
        **figures,
        "target": TARGET,
    }


def print_table(result: dict) -> None:
    print(f"inventory_import: {result['size']:,} register rows on {result['database']}")
    print(
        f"preview (check only): {result['check_per_s']:,} rows/s ({result['check_s']} s); "
        f"import_rows (check + write all): {result['import_per_s']:,} rows/s "
        f"({result['import_s']} s)"
    )
    print(result["target"])
