"""The inventory pages: the asset list (queries, search, CSV for Turkish Excel), the detail,
the custody actions, the Zimmet Fişi, "my custody" and a person's handover list."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from biys.accounts.scope import forget_scope
from biys.inventory import services
from biys.inventory.models import Asset, ItemModel
from biys.inventory.tests.factories import bulk_assets, make_asset, make_item_model

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    # Words a narrow column wraps are joined again.
    return " ".join(" ".join(page.extract_text() for page in pages).split()).replace("- ", "-")


def test_asset_list_queries_do_not_grow_with_the_page(inv):
    client = client_for(inv.officer)
    url = reverse("inventory:asset_list")
    bulk_assets(inv.unit, 60, item_model=inv.model, custodian=inv.alice)

    def count(per_page):
        forget_scope(inv.officer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"per_page": per_page})
        assert response.status_code == 200
        return len(queries), response.context["keyset"]["rows"]

    count(1)  # warms what the process keeps between requests (scope, calendar generations)
    few, rows = count(5)
    assert rows == 5
    many, rows = count(50)
    assert rows == 50
    assert few == many
    html = client.get(url, {"per_page": 5}).content.decode()
    assert "Ayşe Yılmaz" in html and "Dell OptiPlex 7010" in html


def test_asset_search_finds_serial_and_inventory_number(inv):
    wanted = make_asset(inv.unit, item_model=inv.model, serial_number="CZC4412XYZ")
    make_asset(inv.unit, item_model=inv.model, serial_number="OTHER-1")
    client = client_for(inv.officer)
    url = reverse("inventory:asset_list")
    for query in ("czc4412", wanted.inventory_number, "optiplex czc4412xyz"):
        response = client.get(url, {"q": query})
        assert response.context["keyset"]["count"].value == 1, query
        assert wanted.inventory_number in response.content.decode()


def test_asset_csv_export_is_for_turkish_excel(inv):
    make_asset(inv.unit, item_model=inv.model, serial_number="İŞ-1")
    client = client_for(inv.officer)
    with translation.override("tr"):
        response = client.get(
            reverse("inventory:asset_list"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="tr"
        )
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2 and "İŞ-1" in rows[1]


def test_register_an_asset_through_the_form(inv):
    client = client_for(inv.officer)
    response = client.post(
        reverse("inventory:asset_add"),
        {
            "unit": inv.unit.pk,
            "item_model": inv.model.pk,
            "serial_number": "FORM-1",
            "acquisition_method": "purchase",
            "acquired_on": "2025-06-01",
            "value": "18000",
            "warranty_end": "2028-06-01",
        },
    )
    asset = Asset.objects.get(serial_number="FORM-1")
    assert response.status_code == 302 and response["Location"] == asset.get_absolute_url()
    assert asset.inventory_number.startswith("253.02.01.01-")
    refused = client.post(
        reverse("inventory:asset_add"),
        {
            "unit": inv.unit.pk,
            "item_model": inv.model.pk,
            "acquisition_method": "purchase",
            "acquired_on": "2025-06-01",
            "value": "1",
            "warranty_end": "2020-01-01",
        },
    )
    assert refused.status_code == 400
    assert "warranty_end" in refused.context["form"].errors


def test_hand_over_transfer_and_take_back_pages(inv):
    asset = make_asset(inv.unit, item_model=inv.model)
    client = client_for(inv.officer)
    detail = client.get(asset.get_absolute_url()).content.decode()
    assert reverse("inventory:hand_over", args=[asset.pk]) in detail
    response = client.post(
        reverse("inventory:hand_over", args=[asset.pk]), {"person": inv.alice.pk}
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.custodian == inv.alice
    again = client.post(reverse("inventory:hand_over", args=[asset.pk]), {"person": inv.bob.pk})
    assert again.status_code == 400 and "person" in again.context["form"].errors
    client.post(reverse("inventory:transfer", args=[asset.pk]), {"person": inv.bob.pk})
    client.post(reverse("inventory:take_back", args=[asset.pk]), {"notes": "Birim değişikliği"})
    asset.refresh_from_db()
    assert asset.status == "in_store" and asset.custodian is None
    history = client.get(asset.get_absolute_url(), {"tab": "custody"}).content.decode()
    assert "Ayşe Yılmaz" in history and "Burak Çelik" in history


def test_the_zimmet_fisi_is_a_turkish_pdf(inv, make_user):
    asset = make_asset(inv.unit, item_model=inv.model, serial_number="CZC99")
    custody = services.hand_over(asset=asset, person=inv.alice, user=inv.officer)
    url = reverse("inventory:zimmet_fisi", args=[custody.pk])
    text = pdf_text(client_for(inv.officer).get(url))
    assert "ZİMMET FİŞİ" in text and custody.number in text
    assert "Ayşe Yılmaz" in text and asset.inventory_number in text and "CZC99" in text
    assert "Teslim alan" in text or "Received by" in text
    outsider = make_user("inventory_officer", inv.other_unit)
    assert client_for(outsider).get(url).status_code == 404


def test_my_custody_and_acknowledgement(inv, make_user):
    asset = make_asset(inv.unit, item_model=inv.model)
    custody = services.hand_over(asset=asset, person=inv.alice, user=inv.officer)
    alice = make_user(username="ayse")  # a plain requester: no inventory permission at all
    alice.person = inv.alice
    alice.save()
    client = client_for(alice)
    page = client.get(reverse("inventory:my_custody")).content.decode()
    assert (
        asset.inventory_number in page
        and reverse("inventory:acknowledge", args=[custody.pk]) in page
    )
    assert client.get(reverse("inventory:zimmet_fisi", args=[custody.pk])).status_code == 200
    assert client.get(asset.get_absolute_url()).status_code == 404  # the register is not hers
    client.post(reverse("inventory:acknowledge", args=[custody.pk]))
    custody.refresh_from_db()
    assert custody.acknowledged_at is not None
    # Someone else's custody cannot be acknowledged.
    other = services.hand_over(asset=make_asset(inv.unit, item_model=inv.model), person=inv.bob)
    assert client.post(reverse("inventory:acknowledge", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.acknowledged_at is None


def test_only_the_custodian_acknowledges(inv, make_user, org_tree):
    """The page's and the API's acknowledgement for every role inside and outside the
    register's unit: someone else's custody is not found (404) and stays unacknowledged, whatever
    the role; the custodian's own goes through."""
    from rest_framework.test import APIClient

    from tests.permissions.matrix import role_cases

    custody = services.hand_over(asset=make_asset(inv.unit, item_model=inv.model), person=inv.bob)
    page_url = reverse("inventory:acknowledge", args=[custody.pk])
    api_url = reverse("custody-acknowledge", args=[custody.pk])
    failures = []
    for role, inside in role_cases():
        user = make_user(role, inv.unit if inside else org_tree["roads"])
        page, api = client_for(user), APIClient()
        api.force_authenticate(user)
        answers = (page.post(page_url).status_code, api.post(api_url).status_code)
        if answers != (404, 404):
            failures.append(f"{role} {'inside' if inside else 'outside'}: {answers}")
    custody.refresh_from_db()
    assert not failures and custody.acknowledged_at is None, failures
    holder = make_user(None, inv.unit)
    holder.person = inv.bob
    holder.save(update_fields=["person"])
    api = APIClient()
    api.force_authenticate(holder)
    assert api.post(api_url).status_code == 200
    custody.refresh_from_db()
    assert custody.acknowledged_at is not None


