"""The inventory REST API: the code list, item models, locations, assets with their custody
actions, and custody records (with the custodian's own list and acknowledgement).

Reference data (item models, locations, stores; software titles and licences in
``licence_views``; the network records in ``network_views``) is deleted through the services
of the delete pages (``ServiceDeletedViewSet``), in one transaction: one that other records
still hold is a 409 problem whose ``held_by`` lists them, and nothing is deleted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from biys.core.access import can
from biys.core.api.views import BiysModelViewSet, BiysReadOnlyModelViewSet
from biys.inventory import filtersets, selectors, services
from biys.inventory.api import serializers
from biys.inventory.models import (
    Asset,
    Custody,
    ItemModel,
    Location,
    Slip,
    StockItem,
    StockRequest,
    Store,
    TasinirCode,
)

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


class ServiceDeletedViewSet(BiysModelViewSet):
    # DELETE through the delete page's service (``delete_service``, called with
    # ``delete_argument``=the object and the user), which checks the delete permission itself.
    # A comment, not a docstring: drf-spectacular would describe every operation with it.

    delete_service = None
    delete_argument = ""

    def perform_destroy(self, instance):
        with transaction.atomic():
            type(self).delete_service(**{self.delete_argument: instance, "user": self.request.user})


def documented_delete(text: str):
    """The DELETE operation's description in the API schema."""
    return extend_schema_view(destroy=extend_schema(description=text))


class TasinirCodeViewSet(BiysModelViewSet):
    """The Taşınır Kod Listesi: read by all staff, changed by whoever holds the permission over
    the whole municipality. Codes are retired (``is_active``), never deleted."""

    queryset = TasinirCode.objects.order_by("sort_code")
    serializer_class = serializers.TasinirCodeSerializer
    filterset_class = filtersets.TasinirCodeFilterSet
    http_method_names = NO_DELETE


@documented_delete(
    "Delete an item model nothing names. An asset, a stock row or a line of a fişi, request, "
    "count or proposal refuses it: 409, with held_by."
)
class ItemModelViewSet(ServiceDeletedViewSet):
    queryset = ItemModel.objects.select_related("tasinir_code").order_by("sort_name", "pk")
    serializer_class = serializers.ItemModelSerializer
    filterset_class = filtersets.ItemModelFilterSet
    delete_service = services.delete_item_model
    delete_argument = "item_model"


@documented_delete(
    "Delete a location no asset, store or network device is in (they refuse it: 409, with held_by)."
)
class LocationViewSet(ServiceDeletedViewSet):
    queryset = Location.objects.order_by("sort_name", "pk")
    serializer_class = serializers.LocationSerializer
    filterset_class = filtersets.LocationFilterSet
    delete_service = services.delete_location
    delete_argument = "location"


