"""VRFs and network devices in Turkish alphabetical order (ç after c, ğ after g, ı before i, ö
after o, ş after s, ü after u, I with ı and İ with i), as VLAN groups are: by their stored
``sort_name`` on the lists (and their name column's sort), in the API's default order, in the
forms' choices and in the ports' order; the migration fills the key of the rows recorded
before."""

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.inventory import network_selectors, network_services
from biys.inventory.models import VRF, DevicePort, NetworkDevice
from biys.inventory.tests.factories import make_network_device, make_port, make_vrf

pytestmark = pytest.mark.django_db

API = "/api/v1/inventory"

# In Turkish alphabetical order; plain (code point) order puts the capitals and the Turkish
# letters elsewhere.
NAMES = [
    "Cami",
    "Çarşı",
    "Gazi",
    "Göl",
    "Ilgaz",
    "Işıklar",
    "ikinci",
    "İtfaiye",
    "Ova",
    "Ömür",
    "Su",
    "Şube",
    "Ulus",
    "Üst",
    "Zabıta",
]
SHUFFLED = NAMES[7:] + NAMES[:7][::-1]


def test_plain_ordering_gets_these_names_wrong():
    assert sorted(NAMES) != NAMES
    assert sorted(NAMES, key=str.lower) != NAMES


@pytest.fixture
def named(inv):
    for name in SHUFFLED:
        make_vrf(inv.unit, name=f"{name} VRF")
        make_network_device(inv.unit, name=name)
    client = Client()
    client.force_login(inv.officer)
    api = APIClient()
    api.force_authenticate(inv.officer)
    inv.client, inv.api = client, api
    return inv


def _names(rows):
    return [str(row.name if hasattr(row, "name") else row["name"]) for row in rows]


def test_the_lists_and_their_name_column(named):
    vrfs = [f"{name} VRF" for name in NAMES]
    for url, expected in (
        (reverse("inventory:vrf_list"), vrfs),
        (reverse("inventory:networkdevice_list"), NAMES),
    ):
        listed = named.client.get(url)
        assert _names(listed.context["table"].data) == expected
        listed = named.client.get(url, {"sort": "name"})
        assert _names(listed.context["table"].data) == expected
        listed = named.client.get(url, {"sort": "-name"})
        assert _names(listed.context["table"].data) == expected[::-1]
    assert _names(VRF.objects.all()) == vrfs
    assert _names(NetworkDevice.objects.all()) == NAMES


def test_the_api_default_order(named):
    rows = named.api.get(f"{API}/vrfs/").json()["results"]
    assert _names(rows) == [f"{name} VRF" for name in NAMES]
    rows = named.api.get(f"{API}/network-devices/").json()["results"]
    assert _names(rows) == NAMES


def test_the_forms_choices_and_other_modules_view(named):
    form = named.client.get(reverse("inventory:networkdevice_add")).context["form"]
    assert [str(vrf) for vrf in form.fields["management_vrf"].queryset] == [
        f"{name} VRF" for name in NAMES
    ]
    for url in (reverse("inventory:deviceport_add"), reverse("inventory:ipassignment_add")):
        form = named.client.get(url).context["form"]
        assert [str(device) for device in form.fields["device"].queryset] == NAMES
    form = named.client.get(reverse("inventory:subnet_add")).context["form"]
    assert [str(vrf) for vrf in form.fields["vrf"].queryset] == [f"{name} VRF" for name in NAMES]
    summaries = network_selectors.network_device_summaries(unit_ids=[named.unit.pk])
    assert [summary.name for summary in summaries] == NAMES


def test_ports_follow_their_devices_order_and_a_rename_moves_a_device(named):
    for device in NetworkDevice.objects.filter(name__in=["Zabıta", "Çarşı", "Cami"]):
        make_port(named.unit, device=device, name="Gi0/1")
    assert [port.device.name for port in DevicePort.objects.all()] == ["Cami", "Çarşı", "Zabıta"]
    rows = named.api.get(f"{API}/device-ports/").json()["results"]
    assert [row["display"].split(" ")[0] for row in rows] == ["Cami", "Çarşı", "Zabıta"]
    device = NetworkDevice.objects.get(name="Zabıta")
    device.name = "Avcılar"
    network_services.save_device(device=device, user=named.officer)
    assert NetworkDevice.objects.values_list("name", flat=True).first() == "Avcılar"
    vrf = VRF.objects.get(name="Zabıta VRF")
    vrf.name = "Ağ VRF"
    network_services.save_vrf(vrf=vrf, user=named.officer)
    assert VRF.objects.values_list("name", flat=True).first() == "Ağ VRF"


def test_the_migration_fills_the_key_of_existing_rows(named):
    VRF.objects.update(sort_name="")
    NetworkDevice.objects.update(sort_name="")
    migration = importlib.import_module(
        "biys.inventory.migrations.0019_turkish_sorted_vrfs_and_devices"
    )
    migration.fill_sort_names(apps, None)
    assert _names(VRF.objects.all()) == [f"{name} VRF" for name in NAMES]
    assert _names(NetworkDevice.objects.all()) == NAMES
