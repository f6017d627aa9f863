"""Deleting network records through the API: the delete pages' services, in one transaction. A
delete refused because other records hold the object is a 409 problem naming them in
``held_by`` (only those the requester may view by name), and nothing is deleted."""

import pytest
from rest_framework.test import APIClient

from biys.core.api.problems import PROBLEM_CONTENT_TYPE
from biys.core.models import ObjectChange
from biys.inventory.models import (
    VRF,
    AddressHolding,
    DevicePort,
    IPAssignment,
    NetworkDevice,
    Subnet,
)
from biys.inventory.tests.factories import (
    make_assignment,
    make_network_device,
    make_port,
    make_subnet,
    make_vrf,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/inventory"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def conflict(response) -> dict:
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = response.json()
    assert body["status"] == 409 and body["type"].endswith("/conflict")
    assert body["title"] and body["detail"]
    return body


def held(body) -> dict:
    """{model: (count, [display, ...])} of a 409's ``held_by``."""
    return {
        group["model"]: (group["count"], [row["display"] for row in group["objects"]])
        for group in body["held_by"]
    }


def test_a_vrf_in_use_is_refused_with_what_holds_it_then_deleted(inv):
    vrf = make_vrf(inv.unit, name="Misafir")
    subnet = make_subnet(inv.unit, prefix="192.168.9.0/24", vrf=vrf, description="Misafir ağı")
    address = make_assignment(inv.unit, address="192.168.9.10", vrf=vrf, host="Tablet")
    api = api_for(inv.officer)
    changes = ObjectChange.objects.count()

    body = conflict(api.delete(f"{API}/vrfs/{vrf.pk}/"))
    assert held(body) == {
        "inventory.ipassignment": (1, ["192.168.9.10"]),
        "inventory.subnet": (1, ["192.168.9.0/24 Misafir ağı"]),
    }
    assert body["held_by"][0]["objects"][0]["id"] == address.pk
    assert "protected foreign keys" not in body["detail"]
    # in the product's language
    assert body["title"] == "Nesneye hâlâ başka kayıtlar bağlı."
    assert body["detail"].startswith("Başka kayıtlar hâlâ buna bağlı: 1 ")
    assert VRF.objects.filter(pk=vrf.pk).exists()
    assert ObjectChange.objects.count() == changes  # nothing written

    # in the right order: the address, the subnet, then the VRF
    assert api.delete(f"{API}/ip-addresses/{address.pk}/").status_code == 204
    assert api.delete(f"{API}/subnets/{subnet.pk}/").status_code == 204
    assert api.delete(f"{API}/vrfs/{vrf.pk}/").status_code == 204
    assert not VRF.objects.exists() and not Subnet.objects.exists()


def test_a_device_holding_another_address_is_kept_whole(inv):
    device = make_network_device(inv.unit, management_ip="10.9.0.2")
    make_port(inv.unit, device=device, name="Gi0/1")
    make_assignment(inv.unit, address="10.9.0.3", device=device)
    api = api_for(inv.officer)
    body = conflict(api.delete(f"{API}/network-devices/{device.pk}/"))
    assert held(body) == {"inventory.ipassignment": (1, ["10.9.0.3"])}
    # the management address deleted first by the service is back: nothing half-deleted
    assert IPAssignment.objects.filter(address="10.9.0.2", device=device).exists()
    assert DevicePort.objects.filter(device=device).exists()
    assert AddressHolding.objects.filter(address="10.9.0.2", ended_at__isnull=True).exists()

    IPAssignment.objects.filter(address="10.9.0.3").delete()
    assert api.delete(f"{API}/network-devices/{device.pk}/").status_code == 204
    assert not NetworkDevice.objects.exists() and not DevicePort.objects.exists()
    assert not IPAssignment.objects.exists()


def test_a_management_address_names_its_device(inv):
    device = make_network_device(inv.unit, name="sw-core", management_ip="10.9.0.2")
    row = IPAssignment.objects.get(device=device)
    body = conflict(api_for(inv.officer).delete(f"{API}/ip-addresses/{row.pk}/"))
    assert held(body) == {"inventory.networkdevice": (1, ["sw-core"])}
    assert "sw-core" in body["detail"]  # the service's own message
    assert IPAssignment.objects.filter(pk=row.pk).exists()


def test_a_deleted_subnets_addresses_find_the_next_subnet(inv):
    wide = make_subnet(inv.unit, prefix="10.30.0.0/16")
    narrow = make_subnet(inv.unit, prefix="10.30.1.0/24")
    address = make_assignment(inv.unit, address="10.30.1.5")
    assert api_for(inv.officer).delete(f"{API}/subnets/{narrow.pk}/").status_code == 204
    address.refresh_from_db()
    assert address.subnet == wide


def test_a_port_is_deleted(inv):
    port = make_port(inv.unit, name="Gi0/9")
    assert api_for(inv.officer).delete(f"{API}/device-ports/{port.pk}/").status_code == 204
    assert not DevicePort.objects.filter(pk=port.pk).exists()


def test_holders_of_another_unit_are_counted_not_named(inv):
    vrf = make_vrf(inv.unit, name="Ortak")
    make_subnet(inv.other_unit, prefix="10.88.0.0/24", vrf=vrf, description="Yollar")
    body = conflict(api_for(inv.officer).delete(f"{API}/vrfs/{vrf.pk}/"))
    assert held(body) == {"inventory.subnet": (1, [])}
    assert "Yollar" not in str(body)


def test_only_the_officer_of_the_unit_deletes(inv, make_user):
    ours = make_subnet(inv.unit, prefix="10.78.0.0/24")
    theirs = make_subnet(inv.other_unit, prefix="10.77.0.0/24")
    controller = make_user("inventory_controller", inv.unit)
    assert api_for(controller).delete(f"{API}/subnets/{ours.pk}/").status_code == 403
    assert api_for(inv.officer).delete(f"{API}/subnets/{theirs.pk}/").status_code == 404
    assert Subnet.objects.count() == 2
