"""The count (sayım) and write-off API: counts opened, their labels recorded (``scan``), their
consumables counted (``quantity``), finished, reopened and closed; write-off and scrapping
proposals made and decided by the spending authority (``decide``). Writes go through
``count_services``; a refusal is a 400 problem, a permission a 403."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from biys.core.access import can
from biys.core.api.views import BiysModelViewSet
from biys.inventory import count_services, filtersets, selectors
from biys.inventory.api import count_serializers as serializers
from biys.inventory.api.views import NO_DELETE, _run
from biys.inventory.models import Count, Disposal


class CountViewSet(BiysModelViewSet):
    """Year-end counts: ``scan`` records an asset found (idempotent), ``quantity`` a
    consumable's counted quantity, ``finish``/``reopen`` end or resume the counting, ``close``
    issues the count-surplus fişi and the write-off proposal; ``sheet`` is expected against
    found. A count is never deleted."""

    queryset = selectors.counts_with_tallies(Count.objects.prefetch_related("members")).order_by(
        "-year", "-pk"
    )
    serializer_class = serializers.CountSerializer
    filterset_class = filtersets.CountFilterSet
    http_method_names = NO_DELETE

    def _count_response(self, request, count, code=status.HTTP_200_OK):
        count = self.get_queryset().get(pk=count.pk)
        body = serializers.CountSerializer(count, context={"request": request}).data
        return Response(body, status=code)

    @extend_schema(
        request=serializers.CountScanSerializer,
        responses={200: serializers.CountScanResultSerializer},
    )
    @action(detail=True, methods=["post"])
    def scan(self, request, pk=None):
        """Record the asset a label names; the same label twice changes nothing."""
        count = self.get_object()
        data = serializers.CountScanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = _run(
            lambda: count_services.record_scan(
                count=count, code=data.validated_data["code"], user=request.user
            )
        )
        body = serializers.CountScanResultSerializer(
            {
                "created": result.created,
                "surplus": result.surplus,
                "message": result.message,
                "row": result.row,
            }
        )
        return Response(body.data)

    @extend_schema(
        request=serializers.CountQuantitySerializer, responses={200: serializers.CountSerializer}
    )
    @action(detail=True, methods=["post"])
    def quantity(self, request, pk=None):
        count = self.get_object()
        data = serializers.CountQuantitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _run(
            lambda: count_services.set_counted_quantity(
                count=count, user=request.user, **data.validated_data
            )
        )
        return self._count_response(request, count)

    @extend_schema(request=None, responses={200: serializers.CountSerializer})
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        count = self.get_object()
        _run(lambda: count_services.finish_counting(count=count, user=request.user))
        return self._count_response(request, count)

    @extend_schema(request=None, responses={200: serializers.CountSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        count = self.get_object()
        _run(lambda: count_services.reopen_counting(count=count, user=request.user))
        return self._count_response(request, count)

    @extend_schema(request=None, responses={200: serializers.CountSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        count = self.get_object()
        _run(lambda: count_services.close_count(count=count, user=request.user))
        return self._count_response(request, count)

    @extend_schema(responses={200: serializers.CountSheetSerializer})
    @action(detail=True, methods=["get"], pagination_class=None)
    def sheet(self, request, pk=None):
        count = self.get_object()
        result = count_services.count_result(count)
        rows = result.found + result.shortages + result.surpluses
        body = serializers.CountSheetSerializer({"assets": rows, "lines": result.lines})
        return Response(body.data)


class DisposalViewSet(BiysModelViewSet):
    """Kayıttan Düşme Teklif ve Onay Tutanakları: write-off and scrapping proposals, written by
    the inventory officer; ``decide`` (the spending authority) approves one, which issues and
    approves its exit fişi, or refuses it with a reason. Never deleted."""

    queryset = Disposal.objects.prefetch_related("members", "lines", "lines__asset").order_by(
        "-decision_date", "-pk"
    )
    serializer_class = serializers.DisposalSerializer
    filterset_class = filtersets.DisposalFilterSet
    http_method_names = NO_DELETE

    @extend_schema(
        request=serializers.DisposalDecisionSerializer,
        responses={200: serializers.DisposalSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def decide(self, request, pk=None):
        """The spending authority's decision (``inventory.approve_disposal`` over the store's
        unit); checked here rather than as a change of the proposal."""
        disposal = self.get_object()
        if not can(request.user, "approve", disposal):
            raise exceptions.PermissionDenied()
        data = serializers.DisposalDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        disposal = _run(
            lambda: count_services.decide_disposal(
                disposal=disposal, user=request.user, **data.validated_data
            )
        )
        disposal = self.get_queryset().get(pk=disposal.pk)
        body = serializers.DisposalSerializer(disposal, context={"request": request})
        return Response(body.data)
