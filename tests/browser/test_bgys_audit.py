"""An internal audit in Chromium: the BGYS manager plans an audit, draws its checklist from the
framework (up to level 2), starts it, records a nonconforming result and its finding, which
opens a corrective action (DÖF); the owner completes the action, the manager (not the owner)
verifies its effectiveness and closes it, writes the conclusion, issues the report (PDF) and
closes the audit. The internal auditor named on it reads it, the evidence file included, and
changes nothing. Leaves the
screenshot bgys-audit.png (the audit's findings)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_audit_with_a_nonconformity_and_its_corrective_action(
    page, context, login_as, make_user, org_tree, screenshot, settings, tmp_path
):
    from biys.bgys import audit_services as services
    from biys.bgys.models import Audit, CorrectiveAction
    from biys.bgys.tests.factories import small_framework

    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = tmp_path / "envanter-kaydi.pdf"
    evidence.write_bytes(PDF)
    framework = small_framework()
    manager = make_user("bgys_manager", org_tree["dept"])
    owner = make_user(None, org_tree["network"])
    auditor = make_user("bgys_auditor", org_tree["dept"])
    login_as(manager)

    # The audit, planned on its page.
    page.goto("/bgys/audits/add/")
    page.fill("#id_title", "Ağ ve sistemler iç denetimi")
    page.locator("#id_unit").select_option(str(org_tree["network"].pk))
    page.locator("#id_framework").select_option(str(framework.pk))
    page.fill("#id_scope", "Merkez bina ağı, sunucular ve güvenlik duvarları")
    page.locator("#id_auditors").select_option([str(auditor.person_id)])
    page.fill("#id_planned_start", "2026-03-02")
    page.fill("#id_planned_end", "2026-03-06")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#object-list")).to_contain_text("Ağ ve sistemler iç denetimi")
    audit = Audit.objects.get()

    # The checklist, drawn from the framework up to level 2; then the audit starts.
    page.goto(audit.get_absolute_url() + "?tab=checklist")
    page.get_by_test_id("checklist-draw").locator("select[name=level]").select_option("2")
    page.get_by_test_id("checklist-draw").locator("button[type=submit]").click()
    expect(page.get_by_test_id("checklist").locator("tbody tr")).to_have_count(3)
    page.get_by_test_id("audit-start").click()
    expect(page.get_by_test_id("audit-state")).to_have_text("Devam ediyor")

    # One measure is not met: its result, then the finding.
    page.goto(audit.get_absolute_url() + "?tab=checklist")
    page.get_by_test_id("record-3.1.1.1").click()
    page.locator("#id_result").select_option("nonconforming")
    page.fill("#id_notes", "Ağ cihazlarının envanteri altı aydır güncellenmemiş.")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("tr[data-measure='3.1.1.1']")).to_contain_text("Uygun değil")
    first_item = audit.items.get(measure__number="3.1.1.1")
    page.goto(first_item.get_absolute_url())
    page.get_by_role("tab", name="Ekler").click()
    page.set_input_files("#id_attachment_file", str(evidence))
    page.fill("#id_attachment_description", "Envanter kaydının dökümü")
    page.locator("#attachments-panel form button[type=submit]").last.click()
    expect(page.locator("#attachments-panel")).to_contain_text("envanter-kaydi.pdf")
    for item in audit.items.exclude(measure__number="3.1.1.1"):
        services.record_result(item=item, user=manager, result="conforming", notes="Görüldü")

    page.goto(audit.get_absolute_url() + "?tab=findings")
    page.get_by_test_id("add-finding").click()
    page.locator("#id_kind").select_option("minor")
    page.locator("#id_checklist_item").select_option(str(first_item.pk))
    page.fill("#id_description", "Ağ cihazı envanteri güncel tutulmuyor.")
    page.locator("#main-content form button[type=submit]").first.click()
    action = CorrectiveAction.objects.get()
    assert action.state == "open" and action.due_date

    # The corrective action: its owner named, the owner completes it.
    page.goto(f"/bgys/corrective-actions/{action.pk}/edit/")
    page.locator("#id_owner").select_option(str(owner.person_id))
    page.locator("#main-content form button[type=submit]").first.click()
    login_as(owner)
    page.goto(action.get_absolute_url())
    form = page.get_by_test_id("dof-complete-form")
    form.locator("textarea[name=root_cause]").fill("Envanter sorumlusu atanmamış.")
    form.locator("textarea[name=actions]").fill("Sorumlu atandı; aylık kontrol takvime eklendi.")
    form.locator("textarea[name=notes]").fill("Envanter güncellendi.")
    page.get_by_test_id("dof-complete").click()
    expect(page.get_by_test_id("dof-state")).to_have_text("Doğrulama bekliyor")
    expect(page.get_by_test_id("dof-verify-form")).to_have_count(0)  # not by the owner

    # The manager verifies its effectiveness and closes it.
    login_as(manager)
    page.goto(action.get_absolute_url())
    verify = page.get_by_test_id("dof-verify-form")
    verify.locator("input[name=effective][value=yes]").check()
    verify.locator("textarea[name=notes]").fill("Mart envanteri yerinde incelendi.")
    page.get_by_test_id("dof-verify").click()
    expect(page.get_by_test_id("dof-state")).to_have_text("Doğrulanmış")
    page.get_by_test_id("dof-close").click()
    expect(page.get_by_test_id("dof-state")).to_have_text("Kapatıldı")

    # The conclusion, the report, the closure.
    page.goto(f"/bgys/audits/{audit.pk}/edit/")
    page.fill("#id_conclusion", "Envanter dışındaki tedbirler uygulanıyor.")
    page.locator("#main-content form button[type=submit]").first.click()
    page.goto(audit.get_absolute_url())
    page.get_by_test_id("audit-report-issue").click()
    expect(page.get_by_test_id("audit-state")).to_have_text("Raporlandı")
    report = page.request.get(f"/bgys/audits/{audit.pk}/report/")
    assert report.ok and report.headers["content-type"] == "application/pdf"
    page.get_by_test_id("audit-close").click()
    expect(page.get_by_test_id("audit-state")).to_have_text("Kapatıldı")
    page.goto(audit.get_absolute_url() + "?tab=findings")
    expect(page.get_by_test_id("findings")).to_contain_text("Küçük uygunsuzluk")
    screenshot(page, "bgys-audit")

    # The auditor named on it reads it, evidence and all, and has nothing to press.
    login_as(auditor)
    page.goto("/bgys/audits/assigned/")
    expect(page.locator("#object-list")).to_contain_text("Ağ ve sistemler iç denetimi")
    page.goto(audit.get_absolute_url() + "?tab=checklist")
    expect(page.get_by_test_id("checklist").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("checklist-draw")).to_have_count(0)
    expect(page.locator("a[href$='/edit/']")).to_have_count(0)
    page.goto(first_item.get_absolute_url())
    page.get_by_role("tab", name="Ekler").click()
    expect(page.locator("#attachments-panel")).to_contain_text("envanter-kaydi.pdf")
    expect(page.locator("#id_attachment_file")).to_have_count(0)  # reads, adds nothing
    audit.refresh_from_db()
    assert audit.state == "closed"
