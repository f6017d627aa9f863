"""The department presets: every YAML file against its regulation, and the loader."""

import copy
import re

import pytest
from django.core.management import CommandError, call_command

from biys.core.models import ObjectChange
from biys.org.models import (
    Article,
    Duty,
    Municipality,
    Paragraph,
    Person,
    Position,
    Regulation,
    Unit,
)
from biys.org.presets import (
    PresetError,
    article_numbers_in_text,
    available_presets,
    count_duties,
    iter_duties,
    iter_items,
    iter_units,
    load_preset,
    normalize_text,
    normalized_regulation,
    preset_paths,
    read_preset,
    validate_preset,
)

SLUGS = sorted(preset_paths())

# Text of a regulation that belongs to no article, paragraph or item (a sub-heading between
# articles); the order check below skips it.
UNPLACED_TEXT = {"ankara-bb.txt": ["Görev Yetki ve Sorumluluklar"]}
# What may stand between two consecutive pieces of a preset in its text: article and paragraph
# numbers, item letters and punctuation.
MARKERS = re.compile(
    r"(?:\s|(?:MADDE|Madde)\s*\d+\s*[-–—]|\(\d+\)|\([IVX]+\)|\d{1,2}\)|[a-zçğıöşü]{1,2}\)|[-:;.,])*"
)


def _appears_verbatim(text: str, source: str) -> bool:
    return text in normalized_regulation(source) or text in normalized_regulation(
        source, keep_bullets=True
    )


def _pieces(data: dict):
    """Every text of the preset in reading order: (where, text)."""
    part = None
    for article in data["articles"]:
        where = f"MADDE {article['number']}"
        if article.get("part") and article["part"] != part:
            part = article["part"]
            yield f"{where} part", part
        for paragraph in article["paragraphs"]:
            place = f"{where} ({paragraph.get('number')})"
            if paragraph.get("text"):
                yield place, paragraph["text"]
            for item in paragraph.get("items") or []:
                yield f"{place} {item['label']}", item["text"]
            if paragraph.get("closing"):
                yield f"{place} closing", paragraph["closing"]


@pytest.mark.parametrize("slug", SLUGS)
def test_preset_is_well_formed(slug):
    assert validate_preset(read_preset(slug)) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_every_text_appears_verbatim_in_the_regulation(slug):
    data = read_preset(slug)
    source = data["source"]
    texts = [("title", data["regulation"]["title"])]
    if data["regulation"]["repeals"]:
        texts.append(("repeals", data["regulation"]["repeals"]))
    texts += list(_pieces(data))
    missing = [(where, text[:80]) for where, text in texts if not _appears_verbatim(text, source)]
    assert missing == []


@pytest.mark.parametrize("slug", SLUGS)
def test_headings_appear_in_the_regulation(slug):
    """Headings may only repair a missing space ('İşlerŞube'), so compare without spaces."""
    data = read_preset(slug)
    squeezed = normalized_regulation(data["source"]).replace(" ", "")
    missing = [
        article["number"]
        for article in data["articles"]
        if article["heading"].replace(" ", "") not in squeezed
    ]
    assert missing == []


@pytest.mark.parametrize("slug", SLUGS)
def test_nothing_of_the_articles_is_left_out(slug):
    """Walking the text in order, only numbers, letters, punctuation and headings lie between
    one piece of the preset and the next: no paragraph or item of the text is missing."""
    data = read_preset(slug)
    text = normalized_regulation(data["source"])
    for fragment in UNPLACED_TEXT.get(data["source"], []):
        text = text.replace(f" {fragment} ", " ")
    headings = sorted({a["heading"].replace(" ", "") for a in data["articles"]}, key=len)[::-1]
    pieces = list(_pieces(data))
    cursor = text.find(pieces[0][1])
    problems = []
    for where, piece in pieces:
        found = text.find(piece, cursor)
        if found < 0:  # a piece that kept the list bullets of its sub-items
            piece = re.sub(r" - ", " ", piece)
            found = text.find(piece, cursor)
        if found < 0:
            problems.append((where, "not found after the previous piece"))
            continue
        gap = text[cursor:found].replace(" ", "")
        for heading in headings:
            gap = gap.replace(heading, "")
        if not MARKERS.fullmatch(gap):
            problems.append((where, gap[:120]))
        cursor = found + len(piece)
    assert problems == []


