"""Deleting network records, one at a time and in bulk, through network_services: a device takes
its ports and management address with it but not another address still given out to it; a
device's management address is not freed on its own; a deleted subnet's addresses find the next
subnet holding them; a VRF still holding subnets is kept; bulk edit and bulk delete act only on
what the user may change or delete, and a refused row stops the whole bulk delete."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from biys.inventory import network_services
from biys.inventory.models import VRF, DevicePort, IPAssignment, NetworkDevice, Subnet
from biys.inventory.tests.factories import (
    make_assignment,
    make_network_device,
    make_port,
    make_subnet,
    make_vrf,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_device_goes_with_its_ports_and_management_address(inv):
    device = make_network_device(inv.unit, management_ip="10.9.0.2")
    make_port(inv.unit, device=device)
    network_services.delete_device(device=device, user=inv.officer)
    assert not NetworkDevice.objects.exists() and not DevicePort.objects.exists()
    assert not IPAssignment.objects.exists()


def test_a_device_holding_another_address_is_kept(inv):
    device = make_network_device(inv.unit, management_ip="10.9.0.2")
    make_assignment(inv.unit, address="10.9.0.3", device=device)
    with pytest.raises(ProtectedError):
        network_services.delete_device(device=device, user=inv.officer)
    response = client_for(inv.officer).post(
        reverse("inventory:networkdevice_delete", args=[device.pk])
    )
    assert response.status_code == 409 and "10.9.0.3" in response.content.decode()
    assert IPAssignment.objects.filter(address="10.9.0.2").exists()  # rolled back


def test_a_management_address_is_freed_by_changing_the_device(inv):
    device = make_network_device(inv.unit, management_ip="10.9.0.2")
    row = IPAssignment.objects.get(device=device)
    with pytest.raises(ProtectedError):
        network_services.delete_assignment(assignment=row, user=inv.officer)
    other = make_assignment(inv.unit, address="10.9.0.9")
    network_services.delete_assignment(assignment=other, user=inv.officer)
    assert not IPAssignment.objects.filter(pk=other.pk).exists()


def test_a_deleted_subnets_addresses_find_the_next_subnet(inv):
    wide = make_subnet(inv.unit, prefix="10.30.0.0/16")
    narrow = make_subnet(inv.unit, prefix="10.30.1.0/24")
    address = make_assignment(inv.unit, address="10.30.1.5")
    assert address.subnet == narrow
    network_services.delete_subnet(subnet=narrow, user=inv.officer)
    address.refresh_from_db()
    assert address.subnet == wide
    network_services.delete_subnet(subnet=wide, user=inv.officer)
    address.refresh_from_db()
    assert address.subnet is None


def test_a_vrf_holding_subnets_is_kept(inv):
    vrf = make_vrf(inv.unit, name="Misafir")
    subnet = make_subnet(inv.unit, prefix="192.168.9.0/24", vrf=vrf)
    response = client_for(inv.officer).post(reverse("inventory:vrf_delete", args=[vrf.pk]))
    assert response.status_code == 409 and VRF.objects.filter(pk=vrf.pk).exists()
    network_services.delete_subnet(subnet=subnet, user=inv.officer)
    response = client_for(inv.officer).post(reverse("inventory:vrf_delete", args=[vrf.pk]))
    assert response.status_code == 302 and not VRF.objects.exists()


def test_only_the_officer_deletes_and_only_in_their_units(inv, make_user):
    theirs = make_subnet(inv.other_unit, prefix="10.77.0.0/24")
    with pytest.raises(PermissionDenied):
        network_services.delete_subnet(subnet=theirs, user=inv.officer)
    controller = make_user("inventory_controller", inv.unit)
    ours = make_subnet(inv.unit, prefix="10.78.0.0/24")
    with pytest.raises(PermissionDenied):
        network_services.delete_subnet(subnet=ours, user=controller)
    response = client_for(controller).post(reverse("inventory:subnet_delete", args=[ours.pk]))
    assert response.status_code in (403, 404)
    response = client_for(controller).post(
        reverse("inventory:subnet_bulk_delete"), {"pk": [ours.pk], "_confirm": "1"}
    )
    assert response.status_code == 403
    assert Subnet.objects.count() == 2


def test_bulk_delete_asks_then_deletes_what_the_user_may(inv):
    ours = [make_assignment(inv.unit, address=f"10.40.0.{n}") for n in (1, 2, 3)]
    theirs = make_assignment(inv.other_unit, address="10.40.0.4")
    client = client_for(inv.officer)
    url = reverse("inventory:ipassignment_bulk_delete")
    pks = [row.pk for row in ours] + [theirs.pk]
    response = client.post(url, {"pk": pks})
    assert response.status_code == 200 and len(response.context["objects"]) == 3
    assert IPAssignment.objects.count() == 4
    response = client.post(url, {"pk": pks, "_confirm": "1"})
    assert response.status_code == 302
    assert list(IPAssignment.objects.all()) == [theirs]
    # the list offers it
    page = client.get(reverse("inventory:ipassignment_list")).content.decode()
    assert url in page


def test_one_refused_row_stops_the_bulk_delete(inv):
    device = make_network_device(inv.unit, management_ip="10.50.0.2")
    free = make_assignment(inv.unit, address="10.50.0.3")
    management = IPAssignment.objects.get(device=device)
    response = client_for(inv.officer).post(
        reverse("inventory:ipassignment_bulk_delete"),
        {"pk": [free.pk, management.pk], "_confirm": "1"},
    )
    assert response.status_code == 409
    assert 'data-testid="bulk-delete-refused"' in response.content.decode()
    assert IPAssignment.objects.count() == 2


def test_bulk_edit_goes_through_the_service(inv):
    guest = make_vrf(inv.unit, name="Misafir")
    make_subnet(inv.unit, prefix="10.60.0.0/24", vrf=guest)
    rows = [make_assignment(inv.unit, address=f"10.60.0.{n}") for n in (5, 6)]
    make_assignment(inv.unit, address="10.60.0.6", vrf=guest)
    client = client_for(inv.officer)
    url = reverse("inventory:ipassignment_bulk_edit")
    # moving both into the guest VRF: .6 is taken there, so nothing moves
    response = client.post(url, {"pk": [row.pk for row in rows], "vrf": guest.pk, "_apply": "1"})
    assert response.status_code == 200 and "10.60.0.6" in response.content.decode()
    assert IPAssignment.objects.filter(vrf=guest).count() == 1
    response = client.post(url, {"pk": [rows[0].pk], "vrf": guest.pk, "_apply": "1"})
    assert response.status_code == 302
    rows[0].refresh_from_db()
    assert rows[0].vrf == guest and rows[0].subnet.prefix == "10.60.0.0/24"
