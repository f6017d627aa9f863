"""QR labels: a sheet of labels for the listed or named assets, each pointing at the asset's page."""

import pytest
from django.urls import reverse
from pypdf import PdfReader

from biys.inventory import labels
from biys.inventory.tests.factories import bulk_assets, make_asset, make_item_model

pytestmark = pytest.mark.django_db


def pdf_pages(content: bytes) -> int:
    import io

    return len(PdfReader(io.BytesIO(content)).pages)


def test_a_sheet_holds_its_labels_and_more_go_onto_more_sheets():
    sheet = labels.SHEETS["70x37"]
    items = [
        labels.Label(f"https://biys.example/a/{n}/", f"253.02.01-{n}", "HP ProDesk")
        for n in range(25)
    ]
    assert pdf_pages(labels.label_sheets_pdf(items, sheet, municipality="Belediye")) == 2
    assert pdf_pages(labels.label_sheets_pdf(items[:24], sheet)) == 1
    small = labels.SHEETS["38x21.2"]
    long = [labels.Label("https://biys.example/a/1/", "X" * 80, "Y" * 200)]
    assert pdf_pages(labels.label_sheets_pdf(long, small)) == 1  # long text is shortened


def test_labels_for_the_filtered_list_point_at_each_assets_page(
    client, org_tree, make_user, monkeypatch
):
    officer = make_user("inventory_officer", org_tree["network"])
    model = make_item_model(org_tree["network"], brand="HP", name="ProDesk 400")
    mine = bulk_assets(org_tree["network"], 3, item_model=model)
    other = make_asset(org_tree["software"])
    captured = {}

    def capture(items, sheet, *, municipality=""):
        captured.update(items=items, sheet=sheet)
        return b"%PDF-1.4 test"

    monkeypatch.setattr(labels, "label_sheets_pdf", capture)
    client.force_login(officer)
    url = reverse("inventory:asset_labels")
    response = client.get(url, {"size": "63.5x38.1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert captured["sheet"].code == "63.5x38.1"
    assert sorted(item.number for item in captured["items"]) == sorted(
        a.inventory_number for a in mine
    )
    first = captured["items"][0]
    asset = next(a for a in mine if a.inventory_number == first.number)
    assert first.url == f"http://testserver{reverse('inventory:asset', args=[asset.pk])}"
    assert first.model == "HP ProDesk 400"

    # One named asset; one the user may not see is no label at all.
    client.get(url, {"asset": mine[0].pk})
    assert [item.number for item in captured["items"]] == [mine[0].inventory_number]
    assert client.get(url, {"asset": other.pk}).status_code == 404
    assert client.get(url, {"size": "A0"}).status_code == 400

    monkeypatch.setattr(labels, "MAX_LABELS", 2)
    refused = client.get(url, follow=True)
    assert "en fazla 2" in refused.content.decode()


def test_the_list_and_the_asset_page_offer_labels(client, org_tree, make_user):
    officer = make_user("inventory_officer", org_tree["network"])
    asset = make_asset(org_tree["network"])
    client.force_login(officer)
    listing = client.get(reverse("inventory:asset_list"), {"status": "in_store"}).content.decode()
    assert 'data-sheet="70x37"' in listing and "status=in_store&amp;size=70x37" in listing
    page = client.get(asset.get_absolute_url()).content.decode()
    assert f"{reverse('inventory:asset_labels')}?asset={asset.pk}" in page


def test_an_inventory_number_is_never_cut_on_a_label():
    import io

    number = "253.02.01.01-2026-00026"
    items = [labels.Label("https://biys.example/a/1/", number, "Lenovo ThinkCentre M70q Gen 3")]
    for code in labels.SHEETS:
        content = labels.label_sheets_pdf(items, labels.SHEETS[code], municipality="Ankara")
        text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
        assert "…" not in text.split("Lenovo")[0], code
        assert "253.02.01.01-" in text and "2026-00026" in text, code
