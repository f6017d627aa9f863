"""The software and licence pages and API: the compliance page (queries constant with the page
size, over-deployed and forbidden flagged, CSV for Turkish Excel), installations recorded by an
asset's number, the agent report endpoint (idempotent, problems on bad input)."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from biys.accounts.scope import forget_scope
from biys.inventory import licence_services
from biys.inventory.models import Installation, Licence, SoftwareTitle
from biys.inventory.tests.factories import (
    bulk_assets,
    make_asset,
    make_licence,
    make_title,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def sw(inv):
    """Sixty titles, each on an asset; a licensed one over its seats and a forbidden one on an
    asset in someone's custody."""
    assets = bulk_assets(inv.unit, 60, item_model=inv.model, custodian=inv.alice)
    titles = SoftwareTitle.objects.bulk_create(
        [
            SoftwareTitle(
                unit=inv.unit,
                publisher="Örnek",
                name=f"Program {index:03d}",
                match_key=f"ornek|program {index:03d}",
                sort_name=f"program {index:03d}",
                status="allowed",
            )
            for index in range(60)
        ]
    )
    now = timezone.now()
    Licence.objects.bulk_create(
        Licence(
            unit=inv.unit,
            title=title,
            kind="perpetual",
            seats=1,
            starts_on=date(2026, 1, 1),
            contract=f"2026/{title.pk}",
        )
        for title in titles
    )
    Installation.objects.bulk_create(
        Installation(asset=asset, title=title, first_seen=now, last_seen=now)
        for title, asset in zip(titles, assets, strict=True)
    )
    inv.autocad = make_title(inv.unit, publisher="Autodesk", name="AutoCAD LT")
    make_licence(inv.unit, title=inv.autocad, seats=1)
    for asset in assets[:2]:
        licence_services.record_installation(asset=asset, title=inv.autocad)
    inv.torrent = make_title(inv.unit, publisher="BitTorrent", name="µTorrent", status="forbidden")
    licence_services.record_installation(asset=assets[5], title=inv.torrent)
    inv.assets = assets
    return inv


def test_compliance_page_queries_do_not_grow_with_the_page(sw):
    client = client_for(sw.officer)
    url = reverse("inventory:software_compliance")

    def count(per_page):
        forget_scope(sw.officer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"per_page": per_page})
        assert response.status_code == 200
        return len(queries), len(response.context["table"].page.object_list)

    count(25)
    few, rows = count(25)
    many, more = count(100)
    assert (rows, more) == (25, 62)
    assert few == many


def test_compliance_flags_over_deployed_and_forbidden_with_the_custodian(sw):
    client = client_for(sw.officer)
    response = client.get(reverse("inventory:software_compliance"))
    html = response.content.decode()
    rows = list(response.context["table"].page.object_list)
    # Worst first: the forbidden title, then the over-deployed one.
    assert [row.record.pk for row in rows[:2]] == [sw.torrent.pk, sw.autocad.pk]
    assert rows[1].record.shortfall == 1
    assert 'data-testid="forbidden-installed"' in html
    assert "Ayşe Yılmaz" in html and sw.assets[5].inventory_number in html
    over = client.get(reverse("inventory:software_compliance"), {"compliance": "over_deployed"})
    assert [row.record.pk for row in over.context["table"].page.object_list] == [sw.autocad.pk]


def test_compliance_csv_is_for_turkish_excel(sw):
    client = client_for(sw.officer)
    with translation.override("tr"):
        response = client.get(
            reverse("inventory:software_compliance"),
            {"export": "csv", "compliance": "over_deployed"},
            HTTP_ACCEPT_LANGUAGE="tr",
        )
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2 and "AutoCAD LT" in rows[1]
    assert rows[1][-4:] == ["2", "1", "1", "Fazla kurulum"]


def test_the_compliance_page_needs_the_licence_permission(sw, make_user):
    client = client_for(make_user("requester", sw.unit))
    assert client.get(reverse("inventory:software_compliance")).status_code == 403


def test_installation_list_queries_do_not_grow_with_the_page(sw):
    client = client_for(sw.officer)
    url = reverse("inventory:installation_list")

    def count(per_page):
        forget_scope(sw.officer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"per_page": per_page})
        assert response.status_code == 200
        return len(queries)

    count(25)
    assert count(25) == count(50)


