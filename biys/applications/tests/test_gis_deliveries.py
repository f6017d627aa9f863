"""GIS data delivered in parts: each delivery records how much of which requested layer went
out, when, by whom and optionally with a file; the sale shows delivered against ordered and
stays open (partly delivered) until every layer is delivered in full, when the application is
answered. More than is still due is refused at the field (the page) or as a 400 problem (the
API), and nothing is saved."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from biys.applications.gis import selectors, services
from biys.applications.gis.choices import SaleState
from biys.applications.gis.models import GisDelivery, GisDeliveryLine
from biys.applications.tests.test_gis import (  # noqa: F401 (fixtures)
    TODAY,
    open_company_sale,
    pdf_upload,
    tariff,
)
from biys.attachments.models import Attachment
from biys.core.models import ObjectChange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("biys.applications.selectors.today", lambda: TODAY)


@pytest.fixture(autouse=True)
def _english():
    """The services' messages read in English here (the pages set their own language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def manager(make_user, org_tree):
    return make_user("applications_manager", org_tree["dept"])


@pytest.fixture
def paid_sale(org_tree, tariff, manager):  # noqa: F811
    """A paid sale with its undertaking on file: 12.4 ha of halihazır harita (DWG) and 3
    sheets of ortofoto (GeoTIFF)."""
    return make_paid_sale(org_tree, tariff, manager)


def make_paid_sale(org_tree, tariff, manager):  # noqa: F811
    sale = open_company_sale(manager, org_tree)
    layers = tariff.layers
    services.add_item(user=manager, sale=sale, layer=layers["halihazir"], data_format="dwg",
                      quantity=Decimal("12.4"))  # fmt: skip
    services.add_item(user=manager, sale=sale, layer=layers["ortofoto"], data_format="geotiff",
                      quantity=Decimal("3"))  # fmt: skip
    sale = services.quote_sale(user=manager, sale=sale)
    sale = services.accrue_sale(user=manager, sale=sale)
    sale = services.record_payment(user=manager, sale=sale, payment_reference="MKB-1",
                                   amount=sale.total)  # fmt: skip
    sale = services.attach_undertaking(user=manager, sale=sale, uploaded_file=pdf_upload())
    sale.map_item = sale.items.get(layer=layers["halihazir"])
    sale.photo_item = sale.items.get(layer=layers["ortofoto"])
    return sale


def progress_of(sale):
    return {
        line.item.pk: (line.ordered, line.delivered, line.remaining)
        for line in selectors.delivery_progress(sale)
    }


def deliver(user, sale, quantities, **extra):
    values = {"recipient_name": "Hakan Demir", "method": "media", "files": "parca.dwg"}
    values.update(extra)
    return services.deliver_sale(user=user, sale=sale, quantities=quantities, **values)


def test_a_sale_is_delivered_in_parts_and_answered_with_the_last(paid_sale, manager):
    sale, map_item, photo_item = paid_sale, paid_sale.map_item, paid_sale.photo_item
    first = deliver(manager, sale, {map_item: Decimal("5"), photo_item: Decimal("1")},
                    file=pdf_upload("teslim-tutanagi.pdf"))  # fmt: skip
    sale.refresh_from_db()
    assert sale.state == SaleState.PARTLY_DELIVERED
    assert sale.application.state == "open"  # stays open until everything is delivered
    assert progress_of(sale) == {
        map_item.pk: (Decimal("12.4"), Decimal("5"), Decimal("7.4")),
        photo_item.pk: (Decimal("3"), Decimal("1"), Decimal("2")),
    }
    assert first.delivered_by == manager and first.file.filename == "teslim-tutanagi.pdf"
    assert first.file.parent == sale  # kept with the sale's other files
    assert ObjectChange.objects.filter(action="create", object_id=str(first.pk)).exists()
    assert "deliver" in services.sale_actions(manager, sale)
    assert "cancel" not in services.sale_actions(manager, sale)  # paid: no longer cancelled
    with pytest.raises(ValidationError):
        services.cancel_sale(user=manager, sale=sale, reason="Vazgeçti")

    deliver(manager, sale, {map_item: Decimal("7.4")})  # only one layer in this part
    sale.refresh_from_db()
    assert sale.state == SaleState.PARTLY_DELIVERED
    last = deliver(manager, sale, {photo_item: Decimal("2")})
    sale.refresh_from_db()
    assert sale.state == SaleState.DELIVERED and last.file is None
    assert all(remaining == 0 for _, _, remaining in progress_of(sale).values())
    sale.application.refresh_from_db()
    assert sale.application.state == "answered"
    assert sale.deliveries.count() == 3
    with pytest.raises(ValidationError):  # nothing is left to deliver
        deliver(manager, sale, {photo_item: Decimal("1")})


