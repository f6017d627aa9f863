"""The CİMER import in Chromium: the applications clerk opens the import page from the menu and
uploads the channel's export file; the preview marks the row whose date is not a date and
offers no import; the corrected file previews clean (one row, already recorded, skipped), is
imported, and its applications appear in the list with the due date CİMER set. Leaves the
screenshot applications-import.png."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "Başvuru No;Başvuru Tarihi;Adı Soyadı;Konu;Başvuru Metni;Son Cevap Tarihi;E-posta"


def export_file(rows: list[str]) -> dict:
    text = "\n".join([HEADER, *rows]) + "\n"
    return {"name": "cimer.csv", "mimeType": "text/csv", "buffer": ("\ufeff" + text).encode()}


def test_a_cimer_export_is_previewed_corrected_and_imported(
    page, login_as, make_user, org_tree, screenshot
):
    from biys.applications import services
    from biys.applications.choices import PeriodUnit
    from biys.applications.models import Application
    from biys.applications.selectors import today
    from biys.applications.tests.factories import make_application_type
    from biys.calendar.selectors import get_calendar

    cimer = make_application_type(
        org_tree["network"], code="cimer", name="CİMER başvurusu", period=30,
        period_unit=PeriodUnit.DAYS, extended_period=None, channel_sets_period=True,
    )  # fmt: skip
    clerk = make_user("applications_clerk", org_tree["dept"])
    day = today()
    services.receive_application(
        user=clerk, type=cimer, channel="cimer", channel_reference="2026-CMR-1001",
        received_on=day - timedelta(days=3), subject="Daha önce girilmiş başvuru",
        applicant_name="Ayşe Yılmaz",
    )  # fmt: skip
    received = (day - timedelta(days=3)).strftime("%d.%m.%Y")
    cimer_due = day + timedelta(days=12)
    rows = [
        f"2026-CMR-1001;{received};Ayşe Yılmaz;Daha önce girilmiş başvuru;;;",
        f"2026-CMR-1002;{received};Murat Şahin;Kent kameraları;Kamera görüntüsü talebi.;"
        f"{cimer_due:%d.%m.%Y};murat@example.org",
        "2026-CMR-1003;{date};Elif Aydın;E-belediye erişimi;Şifre gelmiyor.;;",
    ]
    page.set_default_navigation_timeout(60_000)  # a loaded CI machine renders the first page slowly
    login_as(clerk)
    page.goto("/applications/")
    page.locator('#sidebar-menu a[href="/applications/import/"]').click()
    expect(page.locator("#import-columns")).to_contain_text("Son Cevap Tarihi")

    # The export with a date typed wrong on line 4: that row is marked, nothing is offered.
    page.locator("#id_channel").select_option("cimer")
    page.locator("#id_type").select_option(label="CİMER başvurusu")
    bad = [*rows[:2], rows[2].format(date="31.02.2026")]
    page.locator("#id_file").set_input_files(export_file(bad))
    page.locator("button[name=preview]").click()
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("hiçbir şey aktarılmaz")
    expect(preview.locator("tr.table-danger")).to_have_count(1)
    expect(preview.locator("tr.table-danger")).to_contain_text("tarih değil (31.02.2026)")
    expect(preview.locator("tr.table-danger td").first).to_have_text("4")
    expect(preview).to_contain_text("zaten kayıtlı: atlandı")
    expect(page.get_by_test_id("confirm-import")).to_have_count(0)
    assert not Application.objects.filter(channel_reference="2026-CMR-1002").exists()

    # The corrected file: clean, one row skipped as already recorded; imported.
    page.locator("#id_channel").select_option("cimer")
    page.locator("#id_type").select_option(label="CİMER başvurusu")
    page.locator("#id_file").set_input_files(
        export_file([*rows[:2], rows[2].format(date=received)])
    )
    page.locator("button[name=preview]").click()
    expect(preview).to_contain_text("2 yeni başvuru kaydedilecek")
    expect(preview).to_contain_text("Zaten kayıtlı 1 satır atlanır")
    expect(preview.locator("tr.table-danger")).to_have_count(0)
    screenshot(page, "applications-import")
    page.get_by_test_id("confirm-import").click()

    expect(page.locator(".alert-success").first).to_contain_text("2 başvuru aktarıldı")
    table = page.locator("#object-list")
    expect(table).to_contain_text("Kent kameraları")
    expect(table).to_contain_text("E-belediye erişimi")
    imported = Application.objects.get(channel_reference="2026-CMR-1002")
    assert (imported.channel, imported.type, imported.applicant_name) == (
        "cimer", cimer, "Murat Şahin",
    )  # fmt: skip
    assert imported.channel_due_date == cimer_due  # the period CİMER set, to a working day
    assert imported.due_date == get_calendar().next_working_day(cimer_due)
    assert imported.responsible_unit == org_tree["network"]
    assert Application.objects.filter(channel="cimer").count() == 3
