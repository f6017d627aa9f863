"""Duty categories: the keyword matcher, loading the curated set, and bulk tagging."""

import pytest

from biys.core.models import ObjectChange
from biys.org.categories import (
    category_specs,
    load_categories,
    suggest_categories,
    tag_duties,
)
from biys.org.models import Article, Duty, DutyCategory, Paragraph, Regulation
from biys.org.presets import load_preset, preset_paths

TABLER_COLOURS = {
    "blue",
    "azure",
    "indigo",
    "purple",
    "pink",
    "red",
    "orange",
    "yellow",
    "lime",
    "green",
    "teal",
    "cyan",
}


def test_the_curated_set_is_well_formed():
    specs = category_specs()
    assert 15 <= len(specs) <= 25
    assert len({spec.slug for spec in specs}) == len(specs)
    assert len({spec.name for spec in specs}) == len(specs)
    assert {spec.color for spec in specs} <= TABLER_COLOURS


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Ağ altyapısının kurulması", "network"),
        ("Kablosuz ağların yönetimi", "network"),
        ("Belediyenin AĞLARINI işletmek", "network"),
        ("Sunucuların sanallaştırılması", "servers"),
        ("E-İMZA taleplerini karşılamak", "e-signature"),
        ("elektronik imza kurulum hizmetleri", "e-signature"),
        ("Mobil İmza başvuruları", "e-signature"),
        ("Parmak izi ile geçiş sistemleri", "cameras"),
        ("Güvenlik kameralarının bakımı", "cameras"),
        ("Siber güvenlik olaylarına müdahale, USOM duyuruları", "security"),
        ("ISO 27001 kapsamında BGYS", "security"),
        ("6698 sayılı Kişisel Verilerin Korunması Kanunu", "kvkk"),
        ("5651 sayılı Kanun gereği internet kayıtlarını tutmak", "logs-5651"),
        ("Sunucu loglarını incelemek", "logs-5651"),
        ("Sunucuların yedeklerini almak", "backup"),
        ("Coğrafi Bilgi Sistemi verileri ve numarataj", "gis"),
        ("GSM hatlarının tahsisi", "telecom"),
        ("Doğrudan temin ve ihale işlemleri", "procurement"),
        ("Taşınır kayıt ve zimmet işlemleri", "inventory"),
        ("Gelen giden evrakın arşivlenmesi, KEP", "records"),
        ("Personelin yıllık izin ve puantaj işlemleri", "personnel"),
        ("Stratejik plan ve faaliyet raporu hazırlamak", "planning"),
        ("Akıllı şehir uygulamaları ve IoT sensörleri", "smart-city"),
        ("Belediyenin web sitesini güncel tutmak", "web"),
        ("Yazılım geliştirme ve modül testleri", "software"),
        ("Bilgisayar ve yazıcı arızalarını gidermek", "hardware"),
        ("Alo 153 çağrı merkezi ile vatandaş şikâyetleri", "citizen"),
    ],
)
def test_keywords_suggest_their_category(text, slug):
    assert slug in suggest_categories(text)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # "ağ" only as a word of its own, not inside another one
        ("Daire başkanlığına bağlı birimler", "network"),
        ("Ağır iş makineleri ve ağaçlandırma", "network"),
        # a contract, not "sözleşmeli" staff
        ("Memur ve sözleşmeli personelin izinleri", "procurement"),
        # GIS, not the servers
        ("Coğrafi Bilgi Sistemini kurmak", "servers"),
        ("Hatalı kayıtları düzeltmek", "telecom"),
        ("Kişisel gelişim seminerleri", "kvkk"),
    ],
)
def test_keywords_match_at_word_starts_only(text, slug):
    assert slug not in suggest_categories(text)


def test_the_general_category_is_only_a_fallback():
    assert suggest_categories("Amiri tarafından verilen diğer görevleri yerine getirmek") == [
        "management"
    ]
    # koordine is administrative too, but the duty is about networks
    assert suggest_categories("Ağ cihazlarının arızalarını koordine etmek") == [
        "network",
        "hardware",
    ]
    assert suggest_categories("Kantin menüsünü belirlemek") == []


