"""The network inventory pages and API: lists whose queries do not grow with the page size
(subnets with their utilisation), a conflict shown at the field in the UI and as a problem in
the API, the fault statistics page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from biys.accounts.scope import forget_scope
from biys.inventory.models import IPAssignment, NetworkDevice, Subnet
from biys.inventory.network_services import address_key
from biys.inventory.tests.factories import (
    make_assignment,
    make_network_device,
    make_port,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def net(inv):
    """Sixty subnets, sixty devices and sixty addresses (one in each subnet)."""
    import ipaddress

    subnets = []
    for index in range(60):
        network = ipaddress.ip_network(f"10.100.{index}.0/24")
        subnets.append(
            Subnet(
                unit=inv.unit,
                prefix=network.with_prefixlen,
                description=f"Kat {index}",
                family=4,
                prefix_length=24,
                start_key=address_key(network.network_address),
                end_key=address_key(network.broadcast_address),
            )
        )
    subnets = Subnet.objects.bulk_create(subnets)
    devices = NetworkDevice.objects.bulk_create(
        NetworkDevice(
            unit=inv.unit,
            name=f"sw-kat-{index:02d}",
            kind="switch",
            location=inv.location,
            management_ip=f"10.100.{index}.2",
        )
        for index in range(60)
    )
    IPAssignment.objects.bulk_create(
        IPAssignment(
            unit=inv.unit,
            address=f"10.100.{index}.2",
            sort_key=address_key(ipaddress.ip_address(f"10.100.{index}.2")),
            subnet=subnet,
            device=device,
        )
        for index, (subnet, device) in enumerate(zip(subnets, devices, strict=True))
    )
    inv.subnets, inv.devices = subnets, devices
    return inv


@pytest.mark.parametrize("name", ["networkdevice_list", "subnet_list", "ipassignment_list"])
def test_list_queries_do_not_grow_with_the_page(net, name):
    client = client_for(net.officer)
    url = reverse(f"inventory:{name}")

    def count(per_page):
        forget_scope(net.officer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"per_page": per_page})
        assert response.status_code == 200
        return len(queries), len(response.context["table"].page.object_list)

    count(25)
    few, rows = count(25)
    many, more = count(100)
    assert (rows, more) == (25, 60)
    assert few == many


def test_the_subnet_list_shows_the_utilisation(net):
    response = client_for(net.officer).get(reverse("inventory:subnet_list"), {"q": "10.100.7.0/24"})
    rows = list(response.context["table"].page.object_list)
    assert [row.record.used for row in rows] == [1]
    assert "0.4" in response.content.decode() or "0,4" in response.content.decode()


def test_detail_pages_show_ports_addresses_and_usage(net):
    client = client_for(net.officer)
    device = net.devices[3]
    make_port(net.unit, device=device, name="Gi0/24", connected_to="Omurga anahtarı")
    response = client.get(device.get_absolute_url(), {"tab": "ports"})
    assert response.status_code == 200 and "Gi0/24" in response.content.decode()
    response = client.get(device.get_absolute_url(), {"tab": "addresses"})
    assert "10.100.3.2" in response.content.decode()
    response = client.get(net.subnets[3].get_absolute_url())
    assert response.status_code == 200 and 'data-testid="subnet-usage"' in response.content.decode()


def test_an_address_given_out_twice_is_refused_at_the_field(net):
    client = client_for(net.officer)
    response = client.post(
        reverse("inventory:ipassignment_add"),
        {"unit": net.unit.pk, "address": "10.100.5.2", "status": "active", "host": "PC"},
    )
    assert response.status_code == 400  # the service, which knows the VRF
    assert "address" in response.context["form"].errors
    make_assignment(net.unit, address="fd00::5")
    response = client.post(
        reverse("inventory:ipassignment_add"),
        {"unit": net.unit.pk, "address": "FD00:0::05", "status": "active", "host": "PC"},
    )
    assert response.status_code == 400  # the service's, on the normalised address
    assert "address" in response.context["form"].errors
    assert IPAssignment.objects.filter(address="10.100.5.2").count() == 1
    assert IPAssignment.objects.filter(address="fd00::5").count() == 1


def test_an_address_in_no_subnet_is_flagged_in_the_list(net):
    make_assignment(net.unit, address="192.168.77.7", host="Eski yazıcı")
    client = client_for(net.officer)
    response = client.get(reverse("inventory:ipassignment_list"), {"outside": "true"})
    rows = list(response.context["table"].page.object_list)
    assert [row.record.address for row in rows] == ["192.168.77.7"]


def test_api_refuses_a_conflict_as_a_problem_at_the_address(net):
    api = api_for(net.officer)
    response = api.post(
        "/api/v1/inventory/ip-addresses/",
        {"unit": net.unit.pk, "address": "10.100.9.2", "host": "PC"},
        format="json",
    )
    assert response.status_code == 400
    assert "address" in str(response.json())
    response = api.post(
        "/api/v1/inventory/ip-addresses/",
        {"unit": net.unit.pk, "address": "10.100.9.50", "host": "PC"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["subnet"] == net.subnets[9].pk
    assert response.json()["outside_subnets"] is False
    subnets = api.get("/api/v1/inventory/subnets/", {"q": "10.100.9.0"}).json()["results"]
    assert subnets[0]["used"] == 2 and subnets[0]["size"] == 254


def test_api_subnet_with_host_bits_is_a_problem(net):
    response = api_for(net.officer).post(
        "/api/v1/inventory/subnets/",
        {"unit": net.unit.pk, "prefix": "10.200.0.5/24"},
        format="json",
    )
    assert response.status_code == 400
    assert "10.200.0.0/24" in str(response.json())


def test_fault_statistics_page(net, make_user):
    make_network_device(net.unit, manufacturer="Hikvision", model="DS-2CD", kind="camera")
    response = client_for(net.officer).get(reverse("inventory:network_faults"), {"months": "all"})
    assert response.status_code == 200
    assert 'data-testid="fault-statistics"' in response.content.decode()
    assert {row.model for row in response.context["rows"]} == {"", "DS-2CD"}
    requester = client_for(make_user("requester", net.unit))
    assert requester.get(reverse("inventory:network_faults")).status_code == 403
