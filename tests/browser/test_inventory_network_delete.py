"""Deleting and bulk editing network records in Chromium: the inventory officer records a VRF,
a subnet in it and an address there, tries to delete the VRF while they use it and is shown
what holds it (nothing deleted), marks some addresses reserved in one bulk edit, then deletes
in the right order: the addresses (bulk delete), the subnet, the VRF."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNIT = "Bilgi İşlem Dairesi Başkanlığı"


def submit(page):
    page.locator("#main-content form button[type=submit]").first.click()


def test_a_vrf_in_use_is_kept_then_deleted_in_order(page, login_as, make_user, org_tree):
    from biys.inventory.models import VRF, IPAssignment, Subnet
    from biys.inventory.tests.factories import make_assignment

    unit = org_tree["dept"]
    officer = make_user("inventory_officer", unit, username="tasinir", first_name="Selin")
    page.set_default_navigation_timeout(60_000)
    login_as(officer)

    page.goto("/inventory/vrfs/add/")
    page.select_option("#id_unit", label=UNIT)
    page.fill("#id_name", "Kamera Ağı")
    page.fill("#id_rd", "65000:30")
    submit(page)
    expect(page.locator("#main-content")).to_contain_text("65000:30")
    vrf = VRF.objects.get()

    page.goto("/inventory/subnets/add/")
    page.select_option("#id_unit", label=UNIT)
    page.select_option("#id_vrf", label="Kamera Ağı")
    page.fill("#id_prefix", "10.20.30.0/24")
    page.fill("#id_description", "Güvenlik kameraları")
    submit(page)
    expect(page.locator("#main-content")).to_contain_text("Güvenlik kameraları")
    subnet = Subnet.objects.get()
    assert subnet.vrf == vrf

    page.goto("/inventory/ip-addresses/add/")
    page.select_option("#id_unit", label=UNIT)
    page.select_option("#id_vrf", label="Kamera Ağı")
    page.fill("#id_address", "10.20.30.10")
    page.fill("#id_host", "Kamera-Giriş")
    submit(page)
    expect(page.locator(".alert-success").first).to_contain_text("10.20.30.10")
    first = IPAssignment.objects.get()
    assert (first.vrf, first.subnet) == (vrf, subnet)
    others = [
        make_assignment(unit, address=f"10.20.30.{n}", vrf=vrf, host=f"Kamera-{n}")
        for n in (11, 12)
    ]

    # The VRF in use: its delete page refuses and names what holds it.
    page.goto(vrf.get_absolute_url())
    page.get_by_role("link", name="Sil", exact=True).click()
    submit(page)
    refusal = page.locator(".alert-danger")
    expect(refusal).to_contain_text("Kamera Ağı silinemiyor.")
    expect(refusal).to_contain_text("10.20.30.0/24")
    expect(refusal).to_contain_text("10.20.30.10")
    assert VRF.objects.filter(pk=vrf.pk).exists() and IPAssignment.objects.count() == 3

    # Two addresses reserved in one bulk edit.
    page.goto("/inventory/ip-addresses/")
    for row in others:
        page.check(f"input[name=pk][value='{row.pk}']")
    page.get_by_role("button", name="Seçilenleri düzenle").click()
    page.select_option("#id_status", value="reserved")
    page.get_by_role("button", name="Seçilenlerin hepsine uygula").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    statuses = dict(IPAssignment.objects.values_list("address", "status"))
    assert statuses == {
        "10.20.30.10": "active",
        "10.20.30.11": "reserved",
        "10.20.30.12": "reserved",
    }

    # In the right order: the addresses, the subnet, the VRF.
    page.goto("/inventory/ip-addresses/")
    page.check("th input[type=checkbox]")  # select all rows
    for row in [first, *others]:
        expect(page.locator(f"input[name=pk][value='{row.pk}']")).to_be_checked()
    page.get_by_role("button", name="Seçilenleri sil").click()
    page.get_by_role("button", name="Seçilenlerin hepsini sil").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    assert not IPAssignment.objects.exists()

    for obj in (subnet, vrf):
        page.goto(obj.get_absolute_url())
        page.get_by_role("link", name="Sil", exact=True).click()
        submit(page)
        expect(page.locator(".alert-success").first).to_be_visible()
    assert not Subnet.objects.exists() and not VRF.objects.exists()
