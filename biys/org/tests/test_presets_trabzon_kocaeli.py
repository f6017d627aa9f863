"""Self-contained checks of the trabzon-bb and kocaeli-bb preset data against their regulations.

They read the YAML files and the regulation texts directly (no loader, no database), so they
guard the data itself: every article present once, every text verbatim, every duty item owned
by exactly one unit of the department tree.
"""

import re
from pathlib import Path

import pytest
import yaml

PRESETS_DIR = Path(__file__).resolve().parents[1] / "presets"
REGULATIONS_DIRS = (PRESETS_DIR / "regulations",)

SLUGS = ("trabzon-bb", "kocaeli-bb")

# Page footers and bare page numbers that the PDF conversion left between the lines.
FOOTER_RE = re.compile(
    r"^\s*(?:"
    r"Büyükşehir Belediye Meclisin\w* 11/07/2023 tarihli ve 525 sayılı kararının ekidir\."
    r"|13\.11\.2025 tarihli ve 602 Sayılı Meclis Kararı ekidir\."
    r"|\d{1,3}"
    r")\s*$"
)
ARTICLE_RE = re.compile(r"^\s*(?:MADDE|Madde)\s*(\d+)\s*-", re.MULTILINE)
LABEL_RE = re.compile(r"^(?:[a-zçğıöşü]|([a-zçğıöşü])\1)$")

UNIT_KINDS = {"daire_baskanligi", "mudurluk", "sube_mudurlugu", "seflik", "birim"}
TOP = "Bilgi İşlem Dairesi Başkanlığı"

# Articles that list duties; every item in them must belong to a unit, and no other item may.
DUTY_ARTICLES = {
    "trabzon-bb": set(range(7, 20)),
    "kocaeli-bb": set(range(4, 16)),
}


