"""Importing an asset register: BİYS's CSV and Excel files, GLPI's and Snipe-IT's exports, the
preview's row errors, all or nothing, the change log, numbering, the command."""

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from biys.core.models import ObjectChange
from biys.inventory import import_services, importing, services
from biys.inventory.models import Asset, AssetStatus, ItemModel, Location, TasinirCode

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "import_samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def codes(inv):
    """The computers code of ``inv`` and its siblings used by the samples."""
    from biys.inventory.codes import save_code

    parent = inv.code.parent
    made = {"253.02.01.01": inv.code}
    for code, name in (
        ("253.02.01.02", "Dizüstü Bilgisayarlar"),
        ("253.02.01.04", "Sunucular"),
        ("253.02.01.06", "Yazıcılar"),
    ):
        made[code] = save_code(code=TasinirCode(code=code, name=name), parent=parent)
    return made


# --------------------------------------------------------------------------- reading


def test_biys_csv_with_bom_semicolons_and_turkish_headers():
    table = importing.read_file(sample("biys.csv"), filename="biys.csv")
    assert table.format == "biys"
    assert table.columns["serial_number"] == "Seri numarası"
    assert table.columns["value"] == "Değer (TL)"
    assert [row.line for row in table.rows] == [2, 3, 4, 5]
    first = table.rows[0].raw
    assert first["brand"] == "Dell" and first["tasinir_code"] == "253.02.01.01"
    assert first["location"] == "Hizmet Binası, kat 2, oda 204"
    assert first["supplier"] == "Öz Bilişim Ltd. Şti."


def test_formats_are_recognised_from_the_header():
    assert importing.read_file(sample("glpi.csv")).format == "glpi"
    snipe = importing.read_file(sample("snipeit.csv"))
    assert snipe.format == "snipeit"
    assert snipe.columns["old_number"] == "Asset Tag"
    assert "Model No." in snipe.ignored
    glpi = importing.read_file(sample("glpi.csv"))
    # a financial field named with GLPI's group prefix; the OS name is not the device's name
    assert glpi.columns["acquired_on"].endswith("Date of purchase")
    assert glpi.columns["name"] == "Name"
    assert "Operating system - Name" in glpi.ignored


def test_comma_separated_plain_utf8_and_windows_1254():
    text = "Marka,Model,Edinme tarihi\nCasper,Nirvana Ş100,01.02.2024\n"
    for data in (text.encode(), text.encode("cp1254")):
        table = importing.read_file(data)
        assert table.rows[0].raw == {
            "brand": "Casper",
            "model": "Nirvana Ş100",
            "acquired_on": "01.02.2024",
        }


def test_a_file_without_a_required_column_is_refused_as_a_whole():
    with pytest.raises(ValidationError) as error, translation.override("en"):
        importing.read_file("Marka;Seri numarası\nDell;X1\n".encode())
    with translation.override("en"):
        assert "Model" in error.value.messages[0]
    with pytest.raises(ValidationError):
        importing.read_file(b"")
    with pytest.raises(ValidationError):
        importing.read_file(b"Marka;Model;Edinme tarihi\n")
    with pytest.raises(ValidationError):
        importing.read_file(b"PK\x03\x04 not really a workbook", filename="x.xlsx")


def test_values_in_turkish_and_other_notations():
    assert importing.parse_money("18.500,00") == Decimal("18500.00")
    assert importing.parse_money("12.500 TL") == Decimal("12500.00")
    assert importing.parse_money("₺1.234,5") == Decimal("1234.50")
    assert importing.parse_money("14,250.00") == Decimal("14250.00")
    assert importing.parse_money("11500.00") == Decimal("11500.00")
    assert importing.parse_money(7200) == Decimal("7200.00")
    with pytest.raises(ValueError):
        importing.parse_money("on bin")
    assert importing.parse_date("15.04.2023") == date(2023, 4, 15)
    assert importing.parse_date("2021-09-30") == date(2021, 9, 30)
    assert importing.parse_date("2025-11-20 09:14") == date(2025, 11, 20)
    with pytest.raises(ValueError):
        importing.parse_date("31.02.2023")
    assert importing.parse_status("Arızalı") == "faulty"
    assert importing.parse_status("ARIZALI") == "faulty"
    assert importing.parse_status("Out for Repair") == "at_repair"
    assert importing.parse_status("Ready to Deploy") == "in_store"
    with pytest.raises(ValueError):
        importing.parse_status("Hurda")
    assert importing.parse_category("Dizüstü") == "laptop"
    assert importing.parse_category("Printers") == "printer"
    assert importing.parse_category("Akıllı tahta") == "other"
    assert importing.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


# --------------------------------------------------------------------------- importing


