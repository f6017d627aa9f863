"""BGYS in Chromium: the BGYS manager (over the whole municipality) loads the national guide,
answers the criticality questionnaire for one asset group (level 2), sees its applicable
measures and puts them on the Statement of Applicability, records the evidence of one measure
(state, link, an attached file), exports the SoA as CSV for Turkish Excel, and reads the
compliance dashboard. Leaves screenshots bgys-framework.png, bgys-assessment.png,
bgys-entry.png, bgys-soa.png and bgys-dashboard.png."""

import csv
import io

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# 3+3+3+2+2+2+2+3 = 20 points: level 2
ANSWERS = {1: "c", 2: "c", 3: "c", 4: "b", 5: "b", 6: "b", 7: "b", 8: "c"}


def test_load_the_guide_answer_the_questionnaire_record_evidence_export_the_soa(
    page, login_as, make_user, org_tree, screenshot, tmp_path, settings
):
    from biys.accounts.models import Role, RoleAssignment
    from biys.bgys.models import ApplicabilityEntry, Assessment, InformationAsset
    from biys.org.models import Unit

    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = tmp_path / "envanter-raporu.pdf"
    evidence.write_bytes(PDF)
    manager = make_user("bgys_manager", org_tree["dept"])
    role = Role.objects.get(slug="bgys_manager")
    for root in Unit.objects.filter(parent__isnull=True).exclude(pk=org_tree["dept"].pk):
        RoleAssignment.objects.create(user=manager, role=role, unit=root, include_subtree=True)
    login_as(manager)

    # Load the guide from its shipped file.
    page.goto("/bgys/frameworks/load/")
    page.locator("#id_slug").select_option("bilgi-ve-iletisim-guvenligi-rehberi")
    page.get_by_test_id("load-framework").click()
    expect(page.get_by_test_id("measure-count")).to_have_text("660")
    expect(page.locator("[data-attribution]").first).to_contain_text("CC BY 4.0")
    page.get_by_role("tab", name="Bölümler").click()
    expect(page.locator("#main-content")).to_contain_text("Donanım Varlıklarının Envanter Yönetimi")
    screenshot(page, "bgys-framework")

    # The criticality questionnaire for the IT department's central network.
    page.goto("/bgys/assessments/add/")
    page.locator("#id_unit").select_option(label=str(org_tree["network"]))
    page.locator("#id_asset_group").select_option(label="Ağ ve Sistemler")
    page.fill("#id_name", "Merkez bina ağ ve BT sistemi")
    for number, letter in ANSWERS.items():
        page.locator(f"input[name=q{number}][value={letter}]").check()
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#object-list")).to_contain_text("Merkez bina ağ ve BT sistemi")
    assessment = Assessment.objects.get()
    assert (assessment.score, assessment.level) == (20, 2)
    page.goto(assessment.get_absolute_url())
    expect(page.get_by_test_id("score")).to_have_text("20")
    expect(page.get_by_test_id("level")).to_contain_text("2")

    # Its applicable measures (levels 1 and 2 of Ağ ve Sistem Güvenliği), onto the SoA.
    page.get_by_role("tab", name="Uygulanabilir tedbirler").click()
    measures = page.get_by_test_id("applicable-measures")
    expect(measures).to_contain_text("3.1.1.1")
    expect(measures).not_to_contain_text("3.2.1.1")
    page.get_by_test_id("add-to-soa").click()
    expect(page.locator("#main-content")).to_contain_text("Uygulanabilirlik Bildirgesine")
    count = ApplicabilityEntry.objects.filter(assessment=assessment).count()
    assert count == int(page.get_by_test_id("applicable-count").inner_text()) > 100
    screenshot(page, "bgys-assessment")

    # Evidence for 3.1.1.1: state, a link, a file.
    entry = ApplicabilityEntry.objects.get(assessment=assessment, measure__number="3.1.1.1")
    page.goto(f"/bgys/soa/{entry.pk}/edit/")
    page.locator("#id_state").select_option("fully")
    page.fill("#id_reason", "Donanım envanteri BİYS Envanter modülünde tutuluyor.")
    page.fill("#id_evidence_links", "/inventory/assets/")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.get_by_test_id("evidence-links")).to_contain_text("/inventory/assets/")
    page.get_by_role("tab", name="Ekler").click()
    page.set_input_files("#id_attachment_file", str(evidence))
    page.fill("#id_attachment_description", "Envanter raporu")
    page.locator("#attachments-panel form button[type=submit]").last.click()
    expect(page.locator("#attachments-panel")).to_contain_text("envanter-raporu.pdf")
    entry.refresh_from_db()
    assert entry.state == "fully"
    screenshot(page, "bgys-entry")

    # The SoA, filtered to the recorded state, and its CSV for Turkish Excel.
    page.goto("/bgys/soa/?state=fully")
    table = page.locator("#object-list")
    expect(table).to_contain_text("Donanım Envanterinin Yönetimi")
    screenshot(page, "bgys-soa")
    table.get_by_role("button", name="Dışa aktar").click()
    with page.expect_download() as download_info:
        table.get_by_role("link", name="CSV (süzülen tüm satırlar)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    raw = download.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Tedbir" and len(rows) == 2
    assert rows[1][0] == "3.1.1.1" and "Tamamen uygulanıyor" in rows[1]

    # More of the SoA recorded, then the compliance dashboard (linked from the side menu).
    ids = list(
        ApplicabilityEntry.objects.filter(assessment=assessment)
        .order_by("measure__position")
        .values_list("pk", flat=True)
    )
    ApplicabilityEntry.objects.filter(pk__in=ids[1:70]).update(state="fully")
    ApplicabilityEntry.objects.filter(pk__in=ids[70:100]).update(state="mostly")
    ApplicabilityEntry.objects.filter(pk__in=ids[100:120]).update(state="none")
    for name, number in (("Merkez bina ağı", 1), ("Veri merkezi", 1), ("e-Belediye", 2)):
        InformationAsset.objects.create(
            unit=org_tree["network"], name=name, kind="system",
            asset_group=assessment.framework.asset_groups.get(number=number),
        )  # fmt: skip
    page.goto("/bgys/compliance/")
    expect(page.locator('#sidebar-menu a[href="/bgys/compliance/"]')).to_be_attached()
    expect(page.get_by_test_id("total-applicable")).to_have_text(str(count))
    expect(page.get_by_test_id("total-rate")).to_have_text(f"%{round(100 * 70 / count)}")
    groups = page.get_by_test_id("compliance-groups")
    expect(groups).to_contain_text("Ağ ve Sistemler")
    expect(page.get_by_test_id("total-assets")).to_have_text("3")
    expect(
        groups.locator(f'tr[data-group="{assessment.asset_group_id}"][data-level="1"]')
    ).to_contain_text("Seviye 1")
    expect(page.get_by_test_id("compliance-units")).to_contain_text(str(org_tree["network"]))
    screenshot(page, "bgys-dashboard")