def test_person_custody_page_and_handover_list(inv, make_user):
    for serial in ("H1", "H2"):
        services.hand_over(
            asset=make_asset(inv.unit, item_model=inv.model, serial_number=serial),
            person=inv.alice,
        )
    client = client_for(inv.officer)
    page = client.get(reverse("inventory:person_custody", args=[inv.alice.pk]))
    assert len(page.context["holding"]) == 2 and len(page.context["history"]) == 2
    text = pdf_text(client.get(reverse("inventory:handover_pdf", args=[inv.alice.pk])))
    assert "ZİMMET DEVİR LİSTESİ" in text and "H1" in text and "H2" in text
    # An officer of another unit opens the page (the person is read by all staff) and sees none
    # of it, neither the holding, nor the history, nor the handover list's rows; a requester may
    # not open the page.
    outsider = client_for(make_user("inventory_officer", inv.other_unit))
    outside = outsider.get(reverse("inventory:person_custody", args=[inv.alice.pk]))
    assert outside.context["holding"] == [] and outside.context["history"] == []
    text = pdf_text(outsider.get(reverse("inventory:handover_pdf", args=[inv.alice.pk])))
    assert "ZİMMET DEVİR LİSTESİ" in text and "H1" not in text and "H2" not in text
    requester = client_for(make_user("requester", inv.unit))
    assert (
        requester.get(reverse("inventory:person_custody", args=[inv.alice.pk])).status_code == 403
    )


def test_person_custody_page_queries_do_not_grow_with_the_records(inv):
    client = client_for(inv.officer)
    url = reverse("inventory:person_custody", args=[inv.alice.pk])

    def hand_over(count):
        for _ in range(count):
            asset = make_asset(inv.unit, item_model=inv.model)
            services.hand_over(asset=asset, person=inv.alice)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    hand_over(1)
    queries()  # warms what the process keeps between requests
    few = queries()
    hand_over(6)
    assert queries() == few


def test_item_models_sort_by_turkish_rules(inv):
    for brand in ("Çizgi", "Canon", "İnci", "Işık", "Dell"):
        make_item_model(inv.unit, brand=brand, name="X")
    brands = list(ItemModel.objects.filter(name="X").values_list("brand", flat=True))
    assert brands == ["Canon", "Çizgi", "Dell", "Işık", "İnci"]
    html = client_for(inv.officer).get(reverse("inventory:itemmodel_list"), {"q": "ışık"})
    assert "Işık" in html.content.decode() and "İnci" not in html.content.decode()


def test_code_list_page_loads_a_file_for_the_whole_municipality(inv, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(make_user(superuser=True))
    bad = SimpleUploadedFile("kod.csv", b"999.01;Ebeveyni yok\n", content_type="text/csv")
    response = client.post(reverse("inventory:code_load"), {"file": bad})
    assert response.status_code == 400 and response.context["errors"]
    good = SimpleUploadedFile(
        "kod.csv", "253.02.02;Ağ Cihazları\n".encode(), content_type="text/csv"
    )
    assert client.post(reverse("inventory:code_load"), {"file": good}).status_code == 302
    officer = client_for(inv.officer)  # the national list is not a unit's to change
    assert officer.get(reverse("inventory:code_load")).status_code == 403


def test_acquisition_date_in_the_future_is_refused_on_edit(inv):
    asset = make_asset(inv.unit, item_model=inv.model)
    client = client_for(inv.officer)
    response = client.post(
        reverse("inventory:asset_edit", args=[asset.pk]),
        {
            "unit": inv.unit.pk,
            "item_model": inv.model.pk,
            "acquisition_method": "purchase",
            "acquired_on": date(2099, 1, 1).isoformat(),
            "value": "1",
        },
    )
    assert response.status_code == 400 and "acquired_on" in response.context["form"].errors
