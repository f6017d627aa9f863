"""The VRF, VLAN, device and subnet choices of the network lists' filters are those the user may
see, the lists' own scope: a user of the unit sees its VRFs and VLANs, one of another unit does
not, in the filter panel's drop-down, in the filter form and in the API."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from biys.inventory.network_filtersets import (
    DevicePortFilterSet,
    IPAssignmentFilterSet,
    SubnetFilterSet,
)
from biys.inventory.tests.factories import make_network_device, make_subnet, make_vlan, make_vrf

pytestmark = pytest.mark.django_db


@pytest.fixture
def spaces(inv, make_user):
    """A VRF and a VLAN of the network branch and of roads, and a user of roads."""
    return {
        "vrf": make_vrf(inv.unit, name="Kamera VRF"),
        "their_vrf": make_vrf(inv.other_unit, name="Yol VRF"),
        "vlan": make_vlan(inv.unit, vid=30, name="KAMERA"),
        "their_vlan": make_vlan(inv.other_unit, vid=31, name="SINYAL"),
        "outsider": make_user("inventory_officer", inv.other_unit),
    }


def _choices(filterset_class, user, name) -> set[str]:
    request = RequestFactory().get("/")
    request.user = user
    field = filterset_class(request=request).form.fields[name]
    return {label for value, label in field.choices if value != ""}


def _options(user, url_name: str, name: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse(url_name), {"_options": name})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url_name", ["inventory:subnet_list", "inventory:ipassignment_list"])
def test_the_vrf_drop_down_offers_the_users_vrfs(inv, spaces, url_name):
    inside = _options(inv.officer, url_name, "vrf")
    assert "Kamera VRF" in inside and "Yol VRF" not in inside
    outside = _options(spaces["outsider"], url_name, "vrf")
    assert "Yol VRF" in outside and "Kamera VRF" not in outside


def test_the_filter_forms_offer_the_users_vlans_vrfs_devices_and_subnets(inv, spaces):
    officer, outsider = inv.officer, spaces["outsider"]
    assert _choices(SubnetFilterSet, officer, "vlan") == {"30 KAMERA"}
    assert _choices(SubnetFilterSet, outsider, "vlan") == {"31 SINYAL"}
    assert _choices(DevicePortFilterSet, officer, "vlan") == {"30 KAMERA"}
    assert _choices(SubnetFilterSet, officer, "vrf") == {"Kamera VRF"}
    assert _choices(IPAssignmentFilterSet, outsider, "vrf") == {"Yol VRF"}
    make_network_device(inv.unit, name="sw-ic")
    make_network_device(inv.other_unit, name="sw-dis")
    make_subnet(inv.unit, prefix="10.30.0.0/24", description="")
    assert _choices(IPAssignmentFilterSet, officer, "device") == {"sw-ic"}
    assert _choices(IPAssignmentFilterSet, outsider, "device") == {"sw-dis"}
    assert _choices(IPAssignmentFilterSet, officer, "subnet") == {"10.30.0.0/24"}
    assert _choices(IPAssignmentFilterSet, outsider, "subnet") == set()
    # without a request's user, nothing is offered
    assert list(SubnetFilterSet().form.fields["vrf"].queryset) == []


def test_the_api_refuses_a_vrf_or_vlan_the_user_may_not_see(inv, spaces):
    make_subnet(inv.other_unit, prefix="10.31.0.0/24", vrf=spaces["their_vrf"])
    outsider = APIClient()
    outsider.force_authenticate(spaces["outsider"])
    listed = outsider.get("/api/v1/inventory/subnets/", {"vrf": spaces["their_vrf"].pk})
    assert listed.status_code == 200, listed.content
    assert [row["prefix"] for row in listed.json()["results"]] == ["10.31.0.0/24"]
    officer = APIClient()
    officer.force_authenticate(inv.officer)
    for query in ({"vrf": spaces["their_vrf"].pk}, {"vlan": spaces["their_vlan"].pk}):
        refused = officer.get("/api/v1/inventory/subnets/", query)
        assert refused.status_code == 400, refused.content
        assert "Yol VRF" not in refused.content.decode()
    refused = officer.get("/api/v1/inventory/device-ports/", {"vlan": spaces["their_vlan"].pk})
    assert refused.status_code == 400
    assert (
        officer.get("/api/v1/inventory/device-ports/", {"vlan": spaces["vlan"].pk}).status_code
        == 200
    )
