"""The overdue summary (``FindingDueCount``): the overdue page reads it instead of the findings,
and it equals a direct count over the findings after every kind of write (created by an import
or typed in, lifecycle steps, re-imports that reopen or change a severity, a risk acceptance
running out, deletions, the demo's back-dating), on any day."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Count, Min, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from biys.secops import due_summary, selectors, services
from biys.secops.choices import ACTIVE_STATES, Severity, State
from biys.secops.models import Finding, FindingDueCount, PenTest
from biys.secops.tests.factories import make_finding
from biys.secops.tests.test_services import trivy_report, vuln

pytestmark = pytest.mark.django_db

SEVERITIES = {"critical": 4, "high": 3, "medium": 2, "low": 1}


def direct_by_unit(day) -> dict:
    """What the page showed before the summary: one GROUP BY over the overdue findings."""
    counts = {name: Count("id", filter=Q(severity=value)) for name, value in SEVERITIES.items()}
    rows = (
        Finding.objects.filter(selectors.overdue_q(day))
        .order_by()
        .values("unit_id")
        .annotate(total=Count("id"), oldest=Min("due_date"), **counts)
    )
    return {row.pop("unit_id"): row for row in rows}


def page_by_unit(user, day) -> dict:
    return {
        row["unit_id"]: {key: row[key] for key in ("total", "oldest", *SEVERITIES)}
        for row in selectors.overdue_by_unit(user, day=day)
    }


def direct_cells() -> Counter:
    rows = (
        Finding.objects.filter(state__in=ACTIVE_STATES, due_date__isnull=False)
        .order_by()
        .values_list("unit_id", "severity", "due_date")
        .annotate(n=Count("id"))
    )
    return Counter({(unit, severity, day): n for unit, severity, day, n in rows})


def summary_cells() -> Counter:
    return Counter(
        {
            (unit, severity, day): n
            for unit, severity, day, n in FindingDueCount.objects.filter(count__gt=0).values_list(
                "unit_id", "severity", "due_date", "count"
            )
        }
    )


def assert_exact(user, *, units: int | None = None):
    """The summary's cells equal the findings' and the page equals the GROUP BY, today, a day
    that makes every waiting finding overdue and the days between."""
    assert summary_cells() == direct_cells()
    assert not FindingDueCount.objects.filter(count__lt=0).exists()
    today = selectors.today()
    days = {today, today + timedelta(days=400), today - timedelta(days=30)}
    days |= {due + timedelta(days=1) for (_u, _s, due) in direct_cells()}
    for day in sorted(days):
        assert page_by_unit(user, day) == direct_by_unit(day), day
    if units is not None:
        assert len(page_by_unit(user, today + timedelta(days=400))) == units


def test_summary_follows_every_write(lead, member, make_user, org_tree):
    network, software = org_tree["network"], org_tree["software"]
    today = selectors.today()
    # Typed in one by one (Finding.save()): overdue, due today, not waiting, no date.
    late = make_finding(network, severity=Severity.CRITICAL, due_date=today - timedelta(days=3))
    make_finding(network, severity=Severity.LOW, due_date=today - timedelta(days=40))
    make_finding(software, severity=Severity.HIGH, due_date=today)
    make_finding(software, due_date=today - timedelta(days=2), state=State.FIXED)
    make_finding(software, severity=Severity.INFO, due_date=None)
    assert_exact(lead, units=2)

    # An import (bulk_create), then the same report again (update()).
    report = trivy_report([vuln("CVE-2023-0001"), vuln("CVE-2023-0002", "curl", "CRITICAL"),
                           vuln("CVE-2023-0003", "zlib", "LOW")])  # fmt: skip
    services.import_content(user=member, unit=software, content=report, filename="a.json")
    services.import_content(user=member, unit=software, content=report, filename="b.json")
    assert_exact(lead, units=2)

    # Lifecycle steps (save()): fixed, false positive, risk accepted, in remediation, reopened.
    curl, zlib, openssl = (Finding.objects.get(cves=cve) for cve in
                           ("CVE-2023-0002", "CVE-2023-0003", "CVE-2023-0001"))  # fmt: skip
    services.change_state(user=lead, finding=curl, action="fix")
    services.change_state(user=lead, finding=zlib, action="false_positive", note="Yanlış.")
    services.change_state(user=lead, finding=late, action="start")
    services.change_state(user=lead, finding=openssl, action="accept_risk", note="Kabul.",
                          until=today + timedelta(days=10))  # fmt: skip
    assert_exact(lead, units=2)

    # A later import finds the fixed one again (reopened, a new date to fix by) and another at a
    # new severity (a new date): update_rows.
    again = trivy_report([vuln("CVE-2023-0001", severity="MEDIUM"),
                          vuln("CVE-2023-0002", "curl", "CRITICAL"),
                          vuln("CVE-2023-0003", "zlib", "LOW")])  # fmt: skip
    scan = services.import_content(user=member, unit=software, content=again, filename="c.json")
    assert scan.reopened_count == 1
    assert Finding.objects.get(cves="CVE-2023-0002").state == State.REOPENED
    assert_exact(lead, units=2)

    # The risk acceptance runs out (save()), a penetration test types one in and one again.
    Finding.objects.filter(pk=openssl.pk).update(risk_accepted_until=today - timedelta(days=1))
    assert services.expire_risk_acceptances(today=today) == 1
    pentest = PenTest.objects.create(
        title="Yıllık sızma testi", unit=network, tester="Test A.Ş.",
        started_on=today, ended_on=today,
    )  # fmt: skip
    values = {"host": "10.9.9.9", "title": "SQL enjeksiyonu", "severity": Severity.HIGH,
              "port": 443, "protocol": "tcp", "cves": "", "rule_id": "CWE-89"}  # fmt: skip
    services.add_pentest_finding(user=lead, pentest=pentest, **values)
    services.add_pentest_finding(user=lead, pentest=pentest, **{**values, "severity": 4})
    assert_exact(lead, units=2)

    # An edit that moves a finding to another unit and another date (the admin's save()).
    moved = Finding.objects.get(cves="CVE-2023-0003")
    services.change_state(user=lead, finding=moved, action="reopen", note="Yeniden.")
    moved.refresh_from_db()
    moved.unit = network
    moved.due_date = today - timedelta(days=5)
    moved.save()
    assert_exact(lead, units=2)

    # Deletions: one finding, then a queryset.
    late.delete()
    Finding.objects.filter(unit=software, severity=Severity.HIGH).delete()
    assert_exact(lead)

    # The scope: a member of one branch sees that branch's row alone; a technician nothing.
    later = today + timedelta(days=400)
    scoped = make_user("some_member", network)
    assert page_by_unit(scoped, later) == {network.pk: direct_by_unit(later)[network.pk]}
    assert page_by_unit(make_user("technician", org_tree["dept"]), later) == {}


def test_rebuild_and_the_demo_path(lead, org_tree):
    """Writes that bypass save() are recounted per unit in one statement."""
    network, software = org_tree["network"], org_tree["software"]
    today = selectors.today()
    kept = make_finding(software, due_date=today - timedelta(days=9))
    for n in range(4):
        make_finding(network, severity=Severity.MEDIUM, due_date=today - timedelta(days=n))
    Finding.objects.filter(unit=network).update(due_date=today - timedelta(days=20))
    assert summary_cells() != direct_cells()  # update() alone leaves it behind …
    due_summary.rebuild([network.pk])  # … the demo and the bench recount what they wrote
    assert summary_cells() == direct_cells()
    assert page_by_unit(lead, today)[software.pk]["total"] == 1
    FindingDueCount.objects.all().delete()
    due_summary.rebuild()
    assert summary_cells() == direct_cells()
    assert kept.unit_id in page_by_unit(lead, today)


def _page_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("secops:overdue"))
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_overdue_page_reads_the_summary_in_constant_queries(client, lead, org_tree):
    """The page reads the summary once and never the findings, whatever their number."""
    today = selectors.today()
    make_finding(org_tree["network"], severity=Severity.CRITICAL, due_date=today - timedelta(1))
    client.force_login(lead)
    _page_queries(client)  # warm the caches a first request fills
    few = _page_queries(client)
    for unit in ("network", "software", "helpdesk", "dept"):
        for n in range(12):
            make_finding(org_tree[unit], severity=n % 5, due_date=today - timedelta(days=n))
    many = _page_queries(client)
    assert len(many) == len(few)
    summary = [sql for sql in many if "secops_findingduecount" in sql]
    assert len(summary) == 1
    assert not [sql for sql in many if '"secops_finding"' in sql or "secops_finding " in sql]
    page = client.get(reverse("secops:overdue")).content.decode()
    for unit in ("network", "software", "helpdesk", "dept"):
        assert org_tree[unit].name in page


# The API: overdue and due soon per unit ------------------------------------------------------

SEVERITY_ORDER = (("critical", 4), ("high", 3), ("medium", 2), ("low", 1), ("info", 0))


def direct_due(day, until) -> dict:
    """The API's figures by a direct count over the findings."""
    result = {}
    for finding in Finding.objects.filter(state__in=ACTIVE_STATES, due_date__lte=until):
        row = result.setdefault(
            finding.unit_id,
            {"overdue": Counter(), "due_soon": Counter(), "oldest_overdue": None},
        )
        name = dict((value, key) for key, value in SEVERITY_ORDER)[finding.severity]
        if finding.due_date < day:
            row["overdue"][name] += 1
            row["overdue"]["total"] += 1
            oldest = row["oldest_overdue"]
            row["oldest_overdue"] = min(oldest or finding.due_date, finding.due_date)
        else:
            row["due_soon"][name] += 1
            row["due_soon"]["total"] += 1
    return result


