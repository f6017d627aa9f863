"""The VLAN rules of a port beyond its mode: one VLAN of each VLAN ID on a port (two groups
may both number a VLAN 100, a switch cannot carry both); a VLAN of a group naming a site only
on the devices within that site (NetBox's VLAN group scope: a building holds its floors and
rooms); and a sub-unit's officer offered, and allowed, the VLANs of the units above theirs on
their devices' ports without seeing those VLANs anywhere else. Each refusal is at the field
(form 400, API 400 problem) with nothing saved."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from biys.inventory import network_selectors, network_services
from biys.inventory.models import DevicePort
from biys.inventory.tests.factories import (
    make_location,
    make_network_device,
    make_port,
    make_vlan,
    make_vlan_group,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/inventory"


def _clients(user):
    client = Client()
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    return client, api


def _refused(port, tagged, field, user):
    before = DevicePort.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        network_services.save_port(port=port, tagged_vlans=tagged, user=user)
    assert field in refused.value.message_dict, refused.value.message_dict
    assert DevicePort.objects.count() == before
    return refused.value.message_dict[field][0]


# --------------------------------------------------------------------------- one VLAN per VID


@pytest.fixture
def twins(inv):
    first = make_vlan_group(inv.unit, name="Hizmet Binası", min_vid=1, max_vid=199)
    second = make_vlan_group(inv.unit, name="Kültür Merkezi", min_vid=100, max_vid=199)
    return SimpleNamespace(
        inv=inv,
        switch=make_network_device(inv.unit, name="sw-kat1"),
        a100=make_vlan(inv.unit, vid=100, name="HB-KAMERA", group=first),
        b100=make_vlan(inv.unit, vid=100, name="KM-KAMERA", group=second),
        staff=make_vlan(inv.unit, vid=20, name="PERSONEL"),
    )


def test_two_vlans_of_one_vid_are_not_on_one_port(twins):
    officer = twins.inv.officer

    def port(**fields):
        return DevicePort(device=twins.switch, name="Te1/1/1", mode="tagged", **fields)

    message = _refused(port(), [twins.a100, twins.b100], "tagged_vlans", officer)
    assert "VLAN ID 100" in message and "HB-KAMERA" in message and "KM-KAMERA" in message
    # the untagged (native) VLAN counts too
    message = _refused(port(vlan=twins.a100), [twins.b100], "tagged_vlans", officer)
    assert "VLAN ID 100" in message
    trunk = network_services.save_port(
        port=port(vlan=twins.staff), tagged_vlans=[twins.a100], user=officer
    )
    assert list(trunk.tagged_vlans.all()) == [twins.a100]
    # adding the other 100 to the trunk is refused, and the trunk is left as it was
    _refused(trunk, [twins.a100, twins.b100], "tagged_vlans", officer)
    assert list(DevicePort.objects.get().tagged_vlans.all()) == [twins.a100]


def test_the_form_and_api_refuse_two_vlans_of_one_vid(twins):
    client, api = _clients(twins.inv.officer)
    data = {
        "device": twins.switch.pk,
        "name": "Te1/1/1",
        "mode": "tagged",
        "vlan": twins.staff.pk,
        "tagged_vlans": [twins.a100.pk, twins.b100.pk],
        "enabled": "on",
    }
    response = client.post(reverse("inventory:deviceport_add"), data)
    assert response.status_code == 400
    assert "tagged_vlans" in response.context["form"].errors
    assert not DevicePort.objects.exists()
    response = api.post(f"{API}/device-ports/", data, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert "tagged_vlans" in response.json()["errors"]
    assert not DevicePort.objects.exists()
    response = api.post(
        f"{API}/device-ports/", {**data, "tagged_vlans": [twins.a100.pk]}, format="json"
    )
    assert response.status_code == 201, response.content
    url = f"{API}/device-ports/{response.json()['id']}/"
    response = api.patch(url, {"tagged_vlans": [twins.a100.pk, twins.b100.pk]}, format="json")
    assert response.status_code == 400 and "tagged_vlans" in response.json()["errors"]
    assert list(DevicePort.objects.get().tagged_vlans.all()) == [twins.a100]


# --------------------------------------------------------------------------- sites


@pytest.fixture
def sites(inv):
    unit = inv.unit

    def place(building, floor="", room=""):
        return make_location(unit, building=building, floor=floor, room=room)

    building = place("Hizmet Binası")
    room201 = place("Hizmet Binası", "2", "201")
    room301 = place("Hizmet Binası", "3", "301")
    centre = place("Kültür Merkezi", "1", "101")
    vlans = SimpleNamespace(
        building=make_vlan(
            unit, vid=10, name="BINA", group=make_vlan_group(unit, name="Bina", location=building)
        ),
        floor=make_vlan(
            unit,
            vid=11,
            name="KAT2",
            group=make_vlan_group(unit, name="Kat 2", location=place("Hizmet Binası", "2")),
        ),
        room=make_vlan(
            unit, vid=12, name="ODA", group=make_vlan_group(unit, name="Oda", location=room201)
        ),
        unsited=make_vlan(unit, vid=13, name="HER YER", group=make_vlan_group(unit, name="Ortak")),
        loose=make_vlan(unit, vid=14, name="GRUPSUZ"),
    )
    return SimpleNamespace(
        inv=inv,
        vlans=vlans,
        in201=make_network_device(unit, name="sw-201", location=room201),
        in301=make_network_device(unit, name="sw-301", location=room301),
        centre=make_network_device(unit, name="sw-km", location=centre),
        nowhere=make_network_device(unit, name="sw-yersiz"),
    )


def test_a_group_naming_a_site_is_for_the_devices_within_it(sites):
    v = sites.vlans
    carried = {
        device.name: {vlan.name for vlan in network_selectors.vlans_for_device(device)}
        for device in (sites.in201, sites.in301, sites.centre, sites.nowhere)
    }
    assert carried == {
        "sw-201": {"BINA", "KAT2", "ODA", "HER YER", "GRUPSUZ"},
        "sw-301": {"BINA", "HER YER", "GRUPSUZ"},
        "sw-km": {"HER YER", "GRUPSUZ"},
        "sw-yersiz": {"HER YER", "GRUPSUZ"},
    }
    officer = sites.inv.officer
    for device in (sites.centre, sites.nowhere):
        message = _refused(
            DevicePort(device=device, name="Gi1", vlan=v.building), [], "vlan", officer
        )
        assert "site" in message and "BINA" in message
    port = DevicePort(device=sites.in301, name="Te1", mode="tagged", vlan=v.building)
    message = _refused(port, [v.unsited, v.room], "tagged_vlans", officer)
    assert "ODA" in message and "HER YER" not in message
    assert network_services.save_port(port=port, tagged_vlans=[v.unsited, v.loose], user=officer)
    # a device is not moved out of the site its ports' VLANs are for
    # (test_a_device_is_not_moved_where_its_ports_vlans_do_not_reach)


def test_the_ports_carrying_a_sited_vlan_are_within_its_site(sites):
    inside = make_port(sites.inv.unit, device=sites.in301, name="Te1", mode="tagged-all")
    make_port(sites.inv.unit, device=sites.centre, name="Te1", mode="tagged-all")
    assert list(network_selectors.ports_carrying(sites.vlans.building)) == [inside]
    assert len(network_selectors.ports_carrying(sites.vlans.unsited)) == 2


def test_the_form_offers_and_the_api_takes_the_sites_vlans_only(sites):
    client, api = _clients(sites.inv.officer)
    form = client.get(reverse("inventory:deviceport_add"), {"device": sites.centre.pk})
    offered = {vlan.name for vlan in form.context["form"].fields["vlan"].queryset}
    assert offered == {"HER YER", "GRUPSUZ"}
    form = client.get(reverse("inventory:deviceport_add"), {"device": sites.in201.pk})
    offered = {vlan.name for vlan in form.context["form"].fields["tagged_vlans"].queryset}
    assert offered == {"BINA", "KAT2", "ODA", "HER YER", "GRUPSUZ"}
    data = {"device": sites.centre.pk, "name": "Gi1", "mode": "access", "enabled": "on"}
    response = client.post(
        reverse("inventory:deviceport_add"), {**data, "vlan": sites.vlans.building.pk}
    )
    assert "vlan" in response.context["form"].errors  # not among the form's choices
    response = api.post(
        f"{API}/device-ports/", {**data, "vlan": sites.vlans.building.pk}, format="json"
    )
    assert response.status_code == 400 and "vlan" in response.json()["errors"]
    assert not DevicePort.objects.exists()
    response = api.post(
        f"{API}/device-ports/",
        {**data, "device": sites.in301.pk, "vlan": sites.vlans.building.pk},
        format="json",
    )
    assert response.status_code == 201, response.content


# --------------------------------------------------------------------------- a unit above's VLANs


@pytest.fixture
def branch(org_tree, make_user, system_context):
    """An inventory officer of the network branch only; VLANs of the department above it, of
    the branch, of a sibling branch and of another department."""
    return SimpleNamespace(
        officer=make_user("inventory_officer", org_tree["network"]),
        switch=make_network_device(org_tree["network"], name="sw-kat1"),
        above=make_vlan(org_tree["dept"], vid=99, name="YONETIM"),
        above_staff=make_vlan(org_tree["dept"], vid=20, name="PERSONEL"),
        own=make_vlan(org_tree["network"], vid=30, name="KAMERA"),
        sibling=make_vlan(org_tree["software"], vid=50, name="YAZILIM"),
        foreign=make_vlan(org_tree["roads"], vid=60, name="FEN"),
        org=org_tree,
    )


def test_a_sub_units_officer_is_offered_the_vlans_of_the_units_above(branch):
    client, api = _clients(branch.officer)
    for query in ({"device": branch.switch.pk}, {}):
        form = client.get(reverse("inventory:deviceport_add"), query).context["form"]
        for name in ("vlan", "tagged_vlans"):
            offered = {vlan.name for vlan in form.fields[name].queryset}
            assert offered == {"YONETIM", "PERSONEL", "KAMERA"}, (query, name)
    offered = {vlan.name for vlan in network_selectors.port_vlan_choices(branch.officer)}
    assert offered == {"YONETIM", "PERSONEL", "KAMERA"}  # the bulk edit's choices
    data = {
        "device": branch.switch.pk,
        "name": "Te1/1/1",
        "mode": "tagged",
        "vlan": branch.above.pk,
        "tagged_vlans": [branch.above_staff.pk, branch.own.pk],
        "enabled": "on",
    }
    response = client.post(reverse("inventory:deviceport_add"), data)
    assert response.status_code == 302, response.context["form"].errors
    port = DevicePort.objects.get()
    assert port.vlan == branch.above
    assert set(port.tagged_vlans.all()) == {branch.above_staff, branch.own}
    edit = client.get(reverse("inventory:deviceport_edit", args=[port.pk])).context["form"]
    assert {vlan.name for vlan in edit.fields["vlan"].queryset} == {
        "YONETIM",
        "PERSONEL",
        "KAMERA",
    }
    response = api.post(
        f"{API}/device-ports/",
        {**data, "name": "Te1/1/2", "tagged_vlans": [branch.above_staff.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content
    # a sibling branch's or another department's VLAN: neither offered nor taken, unnamed
    for vlan in (branch.sibling, branch.foreign):
        response = client.post(
            reverse("inventory:deviceport_add"), {**data, "name": "Gi1", "vlan": vlan.pk}
        )
        assert "vlan" in response.context["form"].errors  # not among the form's choices
        with translation.override("en"):
            response = api.post(
                f"{API}/device-ports/", {**data, "name": "Gi1", "vlan": vlan.pk}, format="json"
            )
        assert response.status_code == 400 and "vlan" in response.json()["errors"]
        assert vlan.name not in response.content.decode()
    assert DevicePort.objects.count() == 2


def test_nothing_else_is_widened(branch):
    port = network_services.save_port(
        port=DevicePort(device=branch.switch, name="Gi1", vlan=branch.above)
    )
    client, api = _clients(branch.officer)
    listed = client.get(reverse("inventory:vlan_list"))
    assert {row.name for row in listed.context["table"].data} == {"KAMERA"}
    rows = api.get(f"{API}/vlans/").json()["results"]
    assert [row["name"] for row in rows] == ["KAMERA"]
    assert client.get(branch.above.get_absolute_url()).status_code == 404
    assert client.get(reverse("inventory:vlan_edit", args=[branch.above.pk])).status_code == 404
    assert api.get(f"{API}/vlans/{branch.above.pk}/").status_code == 404
    response = api.patch(f"{API}/vlans/{branch.above.pk}/", {"name": "X"}, format="json")
    assert response.status_code == 404
    # the port itself, in the officer's unit, is theirs to change and keep
    network_services.save_port(port=port, user=branch.officer)
    response = api.patch(f"{API}/device-ports/{port.pk}/", {"speed_mbps": 1000}, format="json")
    assert response.status_code == 200, response.content
    # the subnet form still offers only the VLANs the officer sees
    form = client.get(reverse("inventory:subnet_add")).context["form"]
    assert {vlan.name for vlan in form.fields["vlan"].queryset} == {"KAMERA"}


def test_a_unit_aboves_vlan_is_named_on_the_port_and_linked_only_for_who_may_open_it(
    branch, make_user
):
    """The sub-unit's officer reads the department's VLAN on their port (page, device's ports
    tab, port list) without a link to a page they may not open; the department's officer gets
    the link. The VLAN pages stay within the reader's units (test_nothing_else_is_widened)."""
    head = make_user("inventory_officer", branch.org["dept"])
    port = network_services.save_port(
        port=DevicePort(device=branch.switch, name="Te1", mode="tagged", vlan=branch.above),
        tagged_vlans=[branch.above_staff, branch.own],
    )
    above, staff, own = (
        vlan.get_absolute_url() for vlan in (branch.above, branch.above_staff, branch.own)
    )
    pages = (  # the port list shows the tagged VLANs' IDs only, linked for no one
        (port.get_absolute_url(), True),
        (f"{branch.switch.get_absolute_url()}?tab=ports", True),
        (reverse("inventory:deviceport_list"), False),
    )
    for user, linked in ((branch.officer, False), (head, True)):
        client, _api = _clients(user)
        for url, shows_tagged in pages:
            page = client.get(url).content.decode()
            assert "99 YONETIM" in page, url
            assert (f'href="{above}"' in page) is linked, (user, url)
            if shows_tagged:
                assert (f'href="{staff}"' in page) is linked, (user, url)
                assert f'href="{own}"' in page, (user, url)  # the branch's own VLAN
        assert client.get(above).status_code == (200 if linked else 404)


