"""The national guide read from its file, held against what the guide states about itself."""

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from biys.bgys.frameworks import GUIDE_SLUG, SHIPPED, read_json
from biys.bgys.guide import criticality_level, read_guide
from biys.bgys.models import Framework, Measure

SHARED = Path("/work/shared/frameworks/bilgi-ve-iletisim-guvenligi-rehberi-2020.md")
GUIDE = SHIPPED[GUIDE_SLUG]


@pytest.fixture(scope="module")
def guide():
    return GUIDE.read()


@pytest.mark.skipif(not SHARED.exists(), reason="the shared copy is not on this machine")
def test_the_shipped_copy_is_the_published_file_byte_for_byte():
    assert GUIDE.path.read_bytes() == SHARED.read_bytes()


def test_the_guide_has_its_660_measures_by_level(guide):
    measures = guide.measures
    assert len(measures) == 660
    assert len({m.number for m in measures}) == 660
    assert Counter(m.level for m in measures) == {1: 411, 2: 148, 3: 101}
    first = measures[0]
    assert (first.number, first.level, first.title) == (
        "3.1.1.1",
        1,
        "Donanım Envanterinin Yönetimi",
    )
    assert first.text.startswith("Veri saklama, işleme ve iletme yeteneği olan tüm donanımların")


def test_the_count_is_the_files_own_count_of_measure_rows(guide):
    """Every row of the measure tables, counted straight from the file, is a measure read."""
    text = GUIDE.path.read_text(encoding="utf-8")
    tables = [t for t in re.findall(r"<table.*?</table>", text, re.S) if "Tedbir Seviyesi" in t]
    rows = sum(len(re.findall(r"<tr", table)) - 1 for table in tables)
    assert rows == len(guide.measures)


def test_each_main_heading_has_the_sub_headings_its_purpose_lists(guide):
    """Each main heading's Amaç lists its sub-headings: the loader finds the same, in order."""
    assert len(guide.stated) == 15
    for number, stated in guide.stated.items():
        found = [s.title for s in guide.sections if s.parent == number]
        assert found == stated, number


def test_measures_sit_under_the_section_their_number_names(guide):
    for section in guide.sections:
        for measure in section.measures:
            assert measure.number.rsplit(".", 1)[0] == section.number
    chapters = [s.number for s in guide.sections if s.depth == 1]
    assert chapters == ["3", "4", "5"]
    mains = [s.number for s in guide.sections if s.depth == 2]
    assert len(mains) == 15


def test_the_six_asset_groups_map_to_their_sections(guide):
    names = [g.name for g in guide.asset_groups]
    assert names == [
        "Ağ ve Sistemler",
        "Uygulamalar",
        "Taşınabilir Cihaz ve Ortamlar",
        "IoT Cihazları",
        "Personel",
        "Fiziksel Mekânlar",
    ]
    titles = {s.number: s.title for s in guide.sections}
    assert [titles[g.section] for g in guide.asset_groups] == [
        "Ağ ve Sistem Güvenliği",
        "Uygulama ve Veri Güvenliği",
        "Taşınabilir Cihaz ve Ortam Güvenliği",
        "Nesnelerin İnterneti (IoT) Cihazlarının Güvenliği",
        "Personel Güvenliği",
        "Fiziksel Mekânların Güvenliği",
    ]


def test_the_questionnaire_and_its_scoring_table(guide):
    questions = guide.questions
    assert [q.dimension for q in questions] == [
        "Gizlilik",
        "Bütünlük",
        "Erişilebilirlik",
        "Etkilenen Kişi Sayısı",
        "Toplumsal Sonuçlar",
        "Kurumsal Sonuçlar",
        "Sektörel Etki",
        "Bağımlı Varlıklar",
    ]
    scores = [[c["score"] for c in q.choices] for q in questions]
    assert scores == [
        [1, 2, 3, 5],
        [1, 2, 3, 5],
        [1, 2, 3, 5],
        [1, 2, 3, 4, 5],
        [1, 2, 3, 5, 6],
        [1, 2, 3],
        [1, 2, 3, 5],
        [1, 2, 3, 5, 6],
    ]
    assert questions[5].choices[2]["text"] == "Kurumun itibarı olumsuz etkilenir."
    assert sum(min(s) for s in scores) == 8 and sum(max(s) for s in scores) == 40


@pytest.mark.parametrize("score, level", [(8, 1), (17, 1), (18, 2), (27, 2), (28, 3), (40, 3)])
def test_criticality_levels_follow_table_3(score, level):
    assert criticality_level(score) == level


