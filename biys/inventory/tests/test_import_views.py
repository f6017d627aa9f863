"""The register import screens: upload, preview with row errors, confirm, background progress."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from biys.inventory import import_services
from biys.inventory.models import Asset, AssetImport, ImportState
from biys.inventory.tests.test_import import codes  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "import_samples"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes(), content_type="text/csv")


def test_upload_preview_and_confirm(inv, codes):  # noqa: F811
    client = client_for(inv.officer)
    assert client.get(reverse("inventory:assetimport_add")).status_code == 200
    response = client.post(
        reverse("inventory:assetimport_add"), {"file": upload("biys.csv"), "unit": inv.unit.pk}
    )
    assert response.status_code == 302
    asset_import = AssetImport.objects.get()
    assert asset_import.state == ImportState.READY and asset_import.total == 4
    assert not Asset.objects.exists()
    page = client.get(asset_import.get_absolute_url()).content.decode()
    assert 'id="confirm-import"' in page and "CZC1234ABC" in page and "Öz Bilişim" not in page
    assert "Hizmet Binası, kat 2, oda 204" in page
    done = client.post(reverse("inventory:assetimport_confirm", args=[asset_import.pk]))
    assert done.status_code == 302
    asset_import.refresh_from_db()
    assert asset_import.state == ImportState.DONE and asset_import.created_count == 4
    assert Asset.objects.filter(unit=inv.unit).count() == 4
    # Confirming twice imports nothing more.
    client.post(reverse("inventory:assetimport_confirm", args=[asset_import.pk]))
    assert Asset.objects.count() == 4
    listing = client.get(reverse("inventory:assetimport_list")).content.decode()
    assert "biys.csv" in listing


def test_bad_rows_are_shown_at_their_column_and_nothing_is_imported(inv, codes):  # noqa: F811
    client = client_for(inv.officer)
    with translation.override("tr"):
        client.post(
            reverse("inventory:assetimport_add"),
            {"file": upload("biys_bad.csv"), "unit": inv.unit.pk},
            HTTP_ACCEPT_LANGUAGE="tr",
        )
    asset_import = AssetImport.objects.get()
    assert asset_import.state == ImportState.INVALID and asset_import.error_count == 2
    page = client.get(asset_import.get_absolute_url()).content.decode()
    assert 'id="confirm-import"' not in page
    assert 'data-row="3"' in page and 'data-error="acquired_on"' in page
    assert 'data-error="serial_number"' in page and 'data-error="status"' in page
    # the rows with errors come first
    assert page.index('data-row="3"') < page.index('data-row="2"')
    refused = client.post(reverse("inventory:assetimport_confirm", args=[asset_import.pk]))
    assert refused.status_code == 302
    assert not Asset.objects.exists()


def test_an_unreadable_file_is_refused_at_the_field(inv, codes):  # noqa: F811
    client = client_for(inv.officer)
    response = client.post(
        reverse("inventory:assetimport_add"),
        {"file": SimpleUploadedFile("x.csv", b"Marka;Seri\nDell;1\n"), "unit": inv.unit.pk},
    )
    assert response.status_code == 400 and response.context["form"].errors.get("file")
    assert not AssetImport.objects.exists()


def test_another_units_register_is_refused(inv, codes):  # noqa: F811
    client = client_for(inv.officer)
    response = client.post(
        reverse("inventory:assetimport_add"),
        {"file": upload("biys.csv"), "unit": inv.other_unit.pk},
    )
    assert response.status_code == 403
    assert not AssetImport.objects.exists()


def test_a_controller_reads_but_does_not_confirm(inv, codes, make_user):  # noqa: F811
    checked = import_services.start_import(
        user=inv.officer,
        unit=inv.unit,
        file=(SAMPLES / "biys.csv").open("rb"),
        filename="biys.csv",
    )
    controller = client_for(make_user("inventory_controller", inv.unit))
    page = controller.get(checked.get_absolute_url())
    assert page.status_code == 200 and 'id="confirm-import"' not in page.content.decode()
    response = controller.post(reverse("inventory:assetimport_confirm", args=[checked.pk]))
    assert response.status_code == 403
    assert not Asset.objects.exists()


def test_a_large_file_runs_in_the_background_with_progress(
    inv,
    codes,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.BIYS_INVENTORY_IMPORT_BACKGROUND_ROWS = 2
    client = client_for(inv.officer)
    queued = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(import_services, "_enqueue", lambda name, pk: queued.append((name, pk)))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("inventory:assetimport_add"),
                {"file": upload("biys.csv"), "unit": inv.unit.pk},
            )
        asset_import = AssetImport.objects.get()
        assert queued == [("check_asset_import", asset_import.pk)]
        assert asset_import.state == ImportState.CHECKING
        polling = client.get(asset_import.get_absolute_url(), {"progress": "1"}).content.decode()
        assert 'hx-trigger="every 2s"' in polling and 'data-state="checking"' in polling
        from biys.inventory import tasks

        tasks.check_asset_import(asset_import.pk)  # what the worker runs
        asset_import.refresh_from_db()
        assert asset_import.state == ImportState.READY
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("inventory:assetimport_confirm", args=[asset_import.pk]))
        assert queued[-1] == ("run_asset_import", asset_import.pk)
    polling = client.get(asset_import.get_absolute_url(), {"progress": "1"}).content.decode()
    assert 'data-state="importing"' in polling
    tasks.run_asset_import(asset_import.pk)
    done = client.get(asset_import.get_absolute_url(), {"progress": "1"}).content.decode()
    assert 'data-state="done"' in done and "hx-trigger" not in done
    assert Asset.objects.count() == 4


def test_without_a_broker_the_tasks_run_in_process(
    inv,
    codes,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.BIYS_INVENTORY_IMPORT_BACKGROUND_ROWS = 2
    client = client_for(inv.officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("inventory:assetimport_add"), {"file": upload("biys.csv"), "unit": inv.unit.pk}
        )
    asset_import = AssetImport.objects.get()
    assert asset_import.state == ImportState.READY
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inventory:assetimport_confirm", args=[asset_import.pk]))
    asset_import.refresh_from_db()
    assert asset_import.state == ImportState.DONE and Asset.objects.count() == 4


# --------------------------------------------------------------------------- the API


def api_client(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_upload_preview_and_confirm(inv, codes):  # noqa: F811
    client = api_client(inv.officer)
    url = "/api/v1/inventory/imports/"
    created = client.post(
        url, {"file": upload("glpi.csv"), "unit": inv.unit.pk, "default_code": "253.02.01.01"},
        format="multipart",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "ready" and body["file_format"] == "glpi" and body["total"] == 3
    assert {row["values"]["serial_number"] for row in body["preview"]} >= {"7XK2M93"}
    confirm = f"/api/v1/inventory/imports/{body['id']}/confirm/"
    done = client.post(confirm)
    assert done.status_code == 200 and done.json()["state"] == "done"
    assert done.json()["created_count"] == 3 and Asset.objects.count() == 3
    again = client.post(confirm)
    assert again.status_code == 400 and Asset.objects.count() == 3


def test_api_row_errors_and_refusals(inv, codes):  # noqa: F811
    client = api_client(inv.officer)
    url = "/api/v1/inventory/imports/"
    with translation.override("en"):
        bad = client.post(
            url, {"file": upload("biys_bad.csv"), "unit": inv.unit.pk}, format="multipart"
        )
    assert bad.status_code == 201
    body = bad.json()
    assert body["state"] == "invalid" and body["error_count"] == 2
    rows = {row["row"]: row["errors"] for row in body["preview"]}
    assert set(rows[4]) == {"serial_number", "status", "value"} and rows[2] == {}
    refused = client.post(f"/api/v1/inventory/imports/{body['id']}/confirm/")
    assert refused.status_code == 400
    unreadable = client.post(
        url,
        {"file": SimpleUploadedFile("x.csv", b"Marka;Seri\nDell;1\n"), "unit": inv.unit.pk},
        format="multipart",
    )
    assert unreadable.status_code == 400 and "file" in unreadable.json()["errors"]
    other = client.post(
        url, {"file": upload("biys.csv"), "unit": inv.other_unit.pk}, format="multipart"
    )
    assert other.status_code == 403
    assert not Asset.objects.exists()