def test_recording_software_by_the_assets_number(inv):
    asset = make_asset(inv.unit, item_model=inv.model, serial_number="CZC123")
    title = make_title(inv.unit, name="QGIS", licence_required=False)
    client = client_for(inv.officer)
    url = reverse("inventory:installation_add")
    response = client.post(url, {"asset_reference": "NOPE-1", "title": title.pk})
    assert response.status_code == 200 and not Installation.objects.exists()
    assert "NOPE-1" in response.content.decode()
    response = client.post(url, {"asset_reference": "czc123", "title": title.pk, "version": "3.34"})
    assert response.status_code == 302
    installation = Installation.objects.get()
    assert (installation.asset, installation.version) == (asset, "3.34")
    detail = client.get(asset.get_absolute_url(), {"tab": "software"})
    assert "QGIS" in detail.content.decode()
    response = client.post(reverse("inventory:installation_remove", args=[installation.pk]))
    assert response.status_code == 302
    installation.refresh_from_db()
    assert installation.removed_at is not None


def test_api_compliance_and_lists_in_constant_queries(sw):
    api = api_for(sw.officer)
    response = api.get("/api/v1/inventory/software/compliance/", {"compliance": "forbidden"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [sw.torrent.pk]

    for url in (
        "/api/v1/inventory/software/compliance/",
        "/api/v1/inventory/licences/",
        "/api/v1/inventory/installations/",
        "/api/v1/inventory/software/",
    ):

        def count(limit, url=url):
            forget_scope(sw.officer)
            with CaptureQueriesContext(connection) as queries:
                response = api.get(url, {"per_page": limit})
            assert response.status_code == 200, response.content
            return len(queries)

        count(5)
        assert count(5) == count(50), url


def test_api_agent_report_is_idempotent_and_refuses_bad_input(inv, make_user):
    asset = make_asset(inv.unit, item_model=inv.model)
    api = api_for(inv.officer)
    body = {
        "asset": asset.pk,
        "software": [
            {"publisher": "Microsoft Corporation", "name": "Microsoft Visio", "version": "16.0"},
            {"publisher": "İLKSOFT", "name": "NETCAD GIS 8.5"},
        ],
    }
    first = api.post("/api/v1/inventory/installations/report/", body, format="json")
    assert first.status_code == 200, first.content
    assert first.json()["added"] == 2 and len(first.json()["new_titles"]) == 2
    again = api.post("/api/v1/inventory/installations/report/", body, format="json")
    assert again.json() == {
        "added": 0,
        "updated": 0,
        "unchanged": 2,
        "removed": 0,
        "new_titles": [],
    }

    bad = api.post(
        "/api/v1/inventory/installations/report/",
        {"asset": asset.pk, "software": [{"publisher": "X"}]},
        format="json",
    )
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    outsider = api_for(make_user("inventory_officer", inv.other_unit))
    refused = outsider.post("/api/v1/inventory/installations/report/", body, format="json")
    assert refused.status_code == 400  # the asset is not one the caller may see
    assert Installation.objects.count() == 2


def test_api_licence_refusals_are_problems(inv):
    api = api_for(inv.officer)
    title = make_title(inv.unit)
    response = api.post(
        "/api/v1/inventory/licences/",
        {
            "unit": inv.unit.pk,
            "title": title.pk,
            "kind": "subscription",
            "seats": 5,
            "starts_on": "2026-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "expires_on" in str(response.json())


def test_api_installation_recorded_corrected_and_removed(inv):
    asset = make_asset(inv.unit, item_model=inv.model)
    title, other = make_title(inv.unit, name="QGIS"), make_title(inv.unit, name="GRASS")
    api = api_for(inv.officer)
    created = api.post(
        "/api/v1/inventory/installations/",
        {"asset": asset.pk, "title": title.pk, "version": "3.34"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["source"] == "api"
    url = f"/api/v1/inventory/installations/{created.json()['id']}/"
    twice = api.post(
        "/api/v1/inventory/installations/", {"asset": asset.pk, "title": title.pk}, format="json"
    )
    assert twice.status_code == 400
    assert api.patch(url, {"title": other.pk}, format="json").status_code == 400
    patched = api.patch(url, {"version": "3.36"}, format="json")
    assert patched.status_code == 200 and patched.json()["version"] == "3.36"
    removed = api.post(f"{url}remove/")
    assert removed.status_code == 200 and removed.json()["is_current"] is False
    assert api.post(f"{url}remove/").status_code == 400
