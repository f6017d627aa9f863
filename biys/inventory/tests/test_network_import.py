"""Importing the network inventory from CSV (Turkish Excel's ; and BOM, or ,) and Excel: the
register import's preview with each row's errors and warnings, nothing imported unless every
row is valid, the rules of ``network_services`` (an address once in its VRF, in no subnet
flagged), the template of each kind, the upload page and the API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from biys.core.models import ObjectChange
from biys.inventory import import_services, network_import
from biys.inventory.models import (
    AddressHolding,
    AssetImport,
    ImportKind,
    ImportState,
    IPAssignment,
    NetworkDevice,
    Subnet,
)
from biys.inventory.tests.factories import (
    make_assignment,
    make_network_device,
    make_subnet,
    make_vlan,
    make_vrf,
)

pytestmark = pytest.mark.django_db


def csv_file(text: str, *, name: str = "ag.csv", bom: bool = True) -> SimpleUploadedFile:
    data = ("\ufeff" if bom else "") + text
    return SimpleUploadedFile(name, data.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "ag.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return SimpleUploadedFile(name, stream.getvalue())


def start(inv, kind, file, user=None):
    return import_services.start_import(
        user=user or inv.officer, unit=inv.unit, file=file, filename=file.name, kind=kind
    )


def confirm(inv, asset_import, user=None):
    asset_import = import_services.confirm_import(
        user=user or inv.officer, asset_import=asset_import
    )
    asset_import.refresh_from_db()
    return asset_import


def test_subnets_then_addresses_from_turkish_excel_csv(inv):
    vrf = make_vrf(inv.unit, name="MISAFIR")
    vlan = make_vlan(inv.unit, vid=40)
    make_vlan(inv.other_unit, vid=41)
    refused = start(inv, ImportKind.SUBNETS, csv_file("Önek;VLAN\n10.41.0.0/24;41\n"))
    assert "41" in refused.preview[0]["errors"]["vlan"]  # another unit's VLAN 41
    subnets = start(
        inv,
        ImportKind.SUBNETS,
        csv_file(
            "Önek;VRF;VLAN;Ağ geçidi;Açıklama\n"
            "10.40.0.0/24;;40;10.40.0.1;Hizmet binası\n"
            "192.168.1.0/24;misafir;;;Misafir ağı\n"
        ),
    )
    assert subnets.state == ImportState.READY, subnets.preview
    assert not Subnet.objects.exists()  # the preview wrote nothing
    subnets = confirm(inv, subnets)
    assert subnets.state == ImportState.DONE and subnets.created_count == 2
    assert Subnet.objects.get(prefix="192.168.1.0/24").vrf == vrf
    assert Subnet.objects.get(prefix="10.40.0.0/24").vlan == vlan

    addresses = start(
        inv,
        ImportKind.IP_ADDRESSES,
        csv_file(
            "IP adresi,VRF,Kullanan,MAC adresi,Durum\n"
            "10.40.0.20,,Muhasebe yazıcısı,00-1A-2B-3C-4D-60,Kullanımda\n"
            "192.168.1.20,MISAFIR,Kiosk,,Ayrılmış\n"
            "10.99.0.5,,Eski sunucu,,\n",
            bom=False,
        ),
    )
    assert addresses.state == ImportState.READY
    flagged = [row for row in addresses.preview if row.get("warnings")]
    assert [row["row"] for row in flagged] == [4]
    assert "10.99.0.5" in flagged[0]["warnings"]["address"]
    assert addresses.preview[0]["row"] == 4  # the flagged row first
    addresses = confirm(inv, addresses)
    assert addresses.state == ImportState.DONE and addresses.created_count == 3
    printer = IPAssignment.objects.get(address="10.40.0.20")
    assert printer.subnet.prefix == "10.40.0.0/24" and printer.mac_address == "00:1a:2b:3c:4d:60"
    assert IPAssignment.objects.get(address="192.168.1.20").status == "reserved"
    assert IPAssignment.objects.get(address="10.99.0.5").subnet is None
    # through the service: the history and the change log have them
    assert AddressHolding.objects.filter(address="10.40.0.20", ended_at__isnull=True).exists()
    assert ObjectChange.objects.filter(object_repr="10.40.0.20").exists()


def test_conflicts_are_kept_at_their_rows_and_nothing_is_imported(inv):
    make_subnet(inv.unit, prefix="10.50.0.0/24")
    make_assignment(inv.unit, address="10.50.0.9", host="Var olan")
    vrf = make_vrf(inv.unit, name="KAMERA")
    asset_import = start(
        inv,
        ImportKind.IP_ADDRESSES,
        csv_file(
            "IP adresi;VRF;Kullanan;Durum\n"
            "10.50.0.9;;İkinci;\n"  # given out already
            "10.50.0.10;;Yeni;\n"
            "10.50.0.10;;Aynı dosyada;\n"  # twice in the file
            "10.50.0.9;KAMERA;Başka VRF;\n"  # another VRF: another address
            "10.50.0.255;;Yayın;\n"  # the broadcast address
            "10.50.0.11;YOK;;\n"  # no such VRF
            "10.50.0.12;;;bilinmez\n"  # no such status
            "abc;;;\n"
        ),
    )
    assert asset_import.state == ImportState.INVALID and asset_import.error_count == 6
    errors = {row["row"]: row["errors"] for row in asset_import.preview}
    assert set(errors[2]) == {"address"} and "Var olan" in errors[2]["address"]
    assert errors[3] == {} and errors[5] == {}
    assert "Yeni" in errors[4]["address"]
    assert "10.50.0.0/24" in errors[6]["address"]
    assert set(errors[7]) == {"vrf"} and set(errors[8]) == {"status"}
    assert set(errors[9]) == {"address"}
    assert IPAssignment.objects.count() == 1
    assert not IPAssignment.objects.filter(vrf=vrf).exists()
    with pytest.raises(Exception):  # noqa: B017 - only a file without errors is confirmed
        import_services.confirm_import(user=inv.officer, asset_import=asset_import)


def test_devices_from_excel_with_their_management_addresses(inv):
    make_subnet(inv.unit, prefix="10.60.0.0/24")
    make_network_device(inv.unit, name="sw-var", management_ip="10.60.0.2")
    asset_import = start(
        inv,
        ImportKind.NETWORK_DEVICES,
        xlsx_file(
            [
                ["Host adı", "Tür", "Üretici", "Model", "Yönetim adresi", "MAC adresi", "Kabin U"],
                [
                    "sw-kat-1",
                    "Anahtar (switch)",
                    "Cisco",
                    "C9200",
                    "10.60.0.3",
                    "001a.2b3c.4d01",
                    12,
                ],
                ["fw-merkez", "güvenlik duvarı", "Fortinet", "60F", "10.77.0.1", None, None],
                ["kamera-1", "kamera", None, None, None, None, None],
            ]
        ),
    )
    assert asset_import.state == ImportState.READY, asset_import.preview
    warned = [row["row"] for row in asset_import.preview if row.get("warnings")]
    assert warned == [3]  # 10.77.0.1 is in no subnet
    asset_import = confirm(inv, asset_import)
    assert asset_import.created_count == 3
    switch = NetworkDevice.objects.get(name="sw-kat-1")
    assert switch.kind == "switch" and switch.rack_unit == 12
    assert switch.mac_address == "00:1a:2b:3c:4d:01"
    assert IPAssignment.objects.get(address="10.60.0.3").device == switch
    assert NetworkDevice.objects.get(name="fw-merkez").kind == "firewall"

    again = start(
        inv,
        ImportKind.NETWORK_DEVICES,
        csv_file("Host adı;Tür;Yönetim adresi\nsw-yeni;robot;10.60.0.2\n"),
    )
    assert again.state == ImportState.INVALID
    assert set(again.preview[0]["errors"]) == {"kind"}
    again = start(
        inv,
        ImportKind.NETWORK_DEVICES,
        csv_file("Host adı;Tür;Yönetim adresi\nsw-yeni;switch;10.60.0.2\n"),
    )
    assert "sw-var" in again.preview[0]["errors"]["management_ip"]


def test_addresses_name_their_device(inv):
    make_subnet(inv.unit, prefix="10.70.0.0/24")
    core = make_network_device(inv.unit, name="SW-CORE")
    asset_import = start(
        inv,
        ImportKind.IP_ADDRESSES,
        csv_file("IP adresi;Cihaz\n10.70.0.5;sw-core\n10.70.0.6;yok-boyle\n"),
    )
    errors = {row["row"]: row["errors"] for row in asset_import.preview}
    assert errors[2] == {} and "yok-boyle" in errors[3]["device"]
    make_network_device(inv.unit, name="sw-core")
    asset_import = start(
        inv, ImportKind.IP_ADDRESSES, csv_file("IP adresi;Cihaz\n10.70.0.5;SW-core\n")
    )
    assert "SW-core" in asset_import.preview[0]["errors"]["device"]
    assert core.pk


def test_a_file_without_its_required_column_is_refused(inv):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        start(inv, ImportKind.SUBNETS, csv_file("VRF;VLAN\n;12\n"))
    assert "Önek" in str(refused.value)
    assert not AssetImport.objects.exists()


def test_a_role_without_the_network_permission_may_not_import(inv, make_user):
    controller = make_user("inventory_controller", inv.unit)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        start(inv, ImportKind.SUBNETS, csv_file("Önek\n10.1.0.0/24\n"), user=controller)


def test_a_large_file_is_checked_and_imported_in_the_background(
    inv, settings, django_capture_on_commit_callbacks
):
    settings.BIYS_INVENTORY_IMPORT_BACKGROUND_ROWS = 5
    make_subnet(inv.unit, prefix="10.80.0.0/24")
    lines = "".join(f"10.80.0.{index};Kullanıcı {index}\n" for index in range(10, 30))
    with django_capture_on_commit_callbacks(execute=True):
        asset_import = start(inv, ImportKind.IP_ADDRESSES, csv_file(f"IP adresi;Kullanan\n{lines}"))
    asset_import.refresh_from_db()
    assert asset_import.state == ImportState.READY  # checked by the task, as the uploader
    with django_capture_on_commit_callbacks(execute=True):
        import_services.confirm_import(user=inv.officer, asset_import=asset_import)
    asset_import.refresh_from_db()
    assert asset_import.state == ImportState.DONE and IPAssignment.objects.count() == 20
    assert AddressHolding.objects.filter(started_by=inv.officer).count() == 20


@pytest.mark.parametrize("kind", network_import.KINDS)
def test_the_templates_import_as_they_are(inv, kind):
    make_vrf(inv.unit, name="MISAFIR")
    for fmt in ("csv", "xlsx"):
        content, _type, filename = network_import.template(kind, fmt)
        if fmt == "csv":
            assert content.startswith(b"\xef\xbb\xbf") and b";" in content
        else:
            sheet = load_workbook(io.BytesIO(content)).active
            assert sheet.max_row == 2
        table = network_import.read_file(content, kind=kind, filename=filename)
        assert len(table.rows) == 1 and set(table.columns) == set(network_import.COLUMNS[kind])


def test_the_pages(inv):
    client = Client()
    client.force_login(inv.officer)
    listing = client.get(reverse("inventory:subnet_list")).content.decode()
    assert "?kind=subnets" in listing
    page = client.get(reverse("inventory:assetimport_add") + "?kind=subnets")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="import-templates"' in text and 'name="default_code"' not in text
    template = client.get(reverse("inventory:import_template", args=["subnets", "csv"]))
    assert template.status_code == 200 and "attachment" in template["Content-Disposition"]
    assert client.get(reverse("inventory:import_template", args=["nope", "csv"])).status_code == 404
    response = client.post(
        reverse("inventory:assetimport_add"),
        {
            "kind": "subnets",
            "unit": inv.unit.pk,
            "file": csv_file("Önek;Açıklama\n10.90.0.0/24;Kat 9\n10.90.0.1/24;Hatalı\n"),
        },
    )
    assert response.status_code == 302
    asset_import = AssetImport.objects.get()
    assert asset_import.kind == "subnets" and asset_import.state == ImportState.INVALID
    detail = client.get(asset_import.get_absolute_url()).content.decode()
    assert 'data-error="prefix"' in detail and "10.90.0.0/24" in detail
    assert 'id="confirm-import"' not in detail


def test_the_api(inv):
    client = APIClient()
    client.force_authenticate(inv.officer)
    url = "/api/v1/inventory/imports/"
    response = client.post(
        url,
        {"kind": "subnets", "unit": inv.unit.pk, "file": csv_file("Önek\n10.91.0.0/24\n")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "subnets" and body["state"] == "ready"
    done = client.post(f"{url}{body['id']}/confirm/")
    assert done.json()["state"] == "done" and Subnet.objects.filter(prefix="10.91.0.0/24")
    bad = client.post(
        url,
        {"kind": "robots", "unit": inv.unit.pk, "file": csv_file("Önek\n10.92.0.0/24\n")},
        format="multipart",
    )
    assert bad.status_code == 400 and "kind" in str(bad.json())
