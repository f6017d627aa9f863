"""GIS data delivered in parts, in Chromium: on a paid sale with the buyer's undertaking on
file, the applications manager first asks for more than was ordered (refused at that layer's
field, nothing saved), then records a first part (the sale stays open, partly delivered, with
delivered against ordered on its page), then the rest: the sale is delivered and its
application answered."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_a_sale_is_delivered_in_a_part_then_in_full(page, login_as, make_user, org_tree):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from biys.applications.gis import services
    from biys.applications.gis.models import GisDelivery
    from biys.applications.tests.factories import (
        make_gis_layer,
        make_gis_tariff,
        make_gis_tariff_line,
        sale_type,
    )

    unit = org_tree["network"]
    sale_type(unit)
    today = timezone.localdate()
    tariff = make_gis_tariff(unit, name="Veri satış tarifesi", valid_from=date(today.year, 1, 1),
                             valid_until=None)  # fmt: skip
    sheets = make_gis_layer(unit, code="ortofoto", name="Ortofoto (pafta)")
    make_gis_tariff_line(unit, tariff=tariff, layer=sheets, data_format="geotiff",
                         charge_unit="sheet", unit_price=Decimal("400.00"))  # fmt: skip
    manager = make_user("applications_manager", org_tree["dept"])
    sale = services.open_sale(
        user=manager, received_on=today, applicant_kind="company",
        applicant_name="Kuzey Harita Ltd. Şti.", tax_number="1234567890",
        form_data={"katmanlar": "Ortofoto", "alan": "5 pafta"}, responsible_unit=unit,
    )  # fmt: skip
    item = services.add_item(user=manager, sale=sale, layer=sheets, data_format="geotiff",
                             quantity=Decimal("5"))  # fmt: skip
    sale = services.quote_sale(user=manager, sale=sale)
    sale = services.accrue_sale(user=manager, sale=sale)
    sale = services.record_payment(user=manager, sale=sale, payment_reference="MKB-1",
                                   amount=sale.total)  # fmt: skip
    services.attach_undertaking(user=manager, sale=sale,
                                uploaded_file=SimpleUploadedFile("taahhut.pdf", PDF))  # fmt: skip

    page.set_default_navigation_timeout(60_000)
    login_as(manager)
    page.goto(sale.get_absolute_url())
    quantity = page.locator(f"#id_deliver-item_{item.pk}")
    expect(quantity).to_have_value("5")

    # More than was ordered: refused at the layer's field, nothing saved.
    quantity.fill("6")
    page.fill("#id_deliver-recipient_name", "Hakan Demir")
    page.fill("#id_deliver-files", "ortofoto_1-6.tif")
    page.get_by_test_id("deliver").click()
    expect(page.get_by_test_id("deliver-form")).to_contain_text("en çok 5 daha")
    assert not GisDelivery.objects.exists()

    # A first part: two sheets; the sale stays open.
    page.locator(f"#id_deliver-item_{item.pk}").fill("2")
    page.fill("#id_deliver-recipient_name", "Hakan Demir")
    page.fill("#id_deliver-files", "ortofoto_1.tif\nortofoto_2.tif")
    page.get_by_test_id("deliver").click()
    expect(page.get_by_test_id("sale-state")).to_have_text("Kısmen teslim edildi")
    expect(page.get_by_test_id("delivered-quantity")).to_have_text("2")
    expect(page.get_by_test_id("delivery")).to_contain_text("ortofoto_2.tif")
    expect(page.locator(f"#id_deliver-item_{item.pk}")).to_have_value("3")
    sale.refresh_from_db()
    assert sale.state == "partly_delivered" and sale.application.state == "open"

    # The rest, with the signed delivery receipt.
    page.fill("#id_deliver-recipient_name", "Hakan Demir")
    page.fill("#id_deliver-files", "ortofoto_3-5.tif")
    page.locator("#id_deliver-file").set_input_files(
        {"name": "teslim-tutanagi.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_test_id("deliver").click()
    expect(page.get_by_test_id("sale-state")).to_have_text("Teslim edildi")
    expect(page.get_by_test_id("delivery")).to_have_count(2)
    expect(page.get_by_test_id("delivered-quantity")).to_have_text("5")
    expect(page.get_by_test_id("deliver-form")).to_have_count(0)
    sale.refresh_from_db()
    assert sale.state == "delivered" and sale.application.state == "answered"
    assert [d.file is not None for d in sale.deliveries.order_by("id")] == [False, True]
