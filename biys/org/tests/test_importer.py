"""The regulation importer against the five reference regulations and small synthetic texts."""

import json
from functools import cache
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

import biys.org
from biys.core.models import ObjectChange
from biys.org.importer import ITEM_LABELS, note_text, parse_regulation
from biys.org.models import Article, Duty, Paragraph, Regulation, Unit
from biys.org.services_import import confirm_draft

REGULATIONS = Path(biys.org.__file__).parent / "presets" / "regulations"
FOOTER_WORDS = ("ekidir", "YÜCESOY", "bookmark", "**")


@cache
def draft_of(slug: str):
    return parse_regulation((REGULATIONS / f"{slug}.txt").read_text(encoding="utf-8"))


def article(slug: str, number: int):
    return next(a for a in draft_of(slug).articles if a.number == number)


def items(slug: str, number: int, paragraph: int = 0) -> dict:
    return {item.label: item.text for item in article(slug, number).paragraphs[paragraph].items}


def all_item_texts(slug: str) -> list[str]:
    texts = []
    for a in draft_of(slug).articles:
        for p in a.paragraphs:
            texts.append(p.text)
            for item in p.items:
                texts += [item.text, *(sub.text for sub in item.subitems)]
    return texts


# --- every article of every text (counted by hand: no gaps, no repeats, no GEÇİCİ MADDE) --------

ARTICLE_COUNTS = {
    "ankara-bb": 14,  # 'MADDE3-(1)', 'MADDE 5-(1)' indented by a tab
    "kocaeli-bb": 19,  # 'Madde 15-', 'MADDE 4-' with its heading on the next line
    "mersin-bb": 15,  # 'MADDE 2- ' without a paragraph number
    "odunpazari": 20,
    "trabzon-bb": 23,  # 'MADDE 17 - ', 'MADDE 11-Elektronik'
}


@pytest.mark.parametrize(("slug", "count"), ARTICLE_COUNTS.items())
def test_finds_every_article_in_order(slug, count):
    assert [a.number for a in draft_of(slug).articles] == list(range(1, count + 1))


@pytest.mark.parametrize("slug", ARTICLE_COUNTS)
def test_no_page_furniture_or_artefact_leaks_into_the_text(slug):
    leaks = [text for text in all_item_texts(slug) if any(word in text for word in FOOTER_WORDS)]
    assert leaks == []
    assert all("  " not in text and text == text.strip() for text in all_item_texts(slug))


# --- headings, parts, paragraphs --------------------------------------------------------------


def test_headings_come_from_the_line_before_or_after_the_madde_line():
    assert article("odunpazari", 10).heading == "Teknik Destek Biriminin görevleri"
    assert article("ankara-bb", 7).heading == "Daire Başkanı"
    assert article("ankara-bb", 8).heading == "Proje, İhale ve İdari İşlerŞube Müdürlüğü"
    assert article("kocaeli-bb", 4).heading == (
        "İdari ve Mali İşler biriminin görev ve sorumlulukları"
    )
    assert article("kocaeli-bb", 15).heading == "Yönetim Bilgi Sistemi"
    assert article("kocaeli-bb", 17).heading == "Yönergeler"  # the part's title doubles as it
    assert article("trabzon-bb", 17).heading == "Şef"


def test_parts_and_section_titles_stay_out_of_the_article_text():
    assert article("odunpazari", 7).part == "İKİNCİ BÖLÜM — Görev Yetki ve Sorumluluklar"
    assert article("kocaeli-bb", 18).part == "ALTINCI BOLUM — Yürürlük ve Yürütme"
    assert "Görev Yetki ve Sorumluluklar" not in article("ankara-bb", 6).text
    assert "İKİNCİ BÖLÜM" not in article("odunpazari", 6).text


def test_paragraph_numbers_including_roman_and_missing_parenthesis():
    assert [p.number for p in article("kocaeli-bb", 3).paragraphs] == [1]  # '(I)'
    assert [p.number for p in article("mersin-bb", 2).paragraphs] == [None]
    assert [p.number for p in article("odunpazari", 5).paragraphs] == [1, 2]  # '- (2)'
    assert [p.number for p in article("ankara-bb", 11).paragraphs] == [1, 2, 3]  # '2)Yazılım'
    assert [p.number for p in article("mersin-bb", 10).paragraphs] == [1, 2, 3, 4]


