"""Network inventory demo: the IT department's switches, firewall, access points, cameras and
UPSs made network devices of the register's assets (those in racks in the main building's system
room), two attendance devices (PDKS), a DHCP server (the 5651 demo's DHCP source names it) and
a router not on the register, the campus VLANs in two VLAN groups (the main building's and the
cultural centre's, each with its site and range), the switches' access ports and their uplink trunks
(the management VLAN untagged, the others tagged), the subnets in them with the addresses given out (one in
no subnet, for the flag, one passed from a replaced printer to its successor for the address history), a VRF for
the social facilities whose 192.168.1.0/24 overlaps the old network's address
in the global table, and a few service desk fault tickets naming the network devices, so the fault statistics
per model have figures. Runs after the service desk's demo (its catalogue)."""

import random

from biys.demo.builder import DemoResult, register_demo_step

# (VLAN ID, name, description): the VLANs the subnets and the switches' ports are in
VLANS = [
    (10, "SUNUCU", "Sunucu odası"),
    (20, "PERSONEL", "Personel bilgisayarları ve yazıcılar"),
    (30, "KAMERA", "Güvenlik kameraları"),
    (40, "PDKS", "Personel devam kontrol cihazları"),
    (99, "YONETIM", "Ağ cihazlarının yönetimi"),
]
# (name, building, lowest and highest VLAN ID, description): the VLAN groups; the VLANs above
# are the main building's, the cultural centre numbers its own from 100
VLAN_GROUPS = [
    ("Hizmet Binası", "Hizmet Binası", 1, 99, "Ana binanın anahtarları"),
    ("Kültür Merkezi", "Kültür Merkezi", 100, 199, "Kültür merkezinin anahtarları"),
]
# (group, VLAN ID, name, description): the cultural centre's VLANs
GROUP_VLANS = [
    ("Kültür Merkezi", 110, "KM-PERSONEL", "Kültür merkezi personeli"),
    ("Kültür Merkezi", 130, "KM-KAMERA", "Kültür merkezi kameraları"),
]
# (prefix, VLAN ID, gateway, description)
SUBNETS = [
    ("10.10.0.0/16", None, "", "Hizmet Binası yerleşkesi"),
    ("10.10.1.0/24", 10, "10.10.1.1", "Sunucular"),
    ("10.10.10.0/24", 99, "10.10.10.1", "Ağ cihazları yönetimi"),
    ("10.10.20.0/23", 20, "10.10.20.1", "Personel"),
    ("10.10.30.0/24", 30, "10.10.30.1", "Güvenlik kameraları"),
    ("10.10.40.0/24", 40, "10.10.40.1", "PDKS cihazları"),
]
# model name of the register -> (kind, management subnet's third octet)
KINDS = {
    "Catalyst 9200-48P": ("switch", 10),
    "FortiGate 100F": ("firewall", 10),
    "UniFi U6 Pro": ("access_point", 10),
    "Smart-UPS 1500": ("ups", 10),
    "DS-2CD2143G2-I": ("camera", 30),
}
FAULTS = ["Port çalışmıyor", "Cihaz yeniden başlıyor", "Görüntü gelmiyor", "Bağlantı kopuyor"]


