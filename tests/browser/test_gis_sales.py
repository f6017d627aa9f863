"""GIS data sales in Chromium: the applications manager records a company's purchase request
at the counter, adds the requested layer, makes the quote (priced by this year's tariff, KDV
apart) and opens its PDF, accrues it, records the payment, is refused the delivery until the
buyer's signed undertaking is uploaded, then records the delivery; the application is answered
with it. Leaves the screenshot gis-sale.png."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VKN = "1234567890"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_a_gis_data_quote_is_paid_and_delivered(page, login_as, make_user, org_tree, screenshot):
    from django.utils import timezone

    from biys.applications.gis.models import GisDataSale
    from biys.applications.tests.factories import (
        make_gis_layer,
        make_gis_tariff,
        make_gis_tariff_line,
        sale_type,
    )

    unit = org_tree["network"]
    sale_type(unit)
    tariff = make_gis_tariff(
        unit,
        name="Kent bilgi sistemi veri satış tarifesi",
        valid_from=date(timezone.localdate().year, 1, 1),
        valid_until=None,
    )
    layer = make_gis_layer(unit, code="halihazir", name="Halihazır harita (1/1000)")
    make_gis_tariff_line(unit, tariff=tariff, layer=layer, data_format="dwg",
                         charge_unit="hectare", unit_price=Decimal("185.00"),
                         minimum_charge=Decimal("1500.00"))  # fmt: skip
    manager = make_user("applications_manager", org_tree["dept"])
    page.set_default_navigation_timeout(60_000)  # a loaded CI machine renders the first page slowly
    login_as(manager)

    # The request at the counter: a company, by its tax number.
    page.goto("/applications/gis/sales/add/")
    page.fill("#id_received_on", timezone.localdate().isoformat())
    page.locator("#id_applicant_kind").select_option("company")
    page.fill("#id_applicant_name", "Kuzey Harita Mühendislik Ltd. Şti.")
    page.fill("#id_tax_number", VKN)
    page.fill("#id_area_description", "Kızılay Mah. ada 1204 parsel 15 çevresi")
    page.fill("#id_purpose", "İmar uygulama projesi")
    page.locator("#id_responsible_unit").select_option(str(unit.pk))
    page.fill("#id_field_katmanlar", "Halihazır harita, DWG")
    page.fill("#id_field_alan", "12,4 hektar")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.get_by_test_id("sale-state")).to_have_text("Talep alındı")
    sale = GisDataSale.objects.get()

    # The requested layer; the page shows the price before the quote is made.
    page.locator("#id_item-layer").select_option(str(layer.pk))
    page.locator("#id_item-data_format").select_option("dwg")
    page.fill("#id_item-quantity", "12.4")
    page.get_by_test_id("item-add").click()
    expect(page.locator("#sale-items")).to_contain_text("Halihazır harita (1/1000)")
    # 185,00 TL × 12,4 ha = 2.294,00 + 20 % KDV 458,80 (Turkish decimals on the page)
    expect(page.get_by_test_id("preview-total")).to_have_text("2752,80")

    page.get_by_test_id("quote").click()
    expect(page.get_by_test_id("sale-state")).to_have_text("Fiyat verildi")
    expect(page.get_by_test_id("sale-total")).to_contain_text("2294,00")
    expect(page.get_by_test_id("sale-total")).to_contain_text("458,80")
    pdf = page.request.get(page.get_by_test_id("quote-pdf").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    page.get_by_test_id("accrue").click()
    expect(page.get_by_test_id("accrual-number")).to_have_text(
        f"CBS-TAH-{timezone.localdate().year}-00001"
    )
    page.fill("#id_pay-payment_reference", "MKB-2026-44105")
    expect(page.locator("#id_pay-amount")).to_have_value("2752.80")
    page.get_by_test_id("pay").click()
    expect(page.get_by_test_id("sale-state")).to_have_text("Ödendi")
    expect(page.get_by_test_id("delivery-refusal")).to_contain_text("taahhütname")

    # Refused while the undertaking is missing: the form is there, the service says no.
    page.fill("#id_deliver-recipient_name", "Hakan Demir")
    page.fill("#id_deliver-files", "halihazir_1204.dwg")
    page.get_by_test_id("deliver").click()
    expect(page.locator("#main-content")).to_contain_text("imzalı taahhütnamesi")
    sale.refresh_from_db()
    assert sale.state == "paid"

    page.locator("#id_undertaking-file").set_input_files(
        {"name": "taahhutname-imzali.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_test_id("undertaking").click()
    expect(page.locator("#main-content")).to_contain_text("İmzalı taahhütname dosyada")

    page.fill("#id_deliver-recipient_name", "Hakan Demir")
    page.locator("#id_deliver-method").select_option("media")
    page.fill("#id_deliver-files", "halihazir_1204.dwg\nhalihazir_1204.pdf")
    page.get_by_test_id("deliver").click()
    expect(page.get_by_test_id("sale-state")).to_have_text("Teslim edildi")
    expect(page.get_by_test_id("delivery")).to_contain_text("Hakan Demir")
    expect(page.get_by_test_id("delivery")).to_contain_text("halihazir_1204.dwg")
    screenshot(page, "gis-sale")

    sale.refresh_from_db()
    assert sale.state == "delivered" and sale.paid_amount == Decimal("2752.80")
    assert sale.deliveries.get().delivered_by == manager
    assert sale.application.state == "answered"

    page.goto("/applications/gis/sales/")
    expect(page.locator("#object-list")).to_contain_text("Kuzey Harita Mühendislik")
    page.goto("/applications/gis/report/")
    expect(page.locator("#gis-report")).to_contain_text("Halihazır harita (1/1000)")
