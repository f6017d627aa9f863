"""The network inventory in Chromium: the inventory officer records a VLAN, a subnet in it, a
switch with its management address, sees a second assignment of that address refused at the
field, gives out another address and finds the subnet's utilisation in the list. Leaves the screenshot
inventory-network.png."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_subnet_device_and_a_conflicting_address(page, login_as, make_user, org_tree, screenshot):
    from biys.inventory.models import VLAN, IPAssignment, NetworkDevice, Subnet

    unit = org_tree["dept"]
    officer = make_user("inventory_officer", unit, username="tasinir", first_name="Selin")
    page.set_default_navigation_timeout(60_000)
    login_as(officer)

    page.goto("/inventory/vlans/add/")
    page.select_option("#id_unit", label="Bilgi İşlem Dairesi Başkanlığı")
    page.fill("#id_vid", "30")
    page.fill("#id_name", "KAMERA")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("KAMERA")
    vlan = VLAN.objects.get()

    page.goto("/inventory/subnets/add/")
    page.select_option("#id_unit", label="Bilgi İşlem Dairesi Başkanlığı")
    page.fill("#id_prefix", "10.10.30.0/29")
    page.select_option("#id_vlan", label="30 KAMERA")
    page.fill("#id_gateway", "10.10.30.1")
    page.fill("#id_description", "Güvenlik kameraları")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("Güvenlik kameraları")
    assert (Subnet.objects.get().prefix, Subnet.objects.get().vlan) == ("10.10.30.0/29", vlan)

    page.goto("/inventory/network-devices/add/")
    page.select_option("#id_unit", label="Bilgi İşlem Dairesi Başkanlığı")
    page.fill("#id_name", "sw-kamera-01")
    page.select_option("#id_kind", value="switch")
    page.fill("#id_manufacturer", "Cisco")
    page.fill("#id_model", "Catalyst 9200-24P")
    page.fill("#id_management_ip", "10.10.30.2")
    page.fill("#id_mac_address", "001A.2B3C.4D5E")
    page.fill("#id_firmware", "IOS-XE 17.9.4")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("00:1a:2b:3c:4d:5e")
    assert NetworkDevice.objects.get().addresses.get().address == "10.10.30.2"

    # The same address again: refused at the field.
    page.goto("/inventory/ip-addresses/add/")
    page.select_option("#id_unit", label="Bilgi İşlem Dairesi Başkanlığı")
    page.fill("#id_address", "10.10.30.2")
    page.fill("#id_host", "Kayıt cihazı")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(
        page.locator("#main-content .invalid-feedback, #main-content .text-danger").first
    ).to_be_visible()
    assert IPAssignment.objects.count() == 1

    page.fill("#id_address", "10.10.30.3")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator(".alert-success").first).to_contain_text("10.10.30.3")
    assert IPAssignment.objects.get(address="10.10.30.3").subnet.prefix == "10.10.30.0/29"

    # Two of six addresses given out.
    page.goto("/inventory/subnets/")
    expect(page.locator("#main-content table")).to_contain_text(re.compile(r"33[.,]3"))
    screenshot(page, "inventory-network")
