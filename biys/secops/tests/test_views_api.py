"""The findings screens, the API and ``biys findings import``: every action goes through the
services, refused files leave nothing behind, and the roles that must not see findings do not."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from biys.secops import services
from biys.secops.choices import ImportStatus, Severity, State
from biys.secops.models import Finding, RemediationTarget, ScanImport
from biys.secops.tests.conftest import SAMPLES, sample
from biys.secops.tests.factories import make_finding

pytestmark = pytest.mark.django_db


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample(name) if content is None else content)


# Screens -----------------------------------------------------------------------------------


def test_upload_imports_and_shows_the_counts(member, org_tree):
    client = page_client(member)
    response = client.post(
        reverse("secops:scanimport_add"),
        {"file": upload("scheme_2_many_vulns.json"), "unit": org_tree["network"].pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    scan_import = ScanImport.objects.get()
    assert scan_import.format == "trivy" and scan_import.status == ImportStatus.DONE
    detail = client.get(response["Location"]).content.decode()
    assert 'data-count="created">5<' in detail
    listed = client.get(reverse("secops:finding_list"), {"scanner": "trivy"}).content.decode()
    assert Finding.objects.first().get_absolute_url() in listed


def test_a_refused_file_shows_the_reason_at_the_field_and_imports_nothing(member, org_tree):
    client = page_client(member)
    truncated = sample("nessus_many_vuln.xml")[:3000]
    response = client.post(
        reverse("secops:scanimport_add"),
        {"file": upload("cut.nessus", truncated), "unit": org_tree["network"].pk},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors.get("file"), form.errors
    assert not ScanImport.objects.exists() and not Finding.objects.exists()
    wrong = client.post(
        reverse("secops:scanimport_add"),
        {"file": upload("x.txt", b"hello"), "unit": org_tree["network"].pk},
    )
    assert wrong.status_code == 400 and wrong.context["form"].errors.get("file")
    chosen = client.post(
        reverse("secops:scanimport_add"),
        {"file": upload("one_vuln.xml"), "format": "trivy", "unit": org_tree["network"].pk},
    )
    assert chosen.status_code == 400 and chosen.context["form"].errors.get("file")
    assert not ScanImport.objects.exists()


def test_a_large_file_imports_in_the_background_with_progress(member, org_tree, settings):
    settings.BIYS_FINDINGS_BACKGROUND_BYTES = 100
    client = page_client(member)
    response = client.post(
        reverse("secops:scanimport_add"),
        {"file": upload("nessus_many_vuln.xml"), "unit": org_tree["network"].pk},
    )
    assert response.status_code == 302
    scan_import = ScanImport.objects.get()
    # Without a broker the task runs in-process once the upload's transaction commits.
    assert scan_import.status in (ImportStatus.QUEUED, ImportStatus.DONE)
    if scan_import.status == ImportStatus.QUEUED:
        services.run_import(scan_import_id=scan_import.pk)
    progress = client.get(scan_import.get_absolute_url(), {"progress": "1"}).content.decode()
    assert 'data-status="done"' in progress and 'data-count="created">7<' in progress


def test_lifecycle_through_the_detail_page(member, lead, org_tree):
    finding = make_finding(org_tree["network"])
    client = page_client(member)
    detail = client.get(finding.get_absolute_url()).content.decode()
    assert 'data-action="start"' in detail and 'data-action="accept_risk"' not in detail
    url = lambda action: reverse("secops:finding_action", args=[finding.pk, action])  # noqa: E731
    assert client.post(url("start")).status_code == 302
    finding.refresh_from_db()
    assert finding.state == State.IN_REMEDIATION
    # a member may not accept a risk
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    refused = client.post(url("accept_risk"), {"accept_risk-note": "x", "accept_risk-until": until})
    assert refused.status_code == 403
    # the lead: a reason and an end are required
    lead_client = page_client(lead)
    assert (
        'data-action="accept_risk"' in lead_client.get(finding.get_absolute_url()).content.decode()
    )
    missing = lead_client.post(url("accept_risk"), {"accept_risk-note": "Yedek sistem"})
    assert missing.status_code == 400 and missing.context["form"].errors.get("until")
    done = lead_client.post(
        url("accept_risk"), {"accept_risk-note": "Yedek sistem", "accept_risk-until": until}
    )
    assert done.status_code == 302
    finding.refresh_from_db()
    assert finding.state == State.RISK_ACCEPTED and finding.risk_accepted_by == lead
    assert client.post(url("reopen"), {"reopen-note": "Gözden geçirme"}).status_code == 302
    assert client.post(url("fix")).status_code == 302
    finding.refresh_from_db()
    assert finding.state == State.FIXED
    # a step from the wrong state is a field error, nothing changes
    wrong = client.post(url("start"))
    assert wrong.status_code == 400
    assert client.post(f"{finding.get_absolute_url()}nonsense/").status_code == 404  # no step


def test_technicians_and_chiefs_do_not_see_findings(make_user, org_tree, member):
    finding = make_finding(org_tree["network"])
    for role in ("technician", "chief"):
        client = page_client(make_user(role, org_tree["dept"]))
        assert client.get(finding.get_absolute_url()).status_code == 404
        listed = client.get(reverse("secops:finding_list")).content.decode()
        assert finding.get_absolute_url() not in listed
        assert client.get(reverse("secops:overdue")).status_code == 403
        step = reverse("secops:finding_action", args=[finding.pk, "fix"])
        assert client.post(step).status_code == 404
        home = client.get("/").content.decode()
        assert reverse("secops:finding_list") not in home
        api = api_client(make_user(role, org_tree["dept"]))
        assert api.get(f"/api/v1/secops/findings/{finding.pk}/").status_code == 404
        assert api.get("/api/v1/secops/findings/").json()["results"] == []
    assert reverse("secops:finding_list") in page_client(member).get("/").content.decode()


def test_filters_and_overdue_per_unit(member, org_tree):
    today = timezone.localdate()
    late = make_finding(org_tree["network"], severity=Severity.CRITICAL,
                        due_date=today - timedelta(days=3), title="Apache Log4j RCE",
                        cves="CVE-2021-44228")  # fmt: skip
    on_time = make_finding(org_tree["helpdesk"], severity=Severity.LOW, host="web01.local")
    client = page_client(member)
    url = reverse("secops:finding_list")

    def listed(**query):
        html = client.get(url, query).content.decode()
        return {f.pk for f in (late, on_time) if f.get_absolute_url() in html}

    assert listed() == {late.pk, on_time.pk}
    assert listed(overdue="true") == {late.pk}
    assert listed(severity=Severity.LOW) == {on_time.pk}
    assert listed(q="CVE-2021-44228") == {late.pk}
    assert listed(q="web01") == {on_time.pk}
    assert listed(q="log4j") == set() or listed(q="Log4j") == {late.pk}
    assert listed(unit=org_tree["helpdesk"].pk) == {on_time.pk}
    assert listed(state="fixed") == set()
    assert listed(sort="-due_date") == {late.pk, on_time.pk}
    overdue = client.get(reverse("secops:overdue")).content.decode()
    assert org_tree["network"].name in overdue and org_tree["helpdesk"].name not in overdue


def test_remediation_targets_are_edited_by_the_lead_over_the_department(
    make_user, org_tree, lead, member
):
    target = RemediationTarget.objects.get(severity=Severity.CRITICAL)
    url = reverse("secops:remediationtarget_edit", args=[target.pk])
    assert page_client(member).post(url, {"days": 3}).status_code in (403, 404)
    branch_lead = make_user("some_lead", org_tree["network"])
    assert page_client(branch_lead).post(url, {"days": 3}).status_code in (403, 404)
    target.refresh_from_db()
    assert target.days == 7
    client = page_client(lead)
    assert client.get(url).status_code == 200
    assert client.post(url, {"days": 3}).status_code == 302
    target.refresh_from_db()
    assert target.days == 3
    api = api_client(lead)
    response = api.patch(f"/api/v1/secops/targets/{target.pk}/", {"days": 5}, format="json")
    assert response.status_code == 200 and response.json()["days"] == 5
    refused = api_client(member).patch(
        f"/api/v1/secops/targets/{target.pk}/", {"days": 9}, format="json"
    )
    assert refused.status_code == 403
    # the new target applies to findings imported from now on
    scan_import = services.import_content(
        user=lead, unit=org_tree["network"], content=sample("one_vuln.xml"), filename="a.xml"
    )
    assert scan_import.created_count == 1


# API ---------------------------------------------------------------------------------------


def test_api_upload_list_detail_and_refusal(member, org_tree):
    api = api_client(member)
    response = api.post(
        "/api/v1/secops/imports/",
        {"file": upload("nessus_many_vuln.xml"), "unit": org_tree["network"].pk},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "done" and body["created_count"] == 7
    assert api.get(f"/api/v1/secops/imports/{body['id']}/").json()["format"] == "nessus"
    findings = api.get("/api/v1/secops/findings/", {"severity": Severity.INFO}).json()
    assert findings["results"] and all(row["severity"] == 0 for row in findings["results"])
    assert len(api.get("/api/v1/secops/findings/").json()["results"]) == 7
    refused = api.post(
        "/api/v1/secops/imports/",
        {
            "file": upload("x.json", b'{"SchemaVersion": 2, "Results": ['),
            "unit": org_tree["network"].pk,
        },
        format="multipart",
    )
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "file" in refused.json()["errors"]
    assert ScanImport.objects.count() == 1


def test_api_lifecycle_and_unit_scope(member, lead, make_user, org_tree):
    finding = make_finding(org_tree["network"])
    api = api_client(member)
    base = f"/api/v1/secops/findings/{finding.pk}"
    assert api.post(f"{base}/start/", {}, format="json").json()["state"] == "in_remediation"
    until = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert api.post(f"{base}/accept-risk/", {"note": "x", "until": until}).status_code == 403
    refused = api_client(lead).post(f"{base}/accept-risk/", {"note": "x"}, format="json")
    assert refused.status_code == 400 and "until" in refused.json()["errors"]
    accepted = api_client(lead).post(
        f"{base}/accept-risk/", {"note": "x", "until": until}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "risk_accepted"
    elsewhere = api_client(make_user("some_member", org_tree["roads"]))
    assert elsewhere.get(f"{base}/").status_code == 404
    assert elsewhere.post(f"{base}/fix/", {}, format="json").status_code == 404
    outside_unit = elsewhere.post(
        "/api/v1/secops/imports/",
        {"file": upload("one_vuln.xml"), "unit": org_tree["network"].pk},
        format="multipart",
    )
    assert outside_unit.status_code == 403 and not ScanImport.objects.exists()


def test_api_targets(lead, org_tree):
    api = api_client(lead)
    rows = api.get("/api/v1/secops/targets/").json()["results"]
    assert {row["severity"]: row["days"] for row in rows}[Severity.CRITICAL] == 7


# Command line ------------------------------------------------------------------------------


def run_cli(*args) -> tuple[dict, Exception | None]:
    from io import StringIO

    out = StringIO()
    error = None
    try:
        call_command("findings", "import", *args, "--json", stdout=out)
    except CommandError as raised:
        error = raised
    return json.loads(out.getvalue()), error


def test_cli_imports_and_counts(org_tree):
    data, error = run_cli(str(SAMPLES / "scheme_2_many_vulns.json"))
    assert error is None
    assert (data["created"], data["updated"], data["reopened"], data["skipped"]) == (5, 0, 0, 0)
    Finding.objects.filter(cves__contains="CVE").update(state=State.FIXED)
    data, error = run_cli(str(SAMPLES / "scheme_2_many_vulns.json"), "--format", "trivy")
    assert error is None and data["reopened"] >= 1 and data["created"] == 0


def test_cli_refuses_a_bad_file_with_nothing_imported(org_tree, tmp_path):
    bad = tmp_path / "cut.nessus"
    bad.write_bytes(sample("nessus_many_vuln.xml")[:5000])
    data, error = run_cli(str(bad))
    assert isinstance(error, CommandError) and error.returncode == 1
    assert data["imported"] is False and data["errors"]["file"]
    assert not ScanImport.objects.exists() and not Finding.objects.exists()
    # the connection is still usable afterwards (PostgreSQL: no aborted transaction)
    assert connection.is_usable()
    data, error = run_cli(str(SAMPLES / "one_vuln.xml"))
    assert error is None and data["created"] == 1


@pytest.mark.django_db(transaction=True)
def test_the_biys_command_exits_non_zero_on_a_refused_file(org_tree, tmp_path, capsys):
    """Through ``biys`` itself, as an operator runs it: Django closes every connection when a
    command ends, so this runs outside a test transaction (on PostgreSQL a closed connection
    inside one would leave the test's own transaction broken, not the import)."""
    from biys.cli import main

    bad = tmp_path / "cut.json"
    bad.write_bytes(sample("scheme_2_many_vulns.json")[:700])
    with pytest.raises(SystemExit) as exited:
        main(["findings", "import", str(bad), "--json"])
    assert exited.value.code == 1
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] is False and "file" in out["errors"]
    assert not ScanImport.objects.exists() and not Finding.objects.exists()
    main(["findings", "import", str(SAMPLES / "one_vuln.xml"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["created"] == 1 and ScanImport.objects.get().status == ImportStatus.DONE


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_pages_outside_the_generic_views_speak_one_language(language, lead, org_tree):
    """The upload form, a lifecycle step's page, the overdue list and an import's progress (the
    generic pages are in tests/i18n)."""
    from django.conf import settings

    from tests.i18n.test_ui_language import data_strings, leaks, visible_text

    finding = make_finding(
        org_tree["network"], due_date=timezone.localdate() - timedelta(days=2), title="Weak TLS"
    )
    scan_import = ScanImport.objects.create(
        unit=org_tree["network"], filename="x.json", format="trivy", status=ImportStatus.RUNNING
    )
    client = page_client(lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    urls = [
        reverse("secops:scanimport_add"),
        reverse("secops:overdue"),
        reverse("secops:finding_action", args=[finding.pk, "accept_risk"]),
        scan_import.get_absolute_url(),
        finding.get_absolute_url(),
    ]
    data = data_strings()
    problems = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = "\n".join(visible_text(response.content.decode()))
        problems += [f"{url}: {leak}" for leak in leaks(language, text, data)]
    assert not problems, "\n".join(problems)