# --------------------------------------------------------------------------- moves


def _move_refused(save, field, user, **argument):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        save(user=user, **argument)
    assert list(refused.value.message_dict) == [field], refused.value.message_dict
    return refused.value.message_dict[field][0]


def test_a_device_is_not_moved_where_its_ports_vlans_do_not_reach(sites):
    """NetBox's rule: a move that would leave a port with a VLAN it could not have is refused
    at the field that moves it, naming the ports; the ports' VLANs are changed first."""
    v, officer = sites.vlans, sites.inv.officer
    network_services.save_port(
        port=DevicePort(device=sites.in201, name="Gi1", vlan=v.room), user=officer
    )
    network_services.save_port(
        port=DevicePort(device=sites.in201, name="Te1", mode="tagged", vlan=v.building),
        tagged_vlans=[v.floor, v.unsited],
        user=officer,
    )
    network_services.save_port(
        port=DevicePort(device=sites.in201, name="Te2", mode="tagged-all"), user=officer
    )
    device = sites.in201
    device.location = sites.in301.location  # same building, another floor
    message = _move_refused(network_services.save_device, "location", officer, device=device)
    assert "sw-201 Gi1" in message and "sw-201 Te1" in message and "Te2" not in message
    device.refresh_from_db()
    assert device.location.room == "201"
    device.location = sites.centre.location  # another building: the building's VLAN too
    _move_refused(network_services.save_device, "location", officer, device=device)
    device.location = None  # placed nowhere: in no site
    _move_refused(network_services.save_device, "location", officer, device=device)
    # the VLANs changed first, the move is taken; a tagged-all port follows the device
    trunk = DevicePort.objects.get(name="Te1")
    network_services.save_port(port=trunk, tagged_vlans=[v.unsited], user=officer)
    access = DevicePort.objects.get(name="Gi1")
    access.vlan = v.loose
    network_services.save_port(port=access, user=officer)
    device.location = sites.in301.location
    network_services.save_device(device=device, user=officer)
    device.refresh_from_db()
    assert device.location.room == "301"


