"""VLAN groups in Chromium: the inventory officer records a group with its VLAN ID range, puts a
VLAN in it, sees a VLAN ID outside the range refused at the field (nothing saved) and finds the
VLAN on the group's page."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_group_its_range_and_its_vlans(page, login_as, make_user, org_tree):
    from biys.inventory.models import VLAN, VLANGroup

    unit = org_tree["dept"]
    officer = make_user("inventory_officer", unit, username="tasinir", first_name="Selin")
    page.set_default_navigation_timeout(60_000)
    login_as(officer)

    page.goto("/inventory/vlan-groups/add/")
    page.select_option("#id_unit", label="Bilgi İşlem Dairesi Başkanlığı")
    page.fill("#id_name", "Kampüs")
    page.fill("#id_min_vid", "100")
    page.fill("#id_max_vid", "199")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("Kampüs")
    group = VLANGroup.objects.get()

    page.goto("/inventory/vlans/add/")
    page.select_option("#id_unit", label="Bilgi İşlem Dairesi Başkanlığı")
    page.select_option("#id_group", value=str(group.pk))
    page.fill("#id_vid", "250")
    page.fill("#id_name", "KAMERA")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(
        page.locator("#main-content .invalid-feedback, #main-content .text-danger").first
    ).to_be_visible()
    assert not VLAN.objects.exists()

    page.fill("#id_vid", "150")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("KAMERA")
    assert VLAN.objects.get().group == group

    page.goto(f"/inventory/vlan-groups/{group.pk}/")
    expect(page.locator("#main-content")).to_contain_text("En yüksek VLAN numarası")
    page.get_by_text("VLAN'lar", exact=True).first.click()
    expect(page.locator("#main-content")).to_contain_text("KAMERA")
