"""The devices inventory agents reported and the conflicts a person resolves: read here, with
``link`` (a discovered device is this asset of the register) and ``resolve``. Agents themselves
report to ``/api/agent/`` in their own protocol (``biys.inventory.agent_endpoint``)."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from biys.core.api.views import BiysReadOnlyModelViewSet
from biys.inventory import agent_services, filtersets, selectors
from biys.inventory.api import agent_serializers as serializers
from biys.inventory.api.views import _run
from biys.inventory.models import AgentConflict, AgentDevice, Asset


class AgentDeviceViewSet(BiysReadOnlyModelViewSet):
    """Devices agents reported: ``?registered=false`` those not on the register yet."""

    queryset = AgentDevice.objects.select_related("unit", "asset").order_by(
        "-last_inventory_at", "-pk"
    )
    serializer_class = serializers.AgentDeviceSerializer
    filterset_class = filtersets.AgentDeviceFilterSet

    @extend_schema(
        request=serializers.AgentDeviceLinkSerializer,
        responses={200: serializers.AgentDeviceSerializer},
    )
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        device = self.get_object()
        data = serializers.AgentDeviceLinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asset = selectors.asset_by_reference(data.validated_data["asset_reference"])
        if (
            asset is None
            or not Asset.objects.restrict(request.user, "view").filter(pk=asset.pk).exists()
        ):
            raise exceptions.ValidationError(
                {"asset_reference": ["No asset of the register has this number or serial."]}
            )
        try:
            device = _run(
                lambda: agent_services.link_device(device=device, asset=asset, user=request.user)
            )
        except PermissionDenied as error:
            raise exceptions.PermissionDenied() from error
        return Response(self.get_serializer(device).data)


class AgentConflictViewSet(BiysReadOnlyModelViewSet):
    """Inventories whose keys point at different records (``?open=true`` those waiting)."""

    queryset = AgentConflict.objects.select_related("unit").order_by("resolved_at", "-last_seen")
    serializer_class = serializers.AgentConflictSerializer
    filterset_class = filtersets.AgentConflictFilterSet

    @extend_schema(
        request=serializers.AgentConflictResolveSerializer,
        responses={200: serializers.AgentConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        conflict = self.get_object()
        data = serializers.AgentConflictResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            _run(
                lambda: agent_services.resolve_conflict(
                    conflict=conflict, choice=data.validated_data["choice"], user=request.user
                )
            )
        except PermissionDenied as error:
            raise exceptions.PermissionDenied() from error
        conflict.refresh_from_db()
        return Response(self.get_serializer(conflict).data)