def test_a_changed_file_is_refused_with_its_reasons():
    text = GUIDE.path.read_text(encoding="utf-8").replace("<p>3.1.1.2</p>", "<p>3.1.2.2</p>", 1)
    with pytest.raises(Exception) as error:
        read_guide(text.encode())
    assert "3.1.2.2" in str(error.value)


def test_iso_27001_ships_numbers_only():
    iso = SHIPPED["iso-iec-27001"].read()
    numbers = [m.number for m in iso.measures]
    annex = [n for n in numbers if n.startswith("A.")]
    assert len(annex) == 93
    assert Counter(n.split(".")[1] for n in annex) == {"5": 37, "6": 8, "7": 14, "8": 34}
    assert [s.number for s in iso.sections[:7]] == ["4", "5", "6", "7", "8", "9", "10"]
    assert all(not m.title and not m.text for m in iso.measures)
    assert iso.local_texts


def test_a_json_framework_file_is_checked():
    content = json.dumps(
        {
            "format": "biys-framework/1",
            "slug": "kvkk-teknik",
            "version": "2018",
            "name": "KVKK teknik tedbirler",
            "sections": [{"number": "1", "measures": [{"number": "1.1"}, {"number": "1.1"}]}],
        }
    ).encode()
    with pytest.raises(Exception) as error:
        read_json(content)
    assert "twice" in str(error.value)


@pytest.mark.django_db
def test_cli_loads_the_guide_and_lists_it(capsys):
    call_command("frameworks", "load", GUIDE_SLUG)
    framework = Framework.objects.get(slug=GUIDE_SLUG)
    assert framework.measures.count() == 660
    assert framework.asset_groups.count() == 6 and framework.questions.count() == 8
    assert framework.source_sha256 == hashlib.sha256(GUIDE.path.read_bytes()).hexdigest()
    assert "CC BY 4.0" in framework.attribution
    capsys.readouterr()
    call_command("frameworks", "list", "--json")
    listed = json.loads(capsys.readouterr().out)
    guide = next(item for item in listed if item["slug"] == GUIDE_SLUG)
    assert guide["measures"] == 660
    assert guide["per_level"] == {"1": 411, "2": 148, "3": 101}
    sections = {number: item["measures"] for number, item in guide["per_section"].items()}
    assert {k: sections[k] for k in ("3", "4", "5")} == {"3": 416, "4": 145, "5": 99}
    assert [sections[f"3.{n}"] for n in range(1, 7)] == [196, 110, 28, 28, 22, 32]
    assert sum(v["measures"] for k, v in guide["per_section"].items() if "." not in k) == 660

    call_command("frameworks", "list")
    listing = capsys.readouterr().out
    assert "660 measures (level 1: 411, level 2: 148, level 3: 101)" in listing
    assert "  3.1 Ağ ve Sistem Güvenliği: 196" in listing
    call_command("frameworks", "list", "--shipped")
    assert "iso-iec-27001" in capsys.readouterr().out

    # Loading again changes nothing.
    call_command("frameworks", "load", GUIDE_SLUG, "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["measures_added"] == 0 and report["measures_changed"] == 0
    assert Measure.objects.filter(framework=framework).count() == 660


@pytest.mark.django_db
def test_iso_titles_come_from_the_installations_copy(tmp_path, capsys):
    from django.core.management.base import CommandError

    call_command("frameworks", "load", "iso-iec-27001")
    good = tmp_path / "iso.csv"
    good.write_bytes(
        "\ufeffA.5.1;Bilgi güvenliği politikaları;Metin\n5.1;Liderlik ve taahhüt\n".encode()
    )
    call_command("frameworks", "texts", "iso-iec-27001", str(good))
    assert "2 measures" in capsys.readouterr().out
    iso = Framework.objects.get(slug="iso-iec-27001")
    assert iso.measures.get(number="A.5.1").title == "Bilgi güvenliği politikaları"
    bad = tmp_path / "bad.csv"
    bad.write_text("A.5.2;Roller\nA.9.9;Yok\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"A\.9\.9"):
        call_command("frameworks", "texts", "iso-iec-27001", str(bad))
    assert iso.measures.get(number="A.5.2").title == ""  # nothing written
    call_command("frameworks", "load", GUIDE_SLUG)
    with pytest.raises(CommandError):  # the guide's texts come from its file, not from this
        call_command("frameworks", "texts", GUIDE_SLUG, str(good))
