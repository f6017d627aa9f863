"""A resident's base-station complaint in Chromium: filed on the public form at a phone's width
without an account (the station's place and its coordinates typed with a decimal comma), then
inside BİYS the applications manager reads it with the personal data masked and the
coordinates written with their hemispheres, and ties it to the site with the search picker: a
search that finds nothing says so, a search that finds two sites checks neither, tying without
a choice is refused, and the chosen site is the one tied. Leaves the screenshot
public-basestation-complaint.png."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@override_settings(ROOT_URLCONF="biys.applications.tests.public_and_internal_urls")
def test_a_resident_files_a_complaint_and_the_manager_ties_it_to_the_site(
    browser, live_server, in_flight, context, login_as, make_user, org_tree, screenshot
):
    from biys.applications.basestation.models import SiteComplaint
    from biys.applications.models import Application
    from biys.applications.tests.factories import make_operator, make_site, site_permit_type

    unit = org_tree["network"]
    complaint_type = site_permit_type(unit, code="baz-istasyonu-sikayet")
    complaint_type.form_fields = [
        {"name": "konum", "label": "Şikâyet edilen istasyonun konumu", "required": True}
    ]
    complaint_type.save()
    operator = make_operator(unit, name="Kıyı Telekom A.Ş.")
    make_site(unit, operator=operator, site_code="MER0101")
    wanted = make_site(unit, operator=operator, site_code="MER0202")

    phone = browser.new_context(base_url=live_server.url, locale="tr-TR", viewport=PHONE)
    page = phone.new_page()
    page.set_default_navigation_timeout(60_000)
    try:
        page.goto("/e-basvuru/")
        page.get_by_role("link", name="Baz istasyonu şikâyeti").click()
        page.fill("#id_applicant_name", "Elif Demir")
        page.fill("#id_tc_kimlik_no", "10000000146")
        page.fill("#id_address", "Gül Sk. No 3, Yenişehir")
        page.fill("#id_subject", "Okulun karşısındaki anten")
        page.fill("#id_description", "Okulun karşısındaki çatıya anten kuruldu, izni var mı?")
        page.fill("#id_field_konum", "Çankaya Mah. Atatürk Cd. No 5 çatısı")
        page.fill("#id_latitude", "36,8121")
        page.fill("#id_longitude", "34,6415")
        page.check("#id_consent")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("button", name="Başvuruyu gönder").click()
        expect(page.get_by_test_id("tracking-code")).to_be_visible()
        screenshot(page, "public-basestation-complaint")
    finally:
        phone.close()
        in_flight.wait_until_idle()
    application = Application.objects.get(applicant_name="Elif Demir")
    assert application.type == complaint_type and application.responsible_unit == unit

    staff = context.new_page()
    staff.set_default_navigation_timeout(60_000)
    login_as(make_user("applications_manager", unit))
    staff.goto(application.get_absolute_url())
    main = staff.locator("#main-content")
    expect(main).to_contain_text("Çankaya Mah. Atatürk Cd. No 5 çatısı")
    expect(main).to_contain_text("36,812100° K, 34,641500° D")
    assert "10000000146" not in staff.content() and "Gül Sk." not in staff.content()

    # The resident's coordinates suggest the nearest registered sites, with their distance.
    expect(staff.get_by_test_id("nearest-sites")).to_be_visible()
    search = staff.get_by_test_id("site-search")
    search.fill("zzzz")
    expect(staff.locator("#site-results")).to_contain_text("İstasyon yeri bulunamadı")
    search.fill("Kıyı Telekom")
    # The search's radio buttons (the nearest sites above have their own one-click forms).
    choices = staff.locator("#site-results input[name=link-site]")
    expect(choices).to_have_count(2)
    expect(staff.locator("#site-results input[name=link-site]:checked")).to_have_count(0)
    staff.get_by_test_id("link-site").click()
    expect(staff.get_by_test_id("link-site-form")).to_be_visible()  # nothing chosen: not tied
    assert not SiteComplaint.objects.exists()
    staff.get_by_test_id("site-search").fill("Kıyı Telekom")
    staff.locator(f"#site-results input[name=link-site][value='{wanted.pk}']").check()
    staff.get_by_test_id("link-site").click()
    expect(staff.get_by_test_id("site-complaint")).to_contain_text("MER0202")
    assert SiteComplaint.objects.get().site == wanted
