"""The code list: the shipped IT subset, the CSV importer (all or nothing), the command."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from biys.inventory import codes
from biys.inventory.models import TasinirCode

pytestmark = pytest.mark.django_db


def test_the_shipped_it_subset_loads_as_a_tree(system_context):
    report = codes.load_default_codes()
    assert report.created == TasinirCode.objects.count() > 40
    computers = TasinirCode.objects.get(code="253.02.01.01")
    assert computers.parent.code == "253.02.01" and computers.level == 4
    assert computers.parent.parent.parent.code == "253"
    assert computers.kind == "fixed"
    assert TasinirCode.objects.get(code="150.01.02.01").kind == "consumable"
    # Loading again changes nothing.
    again = codes.load_default_codes()
    assert (again.created, again.updated, again.unchanged) == (0, 0, report.created)
    # Numeric order of each level: 253.02.01.2 before 253.02.01.10.
    ordered = list(
        TasinirCode.objects.filter(parent=computers.parent).values_list("code", flat=True)
    )
    assert ordered.index("253.02.01.02") < ordered.index("253.02.01.10")


def test_a_file_with_one_bad_row_imports_nothing(system_context):
    data = (
        "\ufeffcode;name\n"
        "253;Tesis, Makine ve Cihazlar\n"
        "253.02;Makine ve Cihazlar Grubu\n"
        "253.02.01;Bilgisayarlar\n"
        "253.2.01;Yanlış biçim\n"
        "253.02.09.01;Ebeveyni yok\n"
        "253.02.01;İki kez\n"
        "253.02.02;\n"
    ).encode()
    with pytest.raises(ValidationError) as error, translation.override("en"):
        codes.load_codes(data)
    with translation.override("en"):
        messages = error.value.messages
    assert any("line 5" in m and "253.2.01" in m for m in messages)
    assert any("line 6" in m and "253.02.09" in m for m in messages)
    assert any("line 7" in m and "line 4" in m for m in messages)
    assert any("line 8" in m for m in messages)
    assert not TasinirCode.objects.exists()


def test_known_codes_are_renamed_and_windows_1254_files_read(system_context):
    codes.load_codes(b"253;Tesis\n253.02;Makineler\n")
    report = codes.load_codes(
        "kod,ad\n253.02,Makine ve Cihazlar Grubu\n253.02.01,Bilgisayarlar\n".encode("cp1254")
    )
    assert (report.created, report.updated) == (1, 1)
    assert TasinirCode.objects.get(code="253.02").name == "Makine ve Cihazlar Grubu"


def test_a_code_with_sub_codes_keeps_its_number(system_context):
    codes.load_codes(b"253;Tesis\n253.02;Makineler\n")
    parent = TasinirCode.objects.get(code="253")
    parent.code = "254"
    with pytest.raises(ValidationError) as error:
        codes.save_code(code=parent)
    assert "code" in error.value.message_dict
    leaf = TasinirCode.objects.get(code="253.02")
    leaf.code = "253.03"
    assert codes.save_code(code=leaf).parent.code == "253"


def test_the_command_prints_json_and_fails_on_a_bad_file(tmp_path, capsys):
    good = tmp_path / "kodlar.csv"
    good.write_text("253;Tesis\n253.02;Makineler\n", encoding="utf-8")
    call_command("inventory", "load-codes", str(good))
    assert json.loads(capsys.readouterr().out)["created"] == 2
    bad = tmp_path / "bozuk.csv"
    bad.write_text("254.01;Ebeveyni yok\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("inventory", "load-codes", str(bad))
    assert json.loads(capsys.readouterr().out)["errors"]
    assert TasinirCode.objects.count() == 2
    call_command("inventory", "load-codes")  # the shipped subset
    assert TasinirCode.objects.filter(code="253.02.02.01").exists()