def test_load_categories_is_idempotent(db):
    first = load_categories()
    assert DutyCategory.objects.count() == len(category_specs()) == len(first)
    network = DutyCategory.objects.get(slug="network")
    assert (network.name, network.color) == ("Ağ ve altyapı", "blue")
    logged = ObjectChange.objects.count()

    second = load_categories()

    assert [category.pk for category in second] == [category.pk for category in first]
    assert DutyCategory.objects.count() == len(first)
    assert ObjectChange.objects.count() == logged


def test_load_categories_restores_a_changed_colour_and_adopts_a_same_named_one(db):
    DutyCategory.objects.create(name="KVKK", slug="kvkk", color="red")
    own = DutyCategory.objects.create(name="Bilgi güvenliği", slug="guvenlik", color="blue")
    DutyCategory.objects.create(name="Otopark", slug="otopark", color="green")

    load_categories()

    assert DutyCategory.objects.get(slug="kvkk").color == "pink"
    own.refresh_from_db()
    assert (own.slug, own.color) == ("security", "red")
    assert DutyCategory.objects.filter(slug="otopark").exists()


@pytest.fixture
def duties(org_tree):
    regulation = Regulation.objects.create(title="Bilgi İşlem Yönetmeliği")
    article = Article.objects.create(regulation=regulation, number=10, heading="Görevler")
    paragraph = Paragraph.objects.create(article=article, number=1)
    texts = {
        "a": "Kablosuz ağ altyapısını kurmak ve işletmek,",
        "b": "E-İmza ve mobil imza süreçlerini yürütmek,",
        "c": "Parmak izi ile geçiş kontrol sistemlerinin bakımını yapmak,",
        "ç": "Kantin menüsünü belirlemek,",
    }
    return {
        label: Duty.objects.create(
            paragraph=paragraph, label=label, text=text, unit=org_tree["network"], order=order
        )
        for order, (label, text) in enumerate(texts.items())
    }


def _slugs(duty):
    return set(duty.categories.values_list("slug", flat=True))


def test_tag_duties_applies_suggestions_in_few_queries(duties, django_assert_max_num_queries):
    load_categories()
    with django_assert_max_num_queries(8):
        added = tag_duties()

    assert _slugs(duties["a"]) == {"network"}
    assert _slugs(duties["b"]) == {"e-signature"}
    assert {"cameras", "hardware"} <= _slugs(duties["c"])
    assert _slugs(duties["ç"]) == set()
    assert added == Duty.categories.through.objects.count()
    assert tag_duties() == 0  # nothing left to add


def test_tag_duties_keeps_an_administrators_choice_unless_replacing(duties):
    own = DutyCategory.objects.create(name="Öncelikli", slug="oncelikli", color="red")
    duties["a"].categories.set([own])

    tag_duties(Duty.objects.filter(pk__in=[duties["a"].pk, duties["b"].pk]))

    assert _slugs(duties["a"]) == {"oncelikli"}
    assert _slugs(duties["b"]) == {"e-signature"}
    assert _slugs(duties["c"]) == set()  # outside the queryset

    duties["b"].categories.add(DutyCategory.objects.get(slug="gis"))
    tag_duties(replace=True)

    assert _slugs(duties["a"]) == {"oncelikli", "network"}
    assert _slugs(duties["b"]) == {"e-signature"}
    assert "cameras" in _slugs(duties["c"])


WELL_KNOWN = {
    "odunpazari": [("MADDE 10 (1) i", "hardware"), ("MADDE 11 (1) ğ", "logs-5651")],
    "trabzon-bb": [("MADDE 15 ş", "e-signature"), ("MADDE 11 j", "logs-5651")],
    "kocaeli-bb": [("MADDE 4 r", "security"), ("MADDE 4 c", "e-signature")],
    "ankara-bb": [("MADDE 9 (3) g", "telecom")],
    "mersin-bb": [("MADDE 7 (1) ö", "hardware")],
}


@pytest.mark.parametrize("slug", sorted(preset_paths()))
def test_presets_duties_are_tagged(db, slug):
    load_preset(slug)
    load_categories()
    tag_duties()

    duties = Duty.objects.filter(unit__is_it_department=True).prefetch_related("categories")
    total = len(duties)
    tagged = sum(1 for duty in duties if duty.categories.all())
    assert total > 50
    assert tagged / total >= 0.9
    for reference, category in WELL_KNOWN[slug]:
        duty = Duty.objects.get(reference=reference)
        assert category in _slugs(duty), (reference, duty.text)
