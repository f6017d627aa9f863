"""VRFs of the network inventory: a prefix and an address are once per address space (the global
table or one VRF), so the same private range is recorded in two VRFs side by side; an address
finds its subnet in its own VRF only; a device's management address is given out in its
management VRF; a VRF of another unit is refused; the pages, filters and API name the VRF."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.inventory import network_services
from biys.inventory.models import VRF, IPAssignment, Subnet
from biys.inventory.tests.factories import (
    make_assignment,
    make_network_device,
    make_subnet,
    make_vrf,
)

pytestmark = pytest.mark.django_db


def test_overlapping_ranges_are_recorded_in_different_vrfs(inv):
    guest = make_vrf(inv.unit, name="Misafir", rd="65000:20")
    nursery = make_vrf(inv.unit, name="Kreş")
    global_subnet = make_subnet(inv.unit, prefix="192.168.1.0/24")
    guest_subnet = make_subnet(inv.unit, prefix="192.168.1.0/24", vrf=guest)
    nursery_subnet = make_subnet(inv.unit, prefix="192.168.1.0/24", vrf=nursery)
    in_global = make_assignment(inv.unit, address="192.168.1.20")
    in_guest = make_assignment(inv.unit, address="192.168.1.20", vrf=guest)
    in_nursery = make_assignment(inv.unit, address="192.168.1.20", vrf=nursery)
    assert in_global.subnet == global_subnet
    assert in_guest.subnet == guest_subnet
    assert in_nursery.subnet == nursery_subnet
    assert IPAssignment.objects.filter(address="192.168.1.20").count() == 3
    assert Subnet.objects.filter(prefix="192.168.1.0/24").count() == 3


def test_a_prefix_and_an_address_are_once_in_their_vrf(inv):
    guest = make_vrf(inv.unit, name="Misafir")
    make_subnet(inv.unit, prefix="10.50.0.0/24", vrf=guest)
    with pytest.raises(ValidationError) as refused:
        make_subnet(inv.unit, prefix="10.50.0.0/24", vrf=guest)
    assert "Misafir" in refused.value.message_dict["prefix"][0]
    make_assignment(inv.unit, address="10.50.0.9", host="Yazıcı", vrf=guest)
    with pytest.raises(ValidationError) as refused:
        make_assignment(inv.unit, address="10.50.0.9", host="PC", vrf=guest)
    assert "Yazıcı" in refused.value.message_dict["address"][0]
    # the global table is its own space: the same address there is another address
    assert make_assignment(inv.unit, address="10.50.0.9").subnet is None


def test_an_address_finds_its_subnet_in_its_own_vrf_only(inv):
    guest = make_vrf(inv.unit, name="Misafir")
    address = make_assignment(inv.unit, address="172.20.0.5", vrf=guest)
    make_subnet(inv.unit, prefix="172.20.0.0/24")  # the global table's
    address.refresh_from_db()
    assert address.subnet is None
    subnet = make_subnet(inv.unit, prefix="172.20.0.0/24", vrf=guest)
    address.refresh_from_db()
    assert address.subnet == subnet
    # moving the subnet out of the VRF frees the address
    subnet.vrf = None
    subnet.prefix = "172.21.0.0/24"
    network_services.save_subnet(subnet=subnet)
    address.refresh_from_db()
    assert address.subnet is None


def test_a_route_distinguisher_is_once(inv):
    make_vrf(inv.unit, name="A", rd="65000:1")
    with pytest.raises(ValidationError) as refused:
        make_vrf(inv.unit, name="B", rd=" 65000:1 ")
    assert "rd" in refused.value.message_dict
    make_vrf(inv.unit, name="C")
    make_vrf(inv.unit, name="D")  # no route distinguisher twice is fine


def test_a_management_address_is_given_out_in_its_vrf(inv):
    mgmt = make_vrf(inv.unit, name="Yönetim")
    make_assignment(inv.unit, address="10.99.0.2", host="Başka")  # the global table's
    device = make_network_device(inv.unit, management_ip="10.99.0.2", management_vrf=mgmt)
    row = IPAssignment.objects.get(device=device)
    assert row.vrf == mgmt and row.address == "10.99.0.2"
    with pytest.raises(ValidationError) as refused:
        make_network_device(inv.unit, management_ip="10.99.0.2", management_vrf=mgmt)
    assert "management_ip" in refused.value.message_dict
    # moving the device's management to the global table moves its row there: refused, taken
    device.management_vrf = None
    with pytest.raises(ValidationError):
        network_services.save_device(device=device)


def test_a_vrf_of_another_unit_is_refused(inv):
    theirs = make_vrf(inv.other_unit, name="Zabıta")
    with pytest.raises(ValidationError) as refused:
        network_services.save_assignment(
            assignment=IPAssignment(unit=inv.unit, address="10.1.1.1", vrf=theirs),
            user=inv.officer,
        )
    assert "vrf" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        network_services.save_subnet(
            subnet=Subnet(unit=inv.unit, prefix="10.1.1.0/24", vrf=theirs), user=inv.officer
        )
    assert "vrf" in refused.value.message_dict


def test_the_pages_filters_and_api_name_the_vrf(inv):
    guest = make_vrf(inv.unit, name="Misafir Wi-Fi", rd="65000:30")
    make_subnet(inv.unit, prefix="192.168.50.0/24", vrf=guest)
    make_assignment(inv.unit, address="192.168.50.7", vrf=guest, host="Tablet")
    make_assignment(inv.unit, address="192.168.50.7", host="Yazıcı")
    client = Client()
    client.force_login(inv.officer)
    page = client.get(guest.get_absolute_url(), {"tab": "subnets"}).content.decode()
    assert "192.168.50.0/24" in page
    page = client.get(guest.get_absolute_url(), {"tab": "addresses"}).content.decode()
    assert "192.168.50.7" in page
    listed = client.get(reverse("inventory:ipassignment_list"), {"vrf": guest.pk})
    assert [row.host for row in listed.context["table"].data] == ["Tablet"]
    listed = client.get(reverse("inventory:ipassignment_list"), {"global_table": "true"})
    assert [row.host for row in listed.context["table"].data] == ["Yazıcı"]
    response = client.post(
        reverse("inventory:vrf_add"),
        {"unit": inv.unit.pk, "name": "Kamera", "rd": "65000:40", "description": ""},
    )
    assert response.status_code == 302 and VRF.objects.filter(name="Kamera").exists()
    response = client.post(
        reverse("inventory:ipassignment_add"),
        {
            "unit": inv.unit.pk,
            "vrf": guest.pk,
            "address": "192.168.50.7",
            "status": "active",
            "host": "PC",
        },
    )
    assert response.status_code == 400 and "address" in response.context["form"].errors

    api = APIClient()
    api.force_authenticate(inv.officer)
    response = api.post(
        "/api/v1/inventory/ip-addresses/",
        {"unit": inv.unit.pk, "vrf": guest.pk, "address": "192.168.50.8", "host": "Telefon"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["vrf"] == guest.pk and response.json()["subnet"] is not None
    response = api.post(
        "/api/v1/inventory/ip-addresses/",
        {"unit": inv.unit.pk, "vrf": guest.pk, "address": "192.168.50.8", "host": "Telefon"},
        format="json",
    )
    assert response.status_code == 400 and "address" in str(response.json())
    response = api.get("/api/v1/inventory/vrfs/")
    assert {row["name"] for row in response.json()["results"]} == {"Misafir Wi-Fi", "Kamera"}
    response = api.get("/api/v1/inventory/subnets/", {"vrf": guest.pk})
    assert [row["prefix"] for row in response.json()["results"]] == ["192.168.50.0/24"]