def test_a_move_is_refused_alike_on_the_form_the_api_and_the_bulk_edit(sites):
    v, officer = sites.vlans, sites.inv.officer
    network_services.save_port(
        port=DevicePort(device=sites.in201, name="Gi1", vlan=v.room), user=officer
    )
    device = sites.in201
    client, api = _clients(officer)
    with translation.override("en"):
        form = client.get(reverse("inventory:networkdevice_edit", args=[device.pk])).context["form"]
        data = {name: value for name, value in form.initial.items() if value is not None}
        data.pop("asset_reference", None)
        data["location"] = sites.in301.location.pk
        response = client.post(reverse("inventory:networkdevice_edit", args=[device.pk]), data)
        assert response.status_code == 400
        assert "sw-201 Gi1" in str(response.context["form"].errors["location"])
        response = api.patch(
            f"{API}/network-devices/{device.pk}/",
            {"location": sites.in301.location.pk},
            format="json",
        )
        assert response.status_code == 400, response.content
        assert response["Content-Type"].startswith("application/problem+json")
        assert "sw-201 Gi1" in str(response.json()["errors"]["location"])
        response = client.post(
            reverse("inventory:networkdevice_bulk_edit"),
            {
                "pk": [device.pk, sites.centre.pk],
                "_apply": "1",
                "location": sites.in301.location.pk,
            },
        )
    assert response.status_code == 200
    assert "sw-201 Gi1" in response.content.decode()
    device.refresh_from_db()
    sites.centre.refresh_from_db()
    assert device.location.room == "201" and sites.centre.location.room == "101"


