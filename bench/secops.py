"""Scenario ``secops`` (also ``findings``): vulnerability findings at scale (issue 12).

    python -m bench secops --size 1000000 [--json] [--repeat 7] [--http]

Builds ``--size`` findings over the IT department's units (bulk, two years of scans: a realistic
mix of severities, states, scanners and dates to fix by), then measures, in one run:

- ``import``: ``services.import_content`` on a Nessus file of ``min(size, 20,000)`` findings
  written for the run (new findings: ``created_per_s``), then the same file again (every finding
  known: ``updated_per_s``), findings per second through the whole import (parse,
  deduplicate, match the asset register, write all or nothing);
- the findings pages against the best query an expert would write for each (bench/common.py
  has the rules: page / (best + floor), constant queries): the list as it opens (worst first),
  the API filtered to open critical ones, the overdue ones, the overdue counts per unit (read
  from the overdue summary ``FindingDueCount``, which the build counts once with
  ``due_summary.rebuild()`` since it bypasses ``Finding.save()``).

DefectDojo's users report its findings list slowing down at 841,000 findings (DefectDojo
issue 10313); the target below is the list at a million.
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
    "Target: 1,000,000 findings on PostgreSQL, the findings list and its filters within 3x of "
    "their best query plus the stack's floor, with constant queries."
)
DEFAULT_SIZE = 20_000
IMPORT_MAX = 20_000
BATCH = 5_000
SEED = 20261201
SEVERITIES = (4, 3, 3, 2, 2, 2, 1, 1, 0)
STATES = ("open",) * 12 + ("in_remediation",) * 3 + ("fixed",) * 4 + (
    "risk_accepted", "false_positive", "reopened",
)  # fmt: skip
SCANNERS = ("nessus", "openvas", "trivy", "nuclei")
DAYS_TO_FIX = {4: 7, 3: 30, 2: 90, 1: 180}
TITLES = (
    "OpenSSH güncel değil", "TLS 1.0 açık", "Apache HTTP Server yol geçişi",
    "SMB imzalama zorunlu değil", "Varsayılan SNMP topluluk adı", "jQuery eski sürüm",
    "OpenSSL zafiyeti", "PHP desteklenmeyen sürüm", "Dizin listeleme açık",
)  # fmt: skip
COLUMNS = (
    "f.id, f.title, f.severity, f.state, f.host, f.hostname, f.cves, f.cvss_score, f.port,"
    " f.scanner, f.due_date, f.last_seen, f.unit_id, u.name"
)


def build(rng: random.Random, size: int, today):
    """The department and its branches, the SOME lead over them, ``size`` findings."""
    from django.db import connection
    from django.utils import timezone

    from biys.accounts.models import Role, RoleAssignment, User
    from biys.org.models import Municipality, Person, Unit
    from biys.secops.models import Finding

    Municipality.objects.create(name="Örnek Büyükşehir Belediyesi", kind="buyuksehir")
    top = Unit.objects.create(
        name="Bilgi İşlem Dairesi Başkanlığı", kind="daire_baskanligi", is_it_department=True
    )
    branches = [
        Unit.objects.create(name=name, kind="sube_mudurlugu", parent=top, is_it_department=True)
        for name in ("Sistem ve Ağ Şube Müdürlüğü", "Yazılım Şube Müdürlüğü",
                     "Bilgi Güvenliği Şube Müdürlüğü", "Teknik Destek Şube Müdürlüğü")
    ]  # fmt: skip
    person = Person.objects.create(
        first_name="Seda", last_name="Güvenlik", employment_type="memur", unit=top
    )
    lead = User.objects.create_user(username="some.bench", password="x", person=person)
    RoleAssignment.objects.create(
        user=lead, role=Role.objects.get(slug="some_lead"), unit=top, include_subtree=True
    )
    units = [top, *branches]
    now = timezone.now()
    if connection.vendor == "postgresql":
        build_in_sql(size, [unit.pk for unit in units], now)
        return {"lead": lead, "units": units}
    rows = []
    for n in range(size):
        severity = rng.choice(SEVERITIES)
        state = rng.choice(STATES)
        seen = now - timedelta(days=rng.randrange(730), minutes=rng.randrange(1440))
        days = DAYS_TO_FIX.get(severity)
        rows.append(
            Finding(
                dedup_key=f"{n:064x}",
                unit=units[n % len(units)],
                host=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255 or 1}",
                ip=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255 or 1}",
                port=rng.choice((22, 80, 443, 445, 3389, 8080, None)),
                protocol="tcp",
                scanner=rng.choice(SCANNERS),
                rule_id=str(10_000 + n % 5_000),
                cves=f"CVE-20{rng.randrange(15, 26)}-{rng.randrange(1000, 50000)}"
                if rng.random() < 0.6
                else "",
                title=rng.choice(TITLES),
                severity=severity,
                first_seen=seen,
                last_seen=seen + timedelta(days=rng.randrange(30)),
                state=state,
                state_changed_at=seen,
                due_date=timezone.localdate(seen) + timedelta(days=days) if days else None,
                fixed_at=seen + timedelta(days=10) if state == "fixed" else None,
            )
        )
        if len(rows) == BATCH:
            Finding.objects.bulk_create(rows)
            rows = []
    Finding.objects.bulk_create(rows)
    return {"lead": lead, "units": units}


def build_in_sql(size: int, units: list[int], now) -> None:
    """PostgreSQL: the same mix as ``build`` written by the server itself, straight into the
    table (``INSERT … SELECT`` over ``generate_series``, seeded), in batches of 100,000 rows: a
    million findings in about a minute instead of the ORM's quarter of an hour."""
    from django.db import connection, transaction
    from django.utils import timezone

    severities = list(SEVERITIES)
    states = list(STATES)
    days = [DAYS_TO_FIX.get(severity) for severity in range(5)]
    sql = """
        INSERT INTO secops_finding (created, last_updated, dedup_key, unit_id, host, ip,
            hostname, asset_reference, port, protocol, component, scanner, rule_id, cves,
            title, severity, cvss_vector, description, solution, "references", evidence,
            first_seen, last_seen, state, state_changed_at, state_note, due_date, fixed_at,
            times_reopened)
        SELECT s.seen, s.seen, lpad(to_hex(s.n), 64, '0'), s.unit_id, s.addr, s.addr, '', '',
            s.port, 'tcp', '', s.scanner, (10000 + s.n %% 5000)::text, s.cves, s.title,
            s.severity, '', '', '', '', '', s.seen, s.seen + s.extra * interval '1 day',
            s.state, s.seen, '',
            (s.seen AT TIME ZONE %(tz)s)::date
                + ((%(days)s::int[])[s.severity + 1]),
            CASE WHEN s.state = 'fixed' THEN s.seen + interval '10 days' END, 0
        FROM (
            SELECT r.n,
                (%(units)s::bigint[])[r.n %% %(unit_count)s + 1] AS unit_id,
                '10.' || (r.n >> 16 & 255) || '.' || (r.n >> 8 & 255) || '.'
                    || CASE WHEN r.n & 255 = 0 THEN 1 ELSE r.n & 255 END AS addr,
                (ARRAY[22, 80, 443, 445, 3389, 8080, NULL])[1 + floor(r.r1 * 7)::int] AS port,
                (%(scanners)s::text[])[1 + floor(r.r2 * %(scanner_count)s)::int] AS scanner,
                CASE WHEN r.r3 < 0.6 THEN 'CVE-20' || (15 + floor(r.r4 * 11)::int) || '-'
                    || (1000 + floor(r.r5 * 49000)::int) ELSE '' END AS cves,
                (%(titles)s::text[])[1 + floor(r.r6 * %(title_count)s)::int] AS title,
                (%(severities)s::int[])[1 + floor(r.r7 * %(severity_count)s)::int] AS severity,
                (%(states)s::text[])[1 + floor(r.r8 * %(state_count)s)::int] AS state,
                %(now)s::timestamptz - floor(r.r9 * 730)::int * interval '1 day'
                    - floor(r.r10 * 1440)::int * interval '1 minute' AS seen,
                floor(r.r11 * 30)::int AS extra
            FROM (
                SELECT n, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                    random() AS r5, random() AS r6, random() AS r7, random() AS r8,
                    random() AS r9, random() AS r10, random() AS r11
                FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS n
                OFFSET 0
            ) r
        ) s
    """
    params = {
        "tz": timezone.get_current_timezone_name(),
        "days": days,
        "units": units,
        "unit_count": len(units),
        "scanners": list(SCANNERS),
        "scanner_count": len(SCANNERS),
        "titles": list(TITLES),
        "title_count": len(TITLES),
        "severities": severities,
        "severity_count": len(severities),
        "states": states,
        "state_count": len(states),
        "now": now,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(SEED % 1000) / 1000])
        for start in range(0, size, 100_000):
            with transaction.atomic():
                cursor.execute(
                    sql, {**params, "start": start, "stop": min(size, start + 100_000) - 1}
                )


