"""The UI shell end to end in Chromium: login, organisation chart, duty search, language
switch, and a filtered list exported to CSV. Each test leaves a screenshot in docs/screenshots."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_with_username_and_password(page, make_user, org_tree, screenshot):
    user = make_user("technician", org_tree["helpdesk"], username="teknisyen", first_name="Elif")
    page.goto("/org/chart/")
    assert "/accounts/login/" in page.url  # not signed in: sent to the login page
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    screenshot(page, "login")
    page.locator("form:has(input[name=password]) button[type=submit]").click()

    expect(page.locator("h1.page-title")).to_contain_text("Teşkilat şeması")  # back to next
    expect(page.locator("#user-menu-button")).to_contain_text("teknisyen")


def test_organisation_chart(page, login_as, admin_user, org_tree, duties, screenshot):
    login_as(admin_user)
    page.goto("/org/chart/")
    expect(page.locator("h1.page-title")).to_have_text("Teşkilat şeması")
    tree = page.locator("#org-chart")
    for unit in org_tree.values():
        expect(tree.get_by_role("link", name=unit.name, exact=True)).to_be_visible()
    # the IT department is highlighted; the requester unit is not
    expect(tree.locator(".org-node.is-it")).to_have_count(4)
    roads = tree.locator(f'.org-node[data-unit="{org_tree["roads"].pk}"]')
    expect(roads).not_to_have_class("org-node is-it")
    # duty counts: the helpdesk holds two items
    helpdesk = tree.locator(f'.org-node[data-unit="{org_tree["helpdesk"].pk}"]')
    expect(helpdesk).to_contain_text("2 görev")
    screenshot(page, "org-chart")

    # keyboard: collapse the network branch from its summary; its section disappears
    network_summary = tree.locator("summary").filter(has_text=org_tree["network"].name)
    network_summary.focus()
    page.keyboard.press("Enter")
    expect(helpdesk).to_be_hidden()
    page.keyboard.press("Enter")
    expect(helpdesk).to_be_visible()

    # a unit's page lists its duties with their references
    helpdesk.get_by_role("link", name=org_tree["helpdesk"].name).click()
    page.get_by_role("tab", name="Görevler").click()
    expect(page.locator("#object-tab")).to_contain_text("MADDE 10 (1) b")
    expect(page.locator("#object-tab")).to_contain_text("PARMAK İZİ")


def test_duty_search_is_turkish_aware(page, login_as, make_user, org_tree, duties, screenshot):
    login_as(make_user("requester", org_tree["roads"]))
    page.goto("/org/duties/")
    page.fill("#duty-search", "parmak izi kapı")
    page.keyboard.press("Enter")

    results = page.locator("#object-list")
    expect(results).to_contain_text("1 sonuç")
    expect(results).to_contain_text("MADDE 10 (1) b")
    expect(results).to_contain_text(org_tree["helpdesk"].name)
    expect(results.locator("mark").first).to_have_text("PARMAK")
    expect(results).not_to_contain_text("ağ altyapısını")
    assert "q=parmak" in page.url  # the search is in the address, so it can be shared
    screenshot(page, "duty-search")


def test_language_switch(page, login_as, admin_user, screenshot):
    login_as(admin_user)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.locator("aside")).to_contain_text("Ana sayfa")

    page.locator("#language-menu-button").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("aside")).to_contain_text("Home")
    expect(page.locator("aside")).to_contain_text("Organisation chart")
    screenshot(page, "language-english")

    page.locator("#language-menu-button").click()
    page.get_by_role("button", name="Türkçe").click()
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.locator("aside")).to_contain_text("Teşkilat şeması")


def test_people_list_filter_and_csv_export(page, login_as, admin_user, org_tree, screenshot):
    from biys.org.models import Person

    for index, name in enumerate(["Şule", "Çağrı", "İsmail", "Oğuz"]):
        Person.objects.create(
            first_name=name,
            last_name="Aydın",
            employment_type="memur",
            unit=org_tree["software"],
            sicil_no=f"Y{index}",
        )
    Person.objects.create(
        first_name="Burak", last_name="Işık", employment_type="isci", unit=org_tree["network"]
    )
    login_as(admin_user)
    page.goto("/org/people/")
    page.select_option("#id_unit", label=org_tree["software"].name)
    page.get_by_role("button", name="Uygula").click()

    table = page.locator("#object-list")
    expect(table).to_contain_text("4 sonuç")
    expect(table).not_to_contain_text("Burak")
    # Turkish alphabetical order: Çağrı, İsmail, Oğuz, Şule
    names = table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert names == ["Çağrı Aydın", "İsmail Aydın", "Oğuz Aydın", "Şule Aydın"]
    assert f"unit={org_tree['software'].pk}" in page.url
    screenshot(page, "people-list")

    table.get_by_role("button", name="Dışa aktar").click()
    with page.expect_download() as download_info:
        table.get_by_role("link", name="CSV (süzülen tüm satırlar)").click()
    download = download_info.value
    # the Turkish name ("personel"/"kişiler") and ";" for Turkish Excel
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as exported:
        content = exported.read()
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][0] == "Ad"
    assert sorted(row[0] for row in rows[1:]) == sorted(
        ["Şule Aydın", "Çağrı Aydın", "İsmail Aydın", "Oğuz Aydın"]
    )