def test_biys_file_is_imported_with_numbers_models_locations_and_change_log(inv, codes):
    table = importing.read_file(sample("biys.csv"))
    preview = import_services.check_import(unit=inv.unit, rows=table.rows)
    assert preview.ok, [row.errors for row in preview.rows]
    assert Asset.objects.count() == 0  # the preview writes nothing
    logged = ObjectChange.objects.count()
    report = import_services.import_rows(unit=inv.unit, rows=table.rows, user=inv.officer)
    assert report.created == 4
    assert report.item_models_created == 2  # OptiPlex 7010 is known; ThinkPad and LaserJet new
    assert report.locations_created == 3
    assets = {asset.serial_number: asset for asset in Asset.objects.all()}
    dell = assets["CZC1234ABC"]
    assert dell.item_model == inv.model
    assert dell.inventory_number.startswith("253.02.01.01-")
    assert dell.value == Decimal("18500.00")
    assert dell.acquired_on == date(2023, 4, 15) and dell.warranty_end == date(2026, 4, 15)
    assert dell.status == AssetStatus.IN_STORE and dell.custodian is None
    assert "Ayşe Yılmaz" in dell.notes and "Muhasebe şefliği için" in dell.notes
    assert str(dell.location) == "Hizmet Binası, kat 2, oda 204"
    assert assets["VNB3R12345"].status == AssetStatus.FAULTY
    assert assets["VNB3R12345"].location == dell.location
    assert assets["CZC1234ABD"].status == AssetStatus.AT_REPAIR
    assert assets["PF4XK2Q9"].item_model.category == "laptop"
    assert assets["PF4XK2Q9"].tasinir_code.code == "253.02.01.02"
    # The two Dells of code 253.02.01.01 took consecutive numbers of its yearly sequence.
    numbers = sorted(a.inventory_number for a in assets.values() if a.tasinir_code == inv.code)
    assert int(numbers[1][-5:]) == int(numbers[0][-5:]) + 1
    # The next asset registered by hand continues the sequence.
    later = services.register_asset(
        unit=inv.unit, item_model=inv.model, acquired_on=date(2024, 1, 1)
    )
    assert int(later.inventory_number[-5:]) == int(numbers[1][-5:]) + 1
    # Every asset, model and location has its change record, and the chains verify.
    created = ObjectChange.objects.filter(pk__gt=0).count() - logged
    assert created >= 4 + 2 + 3 + 1
    assert ObjectChange.objects.filter(
        object_id=str(dell.pk), content_type__model="asset", action="create"
    ).exists()
    from biys.core.changelog import verify_chain

    assert verify_chain().ok
    # The search finds an imported asset by its serial.
    assert Asset.objects.get(pk=dell.pk).search_text


def test_a_bad_row_refuses_the_whole_file_with_errors_at_row_and_column(inv, codes):
    table = importing.read_file(sample("biys_bad.csv"))
    with translation.override("en"):
        preview = import_services.check_import(unit=inv.unit, rows=table.rows)
        assert not preview.ok and preview.error_count == 2
        first, second, third = preview.rows
        assert first.ok
        assert set(second.errors) == {"acquired_on"}
        assert "31.02.2023" in second.errors["acquired_on"]
        assert set(third.errors) == {"serial_number", "status", "value"}
        assert "row 2" in third.errors["serial_number"]
        with pytest.raises(import_services.ImportRefused) as refused:
            import_services.import_rows(unit=inv.unit, rows=table.rows)
        assert [row.line for row in refused.value.bad_rows] == [3, 4]
        assert any(m.startswith("row 4") for m in refused.value.messages)
    assert not Asset.objects.exists()


def test_serials_already_registered_and_unknown_codes_are_row_errors(inv, codes):
    services.register_asset(
        unit=inv.unit,
        item_model=inv.model,
        acquired_on=date(2023, 1, 1),
        serial_number="cZc1234abc",
    )
    rows = [
        {"brand": "Dell", "model": "OptiPlex 7010", "serial_number": "CZC1234ABC",
         "acquired_on": "01.01.2024"},
        {"brand": "Yeni", "model": "Cihaz", "acquired_on": "01.01.2024"},
        {"brand": "Yeni", "model": "Cihaz 2", "tasinir_code": "999.99", "acquired_on": "2024-01-01"},
        {"brand": "Dell", "model": "OptiPlex 7010", "tasinir_code": "253.02.01.02",
         "acquired_on": "2024-01-01"},
        {"brand": "Dell", "model": "OptiPlex 7010", "acquired_on": "01.01.2099"},
    ]  # fmt: skip
    preview = import_services.check_import(unit=inv.unit, rows=rows)
    assert [sorted(row.errors) for row in preview.rows] == [
        ["serial_number"],
        ["tasinir_code"],
        ["tasinir_code"],
        ["tasinir_code"],
        ["acquired_on"],
    ]
    # With a default code the new model is accepted.
    fixed = import_services.check_import(
        unit=inv.unit, rows=rows[1:2], default_code=codes["253.02.01.04"]
    )
    assert fixed.ok


