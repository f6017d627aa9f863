"""The importer against short synthetic regulations written in the styles other municipalities
use (biys/org/tests/regulations/), each with the structure it must produce, and the rule that
no line of any text is lost."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

import biys.org
from biys.org.importer import note_text, parse_regulation
from biys.org.importer_duties import duties_by_unit
from biys.org.models import Duty, Position, Unit
from biys.org.services_import import confirm_draft

STYLES = Path(__file__).parent / "regulations"
BUNDLED = Path(biys.org.__file__).parent / "presets" / "regulations"
TOP = "Bilgi İşlem Müdürlüğü"


def parsed(name: str):
    with translation.override("en"):
        return parse_regulation((STYLES / f"{name}.txt").read_text(encoding="utf-8"))


def article(draft, number):
    return next(a for a in draft.articles if a.number == number)


def duties(draft) -> dict[str, list[str]]:
    """unit -> the references of its duties."""
    by_unit = duties_by_unit(draft.to_dict())
    return {unit: [duty.reference for duty in rows] for unit, rows in by_unit.items()}


# --- Servis units, numbered paragraphs as duties, KISIM, amendments, role headings ------------


def test_servis_style():
    draft = parsed("servis")
    assert [a.number for a in draft.articles] == list(range(1, 11))
    assert article(draft, 2).heading == "Kapsam"  # 'Madde 2-'
    assert article(draft, 1).part == "BİRİNCİ KISIM — Genel Hükümler"
    assert article(draft, 9).part == "ÜÇÜNCÜ KISIM — Son Hükümler"
    assert article(draft, 5).heading == "Yazılım Servisinin görevleri"  # below the MADDE line
    assert article(draft, 8).heading == "Evrakların Arşivlenmesi"  # on the MADDE line
    assert article(draft, 8).text == "(1) Evraklar elektronik ortamda arşivlenir."
    assert [(u.name, u.kind, u.parent) for u in draft.units] == [
        (TOP, "mudurluk", None),
        ("Donanım Servisi", "birim", TOP),
        ("Yazılım Servisi", "birim", TOP),
        ("Destek Masası", "birim", TOP),
    ]
    assert [(p.name, p.unit) for p in draft.positions] == [("Kalite Temsilcisi", TOP)]
    assert article(draft, 7).position == "Kalite Temsilcisi"
    assert duties(draft) == {
        TOP: ["MADDE 7 (1) a", "MADDE 7 (1) b"],
        # (3) is repealed; the numbered paragraphs themselves are the duties
        "Donanım Servisi": ["MADDE 4 (1)", "MADDE 4 (2)", "MADDE 4 (4)"],
        "Yazılım Servisi": ["MADDE 5 (1) a", "MADDE 5 (1) b", "MADDE 5 (1) ç"],
        "Destek Masası": ["MADDE 6 (1) a", "MADDE 6 (1) b"],
    }
    fourth = article(draft, 4).paragraphs
    assert [p.repealed for p in fourth] == [False, False, True, False]
    assert fourth[3].text.startswith("(Ek: 12/03/2021")
    items = article(draft, 5).paragraphs[0].items
    assert [(i.label, i.repealed) for i in items] == [
        ("a", False),
        ("b", False),
        ("c", True),
        ("ç", False),
    ]
    assert items[1].text == (
        "(Değişik: 12/03/2021 tarihli ve 45 sayılı Meclis Kararı) Lisansları yönetmek,"
    )
    assert draft.warnings == []


# --- a text copied out of a PDF --------------------------------------------------------------


def test_text_copied_from_a_pdf():
    draft = parsed("pdf-kopya")
    assert [a.number for a in draft.articles] == [*range(1, 13), 14]
    first = article(draft, 1)
    assert [p.number for p in first.paragraphs] == [1]  # '(I)'
    assert first.paragraphs[0].text == (
        "Bu yönergenin amacı, Bilgi İşlem Müdürlüğünün çalışma usullerini belirlemektir."
    )
    assert article(draft, 2).duty is False  # 'Tanımlar': no item of it is a duty
    definitions = article(draft, 2).paragraphs[0].items  # 'MADDE 2 :', tab-aligned
    assert [(i.label, i.text) for i in definitions] == [
        ("", "Belediye: Yenikent Belediyesini,"),
        ("", "Müdürlük: Bilgi İşlem Müdürlüğünü, ifade eder."),
    ]
    numbered = article(draft, 4).paragraphs[0].items  # '1.' items, 'a)' under '3.'
    assert [(i.label, [s.label for s in i.subitems]) for i in numbered] == [
        ("1", []),
        ("2", []),
        ("3", ["a", "b"]),
        ("4", []),
    ]
    assert numbered[1].text == "Ağ cihazlarının yapılandırmasını yapmak,"  # hyphenated
    assert [i.text for i in article(draft, 5).paragraphs[0].items] == [
        "Belediye yazılımlarını geliştirmek,",
        "Mobil uygulamaları yönetmek,",  # across a page break with its header
        "Yazılım lisanslarını izlemek.",
    ]
    assert [i.text for i in article(draft, 6).paragraphs[0].items][2] == (
        "Fiziksel erişimi kayıt altına almak."  # '•'
    )
    nested = article(draft, 8).paragraphs[0].items
    assert [(i.label, [s.label for s in i.subitems]) for i in nested] == [
        ("a", ["a.1", "a.2"]),
        ("b", []),
    ]
    assert article(draft, 10).heading == "Arşiv" and article(draft, 10).paragraphs == []
    assert article(draft, 11).heading == ""
    assert [(u.name, u.kind) for u in draft.units] == [
        (TOP, "mudurluk"),
        ("Sistem Şefliği", "seflik"),
        ("Yazılım Koordinatörlüğü", "birim"),
        ("Veri Merkezi", "birim"),
        ("Halkla İlişkiler Bürosu", "birim"),
        ("Proje Ofisi", "birim"),
    ]
    assert duties(draft) == {
        TOP: ["MADDE 9 (1)", "MADDE 9 (2)"],  # 'Müdürün görevleri', numbered paragraphs
        "Sistem Şefliği": [f"MADDE 4 {n}" for n in "1234"],
        "Yazılım Koordinatörlüğü": [f"MADDE 5 {n}" for n in "123"],
        "Veri Merkezi": ["MADDE 6 (1)"] * 3,
        "Halkla İlişkiler Bürosu": [f"MADDE 7 {label}" for label in "abbd"],
        "Proje Ofisi": ["MADDE 8 (1) a", "MADDE 8 (1) b"],
    }
    with translation.override("en"):
        notes = [note_text(note) for note in draft.warnings]
    assert notes == [
        "Article numbers are missing: 13.",
        "MADDE 7: item b) appears 2 times.",
        "MADDE 7: item d) follows b), expected c).",
        "Left out as a page header or footer (3 times): "
        "«Yenikent Belediyesi Bilgi İşlem Müdürlüğü Çalışma Yönergesi»",
        "Left out as a page header or footer (1 times): «- 2 -»",
        "Left out as a page header or footer (1 times): «- 3 -»",
        "MADDE 4: a stray character «i» on a line of its own was left out.",
    ]


# --- units named only through their head, amended and repealed articles -----------------------


def test_role_headings_and_amendments():
    draft = parsed("sorumlu")
    assert [a.number for a in draft.articles] == list(range(1, 7))
    assert [p.number for p in article(draft, 2).paragraphs] == [1, 2]  # '(I)', '(II)'
    assert article(draft, 3).heading == "WEB VE YAZILIM SORUMLUSU"
    assert article(draft, 3).paragraphs[0].text.startswith("(Değişik: 05/06/2023")
    assert article(draft, 5).repealed and article(draft, 5).heading == "Teknik Destek Şefi"
    assert [(u.name, u.kind, u.parent) for u in draft.units] == [
        (TOP, "mudurluk", None),
        ("Ağ ve Sistem Birimi", "birim", TOP),
        ("Web ve Yazılım Birimi", "birim", TOP),
    ]
    assert [(p.name, p.unit) for p in draft.positions] == [("Büro Personeli", TOP)]
    assert duties(draft) == {
        TOP: ["MADDE 4 (1) a", "MADDE 4 (1) b"],
        "Ağ ve Sistem Birimi": ["MADDE 2 (1) a", "MADDE 2 (1) b"],
        "Web ve Yazılım Birimi": ["MADDE 3 (1) a", "MADDE 3 (1) b"],
    }


@pytest.mark.django_db
def test_confirm_creates_the_drafted_duties_and_positions():
    confirm_draft(parsed("servis").to_dict())

    assert set(Duty.objects.values_list("reference", "unit__name")) == {
        ("MADDE 4 (1)", "Donanım Servisi"),
        ("MADDE 4 (2)", "Donanım Servisi"),
        ("MADDE 4 (4)", "Donanım Servisi"),
        ("MADDE 5 (1) a", "Yazılım Servisi"),
        ("MADDE 5 (1) b", "Yazılım Servisi"),
        ("MADDE 5 (1) ç", "Yazılım Servisi"),
        ("MADDE 6 (1) a", "Destek Masası"),
        ("MADDE 6 (1) b", "Destek Masası"),
        ("MADDE 7 (1) a", TOP),
        ("MADDE 7 (1) b", TOP),
    }
    assert (
        Duty.objects.get(reference="MADDE 4 (2)").text == "Arızalı cihazların onarımını sağlamak."
    )
    position = Position.objects.get()
    assert (position.name, position.unit.name) == ("Kalite Temsilcisi", TOP)
    assert Unit.objects.get(name="Destek Masası").parent.name == TOP


@pytest.mark.django_db
def test_command_prints_each_unit_with_its_duties():
    out = StringIO()
    call_command("regulation", "import", str(STYLES / "servis.txt"), "--json", stdout=out)
    data = json.loads(out.getvalue())

    units = {unit["name"]: unit for unit in data["units"]}
    assert units["Donanım Servisi"]["duties"][1] == {
        "article": "4",
        "paragraph": 2,
        "item": "",
        "reference": "MADDE 4 (2)",
        "text": "Arızalı cihazların onarımını sağlamak.",
    }
    assert [d["item"] for d in units["Yazılım Servisi"]["duties"]] == ["a", "b", "ç"]
    assert len(data["articles"]) == 10
    assert data["positions"] == [{"name": "Kalite Temsilcisi", "unit": TOP}]
    assert "warnings" in data


# --- nothing of the source is lost -------------------------------------------------------------

ALL_TEXTS = sorted(STYLES.glob("*.txt")) + sorted(BUNDLED.glob("*.txt"))


_LABELS = re.compile(
    r"^\s*(?:(?:GEÇİCİ\s+)?(?:MADDE|Madde)\s*\d+\s*[-–—:.]*|T\.C\.?$)?\s*"
    r"(?:(?:[-–•]\s*)?(?:\(\s*(?:\d{1,2}|[IVX]{1,4})\s*\)|[a-zçğıöşü]{1,2}(?:\.\d{1,2})?[).-]"
    r"|\d{1,2}[).-])\s*)*"
)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.replace("-", "")))


def _rendered(draft) -> str:
    parts = [draft.title, *map(note_text, draft.warnings)]
    for a in draft.articles:
        parts += [a.part, a.heading]
        for p in a.paragraphs:
            parts.append(p.text)
            for item in p.items:
                parts += [item.text, *(sub.text for sub in item.subitems)]
    return _words(" ".join(parts))


@pytest.mark.parametrize("path", ALL_TEXTS, ids=lambda path: path.stem)
def test_every_line_of_the_source_ends_up_somewhere(path):
    """The words of each source line, less its MADDE prefix and labels, are found in that order
    in the title, a part, a heading, a paragraph, an item, a sub-item or a warning."""
    text = path.read_text(encoding="utf-8")
    with translation.override("en"):
        found = _rendered(parse_regulation(text))
    lost = []
    for line in text.splitlines():
        line = re.sub(r"\[bookmark:[^\]]*\]|\*\*", "", line)
        for piece in re.split(r"\s+(?=MADDE\s*\d)", line):  # 'Heading MADDE 8 – ...'
            words = _words(_LABELS.sub("", piece, count=1))
            if words and words not in found:
                lost.append(piece)
    assert lost == []


def test_command_json_gives_each_note_its_id_and_its_text_in_the_active_language(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("T.C.\nX YÖNETMELİĞİ\nMADDE 1- (1) Bir.\nMADDE 3- (1) Üç.\n", encoding="utf-8")
    out = StringIO()
    with translation.override("tr"):
        call_command("regulation", "import", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["warnings"] == [
        {
            "msgid": "Article numbers are missing: %(numbers)s.",
            "params": {"numbers": "2"},
            "text": "Eksik madde numaraları: 2.",
        }
    ]
