"""The network inventory: addresses normalised and given out once (a conflict refused at the
field, the management address too), the subnet an address is in found and refound when subnets
change, an address in no subnet flagged, utilisation per subnet in one query, and the fault
statistics per device model from the service desk's tickets."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from biys.core.models import ObjectChange
from biys.inventory import network_selectors, network_services
from biys.inventory.models import IPAssignment, NetworkDevice, Subnet
from biys.inventory.tests.factories import (
    make_asset,
    make_assignment,
    make_network_device,
    make_port,
    make_subnet,
    make_vlan,
)

pytestmark = pytest.mark.django_db


def test_an_address_is_normalised_and_found_in_the_narrowest_subnet(inv):
    wide = make_subnet(inv.unit, prefix="10.20.0.0/16")
    narrow = make_subnet(inv.unit, prefix="10.20.5.0/24")
    assignment = make_assignment(inv.unit, address=" 10.20.5.17 ", mac_address="00-1A-2B-3C-4D-5E")
    assert assignment.address == "10.20.5.17"
    assert assignment.mac_address == "00:1a:2b:3c:4d:5e"
    assert assignment.subnet == narrow
    other = make_assignment(inv.unit, address="10.20.9.1")
    assert other.subnet == wide
    v6 = make_assignment(inv.unit, address="FD00:0:0::0A")
    assert v6.address == "fd00::a" and v6.subnet is None and v6.outside_subnets


def test_the_same_address_twice_is_refused_at_its_field(inv):
    make_subnet(inv.unit, prefix="192.168.10.0/24")
    make_assignment(inv.unit, address="192.168.10.20", host="Yazıcı")
    with pytest.raises(ValidationError) as refused:
        make_assignment(inv.unit, address="192.168.10.20", host="Başka PC")
    assert "address" in refused.value.message_dict
    assert "Yazıcı" in refused.value.message_dict["address"][0]
    with pytest.raises(ValidationError) as refused:
        make_assignment(inv.unit, address="fd00::1")
        make_assignment(inv.unit, address="FD00:0000::0001")
    assert "address" in refused.value.message_dict
    assert IPAssignment.objects.filter(address="192.168.10.20").count() == 1


def test_an_address_of_another_unit_is_refused_without_naming_its_holder(inv, make_user):
    make_assignment(inv.other_unit, address="172.16.4.9", host="Zabıta kamerası")
    with pytest.raises(ValidationError) as refused:
        network_services.save_assignment(
            assignment=IPAssignment(unit=inv.unit, address="172.16.4.9", host="PC"),
            user=inv.officer,
        )
    message = refused.value.message_dict["address"][0]
    assert "Zabıta" not in message
    outsider_view = make_user("inventory_officer", inv.other_unit)
    with pytest.raises(ValidationError) as refused:
        network_services.save_assignment(
            assignment=IPAssignment(unit=inv.other_unit, address="172.16.4.9", host="PC"),
            user=outsider_view,
        )
    assert "Zabıta kamerası" in refused.value.message_dict["address"][0]


@pytest.mark.parametrize(
    ("address", "expected"),
    [("10.1.2.300", "address"), ("10.1.2.0/24", "address"), ("", "address")],
)
def test_a_bad_address_is_refused_at_its_field(inv, address, expected):
    with pytest.raises(ValidationError) as refused:
        make_assignment(inv.unit, address=address)
    assert expected in refused.value.message_dict
    assert not IPAssignment.objects.exists()


def test_network_and_broadcast_addresses_are_not_given_out(inv):
    make_subnet(inv.unit, prefix="10.9.9.0/24")
    for address in ("10.9.9.0", "10.9.9.255"):
        with pytest.raises(ValidationError) as refused:
            make_assignment(inv.unit, address=address)
        assert "address" in refused.value.message_dict


@pytest.mark.parametrize(
    ("prefix", "message"),
    [("10.1.2.5/24", "10.1.2.0/24"), ("10.1.2.0", "length"), ("10.1.2.0/33", "valid")],
)
def test_a_bad_prefix_is_refused_at_its_field(inv, prefix, message):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        make_subnet(inv.unit, prefix=prefix)
    assert message in refused.value.message_dict["prefix"][0]


def test_a_prefix_is_recorded_once_and_its_gateway_is_inside(inv):
    make_subnet(inv.unit, prefix="10.3.0.0/24")
    with pytest.raises(ValidationError) as refused:
        make_subnet(inv.unit, prefix="10.3.0.0/24")
    assert "prefix" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        make_subnet(inv.unit, prefix="10.4.0.0/24", gateway="10.5.0.1")
    assert "gateway" in refused.value.message_dict


def test_a_new_or_changed_subnet_takes_its_addresses(inv):
    outside = make_assignment(inv.unit, address="10.50.1.10")
    assert outside.subnet is None
    subnet = make_subnet(inv.unit, prefix="10.50.1.0/24")
    outside.refresh_from_db()
    assert outside.subnet == subnet
    assert (
        list(IPAssignment.objects.filter(subnet__isnull=True).values_list("address", flat=True))
        == []
    )
    subnet.prefix = "10.60.0.0/24"
    network_services.save_subnet(subnet=subnet)
    outside.refresh_from_db()
    assert outside.subnet is None  # flagged again: in no subnet


def test_utilisation_is_one_query_for_a_page_of_subnets(inv):
    small = make_subnet(inv.unit, prefix="10.70.0.0/29")  # six usable addresses
    make_subnet(inv.unit, prefix="10.71.0.0/24")
    for last in (1, 2, 3):
        make_assignment(inv.unit, address=f"10.70.0.{last}")
    with CaptureQueriesContext(connection) as queries:
        rows = {row.prefix: row for row in network_selectors.subnets_with_usage()}
    assert len(queries) == 1
    assert rows[small.prefix].used == 3 and rows[small.prefix].size == 6
    assert network_selectors.utilisation(rows[small.prefix]) == 50.0
    assert rows["10.71.0.0/24"].used == 0 and rows["10.71.0.0/24"].size == 254


def test_a_device_management_address_is_given_out_to_it(inv):
    make_subnet(inv.unit, prefix="10.80.0.0/24")
    device = make_network_device(inv.unit, management_ip="10.80.0.2", mac_address="001a.2b3c.4d5e")
    assert device.mac_address == "00:1a:2b:3c:4d:5e"
    row = IPAssignment.objects.get(address="10.80.0.2")
    assert row.device == device and row.subnet.prefix == "10.80.0.0/24"
    device.management_ip = "10.80.0.3"
    network_services.save_device(device=device)
    assert list(device.addresses.values_list("address", flat=True)) == ["10.80.0.3"]
    make_assignment(inv.unit, address="10.80.0.9", host="Kamera kaydedici")
    device.management_ip = "10.80.0.9"
    with pytest.raises(ValidationError) as refused:
        network_services.save_device(device=device)
    assert "management_ip" in refused.value.message_dict
    assert NetworkDevice.objects.get(pk=device.pk).management_ip == "10.80.0.3"


def test_a_device_takes_its_model_from_the_asset_it_is(inv):
    asset = make_asset(inv.unit, item_model=inv.model, serial_number="SW-ASSET-1")
    device = make_network_device(inv.unit, manufacturer="", model="", serial_number="", asset=asset)
    assert (device.manufacturer, device.model, device.serial_number) == (
        "Dell",
        "OptiPlex 7010",
        "SW-ASSET-1",
    )
    with pytest.raises(ValidationError) as refused:
        make_network_device(inv.unit, asset=asset)
    assert "asset" in refused.value.message_dict


def test_a_port_name_is_once_per_device_and_writes_are_logged(inv):
    port = make_port(inv.unit, name="Gi0/1", vlan=make_vlan(inv.unit, vid=10))
    with pytest.raises(ValidationError) as refused:
        make_port(inv.unit, device=port.device, name="Gi0/1")
    assert "name" in refused.value.message_dict
    assert ObjectChange.objects.filter(object_repr__contains="Gi0/1").exists()


def test_writes_need_the_role_over_the_unit(inv, make_user):
    outsider = make_user("inventory_officer", inv.other_unit)
    with pytest.raises(PermissionDenied):
        network_services.save_subnet(
            subnet=Subnet(unit=inv.unit, prefix="10.90.0.0/24"), user=outsider
        )
    controller = make_user("inventory_controller", inv.unit)
    with pytest.raises(PermissionDenied):
        network_services.save_assignment(
            assignment=IPAssignment(unit=inv.unit, address="10.90.0.5"), user=controller
        )
    network_services.save_assignment(
        assignment=IPAssignment(unit=inv.unit, address="10.90.0.5"), user=inv.officer
    )


def test_fault_statistics_count_tickets_per_device_model(inv, make_user):
    from biys.servicedesk.tests.factories import make_ticket_in

    asset = make_asset(inv.unit, item_model=inv.model)
    by_asset = make_network_device(
        inv.unit, asset=asset, manufacturer="", model="", serial_number=""
    )
    second = make_network_device(
        inv.unit, manufacturer="Hikvision", model="DS-2CD", kind="camera", serial_number="CAM1"
    )
    make_network_device(
        inv.unit, manufacturer="Hikvision", model="DS-2CD", kind="camera", serial_number="CAM2"
    )
    make_network_device(inv.other_unit, manufacturer="Hikvision", model="DS-2CD", kind="camera")
    for reference in (asset.inventory_number, asset.serial_number, "CAM1", "CAM1", "OTHER"):
        make_ticket_in(inv.unit, asset_reference=reference)
    network_selectors.fault_statistics(inv.officer)  # the scope resolved once
    with CaptureQueriesContext(connection) as queries:
        rows = network_selectors.fault_statistics(inv.officer)
    assert len(queries) <= 3, [query["sql"] for query in queries]  # devices, counts
    figures = {(row.manufacturer, row.model): (row.devices, row.faults) for row in rows}
    assert figures == {("Dell", "OptiPlex 7010"): (1, 2), ("Hikvision", "DS-2CD"): (2, 2)}
    assert rows[0].model == "OptiPlex 7010" and rows[0].per_device == 2.0
    assert by_asset.serial_number == asset.serial_number and second.kind == "camera"


def test_fault_statistics_count_tickets_by_their_link_to_the_register(inv):
    """A ticket linked to the device's asset counts for it whatever its reference says (the
    asset renumbered since); an unlinked one by its reference's key (a serial stored with
    spaces and dashes, typed without); a ticket linked to another asset never counts here,
    even when its text names this device. Two queries: the devices, the counts grouped."""
    from biys.inventory.models import Asset
    from biys.servicedesk.models import Ticket
    from biys.servicedesk.tests.factories import make_ticket_in

    asset = make_asset(inv.unit, item_model=inv.model, serial_number="FOC 1234-5678")
    make_network_device(inv.unit, asset=asset, manufacturer="Cisco", model="C9200")
    make_network_device(
        inv.unit, manufacturer="Hikvision", model="DS-2CD", serial_number="CAM-0001"
    )
    other = make_asset(inv.unit, item_model=inv.model)
    linked = make_ticket_in(inv.unit, asset_reference=asset.inventory_number)
    assert linked.asset_id == asset.pk
    Asset.objects.filter(pk=asset.pk).update(inventory_number="255.01-2026-777777")
    typed = make_ticket_in(inv.unit, asset_reference="foc12345678")
    camera = make_ticket_in(inv.unit, asset_reference="cam 0001")
    elsewhere = make_ticket_in(inv.unit, asset_reference="CAM-0001")
    Ticket.objects.filter(pk__in=[typed.pk, camera.pk]).update(asset_id=None)  # filed before
    Ticket.objects.filter(pk=elsewhere.pk).update(asset_id=other.pk)
    network_selectors.fault_statistics(inv.officer)  # the scope resolved once
    with CaptureQueriesContext(connection) as queries:
        rows = network_selectors.fault_statistics(inv.officer)
    assert len(queries) == 2, [query["sql"] for query in queries]
    figures = {row.model: row.faults for row in rows}
    assert figures == {"C9200": 2, "DS-2CD": 1}


def test_fault_statistics_count_only_the_period_asked(inv):
    from datetime import timedelta

    from django.utils import timezone

    from biys.servicedesk.models import Ticket
    from biys.servicedesk.tests.factories import make_ticket_in

    make_network_device(inv.unit, manufacturer="Zyxel", model="GS1900", serial_number="ZY1")
    old, new = (make_ticket_in(inv.unit, asset_reference="ZY1") for _ in range(2))
    Ticket.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=400))
    since = timezone.now() - timedelta(days=365)
    (recent,) = network_selectors.fault_statistics(inv.officer, since=since)
    (ever,) = network_selectors.fault_statistics(inv.officer)
    assert (recent.faults, ever.faults) == (1, 2)
    assert new.asset_reference == "ZY1"