# --- items ------------------------------------------------------------------------------------


def test_odunpazari_article_10_item_i_is_the_fault_and_request_record():
    assert items("odunpazari", 10)["i"] == (
        "Birimler tarafından iletilen arıza ve talepleri kayıt altına alarak, arızanın "
        "giderilmesini ve istatistikî bilginin üretilmesini sağlamak,"
    )
    # '- 1)' stands for the dotless 'ı)' between h) and i)
    assert items("odunpazari", 10)["ı"].startswith("Belediye BT Alt Yapısı kullanıcılarına")


def test_lost_and_misread_labels_are_repaired():
    # four unlabelled items before d) were a) to ç); 'h) i) i)' was 'h) ı) i)'
    assert list(items("odunpazari", 7)) == [*"abcçdefgh", "ı", "i", "j"]
    assert items("odunpazari", 7)["a"].startswith("Telsiz iletişimi haricindeki")
    assert items("odunpazari", 9)["ı"].startswith("Müdürlüklerden gelen talepler")


def test_turkish_letters_and_double_letters_as_labels():
    assert [item.label for item in article("trabzon-bb", 8).paragraphs[0].items] == (
        [*ITEM_LABELS[:29], "aa", "bb", "cc"]
    )
    labels = [item.label for item in article("trabzon-bb", 9).paragraphs[0].items]
    assert labels[-14:] == ["aa", "bb", "cc", "çç", "dd", "ee", "ff", "gg", "ğğ", "hh", "ıı",
                            "ii", "jj", "kk"]  # fmt: skip
    assert set("çğıöşü") <= set(items("trabzon-bb", 10))
    assert items("kocaeli-bb", 4)["çç"].startswith("Yetkisiz erişim, veri sızıntısı")


def test_broken_lines_are_joined_across_page_stamps():
    assert items("trabzon-bb", 7)["l"] == (
        "Trabzon genelinde Kent Bilgi Sistemi çalışmalarına yönelik veritabanının "
        "oluşturulması, işletilmesi, yönetilmesi, verilerin paylaşılması ve güncelliğinin "
        "sağlanmasına yönelik iş ve işlemleri yapmak/yaptırmak,"
    )
    assert items("trabzon-bb", 8)["k"] == (
        "5393 Sayılı Belediye Kanununun 63'üncü maddesi uyarınca daire başkanlığı Harcama "
        "Yetkilisi görevini ifa etmek,"
    )
    # the continuation kept its '- ' bullet after the stamp
    assert items("trabzon-bb", 14)["m"] == (
        "Taşınır Mal Yönetmeliği uyarınca daire başkanlığına ait taşınır malların kaydı, "
        "muhafazası, iş ve işlemlerinin yapılmasını sağlamak,"
    )
    assert items("kocaeli-bb", 3)["c"] == (
        "Harcama Birimi: Kocaeli Büyükşehir Belediyesi bütçesinde ödenek tahsis edilen ve/veya "
        "harcama yetkisi bulunan birimleri,"
    )


def test_kocaeli_page_number_and_decision_stamp_inside_an_item_are_dropped():
    text = items("kocaeli-bb", 5)["f"]
    assert text.startswith("Sürdürülebilirlik odaklı akıllı şehir uygulamaları: Sürdürülebilirlik")
    assert "602" not in text
    assert " 5 " not in text


def test_markup_artefacts_are_removed_and_the_text_kept_verbatim():
    assert items("mersin-bb", 6)["d"] == (
        "Bilgi Güvenliđi için gerekli olan sistem, yazılım ve donanımı temin etmek,"
    )
    assert items("ankara-bb", 11)["s"] == (
        "Görüntü, ses, metin ya da sayısal verilerin yapay zeka algoritmaları ile analiz etmek."
    )
    assert items("ankara-bb", 8, paragraph=2)["ğ"] == (
        "İhale ilanı yapılan ihale dosyalarının isteklilere doküman satışını yapmak vekayıtları "
        "İnternet, ortamında EKAP’a aktarmak."
    )


