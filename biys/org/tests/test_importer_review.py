"""The review screen repairs a draft the importer got wrong: new units, a paragraph and a range
of items given to units, items merged, split and relabelled, an article renumbered and retitled;
the confirmation then creates exactly the duties the screen showed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from biys.org.importer_duties import draft_duties
from biys.org.models import Duty, RegulationDraft, Unit
from biys.org.services_drafts import check_placements, draft_warnings
from biys.org.tests.test_importer_views import make_draft, review_post, unit_key

BAD_TEXT = """T.C.
KÜÇÜKKÖY BELEDİYESİ BİLGİ İŞLEM MÜDÜRLÜĞÜ YÖNETMELİĞİ
Amaç
MADDE 1- (1) Bu yönetmelik müdürlüğün işlerini düzenler.
Görevler
MADDE 2- (1) Bilgisayarların bakımını yapmak.
(2) Kamera sistemlerini işletmek.
Yazılım işleri
MADDE 3- (1) Bu işler şunlardır:
a) Web sitesini güncellemek,
b) E-posta hesaplarını açmak ve
c) kapatmak,
d) Yazıcıları onarmak, yedekleri almak.
MADDE 5- (1) Bu yönetmelik yayımı tarihinde yürürlüğe girer.
"""
TOP = "Bilgi İşlem Müdürlüğü"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def save(client, draft, **changes) -> RegulationDraft:
    response = client.post(
        reverse("org:regulation_draft_review", args=[draft.pk]), review_post(draft, **changes)
    )
    assert response.status_code == 302, response.context["form"].errors
    draft.refresh_from_db()
    return draft


def test_a_bad_draft_is_repaired_and_confirmed_as_shown(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree, BAD_TEXT)
    assert draft_duties(draft.data) == []  # the importer found no unit for any duty
    with translation.override("en"):
        assert "Article numbers are missing: 4." in draft_warnings(draft.data)

    top = unit_key(draft, TOP)
    draft = save(
        admin_client, draft, new_unit_name="Donanım Servisi", new_unit_kind="birim",
        new_unit_parent=top,
    )  # fmt: skip
    draft = save(
        admin_client, draft, new_unit_name="Yazılım Servisi", new_unit_kind="birim",
        new_unit_parent=top,
    )  # fmt: skip
    hardware, software = unit_key(draft, "Donanım Servisi"), unit_key(draft, "Yazılım Servisi")
    draft = save(
        admin_client,
        draft,
        **{
            "article_1_unit": hardware,  # two numbered paragraphs: two duties
            "range_article": "2",  # MADDE 3 (1) a) to c) to the Yazılım Servisi ...
            "range_paragraph": "1",
            "range_from": "a",
            "range_to": "c",
            "range_unit": software,
            "item_2_0_2_merge": "on",  # ... with 'c) kapatmak,' merged into b)
            "item_2_0_3_label": "c",
            "item_2_0_3_unit": hardware,
            "item_2_0_3_split": "yedekleri almak.",
            "article_3_number": "4",
            "article_3_heading": "Yürürlük",
        },
    )
    items = draft.data["articles"][2]["paragraphs"][0]["items"]
    assert [(item["label"], item["text"]) for item in items] == [
        ("a", "Web sitesini güncellemek,"),
        ("b", "E-posta hesaplarını açmak ve kapatmak,"),
        ("c", "Yazıcıları onarmak,"),
        ("", "yedekleri almak."),
    ]
    draft = save(admin_client, draft, **{"item_2_0_3_label": "ç", "item_2_0_3_unit": "-"})
    assert draft.data["articles"][3]["heading"] == "Yürürlük"
    with translation.override("en"):
        warnings = draft_warnings(draft.data)
    assert not any("missing" in warning for warning in warnings)
    shown = sorted((duty.reference, duty.unit) for duty in draft_duties(draft.data))
    assert shown == [
        ("MADDE 2 (1)", "Donanım Servisi"),
        ("MADDE 2 (2)", "Donanım Servisi"),
        ("MADDE 3 (1) a", "Yazılım Servisi"),
        ("MADDE 3 (1) b", "Yazılım Servisi"),
        ("MADDE 3 (1) c", "Donanım Servisi"),
    ]

    response = admin_client.post(reverse("org:regulation_draft_confirm", args=[draft.pk]))
    assert response.status_code == 302
    assert sorted(Duty.objects.values_list("reference", "unit__name")) == shown
    assert Duty.objects.get(reference="MADDE 3 (1) b").text == (
        "E-posta hesaplarını açmak ve kapatmak,"
    )
    hardware_unit = Unit.objects.get(name="Donanım Servisi")
    assert hardware_unit.parent.name == TOP
    assert hardware_unit.parent.parent == org_tree["dept"]  # placed under the importer's unit


def test_not_a_duty_and_a_paragraph_of_its_own(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree)  # the small text of test_importer_views
    network = unit_key(draft, "Ağ Yönetimi Birimi")
    draft = save(
        admin_client,
        draft,
        **{"item_2_0_1_unit": "-", "paragraph_4_0_unit": network, "article_1_unit": "-"},
    )
    references = [(d.reference, d.unit) for d in draft_duties(draft.data)]
    assert ("MADDE 3 (1) b", "Ağ Yönetimi Birimi") not in references
    assert ("MADDE 5 (1)", "Ağ Yönetimi Birimi") in references
    with translation.override("en"):
        assert not any("MADDE 2 has" in w for w in draft_warnings(draft.data))


def test_a_renumbered_article_that_repeats_a_number_is_reported(admin_client, org_tree):
    draft = save(admin_client, make_draft(admin_client, org_tree), article_4_number="4")
    with translation.override("en"):
        assert "Article numbers appear more than once: 4" in draft_warnings(draft.data)


def test_a_bad_split_or_range_is_a_field_error(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree)
    url = reverse("org:regulation_draft_review", args=[draft.pk])
    response = admin_client.post(
        url,
        review_post(
            draft, **{"item_2_0_0_split": "yok böyle söz", "range_article": "3", "range_from": "x"}
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"item_2_0_0_split", "range_from", "range_unit"} <= set(errors)


def test_root_units_need_the_permission_everywhere(admin_user, org_tree):
    data = {"units": [{"name": "Yeni Müdürlük", "kind": "mudurluk", "parent": None}]}
    with pytest.raises(ValidationError):
        check_placements(data=data, user=admin_user)  # holds it over one root of two
    data["units"][0]["parent_unit"] = org_tree["dept"].pk
    check_placements(data=data, user=admin_user)
    data["units"][0]["parent_unit"] = org_tree["roads"].pk
    with pytest.raises(ValidationError):
        check_placements(data=data, user=admin_user)


def test_the_longest_bundled_regulation_can_be_saved_as_the_screen_sends_it(admin_client, org_tree):
    """Trabzon's 316 items: every field of the screen, more than Django's default 1000."""
    from biys.org.importer_forms import DraftReviewForm
    from biys.org.tests.test_importer_views import ODUNPAZARI

    text = (ODUNPAZARI.parent / "trabzon-bb.txt").read_text(encoding="utf-8")
    draft = make_draft(admin_client, org_tree, text)
    form = DraftReviewForm(draft_data=draft.data)
    post = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if not isinstance(value, bool):
            post[name] = "" if value is None else value
    assert len(post) > 1000

    response = admin_client.post(reverse("org:regulation_draft_review", args=[draft.pk]), post)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert len(draft_duties(draft.data)) > 250


def test_drafted_units_follow_the_organisations_placement_rule(admin_user, org_tree):
    from biys.core.placement import may_place
    from biys.org.models import Unit
    from biys.org.services_drafts import IMPORT_PERMISSION, may_place_unit

    for parent in (None, org_tree["dept"], org_tree["roads"]):
        expected = may_place(admin_user, Unit(parent=parent), perm=IMPORT_PERMISSION)
        assert may_place_unit(admin_user, parent) is expected