@pytest.mark.parametrize(
    ("quantities", "expected"),
    [
        ({"map": "12.401"}, "0 delivered already; at most 12.4 more"),  # beyond the order
        ({"map": "-1"}, "above zero"),
        ({"map": "1.0005"}, "three decimals"),
        ({"map": "0", "photo": "0"}, "Give what this delivery carried"),
    ],
)
def test_a_delivery_beyond_the_order_is_refused_and_nothing_is_saved(
    paid_sale, manager, quantities, expected
):
    items = {"map": paid_sale.map_item, "photo": paid_sale.photo_item}
    attachments = Attachment.objects.count()
    with pytest.raises(ValidationError) as refused:
        deliver(manager, paid_sale,
                {items[key]: Decimal(value) for key, value in quantities.items()},
                file=pdf_upload("teslim.pdf"))  # fmt: skip
    assert "lines" in refused.value.message_dict
    assert expected in " ".join(refused.value.message_dict["lines"])
    assert not GisDelivery.objects.exists() and not GisDeliveryLine.objects.exists()
    assert Attachment.objects.count() == attachments
    paid_sale.refresh_from_db()
    assert paid_sale.state == SaleState.PAID


def test_a_second_part_may_not_exceed_what_is_still_due(paid_sale, manager):
    deliver(manager, paid_sale, {paid_sale.map_item: Decimal("10")})
    with pytest.raises(ValidationError) as refused:
        deliver(manager, paid_sale, {paid_sale.map_item: Decimal("2.5"),
                                     paid_sale.photo_item: Decimal("3")})  # fmt: skip
    (problem,) = refused.value.error_dict["lines"]
    assert problem.params["item"] == paid_sale.map_item.pk  # the form shows it at this layer
    assert "10 delivered already" in refused.value.message_dict["lines"][0]
    assert GisDelivery.objects.count() == 1 and GisDeliveryLine.objects.count() == 1


def test_another_sales_layer_is_refused(paid_sale, manager, org_tree, tariff):  # noqa: F811
    other = open_company_sale(manager, org_tree)
    item = services.add_item(user=manager, sale=other, layer=tariff.layers["numarataj"],
                             data_format="shp", quantity=Decimal("5"))  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        deliver(manager, paid_sale, {item: Decimal("1")})
    assert "lines" in refused.value.message_dict
    assert not GisDelivery.objects.exists()


def test_the_page_records_a_part_and_refuses_too_much_at_the_field(client, paid_sale, manager):
    client.force_login(manager)
    page = client.get(paid_sale.get_absolute_url())
    form = page.context["delivery_form"]
    map_field = f"item_{paid_sale.map_item.pk}"
    photo_field = f"item_{paid_sale.photo_item.pk}"
    assert form[map_field].initial == "12.4" and form[photo_field].initial == "3"
    url = reverse("applications:gis_sale_action", args=[paid_sale.pk, "deliver"])
    data = {
        "deliver-recipient_name": "Hakan Demir", "deliver-method": "media",
        "deliver-files": "halihazir_a.dwg", f"deliver-{map_field}": "13",
        f"deliver-{photo_field}": "1",
    }  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 400
    errors = refused.context["delivery_form"].errors
    assert list(errors) == [map_field] and "12,4" in errors[map_field][0]
    assert not GisDelivery.objects.exists()

    done = client.post(url, {**data, f"deliver-{map_field}": "6,2".replace(",", ".")})
    assert done.status_code == 302
    paid_sale.refresh_from_db()
    assert paid_sale.state == SaleState.PARTLY_DELIVERED
    page = client.get(paid_sale.get_absolute_url())
    html = page.content.decode()
    assert 'data-testid="delivery-progress"' in html and html.count('data-testid="delivery"') == 1
    form = page.context["delivery_form"]
    assert form[map_field].initial == "6.2" and form[photo_field].initial == "2"
    # emptying every quantity is not "everything": refused
    empty = client.post(url, {**data, f"deliver-{map_field}": "", f"deliver-{photo_field}": ""})
    assert empty.status_code == 400 and GisDelivery.objects.count() == 1