def test_a_device_is_not_moved_to_a_unit_its_ports_vlans_do_not_reach(branch, make_user):
    head = make_user("inventory_officer", branch.org["dept"])
    network_services.save_port(
        port=DevicePort(device=branch.switch, name="Gi1", vlan=branch.own), user=head
    )
    switch = branch.switch
    switch.unit = branch.org["software"]  # a sibling branch: the branch's VLAN does not reach
    message = _move_refused(network_services.save_device, "unit", head, device=switch)
    assert "sw-kat1 Gi1" in message
    switch.refresh_from_db()
    assert switch.unit == branch.org["network"]
    switch.unit = branch.org["helpdesk"]  # below the branch: it does
    network_services.save_device(device=switch, user=head)
    switch.refresh_from_db()
    assert switch.unit == branch.org["helpdesk"]


def test_a_groups_site_is_not_changed_under_the_ports_using_its_vlans(sites, make_user):
    v, officer = sites.vlans, sites.inv.officer
    network_services.save_port(
        port=DevicePort(device=sites.in201, name="Gi1", vlan=v.unsited), user=officer
    )
    network_services.save_port(
        port=DevicePort(device=sites.centre, name="Te1", mode="tagged"),
        tagged_vlans=[v.unsited],
        user=officer,
    )
    group = v.unsited.group
    group.location = sites.in201.location
    message = _move_refused(network_services.save_vlan_group, "location", officer, group=group)
    assert "sw-km Te1" in message and "sw-201" not in message
    group.refresh_from_db()
    assert group.location is None
    client, api = _clients(officer)
    with translation.override("en"):
        response = api.patch(
            f"{API}/vlan-groups/{group.pk}/", {"location": sites.in201.location.pk}, format="json"
        )
    assert response.status_code == 400, response.content
    assert "sw-km Te1" in str(response.json()["errors"]["location"])
    response = client.post(
        reverse("inventory:vlangroup_edit", args=[group.pk]),
        {
            "unit": group.unit_id,
            "name": group.name,
            "location": sites.in201.location.pk,
            "min_vid": 1,
            "max_vid": 4094,
        },
    )
    assert response.status_code == 400 and "location" in response.context["form"].errors
    group.refresh_from_db()
    assert group.location is None
    # an officer who does not see the device is told how many ports, not which
    unit = sites.inv.unit
    sites.centre.unit = sites.inv.other_unit
    sites.centre.save()
    outsider = make_user("inventory_officer", unit)
    group.location = sites.in201.location
    message = _move_refused(network_services.save_vlan_group, "location", outsider, group=group)
    assert "1 port" in message and "sw-km" not in message