def nessus_file(count: int, seed: int = 7) -> bytes:
    """A .nessus report of ``count`` findings: 25 per host, plugins, CVEs and CVSS."""
    rng = random.Random(seed)
    parts = ['<?xml version="1.0" ?>\n<NessusClientData_v2><Report name="bench">']
    for host in range(0, count, 25):
        ip = f"172.16.{host // 25 >> 8 & 255}.{host // 25 & 255 or 1}"
        parts.append(
            f'<ReportHost name="{ip}"><HostProperties><tag name="host-ip">{ip}</tag>'
            "</HostProperties>"
        )
        for item in range(host, min(host + 25, count)):
            severity = rng.choice((1, 2, 2, 3, 3, 4))
            parts.append(
                f'<ReportItem port="{rng.choice((22, 80, 443, 445))}" svc_name="svc"'
                f' protocol="tcp" severity="{severity}" pluginID="{20000 + item}"'
                f' pluginName="Eklenti {item}" pluginFamily="General">'
                "<synopsis>Zafiyet.</synopsis><description>Açıklama.</description>"
                "<solution>Güncelleyin.</solution>"
                f"<cve>CVE-2024-{10000 + item}</cve>"
                f"<cvss3_base_score>{rng.choice(('5.3', '7.5', '9.8'))}</cvss3_base_score>"
                "<plugin_output>Sürüm 1.0 bulundu.</plugin_output></ReportItem>"
            )
        parts.append("</ReportHost>")
    parts.append("</Report></NessusClientData_v2>\n")
    return "".join(parts).encode()


