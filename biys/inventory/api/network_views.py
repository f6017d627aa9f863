"""The network inventory API: VRFs, VLANs, VLAN groups, devices, their ports, subnets (with ``used`` and ``utilisation``)
and the addresses given out (``outside=true``: those in no subnet). Writes go through
``network_services``: an address given out twice is a 400 problem at ``address``.

Deletes go through the same services as the delete pages, in one transaction: a delete refused
because other records hold the object (a VRF with subnets, addresses or devices managed in it, a
device with addresses other than its management address, a device's management address) is a
409 problem whose ``held_by`` lists what holds it, and nothing is deleted."""

from biys.core.api.views import BiysReadOnlyModelViewSet
from biys.inventory import network_filtersets as filtersets
from biys.inventory import network_selectors, network_services
from biys.inventory.api import network_serializers as serializers
from biys.inventory.api.views import ServiceDeletedViewSet, documented_delete
from biys.inventory.models import (
    VLAN,
    VRF,
    AddressHolding,
    DevicePort,
    IPAssignment,
    NetworkDevice,
    VLANGroup,
)


@documented_delete(
    "Delete a VRF holding nothing. Its subnets, addresses and the devices managed in it refuse "
    "it: 409, with held_by."
)
class VRFViewSet(ServiceDeletedViewSet):
    queryset = VRF.objects.order_by("sort_name", "pk")
    serializer_class = serializers.VRFSerializer
    filterset_class = filtersets.VRFFilterSet
    delete_service = network_services.delete_vrf
    delete_argument = "vrf"


@documented_delete(
    "Delete a VLAN no subnet or port names. The subnets and ports in it refuse it: 409, with "
    "held_by."
)
class VLANViewSet(ServiceDeletedViewSet):
    queryset = VLAN.objects.order_by("vid", "pk")
    serializer_class = serializers.VLANSerializer
    filterset_class = filtersets.VLANFilterSet
    delete_service = network_services.delete_vlan
    delete_argument = "vlan"


@documented_delete("Delete a VLAN group holding no VLAN. Its VLANs refuse it: 409, with held_by.")
class VLANGroupViewSet(ServiceDeletedViewSet):
    queryset = VLANGroup.objects.order_by("sort_name", "pk")
    serializer_class = serializers.VLANGroupSerializer
    filterset_class = filtersets.VLANGroupFilterSet
    delete_service = network_services.delete_vlan_group
    delete_argument = "group"


@documented_delete(
    "Delete a device with its ports and its management address. Any other address still given "
    "out to it refuses it: 409, with held_by."
)
class NetworkDeviceViewSet(ServiceDeletedViewSet):
    queryset = NetworkDevice.objects.order_by("sort_name", "pk")
    serializer_class = serializers.NetworkDeviceSerializer
    filterset_class = filtersets.NetworkDeviceFilterSet
    delete_service = network_services.delete_device
    delete_argument = "device"


class DevicePortViewSet(ServiceDeletedViewSet):
    queryset = (
        DevicePort.objects.select_related("device")
        .prefetch_related("tagged_vlans")
        .order_by("device__sort_name", "name", "pk")
    )
    serializer_class = serializers.DevicePortSerializer
    filterset_class = filtersets.DevicePortFilterSet
    delete_service = network_services.delete_port
    delete_argument = "port"


@documented_delete(
    "Delete a subnet; the addresses it held go to the next narrower subnet of its VRF holding "
    "them, or are flagged as in no subnet."
)
class SubnetViewSet(ServiceDeletedViewSet):
    queryset = network_selectors.subnets_with_usage().order_by("start_key", "prefix_length", "pk")
    serializer_class = serializers.SubnetSerializer
    filterset_class = filtersets.SubnetFilterSet
    delete_service = network_services.delete_subnet
    delete_argument = "subnet"


@documented_delete(
    "Free an address; its history is closed. A device's management address is freed by "
    "changing the device: 409, with held_by naming the device."
)
class IPAssignmentViewSet(ServiceDeletedViewSet):
    queryset = IPAssignment.objects.order_by("sort_key", "pk")
    serializer_class = serializers.IPAssignmentSerializer
    filterset_class = filtersets.IPAssignmentFilterSet
    delete_service = network_services.delete_assignment
    delete_argument = "assignment"


class AddressHoldingViewSet(BiysReadOnlyModelViewSet):
    """An address's history: who held it from when to when (``ip_address=<id>``, or ``address``
    with ``vrf`` or ``global_table=true``). Written by the services only."""

    queryset = AddressHolding.objects.select_related("device").order_by("-started_at", "-id")
    serializer_class = serializers.AddressHoldingSerializer
    filterset_class = filtersets.AddressHoldingFilterSet