@pytest.mark.parametrize("slug", SLUGS)
def test_article_numbers_match_the_madde_headings_of_the_text(slug):
    data = read_preset(slug)
    numbers = [article["number"] for article in data["articles"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert numbers == article_numbers_in_text(data["source"])


@pytest.mark.parametrize("slug", SLUGS)
def test_every_duty_item_resolves_to_exactly_one_unit(slug):
    data = read_preset(slug)
    names = [unit["name"] for unit, _parent in iter_units(data["units"])]
    requesters = {unit["name"] for unit in data["requester_units"]}
    duty_articles = {article["number"] for article, _p, _i, _u in iter_duties(data)}
    assert duty_articles, "a preset gives some unit a duty"
    for article, paragraph, item in iter_items(data):
        unit = item.get("unit") or paragraph.get("unit")
        if article["number"] in duty_articles:
            assert names.count(unit) == 1, (article["number"], item["label"], unit)
            assert unit not in requesters
        else:
            assert unit is None, (article["number"], item["label"])


@pytest.mark.parametrize("slug", SLUGS)
def test_preset_texts_are_normalised(slug):
    data = read_preset(slug)
    for _where, text in _pieces(data):
        assert text == normalize_text(text)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_load_preset_creates_the_organisation_once(slug):
    data = read_preset(slug)
    unit_count = sum(1 for _ in iter_units(data["units"]))
    duty_count = count_duties(data)

    result = load_preset(slug)

    assert result.units == unit_count
    assert result.duties == duty_count
    assert Unit.objects.filter(is_it_department=True).count() == unit_count
    root = Unit.objects.get(parent=None)
    assert (root.name, root.kind) == (data["municipality"]["name"], "belediye")
    assert Unit.objects.filter(is_it_department=False, parent=root).count() == len(
        data["requester_units"]
    )
    assert Duty.objects.count() == duty_count
    assert Article.objects.count() == len(data["articles"])
    assert Municipality.objects.get().preset == slug
    assert Municipality.objects.get().name == data["municipality"]["name"]
    assert not Unit.objects.filter(manager_position=None).exists()
    assert Position.objects.filter(is_manager=True).count() == Unit.objects.count()
    top = Unit.objects.get(name=data["units"][0]["name"])
    assert top.parent == root
    assert Unit.objects.filter(is_it_department=True, path__startswith=top.path).count() == (
        unit_count
    )

    changes = ObjectChange.objects.count()
    again = load_preset(slug)

    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    assert ObjectChange.objects.count() == changes
    assert Unit.objects.count() == 1 + unit_count + len(data["requester_units"])  # with the root
    assert Duty.objects.count() == duty_count
    assert Paragraph.objects.count() == sum(len(a["paragraphs"]) for a in data["articles"])
    assert Regulation.objects.count() == 1


@pytest.mark.django_db
def test_duty_references_and_article_text():
    load_preset("odunpazari")

    duty = Duty.objects.get(reference="MADDE 10 (1) i")
    assert duty.text == (
        "Birimler tarafından iletilen arıza ve talepleri kayıt altına alarak, arızanın "
        "giderilmesini ve istatistikî bilginin üretilmesini sağlamak,"
    )
    assert duty.unit.name == "Teknik Destek Birimi"
    assert duty.unit.parent.name == "Bilgi İşlem Müdürlüğü"
    printed_as_one = Duty.objects.get(reference="MADDE 10 (1) ı")
    assert printed_as_one.text.startswith("Belediye BT Alt Yapısı kullanıcılarına")
    article = Article.objects.get(number=10)
    assert article.heading == "Teknik Destek Biriminin görevleri"
    assert article.text.startswith("(1) Teknik Destek Birimi;\na) BT Alt Yapısının sorunsuz")
    assert "\ni) Birimler tarafından iletilen arıza" in article.text
    regulation = Regulation.objects.get()
    assert regulation.council_decision_no == "21/244"
    assert str(regulation.council_decision_date) == "2019-12-02"
    assert "MADDE 20- (1) Bu Yönetmelik hükümlerini" in regulation.source_text


def test_odunpazari_structure():
    data = read_preset("odunpazari")
    (top,) = data["units"]
    assert (top["name"], top["kind"]) == ("Bilgi İşlem Müdürlüğü", "mudurluk")
    assert [(child["name"], child["kind"]) for child in top["children"]] == [
        ("Yazılım Geliştirme ve Destek Birimi", "birim"),
        ("Teknik Destek Birimi", "birim"),
        ("Ağ Yönetimi Birimi", "birim"),
        ("Coğrafi Bilgi Sistemi Birimi", "birim"),
        ("İdari ve Mali İşler Birimi", "birim"),
    ]
    labels = {
        article["number"]: [item["label"] for p in article["paragraphs"] for item in p["items"]]
        for article in data["articles"]
        if article["number"] in (7, 9)
    }
    assert labels[7] == ["a", "b", "c", "ç", "d", "e", "f", "g", "h", "ı", "i", "j"]
    assert labels[9] == ["a", "b", "c", "ç", "d", "e", "f", "ğ", "h", "ı", "i", "j", "k"]
    assert len(data["articles"]) == 20


def test_ankara_has_four_branches_with_their_sections():
    data = read_preset("ankara-bb")
    (top,) = data["units"]
    assert (top["name"], top["kind"]) == ("Bilgi İşlem Dairesi Başkanlığı", "daire_baskanligi")
    tree = {
        branch["name"]: [section["name"] for section in branch["children"]]
        for branch in top["children"]
    }
    assert tree == {
        "Proje, İhale ve İdari İşler Şube Müdürlüğü": [
            "İdari İşler Şefliği",
            "İhale Şefliği",
            "Taşınır Şefliği",
        ],
        "İletişim Şube Müdürlüğü": ["Sistem ve Güvenlik Servisi Şefliği", "Haberleşme Şefliği"],
        "Elektronik Sistemler ve Donanım Şube Müdürlüğü": [
            "Elektronik Sistemler Şefliği",
            "Teknik Servis Şefliği",
        ],
        "Yazılım ve Yönetim Şube Müdürlüğü": [
            "Yazılım Hizmetleri Şefliği",
            "Web Servisleri Şefliği",
        ],
    }
    assert {branch["kind"] for branch in top["children"]} == {"sube_mudurlugu"}
    assert {s["kind"] for b in top["children"] for s in b["children"]} == {"seflik"}
    duties = {(a["number"], p["number"], i["label"]): u for a, p, i, u in iter_duties(data)}
    assert duties[(10, 2, "d")] == "Elektronik Sistemler Şefliği"  # parmak izli geçiş sistemi
    assert duties[(11, 1, "y")] == "Yazılım ve Yönetim Şube Müdürlüğü"
    assert duties[(7, 1, "m")] == "Bilgi İşlem Dairesi Başkanlığı"


def test_mersin_has_three_branches_of_two_sections():
    data = read_preset("mersin-bb")
    (top,) = data["units"]
    assert top["name"] == "Bilgi İşlem Dairesi Başkanlığı"
    assert [(b["name"], [s["name"] for s in b["children"]]) for b in top["children"]] == [
        (
            "Sistem ve Donanım Şube Müdürlüğü",
            ["Sistem ve Donanım Hizmetleri Şefliği", "Teknik Destek Hizmetleri Şefliği"],
        ),
        (
            "Yazılım ve Yönetim Şube Müdürlüğü",
            ["Yazılım Hizmetleri Şefliği", "Web Servis Hizmetleri Şefliği"],
        ),
        (
            "Bilişim Teknolojileri Şube Müdürlüğü",
            ["Bilişim Eğitim ve İnovasyon Şefliği", "Haberleşme Şefliği"],
        ),
    ]
    duties = {
        (a["number"], p["number"], i["label"]): (u, i["text"]) for a, p, i, u in iter_duties(data)
    }
    unit, text = duties[(7, 1, "d")]
    assert unit == "Sistem ve Donanım Şube Müdürlüğü"
    assert text == "Bilgi Güvenliği için gerekli olan sistem, yazılım ve donanımı temin etmek,"
    assert duties[(8, 3, "b")][0] == "Web Servis Hizmetleri Şefliği"
    assert duties[(9, 3, "g")][0] == "Haberleşme Şefliği"


def test_available_presets_lists_every_file():
    infos = {info.slug: info for info in available_presets()}
    assert set(infos) == set(SLUGS)
    assert {"ankara-bb", "odunpazari", "mersin-bb"} <= set(infos)
    assert (infos["odunpazari"].municipality, infos["odunpazari"].units) == (
        "Odunpazarı Belediyesi",
        6,
    )
    assert infos["odunpazari"].duties == 81
    assert (infos["ankara-bb"].units, infos["ankara-bb"].duties) == (14, 205)
    assert (infos["mersin-bb"].units, infos["mersin-bb"].duties) == (10, 111)


def test_unknown_preset_names_the_valid_ones():
    with pytest.raises(PresetError) as error:
        read_preset("istanbul-bb")
    assert "istanbul-bb" in str(error.value)
    for slug in SLUGS:
        assert slug in str(error.value)


def test_validator_reports_broken_presets():
    data = copy.deepcopy(read_preset("odunpazari"))
    duty_article = next(a for a in data["articles"] if a["number"] == 10)
    paragraph = duty_article["paragraphs"][0]
    paragraph["items"][0]["unit"] = "Olmayan Birim"
    paragraph["items"][1]["label"] = "a"
    del paragraph["unit"]
    data["units"][0]["children"].append({"name": "Teknik Destek Birimi", "kind": "birim"})
    data["articles"][3]["number"] = 7

    problems = "\n".join(validate_preset(data))

    assert "'Olmayan Birim' is not in the units tree" in problems
    assert "item labels used more than once: ['a']" in problems
    assert "MADDE 10 (1) c: a duty item without a responsible unit" in problems
    assert "names used more than once: ['Teknik Destek Birimi']" in problems
    assert "numbers are not 1..n" in problems


@pytest.mark.django_db
def test_another_preset_needs_replace_and_replaces_the_organisation():
    load_preset("odunpazari")
    with pytest.raises(PresetError, match="--replace"):
        load_preset("mersin-bb")
    assert Municipality.objects.get().preset == "odunpazari"
    staffed = Unit.objects.get(name="Teknik Destek Birimi")
    Person.objects.create(
        first_name="Ayşe", last_name="Yıldız", employment_type="memur", unit=staffed
    )

    result = load_preset("mersin-bb", replace=True)

    assert Municipality.objects.get().name == "Mersin Büyükşehir Belediyesi"
    assert Regulation.objects.get().title == read_preset("mersin-bb")["regulation"]["title"]
    # Units the new preset lacks are gone, or kept inactive when records still refer to them.
    assert not Unit.objects.filter(
        name="Yazılım Geliştirme ve Destek Birimi", is_active=True
    ).exists()
    assert Unit.objects.filter(is_it_department=True, is_active=True).count() == 10
    assert Duty.objects.count() == result.duties == 111
    staffed.refresh_from_db()
    assert not staffed.is_active  # people still belong to it, so it is kept, and its parent
    assert {"Bilgi İşlem Müdürlüğü", "Teknik Destek Birimi"} <= set(result.deactivated)
    assert not Unit.objects.filter(name__in=result.deactivated, is_active=True).exists()


@pytest.mark.django_db
def test_preset_commands(capsys):
    call_command("preset", "list")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["slug", "municipality", "units", "duties"]
    odunpazari = next(line for line in lines if line.startswith("odunpazari "))
    assert odunpazari.split() == ["odunpazari", "Odunpazarı", "Belediyesi", "6", "81"]

    call_command("preset", "load", "odunpazari")
    assert "81 duties" in capsys.readouterr().out
    assert Duty.objects.count() == 81
    assert ObjectChange.objects.filter(user_name="preset load odunpazari").exists()

    with pytest.raises(CommandError, match="Valid presets"):
        call_command("preset", "load", "yok-boyle-bir-belediye")
    with pytest.raises(CommandError, match="--replace"):
        call_command("preset", "load", "mersin-bb")
    call_command("preset", "load", "odunpazari", "--replace")
    assert "(0 created, 0 updated, 0 removed)" in capsys.readouterr().out


@pytest.mark.django_db
def test_loading_a_preset_seals_its_change_records_in_batches():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from biys.core.changelog import verify_chain

    with CaptureQueriesContext(connection) as queries:
        load_preset("odunpazari")
    inserts = [
        q
        for q in queries.captured_queries
        if q["sql"].startswith('INSERT INTO "core_objectchange"')
    ]
    records = ObjectChange.objects.count()
    assert records > 100
    # A few multi-row INSERTs (SQLite caps the parameters of one), not one per record.
    assert len(inserts) * 20 <= records
    assert verify_chain().ok