def test_glpi_and_snipeit_exports_are_imported(inv, codes):
    glpi = importing.read_file(sample("glpi.csv"))
    report = import_services.import_rows(
        unit=inv.unit, rows=glpi.rows, default_code=codes["253.02.01.01"]
    )
    assert report.created == 3
    server = Asset.objects.get(serial_number="CZJ1234XYZ")
    assert server.item_model.brand == "HPE" and server.item_model.category == "server"
    assert server.value == Decimal("185000.00") and server.acquired_on == date(2020, 12, 28)
    assert "DMR-2020-0001" in server.notes and "BLD-SRV-01" in server.notes
    assert Asset.objects.get(serial_number="PF2ABCD1").status == AssetStatus.AT_REPAIR

    snipe = importing.read_file(sample("snipeit.csv"))
    report = import_services.import_rows(
        unit=inv.unit, rows=snipe.rows, default_code=codes["253.02.01.02"]
    )
    assert report.created == 3
    hp = Asset.objects.get(serial_number="5CG1234XYZ")
    assert hp.value == Decimal("14250.00")
    assert hp.warranty_end == date(2025, 2, 14)
    assert "Gülşen Öztürk" in hp.notes and "BLD-000101" in hp.notes
    mac = Asset.objects.get(serial_number="C02XK1ABJG5H")
    assert mac.warranty_end == date(2023, 11, 1)  # 24 months after the purchase
    assert mac.item_model.category == "laptop"
    assert Asset.objects.get(serial_number="VNB3R99999").status == AssetStatus.AT_REPAIR
    assert Location.objects.filter(building="Başkanlık Binası").count() == 1


def test_excel_workbook(inv, codes):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Marka", "Model", "Seri numarası", "Edinme tarihi", "Değer (TL)", "Durum"])
    sheet.append(["Dell", "OptiPlex 7010", "XLSX-ÇĞŞ-1", date(2022, 5, 6), 9999.9, "Depoda"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Dell", "OptiPlex 7010", 123456, "06.05.2022", "9.999,90", None])
    buffer = io.BytesIO()
    book.save(buffer)
    table = importing.read_file(buffer.getvalue(), filename="envanter.xlsx")
    assert [row.line for row in table.rows] == [2, 4]
    report = import_services.import_rows(unit=inv.unit, rows=table.rows)
    assert report.created == 2
    assert Asset.objects.get(serial_number="XLSX-ÇĞŞ-1").value == Decimal("9999.90")
    assert Asset.objects.get(serial_number="123456").acquired_on == date(2022, 5, 6)


def test_only_an_officer_of_the_unit_imports(inv, codes, make_user):
    rows = importing.read_file(sample("biys.csv")).rows
    with pytest.raises(PermissionDenied):
        import_services.import_rows(unit=inv.other_unit, rows=rows, user=inv.officer)
    technician = make_user("technician", inv.unit)
    with pytest.raises(PermissionDenied):
        import_services.import_rows(unit=inv.unit, rows=rows, user=technician)
    assert not Asset.objects.exists()


# --------------------------------------------------------------------------- the command


def test_command_dry_run_then_import(inv, codes, tmp_path, capsys):
    path = SAMPLES / "biys.csv"
    call_command("inventory", "import", str(path), "--unit", str(inv.unit.pk), "--dry-run")
    output = json.loads(capsys.readouterr().out)
    assert output["valid"] is True and output["rows"] == 4 and output["imported"] is False
    assert not Asset.objects.exists()
    call_command("inventory", "import", str(path), "--unit", inv.unit.name, "--format", "biys")
    output = json.loads(capsys.readouterr().out)
    assert output["imported"] is True and output["created"] == 4
    assert Asset.objects.count() == 4


def test_command_prints_row_errors_and_imports_nothing(inv, codes, capsys):
    with pytest.raises(CommandError):
        call_command(
            "inventory", "import", str(SAMPLES / "biys_bad.csv"), "--unit", str(inv.unit.pk)
        )
    output = json.loads(capsys.readouterr().out)
    assert output["imported"] is False
    assert [row["row"] for row in output["errors"]] == [3, 4]
    assert "serial_number" in output["errors"][1]["errors"]
    assert not Asset.objects.exists()


def test_item_models_are_found_ignoring_case_and_accents(inv, codes):
    rows = [{"brand": "DELL", "model": "optiplex 7010", "acquired_on": "2024-01-01"}]
    import_services.import_rows(unit=inv.unit, rows=rows)
    assert ItemModel.objects.filter(brand__iexact="dell").count() == 1


def test_bench_scenario_runs_small():
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[3]
    env = {**os.environ}
    env.pop("DATABASE_URL", None)  # a temporary SQLite file, whatever the suite runs on
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "inventory_import", "--size", "200", "--json",
         "--syncdb"],
        cwd=root, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["rows"] == 200 and result["import_per_s"] > 0 and result["check_per_s"] > 0
