"""Tables of the network inventory lists (their columns are the CSV and Excel exports too)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.access import can
from biys.core.tables import BiysTable
from biys.inventory.models import (
    VLAN,
    VRF,
    DevicePort,
    IPAssignment,
    NetworkDevice,
    Subnet,
    VLANGroup,
)
from biys.inventory.network_selectors import utilisation


def _vrf_column():
    return tables.Column(
        verbose_name=_("VRF"),
        linkify=lambda record: record.vrf.get_absolute_url() if record.vrf_id else None,
        order_by=("vrf__sort_name",),
        default=_("global"),
    )


def _vlan_url(vlan, table) -> str | None:
    """The VLAN's page, for a reader who may open it: a port's VLAN may be of a unit above the
    reader's, carried on their ports but not on their VLAN list (named, not linked)."""
    if vlan is None:
        return None
    user = getattr(table.request, "user", None)
    return vlan.get_absolute_url() if user is None or can(user, "view", vlan) else None


def _vlan_column():
    return tables.Column(
        verbose_name=_("VLAN"),
        linkify=lambda record: record.vlan.get_absolute_url() if record.vlan_id else None,
        order_by=("vlan__vid",),
    )


class VLANTable(BiysTable):
    vid = tables.Column(
        verbose_name=_("VLAN ID"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("vid", "pk"),
    )
    name = tables.Column(verbose_name=_("Name"), linkify=lambda record: record.get_absolute_url())
    group = tables.Column(
        verbose_name=_("VLAN group"),
        linkify=lambda record: record.group.get_absolute_url() if record.group_id else None,
        order_by=("group__name",),
    )

    class Meta(BiysTable.Meta):
        model = VLAN
        fields = ("vid", "name", "group", "status", "description", "unit")


class VLANGroupTable(BiysTable):
    name = tables.Column(
        verbose_name=_("Name"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("sort_name", "pk"),
    )
    vid_range = tables.Column(
        verbose_name=_("VLAN IDs"), accessor="vid_range", order_by=("min_vid", "max_vid")
    )
    location = tables.Column(
        verbose_name=pgettext_lazy("network", "Site"), order_by=("location__sort_name",)
    )

    class Meta(BiysTable.Meta):
        model = VLANGroup
        fields = ("name", "vid_range", "location", "description", "unit")


class VRFTable(BiysTable):
    name = tables.Column(
        verbose_name=_("Name"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("sort_name", "pk"),
    )

    class Meta(BiysTable.Meta):
        model = VRF
        fields = ("name", "rd", "description", "unit")


class NetworkDeviceTable(BiysTable):
    name = tables.Column(
        verbose_name=_("Host name"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("sort_name", "pk"),
    )
    asset = tables.Column(
        verbose_name=_("Asset"),
        linkify=lambda record: record.asset.get_absolute_url() if record.asset_id else None,
        order_by=("asset__inventory_number",),
        default=_("not registered"),
    )
    location = tables.Column(verbose_name=_("Location"), order_by=("location__sort_name",))

    class Meta(BiysTable.Meta):
        model = NetworkDevice
        fields = (
            "name", "kind", "management_ip", "mac_address", "manufacturer", "model", "firmware",
            "asset", "location", "rack", "rack_unit", "unit",
        )  # fmt: skip


class DevicePortTable(BiysTable):
    device = tables.Column(
        verbose_name=_("Device"),
        linkify=lambda record: record.device.get_absolute_url(),
        order_by=("device__sort_name",),
    )
    name = tables.Column(verbose_name=_("Port"), linkify=lambda record: record.get_absolute_url())
    vlan = tables.Column(
        verbose_name=_("Untagged VLAN"),
        linkify=lambda record, table: _vlan_url(record.vlan, table),
        order_by=("vlan__vid",),
    )
    tagged_vlans = tables.Column(verbose_name=_("Tagged VLANs"), empty_values=(), orderable=False)

    class Meta(BiysTable.Meta):
        model = DevicePort
        fields = (
            "device", "name", "speed_mbps", "mode", "vlan", "tagged_vlans", "connected_to",
            "enabled",
        )  # fmt: skip

    def render_tagged_vlans(self, record):
        return self.value_tagged_vlans(record) or "—"

    def value_tagged_vlans(self, record):
        return ", ".join(str(vlan.vid) for vlan in record.tagged_vlans.all())


class SubnetTable(BiysTable):
    prefix = tables.Column(
        verbose_name=_("Prefix"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("start_key", "prefix_length"),
    )
    vrf = _vrf_column()
    vlan = _vlan_column()
    used = tables.Column(verbose_name=_("Addresses given out"), orderable=True)
    usage = tables.Column(verbose_name=_("Utilisation (%)"), empty_values=(), orderable=False)

    class Meta(BiysTable.Meta):
        model = Subnet
        fields = ("prefix", "vrf", "vlan", "gateway", "description", "used", "usage", "unit")

    def render_usage(self, record):
        return utilisation(record)

    def value_usage(self, record):
        return utilisation(record)


class IPAssignmentTable(BiysTable):
    address = tables.Column(
        verbose_name=_("IP address"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("sort_key",),
    )
    vrf = _vrf_column()
    subnet = tables.Column(
        verbose_name=_("Subnet"),
        linkify=lambda record: record.subnet.get_absolute_url() if record.subnet_id else None,
        order_by=("subnet__start_key",),
        default=_("outside every subnet"),
    )
    device = tables.Column(
        verbose_name=_("Device"),
        linkify=lambda record: record.device.get_absolute_url() if record.device_id else None,
        order_by=("device__sort_name",),
    )

    class Meta(BiysTable.Meta):
        model = IPAssignment
        fields = ("address", "vrf", "subnet", "status", "device", "host", "mac_address", "unit")

    def render_subnet(self, value, record):
        return value.prefix

    def value_subnet(self, value, record):
        return value.prefix if value else ""
