"""The regulation importer in Chromium: an administrator uploads Odunpazarı's regulation, gives an
article another unit, confirms, and finds the new units on the organisation chart."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

import biys.org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ODUNPAZARI = (
    Path(__file__).resolve().parents[2]
    / "biys"
    / "org"
    / "presets"
    / "regulations"
    / "odunpazari.txt"
)
if not ODUNPAZARI.exists():
    ODUNPAZARI = Path(biys.org.__file__).parent / "presets" / "regulations" / "odunpazari.txt"


def test_administrator_imports_a_regulation(page, login_as, admin_user, org_tree, screenshot):
    from biys.org.models import Duty, RegulationDraft

    login_as(admin_user)
    page.goto("/org/import/")
    expect(page.locator("h1.page-title")).to_have_text("Yönetmelik içe aktar")
    page.get_by_label("Metin dosyası").set_input_files(str(ODUNPAZARI))
    page.get_by_role("button", name="Metni oku").click()

    # the review: 20 articles, the units the text names, each duty article with its unit
    expect(page.locator("#draft-articles tbody")).to_have_count(20)
    expect(page.locator("#draft-units")).to_contain_text("Teknik Destek Birimi")
    draft = RegulationDraft.objects.get()
    index = [article["number"] for article in draft.data["articles"]].index(17)
    unit_select = page.get_by_label("MADDE 17 için sorumlu birim")
    expect(unit_select).to_have_value("")  # 'Yönetmelikte yer almayan hususlar': no unit found
    unit_select.select_option(label="Teknik Destek Birimi")
    page.locator(f"#article-{index} summary").click()
    expect(page.locator(f"#article-{index} input[name$='_label']").first).to_have_value("a")
    page.set_viewport_size({"width": 1280, "height": 1500})
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "regulation-import")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Kaydet ve onayla…").click()
    expect(page.locator("h1.page-title")).to_have_text("Yönetmeliği onayla")
    page.get_by_role("button", name="Teşkilata işle").click()

    expect(page.locator("h1.page-title")).to_have_text("Teşkilat şeması")
    expect(page.locator(".biys-messages")).to_contain_text("onaylandı: 6 birim")
    tree = page.locator("#org-chart")
    for name in ("Bilgi İşlem Müdürlüğü", "Teknik Destek Birimi", "Ağ Yönetimi Birimi"):
        expect(tree.get_by_role("link", name=name, exact=True)).to_be_visible()
    moved = Duty.objects.filter(
        paragraph__article__number=17, unit__name="Teknik Destek Birimi"
    ).count()
    assert moved == 2


def test_administrator_repairs_a_bad_draft_and_confirms_it(
    page, login_as, admin_user, org_tree, tmp_path
):
    """A text whose units and duties the importer cannot find: the administrator adds a unit,
    gives it an article and items, merges a broken item, splits a doubled one, renumbers an
    article, and confirms exactly that."""
    from biys.org.models import Duty
    from biys.org.tests.test_importer_review import BAD_TEXT

    source = tmp_path / "kucukkoy.txt"
    source.write_text(BAD_TEXT, encoding="utf-8")
    login_as(admin_user)
    page.goto("/org/import/")
    page.get_by_label("Metin dosyası").set_input_files(str(source))
    page.get_by_role("button", name="Metni oku").click()
    expect(page.locator("#draft-warnings")).to_contain_text("Eksik madde numaraları: 4")

    page.locator("#id_new_unit_name").fill("Donanım Servisi")
    page.locator("#id_new_unit_kind").select_option("birim")
    page.locator("#id_new_unit_parent").select_option(label="Bilgi İşlem Müdürlüğü")
    page.get_by_role("button", name="Taslağı kaydet").click()
    expect(page.locator("#draft-units")).to_contain_text("Donanım Servisi")

    page.locator("#id_article_1_unit").select_option(label="Donanım Servisi")
    page.locator("#article-2 summary").click()
    page.locator("#id_paragraph_2_0_unit").select_option(label="Donanım Servisi")
    page.locator("#id_item_2_0_2_merge").check()
    page.locator("#id_item_2_0_3_split").fill("yedekleri almak.")
    page.locator("#id_item_2_0_3_label").fill("c")
    page.locator("#id_article_3_number").fill("4")
    page.locator("#id_article_3_heading").fill("Yürürlük")
    page.get_by_role("button", name="Taslağı kaydet").click()

    expect(page.locator("#draft-warnings")).to_have_count(0)  # re-checked: nothing left
    page.locator("#article-2 summary").click()
    page.locator("#id_item_2_0_3_label").fill("ç")
    page.locator("#id_item_2_0_3_unit").select_option("-")  # not a duty
    page.get_by_role("button", name="Kaydet ve onayla…").click()
    expect(page.locator("h1.page-title")).to_have_text("Yönetmeliği onayla")
    page.get_by_role("button", name="Teşkilata işle").click()
    expect(page.locator(".biys-messages")).to_contain_text("5 görev")

    assert sorted(Duty.objects.values_list("reference", "unit__name", "text")) == [
        ("MADDE 2 (1)", "Donanım Servisi", "Bilgisayarların bakımını yapmak."),
        ("MADDE 2 (2)", "Donanım Servisi", "Kamera sistemlerini işletmek."),
        ("MADDE 3 (1) a", "Donanım Servisi", "Web sitesini güncellemek,"),
        ("MADDE 3 (1) b", "Donanım Servisi", "E-posta hesaplarını açmak ve kapatmak,"),
        ("MADDE 3 (1) c", "Donanım Servisi", "Yazıcıları onarmak,"),
    ]