def api_due(body) -> dict:
    return {
        row["unit"]: {
            "overdue": Counter({k: v for k, v in row["overdue"].items() if v}),
            "due_soon": Counter({k: v for k, v in row["due_soon"].items() if v}),
            "oldest_overdue": row["oldest_overdue"] and date.fromisoformat(row["oldest_overdue"]),
        }
        for row in body["units"]
    }


def test_the_api_counts_overdue_and_due_soon_per_unit_from_the_summary(
    lead, make_user, org_tree, django_assert_num_queries
):
    network, software, helpdesk = org_tree["network"], org_tree["software"], org_tree["helpdesk"]
    today = selectors.today()
    make_finding(network, severity=Severity.CRITICAL, due_date=today - timedelta(days=3))
    make_finding(network, severity=Severity.CRITICAL, due_date=today - timedelta(days=9))
    make_finding(network, severity=Severity.LOW, due_date=today + timedelta(days=2))
    make_finding(software, severity=Severity.HIGH, due_date=today)  # due soon, not overdue
    make_finding(software, severity=Severity.MEDIUM, due_date=today + timedelta(days=7))
    make_finding(software, severity=Severity.MEDIUM, due_date=today + timedelta(days=8))
    make_finding(helpdesk, severity=Severity.HIGH, due_date=today - timedelta(days=1),
                 state=State.FIXED)  # fmt: skip
    make_finding(helpdesk, severity=Severity.INFO, due_date=today + timedelta(days=1))
    url = reverse("finding-due-by-unit")
    api = APIClient()
    api.force_authenticate(lead)

    body = api.get(url).json()
    assert body["day"] == today.isoformat() and body["soon_days"] == 7
    assert body["soon_until"] == (today + timedelta(days=7)).isoformat()
    assert api_due(body) == direct_due(today, today + timedelta(days=7))
    assert [row["unit"] for row in body["units"]] == [network.pk, software.pk, helpdesk.pk]
    network_row = body["units"][0]
    assert network_row["unit_name"] == network.name
    assert network_row["overdue"] == {"critical": 2, "high": 0, "medium": 0, "low": 0,
                                      "info": 0, "total": 2}  # fmt: skip
    assert network_row["due_soon"]["low"] == 1
    assert network_row["oldest_overdue"] == (today - timedelta(days=9)).isoformat()
    wider = api.get(url, {"soon_days": 30}).json()
    assert api_due(wider) == direct_due(today, today + timedelta(days=30))
    assert api_due(api.get(url, {"soon_days": 0}).json()) == direct_due(today, today)

    # Constant queries: more findings, units and cells read in the same number of queries.
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        return len(captured)

    before = queries()
    for unit in (org_tree["dept"], helpdesk, software):
        for days in range(-5, 9):
            make_finding(unit, severity=Severity.MEDIUM, due_date=today + timedelta(days=days))
    with django_assert_num_queries(before):
        body = api.get(url).json()
    assert len(body["units"]) == 4
    assert api_due(body) == direct_due(today, today + timedelta(days=7))
    # Another department's findings are outside the lead's scope.
    make_finding(org_tree["roads"], severity=Severity.HIGH, due_date=today - timedelta(days=1))
    assert org_tree["roads"].pk not in {row["unit"] for row in api.get(url).json()["units"]}

    # The scope: a member of one branch sees its units alone; technicians are refused.
    scoped = APIClient()
    scoped.force_authenticate(make_user("some_member", network))
    assert {row["unit"] for row in scoped.get(url).json()["units"]} == {network.pk, helpdesk.pk}
    refused = APIClient()
    refused.force_authenticate(make_user("technician", org_tree["dept"]))
    assert refused.get(url).status_code == 403
    # Bad input is a 400 problem, not a 500.
    for bad in ("x", "-1", "366"):
        answer = api.get(url, {"soon_days": bad})
        assert answer.status_code == 400
        assert "soon_days" in answer.json()["errors"]