@register_demo_step
def build_network(result: DemoResult, rng: random.Random) -> None:
    rng = random.Random(1111)  # its own: the later steps draw from the shared one unchanged
    from biys.inventory import network_services, services
    from biys.inventory.models import (
        VLAN,
        VRF,
        Asset,
        DevicePort,
        IPAssignment,
        Location,
        NetworkDevice,
        Subnet,
        VLANGroup,
    )

    assets = list(
        Asset.objects.filter(item_model__name__in=KINDS)
        .exclude(status__in=["scrapped", "written_off"])
        .select_related("item_model", "location")
        .order_by("pk")
    )
    if not assets:
        return
    top = assets[0].unit
    # The VLANs and their groups are the IT department's as a whole (the unit above the
    # branches the devices are in), so every switch's ports may carry them.
    runs_vlans = top
    while runs_vlans.parent_id and runs_vlans.parent.is_it_department:
        runs_vlans = runs_vlans.parent
    groups = {}
    for name, building, low, high, description in VLAN_GROUPS:
        # the site is the whole building (no floor, no room): every room of it is within it
        site = Location.objects.filter(building=building, floor="", room="").first()
        if site is None and Location.objects.filter(building=building).exists():
            site = services.save_location(location=Location(unit=top, building=building))
        groups[name] = network_services.save_vlan_group(
            group=VLANGroup(
                unit=runs_vlans,
                name=name,
                location=site,
                min_vid=low,
                max_vid=high,
                description=description,
            )
        )
    main = groups[VLAN_GROUPS[0][0]]
    vlans = {
        vid: network_services.save_vlan(
            vlan=VLAN(unit=runs_vlans, vid=vid, name=name, description=description, group=main)
        )
        for vid, name, description in VLANS
    }
    for group, vid, name, description in GROUP_VLANS:
        network_services.save_vlan(
            vlan=VLAN(
                unit=runs_vlans,
                vid=vid,
                name=name,
                description=description,
                group=groups[group],
            )
        )
    for prefix, vid, gateway, description in SUBNETS:
        network_services.save_subnet(
            subnet=Subnet(
                unit=top,
                prefix=prefix,
                vlan=vlans.get(vid),
                gateway=gateway,
                description=description,
            )
        )
    hosts = {10: 10, 30: 10}
    devices = []
    # the switches, firewalls and UPSs are in the main building's system room's cabinets, so
    # the switches' ports carry the main building's VLANs (its group's site)
    system_room = Location.objects.filter(building=VLAN_GROUPS[0][1], room="Sistem Odası").first()
    for index, asset in enumerate(assets, start=1):
        kind, octet = KINDS[asset.item_model.name]
        hosts[octet] += 1
        in_rack = kind in ("switch", "firewall", "ups")
        devices.append(
            network_services.save_device(
                device=NetworkDevice(
                    unit=asset.unit,
                    name=f"{kind.replace('_', '-')}-{index:02d}",
                    kind=kind,
                    asset=asset,
                    management_ip=f"10.10.{octet}.{hosts[octet]}",
                    mac_address=":".join(f"{rng.randint(0, 255):02x}" for _ in range(6)),
                    firmware={"switch": "IOS-XE 17.9.4", "firewall": "FortiOS 7.2.8"}.get(
                        kind, "1.0"
                    ),
                    location=system_room if in_rack and system_room else asset.location,
                    # 19 devices a cabinet, 2U apart from the top (a big preset fills several)
                    rack=f"Kabinet {'ABCDEFGHIJ'[(index - 1) // 19 % 10]}" if in_rack else "",
                    rack_unit=40 - 2 * ((index - 1) % 19 + 1) if in_rack else None,
                )
            )
        )
    room = Location.objects.filter(unit=top).order_by("sort_name").first()
    for index in (1, 2):
        devices.append(
            network_services.save_device(
                device=NetworkDevice(
                    unit=top,
                    name=f"pdks-{index:02d}",
                    kind="attendance",
                    manufacturer="ZKTeco",
                    model="SpeedFace-V5L",
                    serial_number=f"ZK{rng.randint(10**7, 10**8 - 1)}",
                    management_ip=f"10.10.40.{10 + index}",
                    location=room,
                    notes="Personel girişinde; henüz taşınır kaydı yapılmadı.",
                )
            )
        )
    # the main building's DHCP server, whose leases the 5651 demo's DHCP source logs
    network_services.save_device(
        device=NetworkDevice(
            unit=top,
            name="dhcp1",
            kind="other",
            manufacturer="ISC",
            model="dhcpd 4.4",
            management_ip="10.10.1.10",
            location=system_room,
            rack="Kabinet A",
            notes="Hizmet binasının DHCP sunucusu.",
        )
    )
    network_services.save_device(
        device=NetworkDevice(
            unit=top,
            name="router-01",
            kind="router",
            manufacturer="MikroTik",
            model="CCR2004-16G-2S+",
            management_ip="10.10.10.2",
            firmware="RouterOS 7.14",
            rack="Kabinet A",
            rack_unit=42,
        )
    )
    for switch in [device for device in devices if device.kind == "switch"]:
        for port in range(1, 5):
            network_services.save_port(
                port=DevicePort(
                    device=switch,
                    name=f"Gi1/0/{port}",
                    speed_mbps=1000,
                    vlan=vlans[20 if port < 4 else 30],
                    connected_to=f"Priz {switch.name[-2:]}-{port:02d}",
                )
            )
        # the uplink is a trunk: the management VLAN untagged (native), the others tagged
        network_services.save_port(
            port=DevicePort(
                device=switch,
                name="Te1/1/1",
                speed_mbps=10000,
                mode="tagged",
                vlan=vlans[99],
                connected_to="router-01 sfp1",
            ),
            tagged_vlans=[vlans[vid] for vid in (10, 20, 30, 40)],
        )
    printers = {}
    for last, host, status in [
        (10, "Yazıcı kat 1 (HP LaserJet)", "active"),
        (11, "Yazıcı kat 2 (Canon MF443)", "active"),
        (50, "DHCP aralığı başı", "dhcp"),
        (5, "Yeni yazıcı için ayrıldı", "reserved"),
    ]:
        printers[last] = network_services.save_assignment(
            assignment=IPAssignment(unit=top, address=f"10.10.20.{last}", host=host, status=status)
        )
    # the second floor's printer was replaced: its address passed to the new one (its history)
    replaced = printers[11]
    replaced.host = "Yazıcı kat 2 (Canon MF445)"
    network_services.save_assignment(assignment=replaced)
    network_services.save_assignment(
        assignment=IPAssignment(
            unit=top,
            address="192.168.1.20",
            host="Eski kamera kayıt cihazı (NVR)",
            notes="Eski ağda kaldı; hiçbir alt ağda değil.",
        )
    )
    # The social facilities' network reuses 192.168.1.0/24 in a VRF of its own: its .20 is
    # another address than the old NVR's above, in the global table.
    facilities = network_services.save_vrf(
        vrf=VRF(
            unit=top,
            name="Sosyal Tesisler",
            rd="65010:10",
            description="Kreş ve sosyal tesislerin ayrı yönlendirme tablosu",
        )
    )
    network_services.save_subnet(
        subnet=Subnet(
            unit=top,
            vrf=facilities,
            prefix="192.168.1.0/24",
            gateway="192.168.1.1",
            description="Kreş binası",
        )
    )
    for last, host in [(20, "Kreş kayıt bilgisayarı"), (21, "Kreş yazıcısı")]:
        network_services.save_assignment(
            assignment=IPAssignment(
                unit=top, vrf=facilities, address=f"192.168.1.{last}", host=host
            )
        )
    _file_faults(devices, rng)
    if isinstance(getattr(result, "inventory", None), dict):
        result.inventory["network_devices"] = NetworkDevice.objects.count()


def _file_faults(devices, rng: random.Random) -> None:
    """A few fault tickets naming network devices by inventory number (the cameras most)."""
    from biys.servicedesk import services
    from biys.servicedesk.models import CatalogItem

    item = CatalogItem.objects.filter(kind="fault", is_active=True).order_by("pk").first()
    registered = [device for device in devices if device.asset_id]
    if item is None or not registered:
        return
    requester = registered[0].asset.unit.people.filter(status="active").order_by("pk").first()
    if requester is None:
        return
    cameras = [device for device in registered if device.kind == "camera"] or registered
    for device in [*cameras, *cameras, registered[0]]:
        services.create_ticket(
            catalog_item=item,
            requester=requester,
            title=rng.choice(FAULTS),
            description=f"{device.name} arızalı.",
            asset_reference=device.asset.inventory_number,
        )
