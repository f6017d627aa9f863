"""Applications in Chromium: the counter clerk records a bilgi edinme request received on the
Friday before Kurban Bayramı 2026 and routes it to the unit that answers it; the unit answers
on the 14th working day, across the bayram, and the page shows it answered on time (the
deadline, 15 working days, is 17 June). Leaves screenshots applications-list.png and
applications-detail.png."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_route_and_answer_across_a_bayram(
    context, page, login_as, make_user, org_tree, screenshot
):
    from biys.applications.choices import PeriodUnit
    from biys.applications.models import Application
    from biys.applications.selectors import today
    from biys.applications.tests.factories import make_application, make_application_type

    bilgi = make_application_type(
        org_tree["network"],
        code="bilgi-edinme",
        name="Bilgi edinme başvurusu",
        form_fields=[{"name": "istenen_bilgi", "label": "İstenen bilgi", "required": True}],
    )
    dilekce = make_application_type(
        org_tree["network"], code="dilekce", name="Dilekçe (3071)", law="3071 sayılı Kanun",
        period=30, period_unit=PeriodUnit.DAYS, extended_period=None,
    )  # fmt: skip
    day = today()
    for offset, subject, application_type in (
        (-2, "Kent kameralarının sözleşme bedeli", bilgi),
        (0, "E-belediye şifresi sıfırlanamıyor", dilekce),
        (2, "Meclis kararlarının listesi", bilgi),
        (9, "Parktaki kablosuz ağ çalışmıyor", dilekce),
    ):
        make_application(
            org_tree["network"], type=application_type, subject=subject,
            received_on=day - timedelta(days=20), due_date=day + timedelta(days=offset),
        )  # fmt: skip

    clerk = make_user("applications_clerk", org_tree["dept"])
    login_as(clerk)
    page.goto("/applications/add/")
    page.locator("#id_type").select_option(label="Bilgi edinme başvurusu")
    expect(page.locator("#id_field_istenen_bilgi")).to_be_visible()
    page.fill("#id_field_istenen_bilgi", "2025 yılı yazılım lisans sözleşmeleri")
    page.fill("#id_received_on", "2026-05-22")
    page.fill("#id_applicant_name", "Zeynep Arslan")
    page.fill("#id_tc_kimlik_no", "10000000146")
    page.fill("#id_subject", "Yazılım lisansları hakkında bilgi talebi")
    page.locator("#main-content form button[type=submit]").first.click()
    clock = page.locator("#deadline-clock")
    expect(clock).to_contain_text("17.06.2026")
    application = Application.objects.get(applicant_name="Zeynep Arslan")
    assert application.due_date == date(2026, 6, 17)
    assert "10000000146" not in page.content()

    # Routed to the software unit, which the subject concerns.
    route = page.locator("form[action$='/route/']")
    route.locator("select").select_option(label=str(org_tree["software"]))
    route.locator("input[name=reason]").fill("Yazılım lisansları bu birimin görevi")
    route.locator("button[type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    application.refresh_from_db()
    assert application.responsible_unit == org_tree["software"]

    # The unit answers on the 14th working day after receipt (16 June), across the bayram.
    context.clear_cookies()
    login_as(make_user("applications_responder", org_tree["software"]))
    page.goto(application.get_absolute_url())
    outcome = page.locator("form[action$='/outcome/']")
    outcome.locator("select[name=outcome]").select_option("answered")
    outcome.locator("input[name=answered_on]").fill("2026-06-16")
    outcome.locator("textarea[name=note]").fill("İstenen sözleşme listesi e-posta ile gönderildi.")
    outcome.locator("button[type=submit]").click()
    expect(page.locator("#deadline-clock")).to_have_attribute("data-clock", "done")
    application.refresh_from_db()
    assert (application.state, application.answered_on) == ("answered", date(2026, 6, 16))
    screenshot(page, "applications-detail")

    context.clear_cookies()
    login_as(make_user("applications_manager", org_tree["dept"]))
    page.goto("/applications/")
    expect(page.locator("table")).to_contain_text("Kent kameralarının sözleşme bedeli")
    screenshot(page, "applications-list")
