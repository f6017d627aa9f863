"""Filters of the network inventory lists, shared by the web lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.inventory.models import (
    VLAN,
    VRF,
    AddressHolding,
    AddressStatus,
    DeviceKind,
    DevicePort,
    IPAssignment,
    Location,
    NetworkDevice,
    PortMode,
    Subnet,
    VLANGroup,
    VLANStatus,
)
from biys.org.filtersets import UnitScopedFilterSet
from biys.org.models import Unit


def _visible(model):
    """The choices of a filter over ``model``: the rows the requesting user may see, the scope
    of the model's own list and of the edit forms' choices (``restrict(user, "view")``), so a
    drop-down never names another unit's VRF or VLAN. No user (no request): no choices."""

    def choices(request=None):
        return model.objects.restrict(getattr(request, "user", None), "view")

    return choices


class VRFFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "rd", "description")
    panel_fields = ("q", "unit", "include_subtree")

    class Meta:
        model = VRF
        fields = ["q", "unit"]


class VLANGroupFilterSet(UnitScopedFilterSet):
    """``location``: the groups of one site."""

    search_lookups = ("name", "description")
    location = django_filters.ModelChoiceFilter(
        queryset=_visible(Location), label=pgettext_lazy("network", "Site")
    )
    panel_fields = ("q", "location", "unit", "include_subtree")

    class Meta:
        model = VLANGroup
        fields = ["q", "location", "unit"]


class VLANFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "description")
    vid = django_filters.NumberFilter(label=_("VLAN ID"))
    status = django_filters.MultipleChoiceFilter(choices=VLANStatus.choices, label=_("Status"))
    group = django_filters.ModelChoiceFilter(queryset=_visible(VLANGroup), label=_("VLAN group"))
    panel_fields = ("q", "vid", "status", "group", "unit", "include_subtree")

    class Meta:
        model = VLAN
        fields = ["q", "vid", "status", "group", "unit"]


class _InVLAN(django_filters.FilterSet):
    """``vlan``: the subnets or ports of one VLAN (its id); ``vid``: of the VLANs numbered so."""

    vlan = django_filters.ModelChoiceFilter(queryset=_visible(VLAN), label=_("VLAN"))
    vid = django_filters.NumberFilter(field_name="vlan__vid", label=_("VLAN ID"))


class _InVRF(django_filters.FilterSet):
    """``vrf``: the subnets or addresses of one VRF; ``global_table=true``: those in no VRF."""

    vrf = django_filters.ModelChoiceFilter(queryset=_visible(VRF), label=_("VRF"))
    global_table = django_filters.BooleanFilter(
        field_name="vrf", lookup_expr="isnull", label=_("Global table")
    )


class NetworkDeviceFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "serial_number", "management_ip", "mac_address", "model", "rack")
    kind = django_filters.MultipleChoiceFilter(choices=DeviceKind.choices, label=_("Kind"))
    registered = django_filters.BooleanFilter(
        field_name="asset", lookup_expr="isnull", exclude=True, label=_("On the register")
    )
    panel_fields = ("q", "kind", "registered", "unit", "include_subtree")

    class Meta:
        model = NetworkDevice
        fields = ["q", "kind", "registered", "unit"]


@extend_schema_field(OpenApiTypes.INT)
class DeviceUnitFilter(django_filters.ModelMultipleChoiceFilter):
    """The unit of the device a port is on."""


class DevicePortFilterSet(_InVLAN, UnitScopedFilterSet):
    unit_lookup = "device__unit"
    unit = DeviceUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    search_lookups = ("name", "connected_to", "device__name")
    device = django_filters.ModelChoiceFilter(queryset=_visible(NetworkDevice), label=_("Device"))
    mode = django_filters.MultipleChoiceFilter(choices=PortMode.choices, label=_("802.1Q mode"))
    tagged_vlan = django_filters.ModelChoiceFilter(
        field_name="tagged_vlans", queryset=_visible(VLAN), label=_("Tagged VLAN")
    )
    panel_fields = ("q", "vid", "mode", "enabled", "unit", "include_subtree")

    class Meta:
        model = DevicePort
        fields = ["q", "device", "vlan", "vid", "mode", "tagged_vlan", "enabled", "unit"]


class SubnetFilterSet(_InVRF, _InVLAN, UnitScopedFilterSet):
    search_lookups = ("prefix", "description", "gateway")
    family = django_filters.ChoiceFilter(choices=[(4, "IPv4"), (6, "IPv6")], label=_("IP version"))
    panel_fields = ("q", "vrf", "global_table", "vid", "family", "unit", "include_subtree")

    class Meta:
        model = Subnet
        fields = ["q", "vrf", "global_table", "vlan", "vid", "family", "unit"]


class IPAssignmentFilterSet(_InVRF, UnitScopedFilterSet):
    """``outside=true``: the addresses in no recorded subnet."""

    search_lookups = ("address", "host", "mac_address", "device__name")
    status = django_filters.MultipleChoiceFilter(choices=AddressStatus.choices, label=_("Status"))
    subnet = django_filters.ModelChoiceFilter(queryset=_visible(Subnet), label=_("Subnet"))
    device = django_filters.ModelChoiceFilter(queryset=_visible(NetworkDevice), label=_("Device"))
    outside = django_filters.BooleanFilter(
        field_name="subnet", lookup_expr="isnull", label=_("Outside every subnet")
    )
    panel_fields = ("q", "vrf", "global_table", "status", "outside", "unit", "include_subtree")

    class Meta:
        model = IPAssignment
        fields = ["q", "vrf", "global_table", "status", "subnet", "device", "outside", "unit"]


@extend_schema_field(OpenApiTypes.INT)
class AssignmentFilter(django_filters.ModelChoiceFilter):
    """A given-out address, by its id."""


class AddressHoldingFilterSet(_InVRF, UnitScopedFilterSet):
    """An address's history: ``address`` (as written: normalised first) in ``vrf`` or the
    ``global_table``; ``ip_address``: the history of that given-out address; ``current=true``:
    the holdings still open."""

    search_lookups = ("address", "holder", "mac_address")
    address = django_filters.CharFilter(method="filter_address", label=_("IP address"))
    ip_address = AssignmentFilter(
        queryset=_visible(IPAssignment), method="filter_ip_address", label=_("IP address")
    )
    device = django_filters.ModelChoiceFilter(queryset=_visible(NetworkDevice), label=_("Device"))
    current = django_filters.BooleanFilter(
        field_name="ended_at", lookup_expr="isnull", label=_("Still held")
    )
    panel_fields = ("q", "vrf", "global_table", "current", "unit", "include_subtree")

    class Meta:
        model = AddressHolding
        fields = ["q", "address", "ip_address", "vrf", "global_table", "device", "current", "unit"]

    def filter_address(self, queryset, name, value):
        import ipaddress

        try:
            value = ipaddress.ip_address(value.strip()).compressed
        except ValueError:
            return queryset.none()
        return queryset.filter(address=value)

    def filter_ip_address(self, queryset, name, assignment):
        if assignment is None:
            return queryset
        return queryset.filter(address=assignment.address, vrf_id=assignment.vrf_id)
