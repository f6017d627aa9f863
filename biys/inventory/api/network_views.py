"""The network inventory API: VRFs, devices, their ports, subnets (with ``used`` and ``utilisation``)
and the addresses given out (``outside=true``: those in no subnet). Writes go through
``network_services``: an address given out twice is a 400 problem at ``address``. Nothing is
deleted here."""

from biys.core.api.views import BiysModelViewSet, BiysReadOnlyModelViewSet
from biys.inventory import network_filtersets as filtersets
from biys.inventory import network_selectors
from biys.inventory.api import network_serializers as serializers
from biys.inventory.api.views import NO_DELETE
from biys.inventory.models import VRF, AddressHolding, DevicePort, IPAssignment, NetworkDevice


class VRFViewSet(BiysModelViewSet):
    queryset = VRF.objects.order_by("name", "pk")
    serializer_class = serializers.VRFSerializer
    filterset_class = filtersets.VRFFilterSet
    http_method_names = NO_DELETE


class NetworkDeviceViewSet(BiysModelViewSet):
    queryset = NetworkDevice.objects.order_by("name", "pk")
    serializer_class = serializers.NetworkDeviceSerializer
    filterset_class = filtersets.NetworkDeviceFilterSet
    http_method_names = NO_DELETE


class DevicePortViewSet(BiysModelViewSet):
    queryset = DevicePort.objects.select_related("device").order_by("device__name", "name", "pk")
    serializer_class = serializers.DevicePortSerializer
    filterset_class = filtersets.DevicePortFilterSet
    http_method_names = NO_DELETE


class SubnetViewSet(BiysModelViewSet):
    queryset = network_selectors.subnets_with_usage().order_by("start_key", "prefix_length", "pk")
    serializer_class = serializers.SubnetSerializer
    filterset_class = filtersets.SubnetFilterSet
    http_method_names = NO_DELETE


class IPAssignmentViewSet(BiysModelViewSet):
    queryset = IPAssignment.objects.order_by("sort_key", "pk")
    serializer_class = serializers.IPAssignmentSerializer
    filterset_class = filtersets.IPAssignmentFilterSet
    http_method_names = NO_DELETE


class AddressHoldingViewSet(BiysReadOnlyModelViewSet):
    """An address's history: who held it from when to when (``ip_address=<id>``, or ``address``
    with ``vrf`` or ``global_table=true``). Written by the services only."""

    queryset = AddressHolding.objects.select_related("device").order_by("-started_at", "-id")
    serializer_class = serializers.AddressHoldingSerializer
    filterset_class = filtersets.AddressHoldingFilterSet