def test_the_api_takes_parts_and_answers_too_much_with_a_problem(paid_sale, manager):
    api = APIClient()
    api.force_authenticate(manager)
    url = f"/api/v1/applications/gis-sales/{paid_sale.pk}/deliver/"
    body = {"recipient_name": "Mehmet Öz", "method": "kep", "files": "ortofoto.tif"}
    too_much = api.post(url, {**body, "lines": [
        {"item": paid_sale.photo_item.pk, "quantity": "4"}]}, format="json")  # fmt: skip
    assert too_much.status_code == 400
    assert too_much["Content-Type"].startswith("application/problem+json")
    assert "lines" in too_much.json()["errors"]
    assert not GisDelivery.objects.exists()

    part = api.post(url, {**body, "lines": [
        {"item": paid_sale.photo_item.pk, "quantity": "3"}]}, format="json")  # fmt: skip
    assert part.status_code == 200, part.content
    data = part.json()
    assert data["state"] == "partly_delivered"
    progress = {line["item"]: line for line in data["delivery_progress"]}
    assert progress[paid_sale.photo_item.pk]["remaining"] == "0.000"
    assert progress[paid_sale.map_item.pk]["delivered"] == "0.000"
    assert data["deliveries"][0]["lines"] == [
        {"item": paid_sale.photo_item.pk, "quantity": "3.000"}
    ]
    rest = api.post(url, body, format="json")  # no lines: everything still due
    assert rest.status_code == 200 and rest.json()["state"] == "delivered"
    assert len(rest.json()["deliveries"]) == 2


def multipart_delivery(api, sale, lines, **extra):
    body = {"recipient_name": "Mehmet Öz", "method": "media", "files": "halihazir.dwg",
            "lines": json.dumps(lines)}  # fmt: skip
    body.update(extra)
    return api.post(f"/api/v1/applications/gis-sales/{sale.pk}/deliver/", body,
                    format="multipart")  # fmt: skip


def test_the_api_takes_a_delivery_with_its_file(paid_sale, manager):
    api = APIClient()
    api.force_authenticate(manager)
    line = {"item": paid_sale.map_item.pk, "quantity": "5"}
    response = multipart_delivery(api, paid_sale, [line], file=pdf_upload("tutanak.pdf"))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == "partly_delivered"
    (delivery,) = data["deliveries"]
    assert delivery["lines"] == [{"item": paid_sale.map_item.pk, "quantity": "5.000"}]
    stored = GisDelivery.objects.get()
    assert delivery["file"] == stored.file_id
    assert stored.file.filename == "tutanak.pdf" and stored.file.mime_type == "application/pdf"
    assert stored.file.parent == paid_sale

    # one part per line works as well, and a delivery without a file
    lines = [json.dumps({"item": paid_sale.map_item.pk, "quantity": "7.4"}),
             json.dumps({"item": paid_sale.photo_item.pk, "quantity": "3"})]  # fmt: skip
    rest = api.post(f"/api/v1/applications/gis-sales/{paid_sale.pk}/deliver/",
                    {"recipient_name": "Mehmet Öz", "method": "media", "files": "b.dwg",
                     "lines": lines}, format="multipart")  # fmt: skip
    assert rest.status_code == 200, rest.content
    assert rest.json()["state"] == "delivered"
    assert GisDelivery.objects.filter(file__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (lambda: pdf_upload("buyuk.pdf"), "sınırından büyük"),  # over the limit set below
        (lambda: SimpleUploadedFile("veri.pdf", bytes(range(256)) * 8), "kabul edilmiyor"),
    ],
)
def test_a_refused_delivery_file_is_a_problem_and_nothing_is_saved(
    paid_sale, manager, settings, upload, code
):
    """The API answers in Turkish, as the pages do (the attachments' own messages)."""
    settings.ATTACHMENT_MAX_BYTES = 100 if code == "sınırından büyük" else 20 * 1024 * 1024
    api = APIClient()
    api.force_authenticate(manager)
    attachments = Attachment.objects.count()
    line = {"item": paid_sale.map_item.pk, "quantity": "5"}
    response = multipart_delivery(api, paid_sale, [line], file=upload())
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert code in " ".join(response.json()["errors"]["file"])
    assert not GisDelivery.objects.exists() and not GisDeliveryLine.objects.exists()
    assert Attachment.objects.count() == attachments
    paid_sale.refresh_from_db()
    assert paid_sale.state == SaleState.PAID