def test_a_vlan_is_not_moved_out_of_reach_of_the_ports_carrying_it(sites, branch, make_user):
    v, officer = sites.vlans, sites.inv.officer
    network_services.save_port(
        port=DevicePort(device=sites.centre, name="Gi1", vlan=v.loose), user=officer
    )
    v.loose.group = v.room.group  # a group whose site is room 201
    message = _move_refused(network_services.save_vlan, "group", officer, vlan=v.loose)
    assert "sw-km Gi1" in message
    v.loose.refresh_from_db()
    assert v.loose.group is None
    v.loose.group = v.unsited.group  # a group naming no site
    network_services.save_vlan(vlan=v.loose, user=officer)
    # a unit's VLAN moved to a unit not above the devices carrying it
    head = make_user("inventory_officer", branch.org["dept"])
    network_services.save_port(
        port=DevicePort(device=branch.switch, name="Te1", mode="tagged"),
        tagged_vlans=[branch.above],
        user=head,
    )
    branch.above.unit = branch.org["software"]
    message = _move_refused(network_services.save_vlan, "unit", head, vlan=branch.above)
    assert "sw-kat1 Te1" in message
    api = APIClient()
    api.force_authenticate(head)
    with translation.override("en"):
        response = api.patch(
            f"{API}/vlans/{branch.above.pk}/", {"unit": branch.org["software"].pk}, format="json"
        )
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    branch.above.refresh_from_db()
    assert branch.above.unit == branch.org["dept"]
    branch.above.unit = branch.org["network"]  # the switch's own unit: still within reach
    network_services.save_vlan(vlan=branch.above, user=head)


def test_the_port_forms_help_texts_state_the_whole_rule():
    """Both VLAN fields of the port form say the unit rule and the site rule, in English and
    Turkish; the tagged VLANs' says the rest of what the service refuses."""
    from biys.inventory.network_forms import DevicePortForm

    form = DevicePortForm()
    for language, words in (
        ("en", ("unit above it", "site", "VLAN ID")),
        ("tr", ("üstündeki bir birimin", "yerleşke", "VLAN numarası")),
    ):
        with translation.override(language):
            untagged = str(form.fields["vlan"].help_text)
            tagged = str(form.fields["tagged_vlans"].help_text)
        assert words[0] in untagged and words[1] in untagged, untagged
        assert all(word in tagged for word in words), tagged
