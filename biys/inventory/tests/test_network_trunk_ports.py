"""Trunk ports, after NetBox's interfaces: a port's mode (access, tagged, tagged-all), its
untagged VLAN and its tagged VLANs. Tagged VLANs only in tagged mode; the VLANs the user may see
and of the device's unit or a unit above it; the untagged VLAN not tagged again; a refusal at
the field (form 400, API 400 problem) with nothing saved; the device's page shows them, the
VLAN's page lists the ports carrying it; a VLAN tagged on a port is not deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from biys.inventory import network_selectors, network_services
from biys.inventory.models import VLAN, DevicePort
from biys.inventory.tests.factories import make_network_device, make_port, make_vlan

pytestmark = pytest.mark.django_db

API = "/api/v1/inventory"


@pytest.fixture
def net(org_tree, make_user, system_context):
    """A switch of the network branch; VLANs of the department above it (may be carried), of
    the branch itself, of a section below it and of a sibling branch (may not), and of another
    department (not seen); an officer over the whole IT department."""
    from types import SimpleNamespace

    return SimpleNamespace(
        officer=make_user("inventory_officer", org_tree["dept"]),
        switch=make_network_device(org_tree["network"], name="sw-kat1"),
        management=make_vlan(org_tree["dept"], vid=99, name="YONETIM"),
        staff=make_vlan(org_tree["dept"], vid=20, name="PERSONEL"),
        cameras=make_vlan(org_tree["network"], vid=30, name="KAMERA"),
        below=make_vlan(org_tree["helpdesk"], vid=40, name="DESTEK"),
        sibling=make_vlan(org_tree["software"], vid=50, name="YAZILIM"),
        foreign=make_vlan(org_tree["roads"], vid=60, name="FEN"),
        org=org_tree,
    )


def _port(net, **fields):
    return DevicePort(device=net.switch, name=fields.pop("name", "Gi1/0/48"), **fields)


def _refused(net, port, tagged, field):
    before = DevicePort.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        network_services.save_port(port=port, tagged_vlans=tagged, user=net.officer)
    assert field in refused.value.message_dict, refused.value.message_dict
    assert DevicePort.objects.count() == before
    return refused.value.message_dict[field][0]


def test_tagged_vlans_only_in_tagged_mode(net):
    message = _refused(net, _port(net, mode="access"), [net.staff], "tagged_vlans")
    assert "tagged mode" in message
    _refused(net, _port(net, mode="tagged-all"), [net.staff], "tagged_vlans")
    trunk = network_services.save_port(
        port=_port(net, mode="tagged", vlan=net.management),
        tagged_vlans=[net.staff, net.cameras],
        user=net.officer,
    )
    assert set(trunk.tagged_vlans.all()) == {net.staff, net.cameras}
    # an access port, or a tagged-all one, with no tagged VLANs
    assert network_services.save_port(
        port=_port(net, name="Gi1/0/1", vlan=net.staff), tagged_vlans=[], user=net.officer
    ).pk
    assert network_services.save_port(
        port=_port(net, name="Gi1/0/2", mode="tagged-all", vlan=net.management),
        user=net.officer,
    ).pk
    # a trunk made an access port keeping its tagged VLANs is refused, and left as it was
    trunk.mode = "access"
    _refused(net, trunk, None, "tagged_vlans")
    trunk.refresh_from_db()
    assert trunk.mode == "tagged" and trunk.tagged_vlans.count() == 2
    trunk.mode = "access"
    network_services.save_port(port=trunk, tagged_vlans=[], user=net.officer)
    trunk.refresh_from_db()
    assert trunk.mode == "access" and not trunk.tagged_vlans.exists()


def test_the_vlans_are_of_the_devices_unit_or_above_and_seen_by_the_user(net):
    for vlan in (net.below, net.sibling):
        message = _refused(net, _port(net, vlan=vlan), [], "vlan")
        assert "unit above it" in message and vlan.name in message
        message = _refused(net, _port(net, mode="tagged"), [net.staff, vlan], "tagged_vlans")
        assert vlan.name in message and net.staff.name not in message
    # another department's VLAN, which the officer does not see: refused without its name
    message = _refused(net, _port(net, vlan=net.foreign), [], "vlan")
    assert "may carry" in message and net.foreign.name not in message
    message = _refused(net, _port(net, mode="tagged"), [net.foreign], "tagged_vlans")
    assert "may carry" in message and net.foreign.name not in message
    message = _refused(
        net, _port(net, mode="tagged", vlan=net.staff), [net.staff, net.cameras], "tagged_vlans"
    )
    assert "untagged" in message
    # the department's and the branch's own VLANs: what the device may carry
    assert set(network_selectors.vlans_for_device(net.switch)) == {
        net.management,
        net.staff,
        net.cameras,
    }


def test_the_vlans_page_lists_the_ports_carrying_it_and_keeps_it(net, make_user):
    access = make_port(net.org["network"], device=net.switch, name="Gi1/0/1", vlan=net.staff)
    trunk = network_services.save_port(
        port=_port(net, name="Te1/1/1", mode="tagged", vlan=net.management),
        tagged_vlans=[net.staff],
    )
    everything = network_services.save_port(port=_port(net, name="Te1/1/2", mode="tagged-all"))
    other = make_network_device(net.org["software"], name="sw-yazilim")
    make_port(net.org["software"], device=other, name="Te1/1/9", mode="tagged-all")
    carrying = list(network_selectors.ports_carrying(net.staff, net.officer))
    assert carrying == [access, trunk, everything, DevicePort.objects.get(name="Te1/1/9")]
    assert list(network_selectors.ports_carrying(net.cameras, net.officer)) == [everything]

    client = Client()
    client.force_login(net.officer)
    page = client.get(net.staff.get_absolute_url(), {"tab": "ports"}).content.decode()
    for port in carrying:
        assert port.get_absolute_url() in page
    page = client.get(net.switch.get_absolute_url(), {"tab": "ports"}).content.decode()
    assert "Te1/1/1" in page and net.staff.get_absolute_url() in page
    page = client.get(trunk.get_absolute_url()).content.decode()
    assert "PERSONEL" in page and "YONETIM" in page
    # a VLAN tagged on a port is not deleted
    with pytest.raises(ProtectedError) as kept:
        network_services.delete_vlan(vlan=net.staff, user=net.officer)
    assert trunk in kept.value.protected_objects
    network_services.save_port(port=access, user=net.officer)  # still valid as it stands
    response = client.post(reverse("inventory:vlan_delete", args=[net.staff.pk]))
    assert response.status_code == 409
    assert VLAN.objects.filter(pk=net.staff.pk).exists()


def test_the_port_form_refuses_at_the_field_and_saves_nothing(net):
    client = Client()
    client.force_login(net.officer)
    data = {
        "device": net.switch.pk,
        "name": "Te1/1/1",
        "mode": "access",
        "vlan": net.management.pk,
        "tagged_vlans": [net.staff.pk, net.cameras.pk],
        "enabled": "on",
    }
    response = client.post(reverse("inventory:deviceport_add"), data)
    assert response.status_code == 400
    assert "tagged_vlans" in response.context["form"].errors
    assert not DevicePort.objects.exists()
    # a VLAN the device may not carry is not among the form's choices
    response = client.post(
        reverse("inventory:deviceport_add"), {**data, "tagged_vlans": [net.sibling.pk]}
    )
    assert "tagged_vlans" in response.context["form"].errors
    assert not DevicePort.objects.exists()
    response = client.post(reverse("inventory:deviceport_add"), {**data, "mode": "tagged"})
    assert response.status_code == 302
    port = DevicePort.objects.get()
    assert port.mode == "tagged" and set(port.tagged_vlans.all()) == {net.staff, net.cameras}
    # editing: dropping a tagged VLAN, and a wrong edit leaving the port as it was
    edit = reverse("inventory:deviceport_edit", args=[port.pk])
    response = client.post(edit, {**data, "mode": "tagged", "tagged_vlans": [net.staff.pk]})
    assert response.status_code == 302
    assert list(port.tagged_vlans.all()) == [net.staff]
    response = client.post(edit, {**data, "mode": "tagged", "vlan": net.below.pk})
    assert "vlan" in response.context["form"].errors
    port.refresh_from_db()
    assert port.vlan == net.management and list(port.tagged_vlans.all()) == [net.staff]


def test_the_api(net):
    api = APIClient()
    api.force_authenticate(net.officer)
    body = {
        "device": net.switch.pk,
        "name": "Te1/1/1",
        "mode": "tagged",
        "vlan": net.management.pk,
        "tagged_vlans": [net.staff.pk, net.cameras.pk],
    }
    response = api.post(f"{API}/device-ports/", {**body, "mode": "access"}, format="json")
    assert response.status_code == 400, response.content
    assert "tagged_vlans" in response.json()["errors"]
    assert response["Content-Type"].startswith("application/problem+json")
    response = api.post(
        f"{API}/device-ports/", {**body, "tagged_vlans": [net.below.pk]}, format="json"
    )
    assert response.status_code == 400 and "tagged_vlans" in response.json()["errors"]
    assert not DevicePort.objects.exists()
    response = api.post(f"{API}/device-ports/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["mode"] == "tagged"
    assert sorted(created["tagged_vlans"]) == sorted([net.staff.pk, net.cameras.pk])
    url = f"{API}/device-ports/{created['id']}/"
    response = api.patch(url, {"mode": "access"}, format="json")
    assert response.status_code == 400 and "tagged_vlans" in response.json()["errors"]
    assert DevicePort.objects.get().mode == "tagged"
    response = api.patch(url, {"speed_mbps": 10000}, format="json")  # tagged VLANs kept
    assert response.status_code == 200 and len(response.json()["tagged_vlans"]) == 2
    response = api.patch(url, {"mode": "access", "tagged_vlans": []}, format="json")
    assert response.status_code == 200 and response.json()["tagged_vlans"] == []
    rows = api.get(f"{API}/device-ports/", {"mode": "access"}).json()["results"]
    assert [row["id"] for row in rows] == [created["id"]]
    response = api.patch(url, {"mode": "tagged", "tagged_vlans": [net.staff.pk]}, format="json")
    assert response.status_code == 200
    rows = api.get(f"{API}/device-ports/", {"tagged_vlan": net.staff.pk}).json()["results"]
    assert [row["id"] for row in rows] == [created["id"]]
    response = api.delete(f"{API}/vlans/{net.staff.pk}/")
    assert response.status_code == 409, response.content
    assert {group["model"] for group in response.json()["held_by"]} == {"inventory.deviceport"}
