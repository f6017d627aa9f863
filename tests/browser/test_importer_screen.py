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
    expect(page.locator(f"#article-{index}")).to_contain_text("a)")
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
