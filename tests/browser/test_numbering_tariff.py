"""The council's numbering fee tariff in Chromium: its keeper (the applications manager over
the whole municipality) adds a row on /applications/numarataj/tariff/ and finds it listed; a
second row of the same kind from the same day is refused at its "valid from" field, with the
form kept as typed and nothing saved."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_keeper_adds_a_row_and_a_same_day_row_is_refused_at_its_field(
    page, login_as, make_user, org_tree
):
    from biys.accounts.models import Role, RoleAssignment
    from biys.applications.numarataj.models import NumberingTariff

    keeper = make_user("applications_manager", org_tree["dept"])
    RoleAssignment.objects.create(
        user=keeper,
        role=Role.objects.get(slug="applications_manager"),
        unit=org_tree["roads"],
        include_subtree=True,
    )
    page.set_default_navigation_timeout(60_000)
    login_as(keeper)

    def add_row(amount: str):
        page.goto("/applications/numarataj/tariff/")
        page.locator("a[href='/applications/numarataj/tariff/add/']").first.click()
        page.locator("#id_kind").select_option("door_number")
        page.fill("#id_valid_from", "2026-01-01")
        page.fill("#id_amount", amount)
        page.fill("#id_council_decision", "Meclis kararı 2025/512")
        page.locator("#main-content form button[type=submit]").first.click()

    add_row("240")
    expect(page.locator(".alert-success").first).to_be_visible()
    page.goto("/applications/numarataj/tariff/")
    expect(page.locator("#main-content table")).to_contain_text("2025/512")
    expect(page.locator("#main-content table")).to_contain_text("01.01.2026")

    add_row("250")
    error = page.locator("#id_valid_from_error")
    expect(error).to_contain_text("01.01.2026 tarihinden geçerli bir tutar zaten var")
    expect(page.locator("#id_amount")).to_have_value("250")
    # at the field alone, not again as the model constraint's form-wide message
    expect(page.locator("#main-content")).not_to_contain_text("zaten mevcut")
    assert list(NumberingTariff.objects.values_list("amount", flat=True)) == [240]