class AssetViewSet(BiysModelViewSet):
    """Assets are registered and edited here; their status and custody move by the actions.
    They leave the register by a fişi (scrapping, write-off), never by DELETE."""

    queryset = Asset.objects.order_by("-acquired_on", "-pk")
    serializer_class = serializers.AssetSerializer
    filterset_class = filtersets.AssetFilterSet
    http_method_names = NO_DELETE

    def _act(self, request, serializer_class, run):
        asset = self.get_object()
        if not can(request.user, "change", asset):
            raise exceptions.PermissionDenied()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            result = run(asset, data.validated_data)
        return result

    def _custody_response(self, request, custody, code=status.HTTP_200_OK):
        body = serializers.CustodySerializer(custody, context={"request": request}).data
        return Response(body, status=code)

    @extend_schema(
        request=serializers.PersonActionSerializer,
        responses={201: serializers.CustodySerializer},
        description="Hand an asset in store to a person (a new Zimmet Fişi).",
    )
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        custody = self._act(
            request,
            serializers.PersonActionSerializer,
            lambda asset, data: services.hand_over(asset=asset, user=request.user, **data),
        )
        return self._custody_response(request, custody, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.PersonActionSerializer,
        responses={201: serializers.CustodySerializer},
        description="Move an asset from its custodian to another person.",
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        custody = self._act(
            request,
            serializers.PersonActionSerializer,
            lambda asset, data: services.transfer(asset=asset, user=request.user, **data),
        )
        return self._custody_response(request, custody, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.NotesSerializer,
        responses={200: serializers.CustodySerializer},
        description="The custodian returns the asset; the custody ends.",
    )
    @action(detail=True, methods=["post"], url_path="take-back")
    def take_back(self, request, pk=None):
        custody = self._act(
            request,
            serializers.NotesSerializer,
            lambda asset, data: services.take_back(asset=asset, user=request.user, **data),
        )
        return self._custody_response(request, custody)

    @extend_schema(
        request=serializers.StatusSerializer,
        responses={200: serializers.AssetSerializer},
        description="Faulty, at repair, back in service (in_service), scrapped or written off.",
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        asset = self._act(
            request,
            serializers.StatusSerializer,
            lambda asset, data: services.set_status(asset=asset, user=request.user, **data),
        )
        return Response(serializers.AssetSerializer(asset, context={"request": request}).data)

    @extend_schema(responses={200: serializers.CustodySerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole history, a list
    def custody(self, request, pk=None):
        asset = self.get_object()
        records = selectors.custody_history(asset, user=request.user)
        return Response(
            serializers.CustodySerializer(records, many=True, context={"request": request}).data
        )


class CustodyViewSet(BiysReadOnlyModelViewSet):
    queryset = Custody.objects.order_by("-started_at", "-pk")
    serializer_class = serializers.CustodySerializer
    filterset_class = filtersets.CustodyFilterSet

    @extend_schema(responses={200: serializers.CustodySerializer(many=True)})
    @action(
        detail=False, methods=["get"], permission_classes=[IsAuthenticated], pagination_class=None
    )
    def mine(self, request):
        """What the signed-in person holds now (no inventory permission needed)."""
        records = selectors.my_custody(request.user)
        return Response(
            serializers.CustodySerializer(records, many=True, context={"request": request}).data
        )

    @extend_schema(request=None, responses={200: serializers.CustodySerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def acknowledge(self, request, pk=None):
        """The custodian confirms receiving the asset (their own custody only)."""
        if not str(pk).isdigit():  # not a key: 404, never a 500
            raise Http404
        custody = get_object_or_404(selectors.my_custody(request.user), pk=pk)
        custody = services.acknowledge(custody=custody, user=request.user)
        return Response(serializers.CustodySerializer(custody, context={"request": request}).data)


@documented_delete(
    "Delete a store never used. Its stock rows, fişler, requests, counts and proposals refuse "
    "it: 409, with held_by (a store used once is kept with its history)."
)
class StoreViewSet(ServiceDeletedViewSet):
    queryset = Store.objects.order_by("name", "pk")
    serializer_class = serializers.StoreSerializer
    filterset_class = filtersets.StoreFilterSet
    delete_service = services.delete_store
    delete_argument = "store"


class StockItemViewSet(BiysModelViewSet):
    """The stock register (``low=true``: under the minimum level). Only the minimum level is
    written here: quantities move by fişler."""

    queryset = StockItem.objects.select_related("store", "item_model").order_by(
        "store_id", "item_model__sort_name", "pk"
    )
    serializer_class = serializers.StockItemSerializer
    filterset_class = filtersets.StockItemFilterSet
    http_method_names = ["get", "put", "patch", "head", "options"]


def _run(call):
    """A service call inside a transaction; its refusal as the API's error."""
    try:
        with transaction.atomic():
            return call()
    except ValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else error.messages
        raise exceptions.ValidationError(detail) from error


class SlipViewSet(BiysModelViewSet):
    """Taşınır İşlem Fişleri: drafts written and edited here; ``approve`` (the spending
    authority) numbers and applies one, ``reverse`` prepares the draft that undoes it. An
    approved fişi is never changed or deleted."""

    queryset = Slip.objects.prefetch_related("lines", "lines__assets").order_by("-date", "-pk")
    serializer_class = serializers.SlipSerializer
    filterset_class = filtersets.SlipFilterSet
    http_method_names = NO_DELETE

    def _slip_response(self, request, slip, code=status.HTTP_200_OK):
        slip = self.get_queryset().get(pk=slip.pk)
        body = serializers.SlipSerializer(slip, context={"request": request}).data
        return Response(body, status=code)

    @extend_schema(request=None, responses={200: serializers.SlipSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def approve(self, request, pk=None):
        """The spending authority's approval (``inventory.approve_slip`` over the store's unit);
        checked here rather than as a change of the fişi."""
        slip = self.get_object()
        if not can(request.user, "approve", slip):
            raise exceptions.PermissionDenied()
        slip = _run(lambda: services.approve_slip(slip=slip, user=request.user))
        return self._slip_response(request, slip)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        """A draft written by mistake goes away; an approved fişi never does."""
        slip = self.get_object()
        _run(lambda: services.discard_slip(slip=slip, user=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=serializers.InventorySlipReversalSerializer,
        responses={201: serializers.SlipSerializer},
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """A draft fişi that undoes this approved one, to be approved in its turn."""
        slip = self.get_object()
        data = serializers.InventorySlipReversalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = _run(
            lambda: services.reverse_slip(slip=slip, user=request.user, **data.validated_data)
        )
        return self._slip_response(request, reversal, status.HTTP_201_CREATED)


class StockRequestViewSet(BiysModelViewSet):
    """Taşınır İstek Belgeleri: a unit asks a store for consumables; ``decide`` approves or
    refuses it, ``issue`` takes it out of stock with a consumption fişi (all or nothing)."""

    queryset = StockRequest.objects.prefetch_related("lines").order_by("-created", "-pk")
    serializer_class = serializers.StockRequestSerializer
    filterset_class = filtersets.StockRequestFilterSet
    http_method_names = NO_DELETE

    @extend_schema(
        request=serializers.StockRequestDecisionSerializer,
        responses={200: serializers.StockRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        stock_request = self.checked_object(services.require_issue)
        data = serializers.StockRequestDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stock_request = _run(
            lambda: services.decide_request(
                stock_request=stock_request, user=request.user, **data.validated_data
            )
        )
        body = serializers.StockRequestSerializer(stock_request, context={"request": request})
        return Response(body.data)

    @extend_schema(request=None, responses={201: serializers.SlipSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        stock_request = self.get_object()
        slip = _run(lambda: services.issue_request(stock_request=stock_request, user=request.user))
        body = serializers.SlipSerializer(slip, context={"request": request})
        return Response(body.data, status=status.HTTP_201_CREATED)
