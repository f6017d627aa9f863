"""Third parties in Chromium: the BGYS manager records a maintenance contractor and the
confidentiality agreement one of its technicians signed, which ends within the warning period;
the agreements list shows it as ending soon. Leaves the screenshot bgys-third-parties.png."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_contractors_agreement_is_recorded_and_shown_ending_soon(
    page, login_as, make_user, org_tree, screenshot
):
    from biys.bgys.models import ConfidentialityAgreement, ThirdParty
    from biys.bgys.tests.factories import make_agreement, make_third_party

    manager = make_user("bgys_manager", org_tree["dept"])
    unit = org_tree["network"]
    make_agreement(unit, third_party=make_third_party(unit, name="Ege Kamera Sistemleri"),
                   signatory="Mert Öz", expires_on=timezone.localdate() - timedelta(days=15))  # fmt: skip
    login_as(manager)
    page.goto("/bgys/third-parties/", timeout=90_000)  # the first page fills the caches

    page.goto("/bgys/third-parties/add/")
    page.fill("#id_name", "Kuzey Ağ Teknolojileri Ltd. Şti.")
    page.locator("#id_unit").select_option(str(unit.pk))
    page.fill("#id_tax_number", "735009876")  # nine digits: refused at the field
    page.fill("#id_services", "Omurga anahtarları ve güvenlik duvarı")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("10 hanelidir")
    page.fill("#id_tax_number", "7350098765")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator(".alert-success").first).to_be_visible()
    party = ThirdParty.objects.get(name__startswith="Kuzey")

    page.goto(f"{party.get_absolute_url()}?tab=agreements")
    page.get_by_role("link", name="İmzalı sözleşme kaydet").click()
    page.fill("#id_signatory", "Aylin Kaya")
    page.fill("#id_signatory_role", "Ağ uzmanı")
    page.fill("#id_signed_on", str(timezone.localdate() - timedelta(days=340)))
    page.fill("#id_expires_on", str(timezone.localdate() + timedelta(days=20)))
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator(".alert-success").first).to_be_visible()
    assert ConfidentialityAgreement.objects.get(signatory="Aylin Kaya").third_party == party

    page.goto("/bgys/confidentiality/")
    expect(page.locator("[data-state=expiring]")).to_contain_text("Yakında bitiyor")
    expect(page.locator("[data-state=expired]")).to_contain_text("Süresi doldu")
    screenshot(page, "bgys-third-parties")
    page.goto("/bgys/confidentiality/?state=expiring")
    expect(page.locator("#main-content table tbody tr")).to_have_count(1)
