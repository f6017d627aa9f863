"""The public application form in Chromium at a phone's width: a citizen files a bilgi edinme
request without an account, the unit answers it inside BİYS, and the citizen reads the answer
with the tracking code. Leaves the screenshots public-form.png and public-tracking.png."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@override_settings(ROOT_URLCONF="biys.applications.tests.public_and_internal_urls")
def test_a_citizen_files_on_a_phone_and_reads_the_answer(
    browser, live_server, in_flight, context, login_as, make_user, org_tree, screenshot
):
    from biys.applications.choices import State
    from biys.applications.models import Application
    from biys.applications.tests.factories import make_application_type
    from biys.core.access import get_scope

    make_application_type(
        org_tree["network"],
        code="bilgi-edinme",
        name="Bilgi edinme başvurusu",
        public=True,
        form_fields=[{"name": "istenen_bilgi", "label": "İstenen bilgi", "required": True}],
    )
    phone = browser.new_context(base_url=live_server.url, locale="tr-TR", viewport=PHONE)
    page = phone.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else 0)
    try:
        page.goto("/e-basvuru/")
        page.get_by_role("link", name="Bilgi edinme başvurusu").click()
        page.fill("#id_applicant_name", "Zeynep Arslan")
        page.fill("#id_tc_kimlik_no", "10000000146")
        page.fill("#id_email", "zeynep@example.com")
        page.fill("#id_address", "Cumhuriyet Mah. 12. Sok. No 3")
        page.fill("#id_subject", "Kent kameraları")
        page.fill(
            "#id_description", "Kent kameralarının bakım sözleşmesinin bedelini öğrenmek istiyorum."
        )
        page.fill("#id_field_istenen_bilgi", "Bakım sözleşmesi bedeli")
        page.check("#id_consent")
        # nothing wider than the phone: the form fits without sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "public-form")
        page.get_by_role("button", name="Başvuruyu gönder").click()
        code = page.get_by_test_id("tracking-code")
        expect(code).to_be_visible()
        tracking_code = code.inner_text()
        application = Application.objects.get(applicant_name="Zeynep Arslan")
        assert application.number in page.content()

        # inside BİYS, the unit answers it
        responder = make_user("applications_responder", org_tree["network"])
        assert get_scope(responder).has_perm(
            "applications.answer_application", org_tree["network"].pk
        )
        login_as(responder)
        staff = context.new_page()
        staff.goto(application.get_absolute_url())
        expect(staff.locator("body")).to_contain_text("Kent kameraları")
        expect(staff.locator("body")).to_contain_text("Herkese açık başvuru formu")  # channel
        outcome = staff.locator("form[action$='/outcome/']")
        outcome.locator("select[name=outcome]").select_option(State.ANSWERED.value)
        outcome.locator("textarea[name=note]").fill("Sözleşme bedeli 1.250.000 TL'dir.")
        outcome.locator("button[type=submit]").click()
        expect(staff.locator("#deadline-clock")).to_have_attribute("data-clock", "done")

        page.get_by_role("link", name="Başvuru takibi").first.click()
        page.fill("#id_code", tracking_code.lower())
        page.get_by_role("button", name="Göster").click()
        expect(page.get_by_test_id("state")).to_have_text("Cevaplandı")
        expect(page.get_by_test_id("answer")).to_contain_text("1.250.000 TL")
        assert "10000000146" not in page.content()
        screenshot(page, "public-tracking")
        assert violations == [], violations
    finally:
        phone.close()
        in_flight.wait_until_idle()