# biys findings rebuild-summary ---------------------------------------------------------------


def test_rebuild_summary_repairs_a_corrupted_summary_and_is_idempotent(lead, org_tree):
    import json
    from io import StringIO

    from django.core.management import call_command

    network, software = org_tree["network"], org_tree["software"]
    today = selectors.today()
    for days in (-9, -3, 0, 4, 40):
        make_finding(network, severity=Severity.CRITICAL, due_date=today + timedelta(days=days))
        make_finding(software, severity=Severity.LOW, due_date=today + timedelta(days=days))
    make_finding(software, due_date=today - timedelta(days=2), state=State.FIXED)
    assert summary_cells() == direct_cells()

    def run(*args) -> str:
        out = StringIO()
        call_command("findings", "rebuild-summary", *args, stdout=out)
        return out.getvalue()

    assert json.loads(run("--json")) == {"cells": 10, "findings": 10, "findings_before": 10,
                                         "corrected": 0}  # fmt: skip
    # Corrupt it: a bulk SQL change of the findings the summary never heard of, a cell
    # miscounted, one lost, one made up.
    Finding.objects.filter(unit=network).update(due_date=today - timedelta(days=1))
    FindingDueCount.objects.filter(unit=software, due_date=today).update(count=7)
    FindingDueCount.objects.filter(unit=software, due_date=today + timedelta(days=40)).delete()
    FindingDueCount.objects.create(unit=org_tree["roads"], severity=2, due_date=today, count=3)
    assert summary_cells() != direct_cells()

    printed = run()
    assert summary_cells() == direct_cells()
    assert_exact(lead)
    assert not FindingDueCount.objects.filter(count=0).exists()
    # 5 network cells gone and 1 new, 1 miscounted, 1 lost, 1 made up.
    assert printed.strip() == (
        "Overdue summary rebuilt: 10 findings waiting for a fix in 6 cells (was 18);"
        " 9 cells corrected"
    )
    assert json.loads(run("--json"))["corrected"] == 0  # idempotent
    assert summary_cells() == direct_cells()