def measure_import(lead, unit, count: int) -> dict:
    from biys.secops import services

    content = nessus_file(count)
    figures = {"findings": count, "bytes": len(content)}
    for label in ("created", "updated"):
        started = time.perf_counter()
        result = services.import_content(
            user=lead, unit=unit, content=content, filename="bench.nessus", background=False
        )
        seconds = time.perf_counter() - started
        assert getattr(result, f"{label}_count") == count, result.counts()
        figures[f"{label}_s"] = round(seconds, 2)
        figures[f"{label}_per_s"] = round(count / seconds)
    return figures


def list_queries(where: str, params: list, units: list[int], rows: int) -> list:
    """The expert's page (one row more, for "next"), worst first, and a capped count."""
    from biys.core.pagination import COUNT_LIMIT

    scope = f"f.unit_id IN ({', '.join(str(pk) for pk in units)})"
    condition = f"{scope} AND {where}" if where else scope
    return [
        (
            f"SELECT {COLUMNS} FROM secops_finding f JOIN org_unit u ON u.id = f.unit_id"
            f" WHERE {condition} ORDER BY f.severity DESC, f.id DESC LIMIT {rows + 1}",
            params,
        ),
        (
            "SELECT COUNT(*) FROM (SELECT 1 FROM secops_finding f "
            f"WHERE {condition} LIMIT {COUNT_LIMIT + 1}) c",
            params,
        ),
    ]


