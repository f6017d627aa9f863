"""The internal audit screens and API: an audit run through the pages, the same through the
API (with 400 problem details for a refused step), the auditor's read-only view, overdue
corrective actions, lists that read a constant number of queries, and the audit report PDF in
Turkish."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from biys.bgys.models import (
    Audit,
    AuditPlan,
    AuditState,
    ChecklistItem,
    CorrectiveAction,
    CorrectiveState,
    Finding,
)
from biys.bgys.tests.factories import (
    make_audit,
    make_corrective_action,
    make_finding,
    make_management_review,
    make_review_action,
    small_framework,
)

pytestmark = pytest.mark.django_db


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_audit_runs_through_the_pages(client, manager, make_user, org_tree):
    framework = small_framework()
    client.force_login(manager)
    response = client.post(
        reverse("bgys:auditplan_add"),
        {"unit": org_tree["network"].pk, "year": 2026, "title": "2026 iç denetim planı"},
    )
    assert response.status_code == 302
    plan = AuditPlan.objects.get()
    response = client.post(
        reverse("bgys:audit_add"),
        {
            "title": "Ağ ve sistemler iç denetimi",
            "plan": plan.pk,
            "unit": org_tree["network"].pk,
            "framework": framework.pk,
            "scope": "Merkez bina ağı",
            "audited_units": [org_tree["network"].pk, org_tree["helpdesk"].pk],
            "auditors": [manager.person_id],
            "planned_start": "2026-03-02",
            "planned_end": "2026-03-06",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    audit = Audit.objects.get()
    assert set(audit.audited_units.all()) == {org_tree["network"], org_tree["helpdesk"]}
    page = client.get(audit.get_absolute_url() + "?tab=checklist").content.decode()
    assert 'data-testid="checklist-draw"' in page and 'data-testid="audit-start"' in page

    draw = reverse("bgys:checklist_draw", args=[audit.pk])
    client.post(draw, {"asset_group": framework.asset_groups.get().pk, "level": "1"})
    assert audit.items.count() == 2
    client.post(reverse("bgys:audit_action", args=[audit.pk, "start"]))
    audit.refresh_from_db()
    assert audit.state == AuditState.IN_PROGRESS

    first, second = audit.items.order_by("position")
    edit = reverse("bgys:checklistitem_edit", args=[first.pk])
    assert client.post(edit, {"result": "nonconforming", "notes": "Eksik"}).status_code == 302
    client.post(
        reverse("bgys:checklistitem_edit", args=[second.pk]), {"result": "conforming", "notes": ""}
    )
    response = client.post(
        reverse("bgys:finding_add"),
        {
            "audit": audit.pk,
            "kind": "major",
            "checklist_item": first.pk,
            "measure": "",
            "description": "Envanter yok",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    action = CorrectiveAction.objects.get()
    assert action.finding.measure_id == first.measure_id

    # Reporting needs the conclusion: the refusal is a message, nothing changes.
    client.post(reverse("bgys:audit_action", args=[audit.pk, "report"]))
    audit.refresh_from_db()
    assert audit.state == AuditState.IN_PROGRESS

    # The owner completes the action from its page; someone else verifies and closes it.
    owner = make_user(None, org_tree["network"])
    CorrectiveAction.objects.filter(pk=action.pk).update(owner=owner.person)
    owner_client = type(client)()
    owner_client.force_login(owner)
    page = owner_client.get(action.get_absolute_url()).content.decode()
    assert 'data-testid="dof-complete-form"' in page
    step = reverse("bgys:correctiveaction_step", args=[action.pk, "complete"])
    owner_client.post(
        step, {"root_cause": "Sorumlu yok", "actions": "Sorumlu atandı", "notes": "Güncellendi"}
    )
    action.refresh_from_db()
    assert action.state == CorrectiveState.IMPLEMENTED
    verify = reverse("bgys:correctiveaction_step", args=[action.pk, "verify"])
    owner_client.post(verify, {"effective": "yes", "notes": "Kendim baktım"})
    action.refresh_from_db()
    assert action.state == CorrectiveState.IMPLEMENTED  # the owner does not verify
    client.post(verify, {"effective": "yes", "notes": "Yerinde incelendi"})
    client.post(reverse("bgys:correctiveaction_step", args=[action.pk, "close"]))
    action.refresh_from_db()
    assert action.state == CorrectiveState.CLOSED

    Audit.objects.filter(pk=audit.pk).update(conclusion="Genel olarak uygun")
    client.post(reverse("bgys:audit_action", args=[audit.pk, "report"]))
    client.post(reverse("bgys:audit_action", args=[audit.pk, "close"]))
    audit.refresh_from_db()
    assert audit.state == AuditState.CLOSED


def test_an_audit_runs_through_the_api(manager, make_user, org_tree):
    framework = small_framework()
    api = api_client(manager)
    created = api.post(
        "/api/v1/bgys/audits/",
        {
            "unit": org_tree["network"].pk,
            "title": "API denetimi",
            "framework": framework.pk,
            "scope": "Sunucular",
            "planned_start": "2026-03-02",
            "planned_end": "2026-03-06",
            "auditors": [manager.person_id],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/bgys/audits/{created.json()['id']}/"
    refused = api.post(url + "start/")
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    drawn = api.post(url + "draw-checklist/", {"level": 2}, format="json")
    assert drawn.json() == {"added": 3}
    assert api.post(url + "start/").json()["state"] == "in_progress"

    items = api.get("/api/v1/bgys/checklist/", {"audit": created.json()["id"]}).json()["results"]
    assert len(items) == 3
    for item in items:
        api.patch(f"/api/v1/bgys/checklist/{item['id']}/", {"result": "conforming"}, format="json")
    api.patch(
        f"/api/v1/bgys/checklist/{items[0]['id']}/", {"result": "nonconforming"}, format="json"
    )
    finding = api.post(
        "/api/v1/bgys/findings/",
        {
            "audit": created.json()["id"],
            "kind": "minor",
            "checklist_item": items[0]["id"],
            "description": "Yedekler sınanmıyor",
        },
        format="json",
    )
    assert finding.status_code == 201, finding.content
    action_id = finding.json()["corrective_action"]
    action_url = f"/api/v1/bgys/corrective-actions/{action_id}/"
    action = api.get(action_url).json()
    assert action["state"] == "open" and action["due_date"]

    owner = make_user(None, org_tree["network"])
    api.patch(action_url, {"owner": owner.person_id, "due_working_days": 10}, format="json")
    as_owner = api_client(owner)
    assert as_owner.patch(action_url, {"root_cause": "x"}, format="json").status_code == 403
    done = as_owner.post(
        action_url + "complete/",
        {"notes": "Yedek testi yapıldı", "root_cause": "Prosedür yok", "actions": "Prosedür"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["state"] == "implemented"
    own = as_owner.post(action_url + "verify/", {"effective": True, "notes": "x"}, format="json")
    assert own.status_code == 400
    assert api.post(action_url + "close/").status_code == 400  # not verified yet
    verified = api.post(
        action_url + "verify/", {"effective": True, "notes": "Test kaydı görüldü"}, format="json"
    )
    assert verified.json()["state"] == "verified"
    assert api.post(action_url + "close/").json()["state"] == "closed"

    api.patch(url, {"conclusion": "Uygun"}, format="json")
    assert api.post(url + "report/").json()["state"] == "reported"
    assert api.post(url + "close/").json()["state"] == "closed"


def test_the_auditor_reads_their_audits_and_changes_nothing(client, make_user, org_tree):
    auditor = make_user("bgys_auditor", org_tree["network"])
    named = make_audit(org_tree["network"])
    other = make_audit(org_tree["network"])
    finding = make_finding(org_tree["network"], checklist_item=named.items.first())
    named.auditors.add(auditor.person)

    api = api_client(auditor)
    audits = api.get("/api/v1/bgys/audits/").json()
    assert [row["id"] for row in audits["results"]] == [named.pk]
    assert api.get(f"/api/v1/bgys/audits/{other.pk}/").status_code == 404
    actions = api.get("/api/v1/bgys/corrective-actions/").json()["results"]
    assert [row["id"] for row in actions] == [finding.corrective_action.pk]
    item = named.items.first()
    response = api.patch(f"/api/v1/bgys/checklist/{item.pk}/", {"notes": "x"}, format="json")
    assert response.status_code == 403
    assert api.post(f"/api/v1/bgys/audits/{named.pk}/report/").status_code == 403

    client.force_login(auditor)
    page = client.get(named.get_absolute_url()).content.decode()
    assert named.title in page and 'data-testid="audit-start"' not in page
    assert "Düzenle" not in page and "Edit" not in page.split("</nav>")[-1]
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("bgys:checklistitem_edit", args=[item.pk])).status_code == 404
    mine = client.get(reverse("bgys:audit_assigned")).content.decode()
    assert named.title in mine and other.title not in mine
    assert client.get(item.get_absolute_url()).status_code == 200
    assert client.get(reverse("bgys:audit_report", args=[named.pk])).status_code == 200
    assert client.get(reverse("bgys:audit_report", args=[other.pk])).status_code == 404


def test_overdue_corrective_actions_are_listed(client, manager, org_tree):
    late = make_corrective_action(org_tree["network"])
    CorrectiveAction.objects.filter(pk=late.pk).update(due_date=datetime.date(2020, 1, 2))
    on_time = make_corrective_action(org_tree["network"])
    CorrectiveAction.objects.filter(pk=on_time.pk).update(due_date=datetime.date(2099, 1, 2))
    closed = make_corrective_action(org_tree["network"], state="closed")
    CorrectiveAction.objects.filter(pk=closed.pk).update(due_date=datetime.date(2020, 1, 2))
    client.force_login(manager)
    listed = api_client(manager).get("/api/v1/bgys/corrective-actions/", {"overdue": "true"})
    assert [row["id"] for row in listed.json()["results"]] == [late.pk]
    page = client.get(reverse("bgys:correctiveaction_list"), {"overdue": "true"})
    assert page.status_code == 200
    text = page.content.decode()
    assert f'/corrective-actions/{late.pk}/"' in text
    assert f'/corrective-actions/{on_time.pk}/"' not in text


def test_lists_read_a_constant_number_of_queries(client, manager, org_tree):
    client.force_login(manager)
    api = api_client(manager)
    urls = [
        reverse("bgys:audit_list"),
        reverse("bgys:auditplan_list"),
        reverse("bgys:checklistitem_list"),
        reverse("bgys:finding_list"),
        reverse("bgys:correctiveaction_list"),
        reverse("bgys:managementreview_list"),
        reverse("bgys:reviewaction_list"),
    ]
    api_urls = [
        "/api/v1/bgys/audits/",
        "/api/v1/bgys/checklist/",
        "/api/v1/bgys/findings/",
        "/api/v1/bgys/corrective-actions/",
        "/api/v1/bgys/management-reviews/",
        "/api/v1/bgys/review-actions/",
    ]

    def add_rows():
        audit = make_audit(org_tree["network"])
        AuditPlan.objects.create(unit=org_tree["network"], year=2026, title="Plan")
        make_finding(org_tree["network"], checklist_item=audit.items.first())
        make_review_action(org_tree["network"], review=make_management_review(org_tree["network"]))
        return audit

    def counts(audit):
        result = []
        tabs = [audit.get_absolute_url() + f"?tab={tab}" for tab in ("checklist", "findings")]
        for url in [*urls, *tabs, audit.get_absolute_url() + "?tab=actions"]:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            result.append(len(queries))
        for url in api_urls:
            with CaptureQueriesContext(connection) as queries:
                assert api.get(url).status_code == 200, url
            result.append(len(queries))
        return result

    audit = add_rows()
    counts(audit)  # the caches a first request fills
    few = counts(audit)
    for _ in range(4):
        add_rows()
    framework = audit.framework
    section = framework.sections.get(number="3.1.1")
    for n in range(5, 15):
        measure = framework.measures.create(section=section, number=f"3.1.1.{n}", level=1)
        item = ChecklistItem.objects.create(audit=audit, measure=measure, position=n)
        if n % 3 == 0:  # findings (and their corrective actions) on the audit's tabs
            make_finding(org_tree["network"], checklist_item=item)
    assert counts(audit) == few


def test_the_report_prints_in_turkish(client, manager, org_tree):
    from pypdf import PdfReader

    finding = make_finding(org_tree["network"], description="Güvenlik duvarı kuralları gözden")
    audit = finding.audit
    audit.auditors.add(manager.person)
    audit.conclusion = "Denetim kapsamındaki tedbirlerin çoğu uygulanıyor; şifre politikası eksik."
    audit.save()
    item = audit.items.order_by("position").last()
    item.result, item.notes = "conforming", "Çizelgeler incelendi, ağ şeması güncel"
    item.save()
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("bgys:audit_report", args=[audit.pk]))
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    for expected in (
        "İç Denetim Raporu",
        audit.title,
        "Küçük uygunsuzluk",
        "Güvenlik duvarı kuralları gözden",
        "şifre politikası eksik",
        "Çizelgeler incelendi, ağ şeması güncel",
        "Uygun",
        "Düzeltici ve önleyici faaliyet",
        "Baş denetçi",
        audit.framework.attribution,
    ):
        assert expected in text, expected


def test_bad_input_is_a_field_error_not_a_500(client, manager, org_tree):
    audit = make_audit(org_tree["network"])
    client.force_login(manager)
    response = client.post(
        reverse("bgys:finding_add"),
        {
            "audit": audit.pk,
            "kind": "minor",
            "description": "x",
            "measure": "",
            "checklist_item": "",
        },
    )
    assert response.status_code == 200 and not Finding.objects.exists()
    api = api_client(manager)
    response = api.post(
        "/api/v1/bgys/audits/",
        {
            "unit": org_tree["network"].pk,
            "title": "Ters tarih",
            "framework": audit.framework_id,
            "scope": "x",
            "planned_start": "2026-03-06",
            "planned_end": "2026-03-02",
        },
        format="json",
    )
    assert response.status_code == 400 and "planned_end" in response.content.decode()
    action = make_corrective_action(org_tree["network"])
    response = api.patch(
        f"/api/v1/bgys/corrective-actions/{action.pk}/", {"due_working_days": 0}, format="json"
    )
    assert response.status_code == 400
