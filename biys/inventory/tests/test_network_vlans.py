"""VLANs of the network inventory: a VLAN ID from 1 to 4094, once in its unit; subnets and ports
name a VLAN of the user's units; a VLAN still named is kept (409 with what holds it); the pages,
filters and API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from biys.inventory import network_services
from biys.inventory.models import VLAN, DevicePort, Subnet
from biys.inventory.tests.factories import make_port, make_subnet, make_vlan

pytestmark = pytest.mark.django_db

API = "/api/v1/inventory"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("vid", [0, 4095])
def test_a_vlan_id_is_from_1_to_4094(inv, vid):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        make_vlan(inv.unit, vid=vid)
    assert "1 to 4094" in refused.value.message_dict["vid"][0]


def test_a_vlan_id_is_once_in_its_unit(inv):
    make_vlan(inv.unit, vid=30, name="KAMERA")
    with pytest.raises(ValidationError) as refused:
        make_vlan(inv.unit, vid=30, name="BAŞKA")
    assert "KAMERA" in refused.value.message_dict["vid"][0]
    # another unit numbers its own VLANs
    assert make_vlan(inv.other_unit, vid=30).pk
    assert list(VLAN.objects.filter(unit=inv.unit).values_list("vid", flat=True)) == [30]


def test_subnets_and_ports_name_a_vlan_of_the_users_units(inv, make_user):
    mine = make_vlan(inv.unit, vid=20)
    theirs = make_vlan(inv.other_unit, vid=21)
    subnet = network_services.save_subnet(
        subnet=Subnet(unit=inv.unit, prefix="10.60.0.0/24", vlan=mine), user=inv.officer
    )
    assert subnet.vlan == mine and list(mine.subnets.all()) == [subnet]
    with pytest.raises(ValidationError) as refused:
        network_services.save_subnet(
            subnet=Subnet(unit=inv.unit, prefix="10.61.0.0/24", vlan=theirs), user=inv.officer
        )
    assert "vlan" in refused.value.message_dict
    port = make_port(inv.unit)
    port.vlan = theirs
    with pytest.raises(ValidationError) as refused:
        network_services.save_port(port=port, user=inv.officer)
    assert "vlan" in refused.value.message_dict
    port.vlan = mine
    network_services.save_port(port=port, user=inv.officer)
    assert DevicePort.objects.get(pk=port.pk).vlan == mine
    # a VLAN of another unit is not the officer's to write
    theirs.name = "DEĞİŞTİ"
    with pytest.raises(PermissionDenied):
        network_services.save_vlan(vlan=theirs, user=inv.officer)


def test_a_vlan_in_use_is_kept_then_deleted(inv):
    vlan = make_vlan(inv.unit, vid=40, name="PDKS")
    subnet = make_subnet(inv.unit, prefix="10.40.0.0/24", vlan=vlan)
    port = make_port(inv.unit, vlan=vlan)
    api = api_for(inv.officer)
    response = api.delete(f"{API}/vlans/{vlan.pk}/")
    assert response.status_code == 409, response.content
    held = {group["model"]: group["count"] for group in response.json()["held_by"]}
    assert held == {"inventory.subnet": 1, "inventory.deviceport": 1}
    assert VLAN.objects.filter(pk=vlan.pk).exists()
    # the delete page refuses it the same way
    client = Client()
    client.force_login(inv.officer)
    url = reverse("inventory:vlan_delete", kwargs={"pk": vlan.pk})
    assert client.post(url).status_code == 409
    network_services.delete_subnet(subnet=subnet, user=inv.officer)
    network_services.delete_port(port=port, user=inv.officer)
    assert api.delete(f"{API}/vlans/{vlan.pk}/").status_code == 204
    assert not VLAN.objects.exists()


def test_the_api_creates_and_filters_vlans_and_subnets_by_vlan(inv):
    api = api_for(inv.officer)
    response = api.post(
        f"{API}/vlans/", {"unit": inv.unit.pk, "vid": 99, "name": " YONETIM "}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "YONETIM" and response.json()["status"] == "active"
    vlan = VLAN.objects.get(vid=99)
    response = api.post(
        f"{API}/vlans/", {"unit": inv.unit.pk, "vid": 99, "name": "İKİNCİ"}, format="json"
    )
    assert response.status_code == 400
    assert "vid" in str(response.json())
    response = api.post(
        f"{API}/vlans/", {"unit": inv.unit.pk, "vid": 5000, "name": "X"}, format="json"
    )
    assert response.status_code == 400
    response = api.post(
        f"{API}/subnets/",
        {"unit": inv.unit.pk, "prefix": "10.99.0.0/24", "vlan": vlan.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    make_subnet(inv.unit, prefix="10.98.0.0/24")
    found = api.get(f"{API}/subnets/", {"vid": 99}).json()["results"]
    assert [row["prefix"] for row in found] == ["10.99.0.0/24"]
    found = api.get(f"{API}/subnets/", {"vlan": vlan.pk}).json()["results"]
    assert [row["vlan"] for row in found] == [vlan.pk]
    assert [row["vid"] for row in api.get(f"{API}/vlans/").json()["results"]] == [99]


def test_the_pages_show_a_vlan_with_its_subnets_and_ports(inv):
    vlan = make_vlan(inv.unit, vid=30, name="KAMERA")
    make_subnet(inv.unit, prefix="10.30.0.0/24", vlan=vlan, description="Kameralar")
    make_port(inv.unit, name="Gi1/0/7", vlan=vlan)
    client = Client()
    client.force_login(inv.officer)
    page = client.get(reverse("inventory:vlan_list"), {"q": "kamera"}).content.decode()
    assert "KAMERA" in page
    response = client.post(
        reverse("inventory:vlan_add"),
        {"unit": inv.unit.pk, "vid": "30", "name": "TEKRAR", "status": "active"},
    )
    assert response.status_code == 400 and VLAN.objects.count() == 1
    assert "KAMERA" in response.context["form"].errors["vid"][0]
    detail = client.get(vlan.get_absolute_url()).content.decode()
    assert "KAMERA" in detail
    subnets = client.get(vlan.get_absolute_url(), {"tab": "subnets"}).content.decode()
    ports = client.get(vlan.get_absolute_url(), {"tab": "ports"}).content.decode()
    assert "10.30.0.0/24" in subnets and "Gi1/0/7" in ports
    listed = client.get(reverse("inventory:subnet_list"), {"vid": 30})
    assert [row.prefix for row in listed.context["table"].data] == ["10.30.0.0/24"]
    listed = client.get(reverse("inventory:deviceport_list"), {"vid": 30})
    assert [row.name for row in listed.context["table"].data] == ["Gi1/0/7"]