def run(
    *, size: int | None = None, repeat: int = 7, http_seconds: int = 0, import_size=None
) -> dict:
    from django.db import connection
    from django.test import Client

    from biys.secops.selectors import today as local_today

    size = size or DEFAULT_SIZE
    rng = random.Random(SEED)
    today = local_today()
    started = time.perf_counter()
    built = build(rng, size, today)
    from biys.secops import due_summary

    due_summary.rebuild()  # the build bypassed Finding.save(): count the overdue summary
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    build_seconds = time.perf_counter() - started
    lead, units = built["lead"], built["units"]
    ids = [unit.pk for unit in units]
    imported = measure_import(lead, units[1], import_size or min(size, IMPORT_MAX))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE secops_finding")

    client = Client()
    client.force_login(lead)
    active = "f.state IN ('open', 'in_remediation', 'reopened')"
    overdue = f"{active} AND f.due_date < %s"
    # The overdue page reads the overdue summary (active findings per unit, severity and date
    # to fix by): the expert's query sums its cells before today, as the page does.
    by_unit = [
        (
            "SELECT c.unit_id, u.name, SUM(c.count), MIN(c.due_date),"
            " SUM(CASE WHEN c.severity = 4 THEN c.count ELSE 0 END),"
            " SUM(CASE WHEN c.severity = 3 THEN c.count ELSE 0 END),"
            " SUM(CASE WHEN c.severity = 2 THEN c.count ELSE 0 END),"
            " SUM(CASE WHEN c.severity = 1 THEN c.count ELSE 0 END)"
            " FROM secops_findingduecount c JOIN org_unit u ON u.id = c.unit_id"
            f" WHERE c.unit_id IN ({', '.join(map(str, ids))}) AND c.due_date < %s"
            " AND c.count > 0 GROUP BY c.unit_id, u.name",
            [today],
        )
    ]
    pages = [
        Page("ui_findings", "/secops/findings/", list_queries("", [], ids, 50),
             marker="secops_finding", note="the list as it opens: worst first"),
        Page("api_open_critical", "/api/v1/secops/findings/?severity=4&state=open",
             list_queries("f.severity = 4 AND f.state = 'open'", [], ids, 50), kind="api",
             marker="secops_finding"),
        Page("ui_overdue", "/secops/findings/?overdue=true",
             list_queries(overdue, [today], ids, 50), marker="secops_finding",
             note="waiting for a fix past the date to fix by"),
        Page("ui_overdue_by_unit", "/secops/findings/overdue/", by_unit,
             marker="secops_findingduecount",
             note="overdue counts per responsible unit and severity, from the summary"),
    ]  # fmt: skip
    floors = measure_floors(client, repeat)
    measures = [measure_page(client, page, repeat, floors) for page in pages]
    constant = query_count(client, "/secops/findings/?per_page=25") >= query_count(
        client, "/secops/findings/?per_page=100"
    ) and query_count(client, "/api/v1/secops/findings/?per_page=10") >= query_count(
        client, "/api/v1/secops/findings/?per_page=100"
    )
    result = {
        "scenario": "secops",
        "size": size,
        "vendor": connection.vendor,
        "units": len(units),
        "build_s": round(build_seconds, 2),
        "repeat": repeat,
        "import": imported,
        "import_per_s": imported["created_per_s"],
        "floors_ms": {name: round(value, 2) for name, value in floors.items()},
        "pages": measures,
        "ratio": max(item["ratio"] for item in measures[:3]),
        "replay_ratio": max(item["replay_ratio"] or 0 for item in measures[:3]),
        "queries": measures[0]["queries"],
        "queries_constant": constant,
        "target": TARGET,
    }
    return add_http_figures(result, pages, client, http_seconds)


def print_table(result: dict) -> None:
    imported = result["import"]
    print(
        f"secops: {result['size']:,} findings in {result['units']} units on {result['database']}"
        f" (built in {result['build_s']} s; median of {result['repeat']} warm runs;"
        f" floors {result['floors_ms']} ms)"
    )
    print(
        f"import of a Nessus file of {imported['findings']:,} findings: "
        f"{imported['created_per_s']:,} new findings/s, {imported['updated_per_s']:,} known/s"
    )
    print_pages(result)
    print(
        f"findings list ratio {result['ratio']} (replay {result['replay_ratio']}); "
        f"{result['queries']} queries per page; constant as the page grows: "
        f"{'yes' if result['queries_constant'] else 'NO'}"
    )
    print(result["target"])