def _regulation_path(name: str) -> Path:
    for directory in REGULATIONS_DIRS:
        if (directory / name).exists():
            return directory / name
    raise FileNotFoundError(name)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _load(slug: str) -> dict:
    with open(PRESETS_DIR / f"{slug}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _raw_text(slug: str) -> str:
    preset = _load(slug)
    return _regulation_path(preset["source"]).read_text(encoding="utf-8")


def _normalised_texts(slug: str) -> tuple[str, str]:
    """The regulation without footers, once as is and once without leading list bullets."""
    lines = [line for line in _raw_text(slug).splitlines() if not FOOTER_RE.match(line)]
    as_is = _collapse("\n".join(lines))
    unbulleted = _collapse("\n".join(re.sub(r"^\s*-\s+", "", line) for line in lines))
    return as_is, unbulleted


def _unit_names(units: list[dict]) -> list[str]:
    names = []
    for unit in units:
        names.append(unit["name"])
        names.extend(_unit_names(unit.get("children", [])))
    return names


def _tree(units: list[dict]) -> list:
    return [(u["name"], u["kind"], _tree(u.get("children", []))) for u in units]


def _items(preset: dict, article_number: int) -> list[tuple[dict, dict]]:
    article = next(a for a in preset["articles"] if a["number"] == article_number)
    return [(p, item) for p in article["paragraphs"] for item in p.get("items", [])]


def _item(preset: dict, article_number: int, label: str, occurrence: int = 0) -> dict:
    matches = [(p, i) for p, i in _items(preset, article_number) if i["label"] == label]
    paragraph, item = matches[occurrence]
    return {**item, "unit": item.get("unit") or paragraph.get("unit")}


@pytest.fixture(scope="module", params=SLUGS)
def slug(request):
    return request.param


def test_every_article_of_the_text_appears_exactly_once_in_order(slug):
    in_text = [int(n) for n in ARTICLE_RE.findall(_raw_text(slug))]
    in_preset = [a["number"] for a in _load(slug)["articles"]]
    assert len(in_text) == len(set(in_text))
    assert in_preset == sorted(in_text)


def test_every_text_is_verbatim_from_the_regulation(slug):
    preset = _load(slug)
    texts = _normalised_texts(slug)
    missing = []

    def check(where, text):
        if text and not any(text in normalised for normalised in texts):
            missing.append((where, text[:80]))

    check("title", preset["regulation"]["title"])
    check("repeals", preset["regulation"]["repeals"])
    for article in preset["articles"]:
        number = article["number"]
        check(f"MADDE {number} heading", article["heading"])
        check(f"MADDE {number} part", article["part"])
        for paragraph in article["paragraphs"]:
            check(f"MADDE {number} ({paragraph['number']})", paragraph["text"])
            check(f"MADDE {number} closing", paragraph.get("closing", ""))
            for item in paragraph.get("items", []):
                check(f"MADDE {number} {item['label']}", item["text"])
                assert item["text"] == _collapse(item["text"])
    assert missing == []


def test_no_footer_leaked_into_the_texts(slug):
    for article in _load(slug)["articles"]:
        for paragraph in article["paragraphs"]:
            for text in [paragraph["text"]] + [i["text"] for i in paragraph.get("items", [])]:
                assert "ekidir" not in text
                assert "Meclis Kararı eki" not in text


def test_labels_are_turkish_letters_and_unique_per_paragraph(slug):
    for article in _load(slug)["articles"]:
        for paragraph in article["paragraphs"]:
            labels = [item["label"] for item in paragraph.get("items", [])]
            assert len(labels) == len(set(labels)), article["number"]
            for label in labels:
                assert LABEL_RE.match(label), (article["number"], label)


def test_every_duty_item_resolves_to_exactly_one_unit_of_the_tree(slug):
    preset = _load(slug)
    units = _unit_names(preset["units"])
    assert len(units) == len(set(units))
    duty_articles = DUTY_ARTICLES[slug]
    duty_count = 0
    for article in preset["articles"]:
        for paragraph in article["paragraphs"]:
            for item in paragraph.get("items", []):
                unit = item.get("unit") or paragraph.get("unit")
                if article["number"] in duty_articles:
                    assert unit in units, (article["number"], item["label"], unit)
                    duty_count += 1
                else:
                    assert unit is None, (article["number"], item["label"])
    assert duty_count > 100


def test_unit_names_are_spelled_as_in_the_text(slug):
    preset = _load(slug)
    as_is, _ = _normalised_texts(slug)
    for name in _unit_names(preset["units"]):
        assert name in as_is, name
    for unit in preset["units"]:
        assert unit["kind"] in UNIT_KINDS


def test_requester_units_are_realistic_and_outside_the_department(slug):
    preset = _load(slug)
    requesters = preset["requester_units"]
    names = [u["name"] for u in requesters]
    assert 10 <= len(names) <= 20
    assert len(names) == len(set(names))
    assert not set(names) & set(_unit_names(preset["units"]))
    assert "Fen İşleri Dairesi Başkanlığı" in names
    assert all(u["kind"] in UNIT_KINDS for u in requesters)


def test_trabzon_unit_tree_and_regulation():
    preset = _load("trabzon-bb")
    assert preset["municipality"]["kind"] == "buyuksehir"
    assert _tree(preset["units"]) == [
        (
            TOP,
            "daire_baskanligi",
            [
                ("Akıllı Şehirler Şube Müdürlüğü", "sube_mudurlugu", []),
                ("Elektronik Sistemler ve Donanım Şube Müdürlüğü", "sube_mudurlugu", []),
                ("İletişim ve Koordinasyon Şube Müdürlüğü", "sube_mudurlugu", []),
                ("Yazılım Şube Müdürlüğü", "sube_mudurlugu", []),
            ],
        )
    ]
    regulation = preset["regulation"]
    assert regulation["council_decision_no"] == "525"
    assert str(regulation["council_decision_date"]) == "2023-07-11"
    assert "346 sayılı" in regulation["repeals"]
    assert [a["number"] for a in preset["articles"]] == list(range(1, 24))


def test_trabzon_software_items_keep_the_texts_labels_but_one():
    preset = _load("trabzon-bb")
    items = [item for _, item in _items(preset, 15)]
    labels = [item["label"] for item in items]
    # The text prints p, ö, ş, r, s, ş (no ı, ş twice); the second ş is carried as t, with a note.
    assert labels[-6:] == ["p", "ö", "ş", "r", "s", "t"]
    assert "ı" not in labels
    assert len(labels) == len(set(labels))
    assert "second ş)" in items[-1]["note"]

    log_review = _item(preset, 15, "ö")
    assert "log takiplerinin yapılarak hataları, açıkları, saldırıları" in log_review["text"]
    e_signature = _item(preset, 15, "ş")
    assert e_signature["text"] == "E-imza tedarik ve destek süreçlerini işletmek,"
    user_changes = _item(preset, 15, "s")
    assert user_changes["text"].startswith("E-Belediye uygulama yazılımı üzerinde kullanıcı")
    maintenance = _item(preset, 15, "t")
    assert maintenance["text"].startswith("Sözleşme yoluyla yapılacak bakım")
    for item in (log_review, e_signature, user_changes, maintenance):
        assert item["unit"] == "Yazılım Şube Müdürlüğü"


def test_trabzon_internet_logs_belong_to_electronic_systems():
    item = _item(_load("trabzon-bb"), 11, "j")
    assert "internet kullanımının 5651 sayılı Kanun gereği kayıtlarını tutmak" in item["text"]
    assert item["unit"] == "Elektronik Sistemler ve Donanım Şube Müdürlüğü"


def test_trabzon_items_broken_by_page_footers_are_joined():
    preset = _load("trabzon-bb")
    assert _item(preset, 7, "l")["text"].endswith(
        "veritabanının oluşturulması, işletilmesi, yönetilmesi, verilerin paylaşılması ve "
        "güncelliğinin sağlanmasına yönelik iş ve işlemleri yapmak/yaptırmak,"
    )
    assert _item(preset, 14, "m")["text"] == (
        "Taşınır Mal Yönetmeliği uyarınca daire başkanlığına ait taşınır malların kaydı, "
        "muhafazası, iş ve işlemlerinin yapılmasını sağlamak,"
    )
    assert [i["label"] for _, i in _items(preset, 9)][-12:] == [
        "bb",
        "cc",
        "çç",
        "dd",
        "ee",
        "ff",
        "gg",
        "ğğ",
        "hh",
        "ıı",
        "ii",
        "jj",
        "kk",
    ][-12:]


def test_trabzon_staff_and_head_duties_go_to_the_department():
    preset = _load("trabzon-bb")
    for number in (7, 8, 18, 19):
        assert {_item(preset, number, i["label"])["unit"] for _, i in _items(preset, number)} == {
            TOP
        }
    assert _item(preset, 10, "a")["unit"] == "Akıllı Şehirler Şube Müdürlüğü"
    assert _item(preset, 14, "y")["unit"] == "İletişim ve Koordinasyon Şube Müdürlüğü"


def test_kocaeli_unit_tree_and_regulation():
    preset = _load("kocaeli-bb")
    assert _tree(preset["units"]) == [
        (
            TOP,
            "daire_baskanligi",
            [
                ("İdari ve Mali İşler birimi", "birim", []),
                ("Akıllı Şehirler Şube Müdürlüğü", "sube_mudurlugu", []),
                ("Bilgi Teknolojileri Şube Müdürlüğü", "sube_mudurlugu", []),
                ("Coğrafi Bilgi Sistemleri Şube Müdürlüğü", "sube_mudurlugu", []),
                ("Elektronik Sistemler Şube Müdürlüğü", "sube_mudurlugu", []),
                ("Yazılım Geliştirme Şube Müdürlüğü", "sube_mudurlugu", []),
            ],
        )
    ]
    regulation = preset["regulation"]
    assert regulation["council_decision_no"] == "602"
    assert str(regulation["council_decision_date"]) == "2025-11-13"
    assert "2022-544" in regulation["repeals"]
    assert [a["number"] for a in preset["articles"]] == list(range(1, 20))


def test_kocaeli_information_security_items_of_article_4():
    preset = _load("kocaeli-bb")
    items = [item for _, item in _items(preset, 4)]
    labels = [item["label"] for item in items]
    start = labels.index("r")
    assert labels[start - 1] == "p"
    assert labels[start:] == [
        "r",
        "s",
        "ş",
        "t",
        "u",
        "ü",
        "v",
        "y",
        "z",
        "aa",
        "bb",
        "cc",
        "çç",
        "dd",
        "ee",
        "ff",
    ]
    assert "ISO/IEC 27001-2022" in _item(preset, 4, "r")["text"]
    assert "BGYS" in _item(preset, 4, "ş")["text"]
    assert "7545 sayılı Siber Güvenlik Kanunu" in _item(preset, 4, "u")["text"]
    assert "SIEM, IDS/IPS" in _item(preset, 4, "cc")["text"]
    assert _item(preset, 4, "ff")["text"].endswith("katılımlarını sağlamak,")
    for label in labels:
        assert _item(preset, 4, label)["unit"] == "İdari ve Mali İşler birimi"


def test_kocaeli_software_development_items():
    preset = _load("kocaeli-bb")
    ebys = _item(preset, 9, "b")
    ybs = _item(preset, 9, "c")
    assert "Elektronik Belge Yönetim Sistemi (EBYS)" in ebys["text"]
    assert "Yönetim Bilgi Sistemi (YBS)" in ybs["text"]
    assert ebys["unit"] == ybs["unit"] == "Yazılım Geliştirme Şube Müdürlüğü"


def test_kocaeli_items_spanning_page_breaks_and_headings():
    preset = _load("kocaeli-bb")
    sustainability = _item(preset, 5, "f")["text"]
    assert sustainability.startswith(
        "Sürdürülebilirlik odaklı akıllı şehir uygulamaları: Sürdürülebilirlik ve iklim"
    )
    assert _item(preset, 13, "a")["text"].endswith("muhafazasından sorumludurlar.")
    assert _item(preset, 16, "a")["text"].endswith("yetki verilen görevliden alırlar.")
    definitions = next(a for a in preset["articles"] if a["number"] == 3)["paragraphs"][0]
    assert definitions["number"] == 1
    assert definitions["closing"] == "ifade eder."
    assert _item(preset, 3, "e")["text"].endswith("Genel Sekreter Yardımcılarını,")
    # Article 2 keeps its dash-listed laws inside item a (bullets dropped, as for every item).
    laws = _item(preset, 2, "a")["text"]
    assert "hazırlanmıştır; 1982 Anayasa'sının 124 üncü maddesine, 03/07/2005 tarihli" in laws
    assert laws.endswith("19 Mart 2025 tarihli ve 32846 sayılı Siber Güvenlik Kanununa,")
    assert _item(preset, 6, "i")["unit"] == "Bilgi Teknolojileri Şube Müdürlüğü"
    assert _item(preset, 7, "k")["unit"] == "Coğrafi Bilgi Sistemleri Şube Müdürlüğü"
    assert _item(preset, 8, "n")["unit"] == "Elektronik Sistemler Şube Müdürlüğü"
    assert _item(preset, 10, "ı")["unit"] == TOP
