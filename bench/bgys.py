"""Scenario ``bgys``: the information security management system at a municipality's scale
(issue 11), the compliance dashboard and the BGYS lists against their best queries.

    python -m bench bgys --size 500 [--json] [--repeat 7] [--http]

Builds the municipality of the ``applications`` scenario (61 units), loads the national Bilgi ve
İletişim Güvenliği Rehberi through the product's loader from its shipped file (660 measures, six
asset groups, the criticality questionnaire), then ``--size`` information assets (default 500)
spread over the six asset groups and the units; for every unit and asset group holding assets,
the questionnaire answered (score and level by the guide's Tablo 3) and the measures it makes
applicable on the unit's Statement of Applicability with a realistic mix of implementation
states (some not applicable, with the reason); three years of internal audits (a yearly plan,
an audit per department a year, its checklist drawn from the guide, findings, and a corrective
action (DÖF) per nonconformity: the old ones closed, the recent ones open, some overdue).

Measured as the BGYS manager of the whole municipality: the compliance dashboard (HTML and
API), also as the BGYS manager of one department; the lists of information assets, the
Statement of Applicability, audits, findings and corrective actions, each against the best
query an expert would write for what it shows (bench/common.py has the rules).
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from bench.common import (
    Page,
    add_http_figures,
    measure_floors,
    measure_page,
    print_pages,
    query_count,
)

TARGET = (
    "Target: the full guide, 500 information assets across the six asset groups and three "
    "years of audits; the compliance dashboard and the BGYS lists within 3x of their best "
    "query plus the stack's floor, with constant queries."
)
DEFAULT_SIZE = 500
SEED = 20261201
PER_PAGE = 50
BATCH = 2_000
KINDS = {  # the kind of information asset most usual under each of the guide's asset groups
    1: ("system", "Sunucu ve ağ sistemi"),
    2: ("application", "Uygulama"),
    3: ("application", "Mobil uygulama"),
    4: ("system", "Nesnelerin interneti cihazı"),
    5: ("person", "Personel grubu"),
    6: ("location", "Fiziksel mekân"),
}
STATES = ("fully",) * 5 + ("mostly",) * 2 + ("partly",) * 2 + ("none",) * 2 + ("",) * 3
FINDING_KINDS = ("major", "minor", "minor", "minor", "observation", "opportunity")
AUDITS_PER_YEAR = 12


def _bulk(model, rows: list) -> list:
    created = []
    for start in range(0, len(rows), BATCH):
        created += model.objects.bulk_create(rows[start : start + BATCH])
    return created


def build(rng: random.Random, size: int, today: date) -> dict:
    from bench.applications import build_units
    from biys.accounts.models import Role, RoleAssignment, User
    from biys.bgys import services
    from biys.bgys.frameworks import GUIDE_SLUG
    from biys.bgys.guide import criticality_level
    from biys.bgys.models import (
        ApplicabilityEntry,
        Assessment,
        Audit,
        AuditPlan,
        ChecklistItem,
        CorrectiveAction,
        Finding,
        Framework,
        InformationAsset,
        Measure,
    )
    from biys.org.models import Person

    units = build_units()
    top, departments, branches = units[0], units[1:13], units[13:]
    services.load_shipped(slug=GUIDE_SLUG)
    guide = Framework.objects.get(slug=GUIDE_SLUG)
    groups = {group.number: group for group in guide.asset_groups.select_related("section")}
    questions = list(guide.questions.prefetch_related("options"))
    people = _bulk(
        Person,
        [
            Person(first_name=f"Personel{n}", last_name="Bilgi", employment_type="memur",
                   unit=units[1 + n % (len(units) - 1)])
            for n in range(120)
        ],
    )  # fmt: skip

    # Information assets: every asset group, every unit but the top one.
    assets = []
    for n in range(size):
        number = 1 + n % 6
        kind, label = KINDS[number]
        unit = rng.choice(units[1:])
        assets.append(
            InformationAsset(
                unit=unit, name=f"{label} {n + 1:04d}", kind=kind, asset_group=groups[number],
                owner=rng.choice(people), confidentiality=rng.randint(1, 5),
                integrity=rng.randint(1, 5), availability=rng.randint(1, 5),
            )
        )  # fmt: skip
    _bulk(InformationAsset, assets)

    # The questionnaire answered for each unit's asset groups, and their SoA entries.
    pairs = sorted({(asset.unit_id, asset.asset_group.number) for asset in assets})
    assessments = []
    for unit_id, number in pairs:
        answers = {
            str(q.number): rng.choice([c.letter for c in q.options.all()]) for q in questions
        }
        score = services.score_answers(questions, answers)
        assessments.append(
            Assessment(
                unit_id=unit_id, framework=guide, asset_group=groups[number],
                name=f"{groups[number].name} ({unit_id})", answers=answers, score=score,
                level=criticality_level(score), assessed_on=today - timedelta(days=rng.randrange(300)),
            )
        )  # fmt: skip
    assessments = _bulk(Assessment, assessments)
    by_section: dict = {}
    for measure in Measure.objects.filter(framework=guide).values("pk", "level", "section__number"):
        top_number = ".".join(measure["section__number"].split(".")[:2])
        by_section.setdefault(top_number, []).append((measure["pk"], measure["level"]))
    entries = []
    for assessment in assessments:
        section = assessment.asset_group.section
        for measure_id, level in by_section.get(section.number, []):
            if level is None or level > assessment.level:
                continue
            applicable = rng.random() > 0.05
            entries.append(
                ApplicabilityEntry(
                    unit_id=assessment.unit_id, measure_id=measure_id, assessment=assessment,
                    applicable=applicable,
                    reason="" if applicable else "Bu varlık grubunda kapsam dışı",
                    state=rng.choice(STATES) if applicable else "",
                    owner=rng.choice(people) if rng.random() < 0.5 else None,
                )
            )  # fmt: skip
    _bulk(ApplicabilityEntry, entries)

    # Three years of internal audits: a plan a year, an audit per department, findings, DÖF.
    measures = list(Measure.objects.filter(framework=guide).values_list("pk", flat=True))
    counts = {"audits": 0, "findings": 0, "corrective_actions": 0}
    for year in (today.year - 2, today.year - 1, today.year):
        plan = AuditPlan.objects.create(unit=top, year=year, title=f"{year} iç denetim planı")
        audits = []
        for index, department in enumerate(departments[:AUDITS_PER_YEAR]):
            start = date(year, 1 + index % 10, 3 + index)
            done = start + timedelta(days=5) < today
            state = "closed" if year < today.year else ("reported" if done else "planned")
            audits.append(
                Audit(
                    plan=plan, unit=department, title=f"{department.name} {year} iç denetimi",
                    framework=guide, scope="Bilgi ve iletişim güvenliği tedbirleri",
                    planned_start=start, planned_end=start + timedelta(days=4), state=state,
                    started_on=start if state != "planned" else None,
                    ended_on=start + timedelta(days=4) if state != "planned" else None,
                )
            )  # fmt: skip
        audits = _bulk(Audit, audits)
        items, findings = [], []
        for audit in audits:
            if audit.state == "planned":
                continue
            chosen = rng.sample(measures, 40)
            for position, measure_id in enumerate(chosen, start=1):
                items.append(
                    ChecklistItem(
                        audit=audit, measure_id=measure_id, position=position,
                        result=rng.choice(("conforming",) * 4 + ("nonconforming",)),
                    )
                )  # fmt: skip
            branch = [b for b in branches if b.parent_id == audit.unit_id]
            for number in range(1, rng.randint(4, 9)):
                findings.append(
                    Finding(
                        audit=audit, number=number, kind=rng.choice(FINDING_KINDS),
                        measure_id=rng.choice(chosen), unit=rng.choice(branch or [audit.unit]),
                        description="Tedbir eksik uygulanıyor", evidence="Kayıt incelemesi",
                    )
                )  # fmt: skip
        _bulk(ChecklistItem, items)
        findings = _bulk(Finding, findings)
        actions = []
        for finding in findings:
            if finding.kind not in ("major", "minor"):
                continue
            opened = finding.audit.planned_end
            due = opened + timedelta(days=42)
            closed = year < today.year or rng.random() < 0.4
            actions.append(
                CorrectiveAction(
                    finding=finding, unit_id=finding.unit_id, owner=rng.choice(people),
                    root_cause="Süreç tanımlı değil", actions="Prosedür yazılacak",
                    opened_on=opened, due_date=due, state="closed" if closed else "open",
                )
            )  # fmt: skip
        _bulk(CorrectiveAction, actions)
        counts["audits"] += len(audits)
        counts["findings"] += len(findings)
        counts["corrective_actions"] += len(actions)

    role = Role.objects.get(slug="bgys_manager")
    manager = User.objects.create_user(username="bench-bgys", password=None)
    RoleAssignment.objects.create(user=manager, role=role, unit=top, include_subtree=True)
    department_manager = User.objects.create_user(username="bench-bgys-daire", password=None)
    RoleAssignment.objects.create(
        user=department_manager, role=role, unit=departments[1], include_subtree=True
    )
    return {
        "manager": manager,
        "department_manager": department_manager,
        "department": departments[1],
        "guide": guide,
        "units": len(units),
        "assessments": len(assessments),
        "entries": len(entries),
        **counts,
    }


def capped_count(table: str, where: str = "") -> tuple:
    from biys.core.pagination import COUNT_LIMIT

    condition = f" WHERE {where}" if where else ""
    return (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {table}{condition} LIMIT {COUNT_LIMIT + 1}) c",
        [],
    )


def compliance_queries(framework_id: int, units: list[int] | None, today: date) -> list:
    """What an expert would run for the dashboard: the frameworks (the chooser), the asset
    groups, the SoA entries grouped by asset group and level and by unit, the information assets
    by asset group, the open corrective actions by unit."""
    scope = f" AND e.unit_id IN ({', '.join(map(str, units))})" if units else ""
    asset_scope = f" AND i.unit_id IN ({', '.join(map(str, units))})" if units else ""
    dof_scope = f" AND d.unit_id IN ({', '.join(map(str, units))})" if units else ""
    tallies = (
        "COUNT(*) FILTER (WHERE e.applicable),"
        " COUNT(*) FILTER (WHERE e.applicable AND e.state = 'fully'),"
        " COUNT(*) FILTER (WHERE e.applicable AND e.state IN ('mostly', 'partly')),"
        " COUNT(*) FILTER (WHERE e.applicable AND e.state = 'none'),"
        " COUNT(*) FILTER (WHERE NOT e.applicable)"
    )
    return [
        ("SELECT id, slug, version, name, attribution, loaded_at FROM bgys_framework"
         " ORDER BY name, version DESC", []),
        ("SELECT id, name FROM bgys_assetgroup WHERE framework_id = %s ORDER BY number",
         [framework_id]),
        (f"SELECT a.asset_group_id, m.level, {tallies} FROM bgys_applicabilityentry e"
         " JOIN bgys_measure m ON m.id = e.measure_id"
         " LEFT JOIN bgys_assessment a ON a.id = e.assessment_id"
         f" WHERE m.framework_id = %s{scope} GROUP BY a.asset_group_id, m.level", [framework_id]),
        (f"SELECT e.unit_id, u.name, u.path, {tallies} FROM bgys_applicabilityentry e"
         " JOIN bgys_measure m ON m.id = e.measure_id JOIN org_unit u ON u.id = e.unit_id"
         f" WHERE m.framework_id = %s{scope} GROUP BY e.unit_id, u.name, u.path", [framework_id]),
        ("SELECT i.asset_group_id, COUNT(*) FROM bgys_informationasset i"
         " JOIN bgys_assetgroup g ON g.id = i.asset_group_id"
         f" WHERE g.framework_id = %s{asset_scope} GROUP BY i.asset_group_id", [framework_id]),
        ("SELECT d.unit_id, u.name, u.path, COUNT(*), COUNT(*) FILTER (WHERE d.due_date < %s)"
         " FROM bgys_correctiveaction d JOIN org_unit u ON u.id = d.unit_id"
         f" WHERE d.state IN ('open', 'implemented'){dof_scope} GROUP BY d.unit_id, u.name, u.path",
         [today]),
    ]  # fmt: skip


def list_pages(rows: int) -> list:
    """The BGYS lists as they open, each with the expert's page (one row more, for "next") in
    the list's order and a capped count."""
    limit = rows + 1
    return [
        Page("ui_assets", "/bgys/assets/", [
            ("SELECT i.id, i.name, i.kind, i.confidentiality, i.integrity, i.availability,"
             " u.name, g.name, p.first_name, p.last_name FROM bgys_informationasset i"
             " JOIN org_unit u ON u.id = i.unit_id"
             " LEFT JOIN bgys_assetgroup g ON g.id = i.asset_group_id"
             " LEFT JOIN org_person p ON p.id = i.owner_id"
             f" ORDER BY i.name, i.id LIMIT {limit}", []),
            capped_count("bgys_informationasset"),
        ], marker="bgys_informationasset"),
        Page("ui_soa", "/bgys/soa/", [
            ("SELECT e.id, e.applicable, e.reason, e.state, u.name, m.number, m.title, m.level,"
             " f.name, a.name, p.first_name, p.last_name FROM bgys_applicabilityentry e"
             " JOIN org_unit u ON u.id = e.unit_id JOIN bgys_measure m ON m.id = e.measure_id"
             " JOIN bgys_framework f ON f.id = m.framework_id"
             " LEFT JOIN bgys_assessment a ON a.id = e.assessment_id"
             " LEFT JOIN org_person p ON p.id = e.owner_id"
             f" ORDER BY u.path, f.name, f.version DESC, m.position, e.id LIMIT {limit}", []),
            capped_count("bgys_applicabilityentry"),
        ], marker="bgys_applicabilityentry", note="every unit's SoA, by unit and measure"),
        Page("api_soa", "/api/v1/bgys/soa/", [
            ("SELECT e.id, e.unit_id, e.measure_id, e.assessment_id, e.applicable, e.reason,"
             " e.state, e.owner_id, e.evidence_links, e.notes, m.number, m.title, m.level"
             " FROM bgys_applicabilityentry e JOIN bgys_measure m ON m.id = e.measure_id"
             f" ORDER BY e.unit_id, m.framework_id, m.position, e.id LIMIT {limit}", []),
            capped_count("bgys_applicabilityentry"),
        ], kind="api", marker="bgys_applicabilityentry"),
        Page("ui_audits", "/bgys/audits/", [
            ("SELECT a.id, a.title, a.state, a.planned_start, a.planned_end, p.year, p.title,"
             " u.name, l.first_name, l.last_name FROM bgys_audit a"
             " LEFT JOIN bgys_auditplan p ON p.id = a.plan_id JOIN org_unit u ON u.id = a.unit_id"
             " LEFT JOIN org_person l ON l.id = a.lead_auditor_id"
             f" ORDER BY a.planned_start DESC, a.id DESC LIMIT {limit}", []),
            capped_count("bgys_audit"),
        ], marker="bgys_audit"),
        Page("ui_findings", "/bgys/findings/", [
            ("SELECT f.id, f.number, f.kind, f.description, a.id, a.title, m.number, m.title,"
             " u.name FROM bgys_finding f JOIN bgys_audit a ON a.id = f.audit_id"
             " JOIN bgys_measure m ON m.id = f.measure_id LEFT JOIN org_unit u ON u.id = f.unit_id"
             f" ORDER BY a.planned_start DESC, a.id DESC, f.number, f.id LIMIT {limit}", []),
            capped_count("bgys_finding"),
        ], marker="bgys_finding"),
        Page("ui_corrective_actions", "/bgys/corrective-actions/", [
            ("SELECT d.id, d.state, d.opened_on, d.due_date, f.number, f.kind, a.title, u.name,"
             " p.first_name, p.last_name FROM bgys_correctiveaction d"
             " JOIN bgys_finding f ON f.id = d.finding_id JOIN bgys_audit a ON a.id = f.audit_id"
             " JOIN org_unit u ON u.id = d.unit_id LEFT JOIN org_person p ON p.id = d.owner_id"
             f" ORDER BY d.due_date, d.id LIMIT {limit}", []),
            capped_count("bgys_correctiveaction"),
        ], marker="bgys_correctiveaction"),
    ]  # fmt: skip