def test_sub_items_and_a_word_ending_in_parenthesis_is_not_a_label():
    organisation = article("mersin-bb", 4).paragraphs[0].items
    assert [(item.label, [sub.label for sub in item.subitems]) for item in organisation] == [
        ("a", ["1", "2"]),
        ("b", ["1", "2"]),
        ("c", ["1", "2"]),
    ]
    assert organisation[1].subitems[1].text == "Web Servis Hizmetleri Şefliği"
    # 'vb.) alımı yapılmış ...' continues item l)
    assert items("kocaeli-bb", 7)["l"].endswith(
        "(LIDAR, SAR vb.) alımı yapılmış uydu görüntülerini temin etmek, analizlerini yapmak, "
        "gerekli görüldüğü takdirde paylaşmak,"
    )


def test_signature_block_after_the_last_article_is_cut():
    assert article("mersin-bb", 15).text == (
        "(1) Bu Yönerge hükümleri Belediye Başkanı ve Bilgi İşlem Dairesi Başkanı tarafından "
        "yürütülür."
    )


# --- units ------------------------------------------------------------------------------------

BIB = "Bilgi İşlem Dairesi Başkanlığı"
UNIT_TREES = {
    "odunpazari": [
        ("Bilgi İşlem Müdürlüğü", "mudurluk", None),
        ("Yazılım Geliştirme ve Destek Birimi", "birim", "Bilgi İşlem Müdürlüğü"),
        ("Teknik Destek Birimi", "birim", "Bilgi İşlem Müdürlüğü"),
        ("Ağ Yönetimi Birimi", "birim", "Bilgi İşlem Müdürlüğü"),
        ("Coğrafi Bilgi Sistemi Birimi", "birim", "Bilgi İşlem Müdürlüğü"),
        ("İdari ve Mali İşler Birimi", "birim", "Bilgi İşlem Müdürlüğü"),
    ],
    "ankara-bb": [
        (BIB, "daire_baskanligi", None),
        ("Proje, İhale ve İdari İşler Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("İletişim Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("Elektronik Sistemler ve Donanım Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("Yazılım ve Yönetim Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("İdari İşler Şefliği", "seflik", "Proje, İhale ve İdari İşler Şube Müdürlüğü"),
        ("İhale Şefliği", "seflik", "Proje, İhale ve İdari İşler Şube Müdürlüğü"),
        ("Taşınır Şefliği", "seflik", "Proje, İhale ve İdari İşler Şube Müdürlüğü"),
        ("Sistem ve Güvenlik Servisi Şefliği", "seflik", "İletişim Şube Müdürlüğü"),
        ("Haberleşme Şefliği", "seflik", "İletişim Şube Müdürlüğü"),
        (
            "Elektronik Sistemler Şefliği",
            "seflik",
            "Elektronik Sistemler ve Donanım Şube Müdürlüğü",
        ),
        ("Teknik Servis Şefliği", "seflik", "Elektronik Sistemler ve Donanım Şube Müdürlüğü"),
        ("Yazılım Hizmetleri Şefliği", "seflik", "Yazılım ve Yönetim Şube Müdürlüğü"),
        ("Web Servisleri Şefliği", "seflik", "Yazılım ve Yönetim Şube Müdürlüğü"),
    ],
    "mersin-bb": [
        (BIB, "daire_baskanligi", None),
        ("Sistem ve Donanım Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("Sistem ve Donanım Hizmetleri Şefliği", "seflik", "Sistem ve Donanım Şube Müdürlüğü"),
        ("Teknik Destek Hizmetleri Şefliği", "seflik", "Sistem ve Donanım Şube Müdürlüğü"),
        ("Yazılım ve Yönetim Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("Yazılım Hizmetleri Şefliği", "seflik", "Yazılım ve Yönetim Şube Müdürlüğü"),
        ("Web Servis Hizmetleri Şefliği", "seflik", "Yazılım ve Yönetim Şube Müdürlüğü"),
        ("Bilişim Teknolojileri Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("Bilişim Eğitim ve İnovasyon Şefliği", "seflik", "Bilişim Teknolojileri Şube Müdürlüğü"),
        ("Haberleşme Şefliği", "seflik", "Bilişim Teknolojileri Şube Müdürlüğü"),
    ],
    "trabzon-bb": [
        (BIB, "daire_baskanligi", None),
        ("Akıllı Şehirler Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("Elektronik Sistemler ve Donanım Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("İletişim ve Koordinasyon Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("Yazılım Şube Müdürlüğü", "sube_mudurlugu", BIB),
    ],
    "kocaeli-bb": [
        (BIB, "daire_baskanligi", None),
        ("İdari ve Mali İşler Birimi", "birim", BIB),
        ("Akıllı Şehirler Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("Bilgi Teknolojileri Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("Coğrafi Bilgi Sistemleri Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("Elektronik Sistemler Şube Müdürlüğü", "sube_mudurlugu", BIB),
        ("Yazılım Geliştirme Şube Müdürlüğü", "sube_mudurlugu", BIB),
    ],
}


@pytest.mark.parametrize(("slug", "tree"), UNIT_TREES.items())
def test_units_tree_as_the_regulation_names_it(slug, tree):
    assert [(u.name, u.kind, u.parent) for u in draft_of(slug).units] == tree


DUTY_ARTICLES = {
    "odunpazari": {
        7: "Bilgi İşlem Müdürlüğü",
        8: "Bilgi İşlem Müdürlüğü",  # 'Müdürün görev, yetki ve sorumlulukları'
        9: "Yazılım Geliştirme ve Destek Birimi",
        10: "Teknik Destek Birimi",
        11: "Ağ Yönetimi Birimi",
        12: "Coğrafi Bilgi Sistemi Birimi",
        13: "İdari ve Mali İşler Birimi",
    },
    "ankara-bb": {
        7: BIB,
        8: "Proje, İhale ve İdari İşler Şube Müdürlüğü",
        9: "İletişim Şube Müdürlüğü",
        10: "Elektronik Sistemler ve Donanım Şube Müdürlüğü",
        11: "Yazılım ve Yönetim Şube Müdürlüğü",
    },
    "mersin-bb": {
        6: BIB,
        7: "Sistem ve Donanım Şube Müdürlüğü",
        8: "Yazılım ve Yönetim Şube Müdürlüğü",
        9: "Bilişim Teknolojileri Şube Müdürlüğü",
    },
    "trabzon-bb": {
        7: BIB,
        8: BIB,
        9: "Akıllı Şehirler Şube Müdürlüğü",
        10: "Akıllı Şehirler Şube Müdürlüğü",  # 'Akıllı Şehirler Şube Müdürünün'
        11: "Elektronik Sistemler ve Donanım Şube Müdürlüğü",
        12: "Elektronik Sistemler ve Donanım Şube Müdürlüğü",
        13: "İletişim ve Koordinasyon Şube Müdürlüğü",
        14: "İletişim ve Koordinasyon Şube Müdürlüğü",
        15: "Yazılım Şube Müdürlüğü",
        16: "Yazılım Şube Müdürlüğü",  # 'Yazılım Şube Müdürün'
    },
    "kocaeli-bb": {
        4: "İdari ve Mali İşler Birimi",
        5: "Akıllı Şehirler Şube Müdürlüğü",
        6: "Bilgi Teknolojileri Şube Müdürlüğü",
        7: "Coğrafi Bilgi Sistemleri Şube Müdürlüğü",
        8: "Elektronik Sistemler Şube Müdürlüğü",
        9: "Yazılım Geliştirme Şube Müdürlüğü",
        10: BIB,
    },
}


@pytest.mark.parametrize(("slug", "expected"), DUTY_ARTICLES.items())
def test_suggests_the_unit_of_each_article_listing_duties(slug, expected):
    suggested = {a.number: a.unit for a in draft_of(slug).articles if a.unit}
    assert suggested == expected


def test_paragraphs_naming_a_section_get_that_section():
    assert [p.unit for p in article("ankara-bb", 8).paragraphs] == [
        None,
        "İdari İşler Şefliği",
        "İhale Şefliği",
        "Taşınır Şefliği",
    ]
    # 'Web Servis Hizmet Şefliğinin' is the 'Web Servis Hizmetleri Şefliği' of MADDE 4
    assert article("mersin-bb", 8).paragraphs[2].unit == "Web Servis Hizmetleri Şefliği"


@pytest.mark.parametrize(
    ("slug", "number", "date"),
    [
        ("odunpazari", "21/244", "2019-12-02"),
        ("trabzon-bb", "525", "2023-07-11"),
        ("kocaeli-bb", "602", "2025-11-13"),
        ("ankara-bb", "", None),
    ],
)
def test_council_decision_from_the_preamble_or_the_page_stamp(slug, number, date):
    draft = draft_of(slug)
    assert (draft.council_decision_no, draft.council_decision_date) == (number, date)


# --- small texts for what the five do not contain ---------------------------------------------

SYNTHETIC = """T.C.
ÖRNEK BELEDİYESİ
BİLGİ İŞLEM MÜDÜRLÜĞÜ YÖNETMELİĞİ
Örnek Belediyesi Bilgi İşlem Müdürlüğü
BİRİNCİ BÖLÜM
Genel Hükümler
Amaç
MADDE 1 – (1) Bu yönetmelik amacı belirler.
Sayfa 1 / 3
Görevler
MADDE 2 – (1) Müdürlüğün görevleri şunlardır:
a- Ağı yönetmek,
b. Sunucuları yedeklemek ve
yedekleri (gerekirse) saklamak,
- 2 -
Örnek Belediyesi Bilgi İşlem Müdürlüğü
c) Kullanıcılara destek vermek.
GEÇİCİ MADDE 1- (1) Eski kayıtlar aktarılır.
Örnek Belediyesi Bilgi İşlem Müdürlüğü
"""


def test_dash_and_dot_labels_page_numbers_and_repeated_headers():
    draft = parse_regulation(SYNTHETIC)
    assert [(a.number, a.temporary) for a in draft.articles] == [(1, False), (2, False), (1, True)]
    assert items_of(draft.articles[1]) == {
        "a": "Ağı yönetmek,",
        "b": "Sunucuları yedeklemek ve yedekleri (gerekirse) saklamak,",
        "c": "Kullanıcılara destek vermek.",
    }
    assert draft.articles[0].text == "(1) Bu yönetmelik amacı belirler."
    assert draft.articles[2].text == "(1) Eski kayıtlar aktarılır."
    assert draft.articles[1].unit == "Bilgi İşlem Müdürlüğü"


def test_repeated_article_numbers_are_reported():
    with translation.override("en"):
        draft = parse_regulation("MADDE 1- (1) Bir.\nMADDE 2- (1) İki.\nMadde 2- (1) Yine iki.\n")
        assert [note_text(note) for note in draft.warnings] == ["MADDE 2 appears 2 times."]
    assert [a.number for a in draft.articles] == [1, 2, 2]
    assert draft.warnings == [
        {
            "msgid": "%(article)s appears %(count)s times.",
            "params": {"article": "MADDE 2", "count": 2},
        }
    ]
    with translation.override("tr"):
        assert note_text(draft.warnings[0]) == "MADDE 2 2 kez geçiyor."


def items_of(draft_article) -> dict:
    return {item.label: item.text for p in draft_article.paragraphs for item in p.items}


# --- the management command -------------------------------------------------------------------


@pytest.mark.django_db
def test_command_prints_the_draft_as_json_and_saves_nothing():
    out = StringIO()
    call_command("regulation", "import", str(REGULATIONS / "odunpazari.txt"), "--json", stdout=out)
    draft = json.loads(out.getvalue())

    assert [a["number"] for a in draft["articles"]] == list(range(1, 21))
    tenth = draft["articles"][9]
    assert tenth["heading"] == "Teknik Destek Biriminin görevleri"
    assert tenth["unit"] == "Teknik Destek Birimi"
    labels = [item["label"] for item in tenth["paragraphs"][0]["items"]]
    assert labels == [*"abcçdefgh", "ı", "i", "j"]
    unit = next(unit for unit in draft["units"] if unit["name"] == "Teknik Destek Birimi")
    assert (unit["kind"], unit["parent"]) == ("birim", "Bilgi İşlem Müdürlüğü")
    assert [duty["reference"] for duty in unit["duties"]][:2] == [
        "MADDE 10 (1) a",
        "MADDE 10 (1) b",
    ]
    assert "Birimler tarafından iletilen arıza" in out.getvalue()  # not \\u-escaped
    assert Regulation.objects.count() == Unit.objects.count() == 0


@pytest.mark.django_db
def test_command_prints_a_summary_without_json():
    out = StringIO()
    with translation.override("en"):
        call_command("regulation", "import", str(REGULATIONS / "trabzon-bb.txt"), stdout=out)
    text = out.getvalue()
    assert "Articles: 23 (MADDE 1–23)" in text
    assert "Units: 5" in text
    assert "MADDE 15: item ş) appears 2 times." in text
    assert "Nothing was saved" in text
    assert Regulation.objects.count() == 0


def test_command_rejects_a_missing_file():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Cannot read"):
        call_command("regulation", "import", "/nonexistent/regulation.txt")


# --- confirming a draft into the organisation --------------------------------------------------


@pytest.mark.django_db
def test_confirm_odunpazari_creates_regulation_units_and_duties(admin_user):
    regulation = confirm_draft(draft_of("odunpazari").to_dict(), user=admin_user)

    assert regulation.council_decision_no == "21/244"
    assert str(regulation.council_decision_date) == "2019-12-02"
    assert Article.objects.filter(regulation=regulation).count() == 20
    assert Paragraph.objects.filter(article__regulation=regulation).count() == 21
    assert Duty.objects.count() == 81  # items of MADDE 7-13; MADDE 4-6 and 17 hold no duties
    top = Unit.objects.get(name="Bilgi İşlem Müdürlüğü", parent=None)
    assert top.kind == "mudurluk"
    assert sorted(top.children.values_list("name", flat=True)) == sorted(
        name for name, _, parent in UNIT_TREES["odunpazari"] if parent
    )

    duty = Duty.objects.get(reference="MADDE 10 (1) i")
    assert duty.unit.name == "Teknik Destek Birimi"
    assert duty.text == (
        "Birimler tarafından iletilen arıza ve talepleri kayıt altına alarak, arızanın "
        "giderilmesini ve istatistikî bilginin üretilmesini sağlamak,"
    )
    assert Duty.objects.filter(unit=top, paragraph__article__number=8).count() == 7
    assert not Duty.objects.filter(paragraph__article__number__in=[4, 5, 6, 17]).exists()
    assert ObjectChange.objects.filter(object_repr=str(duty), user=admin_user).exists()


@pytest.mark.django_db
def test_confirm_uses_paragraph_units_and_reuses_existing_units():
    draft = draft_of("ankara-bb").to_dict()
    draft["articles"] = [a for a in draft["articles"] if a["number"] == 8]  # keeps the test fast
    confirm_draft(draft)
    confirm_draft({**draft, "title": "Aynı yönetmelik, ikinci kez"})

    assert Unit.objects.filter(name="İhale Şefliği").count() == 1
    duty = Duty.objects.filter(reference="MADDE 8 (3) a").first()
    assert duty.unit.name == "İhale Şefliği"
    assert duty.unit.parent.name == "Proje, İhale ve İdari İşler Şube Müdürlüğü"


@pytest.mark.django_db
def test_confirm_refuses_repeated_article_numbers_and_saves_nothing():
    draft = draft_of("odunpazari").to_dict()
    draft["articles"].append(dict(draft["articles"][0]))

    with pytest.raises(ValidationError):
        confirm_draft(draft)
    assert Regulation.objects.count() == Unit.objects.count() == 0
