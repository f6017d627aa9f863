"""An IP address's history: who held it from when to when. Giving an address out opens a
holding; passing it to another host or device closes it and opens the next; a status change
does not; freeing it closes it, and giving it out again continues the same history; a device's
management address is tracked too. The address page shows it and the API lists it."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from biys.inventory import network_services
from biys.inventory.models import AddressHolding, IPAssignment
from biys.inventory.tests.factories import make_assignment, make_network_device, make_vrf

pytestmark = pytest.mark.django_db


def history(address, vrf=None):
    return list(
        AddressHolding.objects.filter(address=address, vrf=vrf)
        .order_by("started_at", "id")
        .values_list("holder", "ended_at")
    )


def test_an_address_passes_from_holder_to_holder(inv):
    row = make_assignment(inv.unit, address="10.8.0.5", host="Yazıcı A")
    assert [holder for holder, _ in history("10.8.0.5")] == ["Yazıcı A"]
    row.status = "reserved"
    network_services.save_assignment(assignment=row, user=inv.officer)
    assert len(history("10.8.0.5")) == 1  # same holder
    row.host = "Yazıcı B"
    network_services.save_assignment(assignment=row, user=inv.officer)
    rows = history("10.8.0.5")
    assert [holder for holder, _ in rows] == ["Yazıcı A", "Yazıcı B"]
    assert rows[0][1] is not None and rows[1][1] is None
    latest = AddressHolding.objects.get(address="10.8.0.5", ended_at__isnull=True)
    assert latest.started_by == inv.officer


def test_freed_and_given_out_again_is_one_history(inv):
    row = make_assignment(inv.unit, address="10.8.0.6", host="PC-1")
    network_services.delete_assignment(assignment=row, user=inv.officer)
    closed = AddressHolding.objects.get(address="10.8.0.6")
    assert closed.ended_at is not None and closed.ended_by == inv.officer
    make_assignment(inv.unit, address="10.8.0.6", host="PC-2")
    assert [holder for holder, _ in history("10.8.0.6")] == ["PC-1", "PC-2"]


def test_a_moved_address_closes_the_old_and_opens_the_new(inv):
    row = make_assignment(inv.unit, address="10.8.0.7", host="NVR")
    row.address = "10.8.0.8"
    network_services.save_assignment(assignment=row, user=inv.officer)
    assert history("10.8.0.7")[0][1] is not None
    assert history("10.8.0.8") == [("NVR", None)]


def test_each_vrf_has_its_own_history(inv):
    guest = make_vrf(inv.unit, name="Misafir")
    make_assignment(inv.unit, address="10.8.0.9", host="Global")
    make_assignment(inv.unit, address="10.8.0.9", host="Misafir PC", vrf=guest)
    assert history("10.8.0.9") == [("Global", None)]
    assert history("10.8.0.9", guest) == [("Misafir PC", None)]


def test_a_management_address_is_tracked_with_its_device(inv):
    device = make_network_device(inv.unit, name="sw-kat1", management_ip="10.8.1.2")
    assert history("10.8.1.2") == [("sw-kat1", None)]
    device.management_ip = "10.8.1.3"
    network_services.save_device(device=device, user=inv.officer)
    assert history("10.8.1.2")[0][1] is not None
    assert history("10.8.1.3") == [("sw-kat1", None)]
    network_services.delete_device(device=device, user=inv.officer)
    assert history("10.8.1.3")[0][1] is not None
    assert not IPAssignment.objects.exists()


def test_the_address_page_and_the_api_show_the_history(inv):
    row = make_assignment(inv.unit, address="10.8.2.5", host="Eski yazıcı")
    row.host = "Yeni yazıcı"
    network_services.save_assignment(assignment=row, user=inv.officer)
    client = Client()
    client.force_login(inv.officer)
    page = client.get(row.get_absolute_url(), {"tab": "holders"}).content.decode()
    assert 'data-testid="address-history"' in page
    assert "Eski yazıcı" in page and "Yeni yazıcı" in page
    api = APIClient()
    api.force_authenticate(inv.officer)
    response = api.get("/api/v1/inventory/address-history/", {"ip_address": row.pk})
    assert response.status_code == 200
    holders = [item["holder"] for item in response.json()["results"]]
    assert holders == ["Yeni yazıcı", "Eski yazıcı"]
    response = api.get(
        "/api/v1/inventory/address-history/", {"address": "10.8.2.5", "current": "true"}
    )
    assert [item["holder"] for item in response.json()["results"]] == ["Yeni yazıcı"]


def test_the_migration_starts_the_histories_of_existing_addresses(inv):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("biys.inventory.migrations.0010_address_history")
    row = make_assignment(inv.unit, address="10.8.3.1", host="Eski")
    AddressHolding.objects.all().delete()
    migration.start_histories(apps, None)
    holding = AddressHolding.objects.get(address="10.8.3.1")
    assert (holding.holder, holding.ended_at, holding.started_at) == ("Eski", None, row.created)
