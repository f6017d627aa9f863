"""The archive's year-end in Chromium: the department head picks the year, finds the file due
for destruction, approves the commission's decision (number, date, members), and the
document's page then says it was destroyed, by which decision; the administrator previews a
file plan from a CSV and loads it. Leaves the screenshot evrak-arsiv.png."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_year_end_destruction_and_file_plan_import(
    page, login_as, make_user, org_tree, screenshot, tmp_path
):
    from biys.evrak import services
    from biys.evrak.models import IncomingDocument, SdpCode
    from biys.evrak.tests.factories import make_document
    from biys.org.pickers import person_label

    head = make_user("department_head", org_tree["dept"], first_name="Selin", last_name="Aydın")
    members = [
        make_user(None, org_tree["dept"], first_name=first, last_name=last).person
        for first, last in (("Ali", "Yılmaz"), ("Zeynep", "Çelik"), ("Can", "Öztürk"))
    ]
    code = SdpCode.objects.create(
        code="042",
        title="İstatistikler",
        unit_retention_years=2,
        archive_retention_years=8,
        final_disposition="destroy",
    )
    document = make_document(
        org_tree["network"], subject="2015 yılı bilgi işlem istatistikleri", sdp_code=code
    )
    file = services.file_for(unit=org_tree["network"], sdp_code=code, year=2015)
    IncomingDocument.objects.filter(pk=document.pk).update(file=file, notes="Tablolar ekte.")

    login_as(head)
    page.goto("/evrak/year-end/?year=2025")
    expect(page.locator(f"#due-destroy tr[data-file='{file.pk}']")).to_be_visible()
    form = page.locator("#approve-destroy")
    form.locator("[name=destroy-decision_number]").fill("2025/3")
    form.locator("[name=destroy-members]").select_option([str(p.pk) for p in members])
    page.locator("#due-destroy").scroll_into_view_if_needed()
    screenshot(page, "evrak-arsiv")
    form.locator("button[type=submit]").click()
    expect(page.locator("#due-destroy")).to_contain_text("Süresi dolan dosya yok")

    page.goto(document.get_absolute_url())
    expect(page.locator("#document-destroyed")).to_contain_text("2025/3")
    # the commission named as the pickers name people: name and unit
    expect(page.locator("#document-destroyed")).to_contain_text(person_label(members[1]))

    admin = make_user(None, None, superuser=True)
    login_as(admin)
    plan = tmp_path / "sdp.csv"
    plan.write_bytes(
        "\ufeffkod;başlık;birim;kurum;son işlem\n010.03;Yönetmelikler;5;10;Devlet Arşivi\n".encode()
    )
    page.goto("/evrak/sdp/")
    page.locator("#sdp-import").click()
    page.locator("#id_file").set_input_files(str(plan))
    page.locator("#sdp-upload button[type=submit]").click()
    expect(page.locator("tr[data-code='010.03']")).to_have_attribute("data-effect", "new")
    page.locator("#sdp-load button[type=submit]").click()
    page.wait_for_url("**/evrak/sdp/")
    assert SdpCode.objects.get(code="010.03").unit_retention_years == 5
