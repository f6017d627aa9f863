"""Trunk ports in Chromium: the inventory officer records a switch's uplink, sees tagged VLANs on
an access port refused at the field, is not offered a sibling branch's VLAN, makes
the port a trunk with its native VLAN and two tagged VLANs, and finds it on the device's page
and on the page of a VLAN it carries."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page):
    page.locator("#main-content form button[type=submit]").first.click()


def _field_error(page, text):
    return page.locator(
        "#main-content .invalid-feedback, #main-content .text-danger", has_text=text
    ).first


def test_a_trunk_port_its_tagged_vlans_and_the_refusals(page, login_as, make_user, org_tree):
    from biys.inventory.models import DevicePort
    from biys.inventory.tests.factories import make_network_device, make_vlan

    officer = make_user("inventory_officer", org_tree["dept"], username="tasinir")
    switch = make_network_device(org_tree["network"], name="sw-kat1")
    management = make_vlan(org_tree["dept"], vid=99, name="YONETIM")
    staff = make_vlan(org_tree["dept"], vid=20, name="PERSONEL")
    cameras = make_vlan(org_tree["network"], vid=30, name="KAMERA")
    sibling = make_vlan(org_tree["software"], vid=50, name="YAZILIM")
    page.set_default_navigation_timeout(60_000)
    login_as(officer)

    page.goto(f"/inventory/device-ports/add/?device={switch.pk}")
    page.fill("#id_name", "Te1/1/1")
    page.select_option("#id_mode", value="access")
    page.select_option("#id_vlan", value=str(management.pk))
    page.select_option("#id_tagged_vlans", value=[str(staff.pk), str(cameras.pk)])
    _submit(page)
    expect(_field_error(page, "bu kipi seçin")).to_be_visible()
    assert not DevicePort.objects.exists()

    page.select_option("#id_mode", value="tagged")
    # a sibling branch's VLAN is not offered (the service refuses it as well:
    # biys/inventory/tests/test_network_port_vlan_rules.py)
    tagged = page.locator("#id_tagged_vlans")
    expect(tagged.locator(f"option[value='{sibling.pk}']")).to_have_count(0)
    expect(tagged.locator(f"option[value='{cameras.pk}']")).to_have_count(1)
    page.select_option("#id_tagged_vlans", value=[str(staff.pk), str(cameras.pk)])
    _submit(page)
    expect(page).not_to_have_url(re.compile(r"/add/"))  # saved: the add page is left
    port = DevicePort.objects.get()
    assert port.mode == "tagged" and port.vlan == management
    assert set(port.tagged_vlans.all()) == {staff, cameras}

    page.goto(f"/inventory/device-ports/{port.pk}/")
    expect(page.locator("#main-content")).to_contain_text("20 PERSONEL")
    expect(page.locator("#main-content")).to_contain_text("99 YONETIM")

    page.goto(f"/inventory/network-devices/{switch.pk}/?tab=ports")
    ports = page.get_by_test_id("device-ports")
    expect(ports).to_contain_text("Te1/1/1")
    expect(ports).to_contain_text("Etiketli (trunk)")
    expect(ports.get_by_role("link", name="30", exact=True)).to_be_visible()

    page.goto(f"/inventory/vlans/{cameras.pk}/?tab=ports")
    carrying = page.get_by_test_id("vlan-ports")
    expect(carrying).to_contain_text("Te1/1/1")
    expect(carrying).to_contain_text("etiketli")
