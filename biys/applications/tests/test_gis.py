"""GIS data sales: the price of a line (Decimal, kuruş, minimum charge, KDV apart), the tariff
valid on the day received, the sale's steps through the services with their refusals, the
permissions by role and unit, and the pages, API, PDF and report CSV."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from biys.applications.gis import selectors, services
from biys.applications.gis.choices import SaleState
from biys.applications.gis.models import GisDataSale, GisDelivery, GisTariff, GisTariffLine
from biys.applications.models import Application
from biys.applications.tests.factories import (
    make_gis_layer,
    make_gis_sale,
    make_gis_tariff,
    make_gis_tariff_line,
    sale_type,
)
from biys.attachments.tests import samples
from biys.core.models import PersonalDataView

pytestmark = pytest.mark.django_db

VALID_TC = "10000000146"
VALID_VKN = "1234567890"
TODAY = date(2026, 11, 12)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("biys.applications.selectors.today", lambda: TODAY)


@pytest.fixture
def manager(make_user, org_tree):
    return make_user("applications_manager", org_tree["dept"])


@pytest.fixture
def tariff(org_tree):
    """The 2026 tariff: halihazır harita DWG per hectare (minimum 1.000 TL), ortofoto GeoTIFF
    per sheet, numarataj SHP per item with 10 % KDV."""
    unit = org_tree["network"]
    sale_type(unit)
    tariff = make_gis_tariff(
        unit, name="2026 CBS tarifesi", valid_from=date(2026, 1, 1), valid_until=None
    )
    layers = {
        "halihazir": make_gis_layer(unit, code="halihazir", name="Halihazır harita"),
        "ortofoto": make_gis_layer(unit, code="ortofoto", name="Ortofoto"),
        "numarataj": make_gis_layer(unit, code="numarataj", name="Numarataj"),
    }
    make_gis_tariff_line(unit, tariff=tariff, layer=layers["halihazir"], data_format="dwg",
                         charge_unit="hectare", unit_price=Decimal("125.50"),
                         minimum_charge=Decimal("1000.00"))  # fmt: skip
    make_gis_tariff_line(unit, tariff=tariff, layer=layers["ortofoto"], data_format="geotiff",
                         charge_unit="sheet", unit_price=Decimal("333.33"))  # fmt: skip
    make_gis_tariff_line(unit, tariff=tariff, layer=layers["numarataj"], data_format="shp",
                         charge_unit="item", unit_price=Decimal("0.35"),
                         kdv_rate=Decimal("10"))  # fmt: skip
    tariff.layers = layers
    return tariff


def open_company_sale(user, org_tree, **extra):
    values = {
        "user": user,
        "received_on": date(2026, 11, 2),
        "applicant_kind": "company",
        "applicant_name": "Kuzey Harita Ltd. Şti.",
        "tax_number": VALID_VKN,
        "form_data": {"katmanlar": "Halihazır harita DWG", "alan": "12,4 hektar"},
        "responsible_unit": org_tree["network"],
        "area_description": "Ada 204, parsel 15 çevresi",
        "purpose": "İmar uygulaması projesi",
    }
    values.update(extra)
    return services.open_sale(**values)


def pdf_upload(name="taahhutname.pdf"):
    return SimpleUploadedFile(name, samples.pdf(), content_type="application/pdf")


# The price ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "quantity", "rate", "minimum", "net", "kdv", "total"),
    [
        ("125.50", "12.4", "20", None, "1556.20", "311.24", "1867.44"),
        ("125.50", "2", "20", "1000", "1000.00", "200.00", "1200.00"),  # the minimum charge
        ("333.33", "3", "20", None, "999.99", "200.00", "1199.99"),  # 199.998 → 200.00
        ("0.35", "7", "10", None, "2.45", "0.25", "2.70"),  # 0.245 → 0.25 (half up)
        ("0.333", "1", "18", None, "0.33", "0.06", "0.39"),
        ("10", "0.005", "20", None, "0.05", "0.01", "0.06"),
        ("99.99", "1.115", "0", None, "111.49", "0.00", "111.49"),
    ],
)
def test_line_amounts_round_each_line_to_the_kurus(price, quantity, rate, minimum, net, kdv, total):
    amounts = selectors.line_amounts(
        unit_price=Decimal(price),
        quantity=Decimal(quantity),
        kdv_rate=Decimal(rate),
        minimum_charge=Decimal(minimum) if minimum else None,
    )
    assert (amounts.net, amounts.kdv, amounts.total) == (Decimal(net), Decimal(kdv), Decimal(total))
    assert amounts.minimum_applied == (minimum is not None)
    assert all(value.as_tuple().exponent == -2 for value in (amounts.net, amounts.kdv))


def test_the_tariff_valid_on_the_day_applies(org_tree, tariff):
    older = make_gis_tariff(
        org_tree["network"], valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31)
    )
    assert selectors.tariff_on(date(2025, 6, 1)) == older
    assert selectors.tariff_on(date(2025, 12, 31)) == older
    assert selectors.tariff_on(date(2026, 1, 1)) == tariff
    assert selectors.tariff_on(date(2024, 12, 31)) is None


def test_a_later_tariff_replaces_the_one_in_force_from_its_first_day(org_tree, tariff, manager):
    later = services.save_tariff(
        user=manager,
        tariff=GisTariff(
            name="Yeni tarife",
            council_decision="Karar 9",
            valid_from=date(2026, 6, 1),
            unit=org_tree["network"],
        ),
    )
    assert selectors.tariff_on(date(2026, 5, 31)) == tariff
    assert selectors.tariff_on(date(2026, 6, 1)) == later
    same_day = GisTariff(name="Aynı gün", council_decision="Karar 10",
                         valid_from=date(2026, 6, 1), unit=org_tree["network"])  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.save_tariff(user=manager, tariff=same_day)
    assert "valid_from" in error.value.message_dict
    backwards = GisTariff(name="Ters", council_decision="K", valid_from=date(2030, 2, 1),
                          valid_until=date(2030, 1, 1), unit=org_tree["network"])  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.save_tariff(user=manager, tariff=backwards)
    assert "valid_until" in error.value.message_dict
    # A tariff ended early leaves the days after it to the one before.
    later.valid_until = date(2026, 6, 30)
    services.save_tariff(user=manager, tariff=later)
    assert selectors.tariff_on(date(2026, 7, 1)) == tariff


# The sale's steps --------------------------------------------------------------------------


def test_a_sale_is_quoted_accrued_paid_and_delivered(org_tree, tariff, manager):
    sale = open_company_sale(manager, org_tree)
    application = sale.application
    assert application.type.code == "cbs-veri-satisi"
    assert application.number.startswith("BSV-") and application.tax_number == VALID_VKN
    assert application.due_date == date(2026, 12, 2)  # 30 days, the type's rule
    assert sale.state == SaleState.REQUESTED

    layers = tariff.layers
    services.add_item(user=manager, sale=sale, layer=layers["halihazir"], data_format="dwg",
                      quantity=Decimal("12.4"))  # fmt: skip
    services.add_item(user=manager, sale=sale, layer=layers["ortofoto"], data_format="geotiff",
                      quantity=Decimal("3"))  # fmt: skip
    services.add_item(user=manager, sale=sale, layer=layers["numarataj"], data_format="shp",
                      quantity=Decimal("7"))  # fmt: skip
    sale = services.quote_sale(user=manager, sale=sale)
    assert sale.state == SaleState.QUOTED and sale.tariff == tariff
    assert sale.net_total == Decimal("1556.20") + Decimal("999.99") + Decimal("2.45")
    assert sale.kdv_total == Decimal("311.24") + Decimal("200.00") + Decimal("0.25")
    assert sale.total == sale.net_total + sale.kdv_total == Decimal("3070.13")
    item = sale.items.get(layer=layers["halihazir"])
    assert (item.charge_unit, item.unit_price, item.total_amount) == (
        "hectare", Decimal("125.50"), Decimal("1867.44"),
    )  # fmt: skip

    # The tariff's price changing later leaves the quote as made.
    GisTariffLine.objects.filter(tariff=tariff).update(unit_price=Decimal("999"))
    sale.refresh_from_db()
    assert sale.total == Decimal("3070.13")

    with pytest.raises(ValidationError):
        services.deliver_sale(user=manager, sale=sale, recipient_name="X", method="media",
                              files="a.dwg")  # fmt: skip
    sale = services.accrue_sale(user=manager, sale=sale)
    assert sale.accrual_number == "CBS-TAH-2026-00001" and sale.state == SaleState.ACCRUED

    with pytest.raises(ValidationError) as error:
        services.record_payment(user=manager, sale=sale, payment_reference="MKB-1",
                                amount=Decimal("3070.12"))  # fmt: skip
    assert "amount" in error.value.message_dict
    sale = services.record_payment(user=manager, sale=sale, payment_reference="MKB-2026-4411",
                                   amount=Decimal("3070.13"))  # fmt: skip
    assert sale.state == SaleState.PAID and sale.paid_on == TODAY

    # Paid, but no undertaking on file yet: refused, nothing recorded.
    with pytest.raises(ValidationError) as error:
        services.deliver_sale(user=manager, sale=sale, recipient_name="Ali Veli",
                              method="media", files="halihazir.dwg")  # fmt: skip
    assert "taahhütname" in str(error.value)
    assert not GisDelivery.objects.exists()

    sale = services.attach_undertaking(user=manager, sale=sale, uploaded_file=pdf_upload())
    assert sale.undertaking.filename == "taahhutname.pdf"
    assert sale.undertaking.parent == sale

    delivery = services.deliver_sale(user=manager, sale=sale, recipient_name="Ali Veli",
                                     method="media",
                                     files="halihazir_204.dwg\northofoto_3pafta.tif")  # fmt: skip
    sale.refresh_from_db()
    assert sale.state == SaleState.DELIVERED
    assert delivery.delivered_by == manager and delivery.lines.count() == 3
    assert {line.quantity for line in delivery.lines.all()} == {Decimal("12.4"), 3, 7}
    application.refresh_from_db()
    assert application.state == "answered" and "CBS-TAH-2026-00001" in application.outcome_note

    # The accrual numbers run on in the year.
    second = open_company_sale(manager, org_tree)
    services.add_item(user=manager, sale=second, layer=layers["ortofoto"], data_format="geotiff",
                      quantity=Decimal("1"))  # fmt: skip
    services.quote_sale(user=manager, sale=second)
    assert services.accrue_sale(user=manager, sale=second).accrual_number == "CBS-TAH-2026-00002"


def test_a_quote_needs_a_tariff_and_a_price_for_every_layer(org_tree, tariff, manager):
    sale = open_company_sale(manager, org_tree)
    with pytest.raises(ValidationError):
        services.quote_sale(user=manager, sale=sale)  # nothing requested
    services.add_item(user=manager, sale=sale, layer=tariff.layers["halihazir"],
                      data_format="pdf", quantity=Decimal("1"))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.quote_sale(user=manager, sale=sale)
    assert "Halihazır harita (PDF)" in str(error.value)
    old = open_company_sale(manager, org_tree, received_on=date(2025, 11, 3))
    services.add_item(user=manager, sale=old, layer=tariff.layers["halihazir"],
                      data_format="dwg", quantity=Decimal("1"))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.quote_sale(user=manager, sale=old)
    assert "03.11.2025" in str(error.value)
    old.refresh_from_db()
    assert old.state == SaleState.REQUESTED and old.total is None


def test_changing_the_layers_withdraws_the_quote(org_tree, tariff, manager):
    sale = open_company_sale(manager, org_tree)
    item = services.add_item(user=manager, sale=sale, layer=tariff.layers["halihazir"],
                             data_format="dwg", quantity=Decimal("10"))  # fmt: skip
    services.quote_sale(user=manager, sale=sale)
    services.remove_item(user=manager, sale=sale, item=item)
    sale.refresh_from_db()
    assert sale.state == SaleState.REQUESTED and sale.total is None and sale.tariff is None
    with pytest.raises(ValidationError):
        services.add_item(user=manager, sale=sale, layer=tariff.layers["halihazir"],
                          data_format="dwg", quantity=Decimal("0"))  # fmt: skip


def test_the_buyer_is_identified_or_nothing_is_saved(org_tree, tariff, manager):
    before = Application.objects.count()
    with pytest.raises(ValidationError) as error:
        open_company_sale(manager, org_tree, tax_number="1234567891")
    assert "tax_number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        open_company_sale(manager, org_tree, applicant_kind="person", applicant_name="Ayşe",
                          tax_number="", tc_kimlik_no="12345678901", form_data={})  # fmt: skip
    assert {"tc_kimlik_no", "form_data"} <= set(error.value.message_dict)
    assert Application.objects.count() == before and not GisDataSale.objects.exists()
    person = open_company_sale(manager, org_tree, applicant_kind="person",
                               applicant_name="Ayşe Yılmaz", tc_kimlik_no=VALID_TC)  # fmt: skip
    assert person.application.tc_kimlik_no == VALID_TC and person.application.tax_number == ""


def test_a_cancelled_sale_takes_no_further_step(org_tree, tariff, manager):
    sale = open_company_sale(manager, org_tree)
    sale = services.cancel_sale(user=manager, sale=sale, reason="Başvuru sahibi vazgeçti")
    with pytest.raises(ValidationError):
        services.add_item(user=manager, sale=sale, layer=tariff.layers["halihazir"],
                          data_format="dwg", quantity=Decimal("1"))  # fmt: skip
    assert services.sale_actions(manager, sale) == set()


def test_start_a_sale_on_an_application_already_recorded(org_tree, tariff, manager):
    from biys.applications.tests.factories import make_application

    application = make_application(org_tree["network"], type=sale_type(), tc_kimlik_no=VALID_TC)
    sale = services.start_sale(user=manager, application=application)
    assert sale.application == application
    with pytest.raises(ValidationError):
        services.start_sale(user=manager, application=application)
    other = make_application(org_tree["network"])
    with pytest.raises(ValidationError):
        services.start_sale(user=manager, application=other)


@pytest.mark.parametrize(
    ("role", "where", "allowed"),
    [
        ("applications_clerk", "dept", {"items", "quote", "cancel", "undertaking"}),
        ("applications_responder", "network", {"undertaking"}),
        ("applications_manager", "network", {"items", "quote", "cancel", "undertaking"}),
        ("applications_manager", "roads", set()),
        ("technician", "network", set()),
        ("requester", "network", set()),
    ],
)
def test_who_may_take_which_step(org_tree, tariff, make_user, role, where, allowed):
    sale = make_gis_sale(org_tree["network"])
    user = make_user(role, org_tree[where])
    assert services.sale_actions(user, sale) == allowed
    if "quote" not in allowed:
        with pytest.raises(PermissionDenied):
            services.quote_sale(user=user, sale=sale)


def test_only_the_collector_accrues_and_only_the_deliverer_delivers(
    org_tree, tariff, manager, make_user
):
    clerk = make_user("applications_clerk", org_tree["dept"])
    responder = make_user("applications_responder", org_tree["network"])
    sale = open_company_sale(clerk, org_tree)
    services.add_item(user=clerk, sale=sale, layer=tariff.layers["ortofoto"],
                      data_format="geotiff", quantity=Decimal("2"))  # fmt: skip
    services.quote_sale(user=clerk, sale=sale)
    with pytest.raises(PermissionDenied):
        services.accrue_sale(user=clerk, sale=sale)
    services.accrue_sale(user=manager, sale=sale)
    services.record_payment(user=manager, sale=sale, payment_reference="EFT-1",
                            amount=Decimal("799.99"))  # fmt: skip
    services.attach_undertaking(user=responder, sale=sale, uploaded_file=pdf_upload())
    with pytest.raises(PermissionDenied):
        services.deliver_sale(user=clerk, sale=sale, recipient_name="A", method="email",
                              files="f.tif")  # fmt: skip
    services.deliver_sale(user=responder, sale=sale, recipient_name="A", method="email",
                          files="f.tif")  # fmt: skip
    assert GisDataSale.objects.get(pk=sale.pk).state == SaleState.DELIVERED


# Pages, API, files -------------------------------------------------------------------------


def _sales(org_tree, n):
    for _ in range(n):
        make_gis_sale(org_tree["network"])


@pytest.mark.parametrize("url", ["/applications/gis/sales/", "/api/v1/applications/gis-sales/"])
def test_the_list_takes_as_many_queries_for_any_page_size(client, org_tree, manager, url):
    client.force_login(manager)
    _sales(org_tree, 3)
    client.get(url)  # warm the caches of the session and the menu

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"per_page": 25, "limit": 25})
        assert response.status_code == 200
        return len(queries)

    few = count()
    _sales(org_tree, 20)
    many = count()
    assert many == few
    if url.startswith("/api/"):
        assert client.get(url).json()["count"] == 23


def test_the_sale_pages_in_the_browser_flow(client, org_tree, tariff, manager):
    client.force_login(manager)
    response = client.post(
        reverse("applications:gisdatasale_add"),
        {
            "received_on": "2026-11-02", "channel": "counter", "applicant_kind": "person",
            "applicant_name": "Ayşe Yılmaz", "tc_kimlik_no": VALID_TC,
            "responsible_unit": org_tree["network"].pk, "area_description": "Ada 12",
            "field_katmanlar": "Halihazır harita", "field_alan": "3 hektar",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    sale = GisDataSale.objects.get()
    page = client.get(sale.get_absolute_url()).content.decode()
    assert "100******46" in page or "*" in page
    assert VALID_TC not in page
    action = lambda name, data=None: client.post(  # noqa: E731
        reverse("applications:gis_sale_action", args=[sale.pk, name]), data or {}
    )
    action("items", {"item-layer": tariff.layers["halihazir"].pk, "item-data_format": "dwg",
                     "item-quantity": "3"})  # fmt: skip
    page = client.get(sale.get_absolute_url()).content.decode()
    assert "1200.00" in page or "1200,00" in page  # the preview: the minimum charge with KDV
    action("quote")
    pdf = client.get(reverse("applications:gis_quote_pdf", args=[sale.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    action("accrue")
    action("pay", {"pay-payment_reference": "MKB-77", "pay-amount": "1200.00"})
    response = action("deliver", {"deliver-recipient_name": "Ayşe Yılmaz",
                                  "deliver-method": "media", "deliver-files": "a.dwg"})  # fmt: skip
    assert response.status_code == 400  # the page again, with the refusal on the form
    assert response.context["delivery_form"].non_field_errors()
    sale.refresh_from_db()
    assert sale.state == SaleState.PAID  # refused: no undertaking yet
    client.post(
        reverse("applications:gis_sale_action", args=[sale.pk, "undertaking"]),
        {"undertaking-file": pdf_upload()},
    )
    action("deliver", {"deliver-recipient_name": "Ayşe Yılmaz", "deliver-method": "media",
                       "deliver-files": "a.dwg"})  # fmt: skip
    sale.refresh_from_db()
    assert sale.state == SaleState.DELIVERED

    # The applicant's number, shown through the one logged reveal.
    response = client.post(reverse("applications:reveal", args=[sale.application.pk]))
    assert VALID_TC in response.content.decode()
    assert PersonalDataView.objects.filter(object_id=str(sale.application.pk)).exists()


def test_a_step_out_of_scope_is_not_found_and_a_step_not_allowed_is_forbidden(
    client, org_tree, tariff, make_user
):
    sale = make_gis_sale(org_tree["network"])
    url = reverse("applications:gis_sale_action", args=[sale.pk, "quote"])
    client.force_login(make_user("applications_manager", org_tree["roads"]))
    assert client.post(url).status_code == 404
    client.force_login(make_user("technician", org_tree["network"]))
    assert client.post(url).status_code == 403
    sale.refresh_from_db()
    assert sale.state == SaleState.REQUESTED


def test_the_api_takes_a_sale_through_its_steps(client, org_tree, tariff, manager):
    client.force_login(manager)
    base = "/api/v1/applications/gis-sales/"
    response = client.post(
        base,
        {
            "received_on": "2026-11-02", "applicant_kind": "company",
            "applicant_name": "Yıldız Fiber A.Ş.", "tax_number": "9876543217",
            "responsible_unit": org_tree["network"].pk,
            "form_data": {"katmanlar": "Ortofoto", "alan": "2 pafta"},
        },
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    sale_id = response.json()["id"]

    def post(step, body=None, **kwargs):
        return client.post(f"{base}{sale_id}/{step}/", body or {},
                           content_type=kwargs.pop("content_type", "application/json"), **kwargs)  # fmt: skip

    bad = post("items", {"layer": tariff.layers["ortofoto"].pk, "data_format": "tiff",
                         "quantity": "2"})  # fmt: skip
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert post("items", {"layer": tariff.layers["ortofoto"].pk, "data_format": "geotiff",
                          "quantity": "2"}).status_code == 200  # fmt: skip
    quoted = post("quote").json()
    assert quoted["state"] == "quoted" and quoted["total"] == "799.99"
    assert quoted["net_total"] == "666.66" and quoted["kdv_total"] == "133.33"
    assert post("accrue").json()["accrual_number"] == "CBS-TAH-2026-00001"
    refused = post("payment", {"payment_reference": "X", "amount": "10.00"})
    assert refused.status_code == 400 and "amount" in refused.json()["errors"]
    assert (
        post("payment", {"payment_reference": "EFT-9", "amount": "799.99"}).json()["state"]
        == "paid"
    )
    assert (
        post("deliver", {"recipient_name": "A", "method": "kep", "files": "x.tif"}).status_code
        == 400
    )
    upload = client.post(f"{base}{sale_id}/undertaking/", {"file": pdf_upload()})
    assert upload.status_code == 200 and upload.json()["undertaking"]
    delivered = post("deliver", {"recipient_name": "Mehmet Öz", "method": "kep", "files": "x.tif"})
    assert delivered.status_code == 200
    body = delivered.json()
    assert body["state"] == "delivered" and body["deliveries"][0]["recipient_name"] == "Mehmet Öz"

    report = client.get(
        "/api/v1/applications/gis-report/", {"from": "2026-11-01", "to": "2026-11-30"}
    )
    figures = report.json()
    assert figures["requests"] == 1 and figures["delivered"] == 1
    assert figures["by_layer"][0]["layer"] == "Ortofoto" and figures["revenue_total"] == "799.99"


def test_the_report_csv_is_for_turkish_excel(client, org_tree, tariff, manager):
    sale = open_company_sale(manager, org_tree)
    services.add_item(user=manager, sale=sale, layer=tariff.layers["halihazir"],
                      data_format="dwg", quantity=Decimal("12.4"))  # fmt: skip
    services.quote_sale(user=manager, sale=sale)
    services.accrue_sale(user=manager, sale=sale)
    services.record_payment(user=manager, sale=sale, payment_reference="MKB",
                            amount=Decimal("1867.44"))  # fmt: skip
    client.force_login(manager)
    response = client.get(
        reverse("applications:gis_report"),
        {"from": "2026-11-01", "to": "2026-11-30", "export": "csv"},
        HTTP_ACCEPT_LANGUAGE="tr",
    )
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    layer_rows = [row for row in rows if row and row[0] == "Halihazır harita"]
    assert layer_rows == [["Halihazır harita", "1", "12,4", "1556,20", "311,24", "1867,44"]]
    page = client.get(
        reverse("applications:gis_report"), {"from": "2026-11-01", "to": "2026-11-30"}
    )
    assert page.status_code == 200 and "Halihazır harita" in page.content.decode()


def test_the_report_counts_only_the_sales_the_user_sees(org_tree, tariff, make_user):
    make_gis_sale(org_tree["network"])
    make_gis_sale(org_tree["roads"])
    inside = make_user("applications_manager", org_tree["network"])
    figures = selectors.report(user=inside, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    assert figures.requests == 1


def test_tariff_pages_for_the_administrator(client, org_tree, tariff, make_user):
    client.force_login(make_user("administrator", org_tree["dept"]))
    page = client.get(tariff.get_absolute_url()).content.decode()
    assert "Halihazır harita" in page and ("125.50" in page or "125,50" in page)
    response = client.post(
        reverse("applications:gistariffline_add_to", args=[tariff.pk]),
        {"layer": tariff.layers["ortofoto"].pk, "data_format": "pdf",
         "charge_unit": "sheet", "unit_price": "50", "kdv_rate": "20"},
    )  # fmt: skip
    assert response.status_code == 302
    assert tariff.lines.filter(data_format="pdf").exists()
    # The same layer and format twice in a tariff: refused at the form.
    again = client.post(
        reverse("applications:gistariffline_add_to", args=[tariff.pk]),
        {"layer": tariff.layers["ortofoto"].pk, "data_format": "pdf",
         "charge_unit": "sheet", "unit_price": "60", "kdv_rate": "20"},
    )  # fmt: skip
    assert again.status_code == 200 and tariff.lines.filter(data_format="pdf").count() == 1
    other = make_gis_tariff(org_tree["roads"])
    client.force_login(make_user("applications_manager", org_tree["network"]))
    outside = client.get(reverse("applications:gistariffline_add_to", args=[other.pk]))
    assert outside.status_code == 403
    assert selectors.tariff_on(TODAY - timedelta(days=1)) == tariff


def test_the_quote_pdf_is_in_turkish_with_kdv_apart_and_the_number_masked(
    client, org_tree, tariff, manager
):
    from pypdf import PdfReader

    sale = open_company_sale(
        manager, org_tree, applicant_kind="person", applicant_name="Ayşe Yılmaz",
        tc_kimlik_no=VALID_TC, tax_number="",
    )  # fmt: skip
    services.add_item(user=manager, sale=sale, layer=tariff.layers["halihazir"],
                      data_format="dwg", quantity=Decimal("2"))  # fmt: skip
    services.add_item(user=manager, sale=sale, layer=tariff.layers["ortofoto"],
                      data_format="geotiff", quantity=Decimal("3"))  # fmt: skip
    url = reverse("applications:gis_quote_pdf", args=[sale.pk])
    client.force_login(manager)
    assert client.get(url).status_code == 404  # not quoted yet
    services.quote_sale(user=manager, sale=sale)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="tr")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert f"CBS veri satışı fiyat teklifi {sale.application.number}" in text
    assert "Halihazır harita" in text and "asgari ücret" in text  # 2 ha under the minimum
    assert "1.000,00" in text and "999,99" in text  # the lines before KDV
    assert "400,00" in text and "2.399,99" in text  # KDV apart, the total
    assert "2026 CBS tarifesi" in text and VALID_TC not in text