def run(*, size: int | None = None, repeat: int = 7, http_seconds: int = 0) -> dict:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from biys.accounts.scope import ALL, get_scope
    from biys.org.models import Unit

    size = size or DEFAULT_SIZE
    rng = random.Random(SEED)
    today = timezone.localdate()
    started = time.perf_counter()
    built = build(rng, size, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    build_seconds = time.perf_counter() - started
    perm = "bgys.view_applicabilityentry"
    assert get_scope(built["manager"]).units_for(perm) is ALL
    department_units = sorted(
        Unit.objects.filter(path__startswith=built["department"].path).values_list("pk", flat=True)
    )
    assert set(get_scope(built["department_manager"]).units_for(perm)) == set(department_units)

    guide = built["guide"].pk
    client = Client()
    client.force_login(built["manager"])
    department_client = Client()
    department_client.force_login(built["department_manager"])
    pages = [
        Page("ui_compliance", "/bgys/compliance/", compliance_queries(guide, None, today),
             marker="bgys_", note="the dashboard, every unit"),
        Page("api_compliance", "/api/v1/bgys/soa/compliance/",
             compliance_queries(guide, None, today), kind="api", marker="bgys_"),
        *list_pages(PER_PAGE),
    ]  # fmt: skip
    department_page = Page(
        "ui_compliance_department", "/bgys/compliance/",
        compliance_queries(guide, department_units, today), marker="bgys_",
        note="the dashboard of one department's BGYS manager (its units only)",
    )  # fmt: skip
    floors = measure_floors(client, repeat)
    measures = [measure_page(client, page, repeat, floors) for page in pages]
    measures.append(measure_page(department_client, department_page, repeat, floors))
    constant = all(
        query_count(client, f"{url}?per_page=25") >= query_count(client, f"{url}?per_page=100")
        for url in ("/bgys/assets/", "/bgys/soa/", "/bgys/findings/", "/bgys/corrective-actions/")
    ) and query_count(client, "/api/v1/bgys/soa/?per_page=10") >= query_count(
        client, "/api/v1/bgys/soa/?per_page=100"
    )
    dashboard_queries = query_count(client, "/bgys/compliance/")
    result = {
        "scenario": "bgys",
        "size": size,
        "vendor": connection.vendor,
        "units": built["units"],
        "information_assets": size,
        "assessments": built["assessments"],
        "soa_entries": built["entries"],
        "audits": built["audits"],
        "findings": built["findings"],
        "corrective_actions": built["corrective_actions"],
        "build_s": round(build_seconds, 2),
        "repeat": repeat,
        "floors_ms": {name: round(value, 2) for name, value in floors.items()},
        "pages": measures,
        "ratio": max(item["ratio"] for item in measures),
        "replay_ratio": max(item["replay_ratio"] or 0 for item in measures),
        "queries": dashboard_queries,
        "queries_constant": constant,
        "target": TARGET,
    }
    return add_http_figures(result, pages, client, http_seconds)


def print_table(result: dict) -> None:
    print(
        f"bgys: the guide, {result['size']:,} information assets, {result['assessments']:,}"
        f" assessed asset groups, {result['soa_entries']:,} SoA entries, {result['audits']}"
        f" audits, {result['findings']} findings, {result['corrective_actions']} DÖF in"
        f" {result['units']} units on {result['database']} (built in {result['build_s']} s;"
        f" median of {result['repeat']} warm runs; floors {result['floors_ms']} ms)"
    )
    print_pages(result)
    print(
        f"worst ratio {result['ratio']} (replay {result['replay_ratio']}); the dashboard in"
        f" {result['queries']} queries; lists constant as the page grows:"
        f" {'yes' if result['queries_constant'] else 'NO'}"
    )
    print(result["target"])