def test_malformed_lines_in_a_form_are_a_problem(paid_sale, manager):
    api = APIClient()
    api.force_authenticate(manager)
    response = api.post(f"/api/v1/applications/gis-sales/{paid_sale.pk}/deliver/",
                        {"recipient_name": "Mehmet Öz", "method": "media", "files": "a.dwg",
                         "lines": "{item: 1"}, format="multipart")  # fmt: skip
    assert response.status_code == 400 and "lines" in response.json()["errors"]
    assert not GisDelivery.objects.exists()


@pytest.mark.parametrize(
    ("field", "lines", "message"),
    [
        ("lines", "{item: 1", "Satırları JSON olarak verin"),
        ("lines", "twice", "Her kalem bir teslimde bir kez yer alabilir."),
        ("items", "foreign", "Bu satışın katmanlarını seçin."),
    ],
)
def test_a_refused_multipart_delivery_answers_in_turkish(paid_sale, manager, field, lines, message):
    """Malformed lines, an item twice and another sale's item are refused at their field with
    the catalogue's Turkish, as the services' refusals are."""
    api = APIClient()
    api.force_authenticate(manager)
    body = {"recipient_name": "Mehmet Öz", "method": "media", "files": "a.dwg"}
    line = {"item": paid_sale.map_item.pk, "quantity": "1"}
    if lines == "twice":
        body["lines"] = json.dumps([line, line])
    elif lines == "foreign":
        body["items"] = [paid_sale.map_item.pk + 1000]
    else:
        body["lines"] = lines
    response = api.post(f"/api/v1/applications/gis-sales/{paid_sale.pk}/deliver/", body,
                        format="multipart")  # fmt: skip
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert message in " ".join(response.json()["errors"][field])
    assert not GisDelivery.objects.exists()


def test_a_delivery_with_a_file_outside_the_users_scope_is_refused(paid_sale, make_user, org_tree):
    line = {"item": paid_sale.map_item.pk, "quantity": "5"}
    api = APIClient()
    api.force_authenticate(make_user("applications_manager", org_tree["roads"]))
    assert multipart_delivery(api, paid_sale, [line], file=pdf_upload()).status_code == 404
    api.force_authenticate(make_user("technician", org_tree["network"]))  # sees, may not deliver
    refused = multipart_delivery(api, paid_sale, [line], file=pdf_upload())
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/problem+json")
    assert not GisDelivery.objects.exists()
    assert Attachment.objects.filter(object_id=str(paid_sale.pk)).count() == 1  # undertaking


def test_the_report_counts_partly_delivered_sales_apart(
    client,
    paid_sale,
    manager,
    org_tree,
    tariff,  # noqa: F811
):
    """Of the paid sales: one not delivered yet, one delivered in part, one in full; the
    page, its CSV and the API count each apart."""
    deliver(manager, paid_sale, {paid_sale.map_item: Decimal("5")})
    whole = make_paid_sale(org_tree, tariff, manager)
    deliver(manager, whole, None)
    make_paid_sale(org_tree, tariff, manager)  # nothing delivered yet
    figures = selectors.report(user=manager, date_from=TODAY.replace(day=1), date_to=TODAY)
    assert (figures.requests, figures.paid) == (3, 3)
    assert (figures.undelivered, figures.partly_delivered, figures.delivered) == (1, 1, 1)

    period = {"from": TODAY.replace(day=1).isoformat(), "to": TODAY.isoformat()}
    api = APIClient()
    api.force_authenticate(manager)
    data = api.get("/api/v1/applications/gis-report/", period).json()
    assert (data["paid"], data["undelivered"], data["partly_delivered"], data["delivered"]) == (
        3, 1, 1, 1,
    )  # fmt: skip

    client.force_login(manager)
    response = client.get(reverse("applications:gis_report"), {**period, "export": "csv"})
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(raw), delimiter=";") if row}
    assert rows["Ödenen, henüz teslim edilmeyen"] == ["1"]
    assert rows["Kısmen teslim edilen"] == ["1"] and rows["Tamamı teslim edilen"] == ["1"]
    page = client.get(reverse("applications:gis_report"), period).content.decode()
    for testid in ("report-undelivered", "report-partly-delivered", "report-delivered"):
        assert f'data-testid="{testid}">1<' in page
