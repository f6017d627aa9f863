"""The GIS data sales REST API: the layers and tariffs (read; kept on the pages and in the
admin), and the sales: recorded through the service with their application, then changed only
through their steps (items, quote, accrue, payment, undertaking, deliver, cancel). Every
refusal is a problem: 400 with the field, 403 for a step the user may not take."""

import json
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiRequest, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from biys.applications.gis import filtersets, selectors, services
from biys.applications.gis.api import serializers
from biys.applications.gis.models import GisDataSale, GisLayer, GisTariff
from biys.core.access import get_scope
from biys.core.api.idempotency import idempotent
from biys.core.api.views import BiysReadOnlyModelViewSet, BiysViewSetMixin


class GisLayerViewSet(BiysReadOnlyModelViewSet):
    queryset = GisLayer.objects.select_related("unit").order_by("position", "name", "pk")
    serializer_class = serializers.GisLayerSerializer
    filterset_class = filtersets.GisLayerFilterSet


class GisTariffViewSet(BiysReadOnlyModelViewSet):
    queryset = GisTariff.objects.prefetch_related("lines").order_by("-valid_from", "-pk")
    serializer_class = serializers.GisTariffSerializer
    filterset_class = filtersets.GisTariffFilterSet


class GisDataSaleViewSet(
    BiysViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    queryset = GisDataSale.objects.select_related(*selectors.LIST_RELATED).order_by("-id")
    serializer_class = serializers.GisDataSaleSerializer
    filterset_class = filtersets.GisDataSaleFilterSet
    permission_classes = [IsAuthenticated]
    ordering_fields = ["id", "paid_on", "quoted_on"]

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.GisDataSaleSerializer
        return serializers.GisDataSaleDetailSerializer

    def _answer(self, sale, code=status.HTTP_200_OK):
        sale = (
            GisDataSale.objects.select_related(*selectors.LIST_RELATED)
            .prefetch_related("items")
            .get(pk=sale.pk)
        )
        return Response(serializers.GisDataSaleDetailSerializer(sale).data, status=code)

    def _body(self, serializer_class, request, data=None):
        body = serializer_class(data=request.data if data is None else data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(
        request=serializers.GisOpenSaleSerializer,
        responses={201: serializers.GisDataSaleDetailSerializer},
        description="Record a purchase request: its application (number, legal deadline) "
        "and the sale.",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        data = self._body(serializers.GisOpenSaleSerializer, request)
        sale = services.open_sale(user=request.user, **data)
        return self._answer(sale, status.HTTP_201_CREATED)

    def _sale(self, step):
        """The sale once the step's permission check passed (before its body is read)."""
        return self.checked_object(lambda user, sale: services.require_step(user, sale, step))

    def _step(self, call, sale=None):
        with transaction.atomic():
            result = call(sale or self.get_object())
        return self._answer(result if isinstance(result, GisDataSale) else result.sale)

    @extend_schema(
        request=serializers.GisAddItemSerializer,
        responses={200: serializers.GisDataSaleDetailSerializer},
        description="Add a requested layer in a format (a quote made is withdrawn).",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def items(self, request, pk=None):
        sale = self._sale("items")
        data = self._body(serializers.GisAddItemSerializer, request)
        return self._step(
            lambda sale: services.add_item(user=request.user, sale=sale, **data), sale
        )

    @extend_schema(
        request=serializers.GisRemoveItemSerializer,
        responses={200: serializers.GisDataSaleDetailSerializer},
        description="Remove a requested layer.",
    )
    @action(detail=True, methods=["post"], url_path="remove-item", filterset_class=None)
    def remove_item(self, request, pk=None):
        sale = self._sale("remove_item")
        data = self._body(serializers.GisRemoveItemSerializer, request)
        item = sale.items.filter(pk=data["item"]).first()
        if item is None:
            raise exceptions.ValidationError({"item": ["Not a layer of this sale."]})
        services.remove_item(user=request.user, sale=sale, item=item)
        return self._answer(sale)

    @extend_schema(
        request=None,
        responses={200: serializers.GisDataSaleDetailSerializer},
        description="Price the requested layers by the tariff valid on the day received.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def quote(self, request, pk=None):
        return self._step(lambda sale: services.quote_sale(user=request.user, sale=sale))

    @extend_schema(
        request=serializers.GisAccrueSerializer,
        responses={200: serializers.GisDataSaleDetailSerializer},
        description="The accrual (tahakkuk) with its yearly number.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def accrue(self, request, pk=None):
        sale = self._sale("accrue")
        data = self._body(serializers.GisAccrueSerializer, request)
        return self._step(
            lambda sale: services.accrue_sale(user=request.user, sale=sale, **data), sale
        )

    @extend_schema(
        request=serializers.GisPaymentSerializer,
        responses={200: serializers.GisDataSaleDetailSerializer},
        description="The payment of the accrual: its reference and the whole amount.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def payment(self, request, pk=None):
        sale = self._sale("payment")
        data = self._body(serializers.GisPaymentSerializer, request)
        return self._step(
            lambda sale: services.record_payment(user=request.user, sale=sale, **data), sale
        )

    @extend_schema(
        request={"multipart/form-data": serializers.GisUndertakingSerializer},
        responses={200: serializers.GisDataSaleDetailSerializer},
        description="The buyer's signed undertaking (a scan), kept as an attachment.",
    )
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        parser_classes=[MultiPartParser, FormParser],
    )
    def undertaking(self, request, pk=None):
        sale = self._sale("undertaking")
        data = self._body(serializers.GisUndertakingSerializer, request)
        return self._step(
            lambda sale: services.attach_undertaking(
                user=request.user,
                sale=sale,
                uploaded_file=data["file"],
                signed_on=data.get("signed_on"),
            ),
            sale,
        )

    @extend_schema(
        request={
            "application/json": serializers.GisDeliverSerializer,
            "multipart/form-data": OpenApiRequest(
                serializers.GisDeliverUploadSerializer,
                encoding={"lines": {"contentType": "application/json"}},
            ),
            "application/x-www-form-urlencoded": OpenApiRequest(
                serializers.GisDeliverSerializer,
                encoding={"lines": {"contentType": "application/json"}},
            ),
        },
        responses={200: serializers.GisDataSaleDetailSerializer},
        description="Record a delivery, the whole order or a part (``lines``): refused until "
        "paid and the undertaking is on file; more of an item than is still due is a 400 "
        "problem at ``lines`` and nothing is saved. The sale is partly delivered until every "
        "item is delivered in full. Sent as ``multipart/form-data``, the delivery may carry "
        "its ``file``, checked as the page checks it (size limit, allowed types); in a form "
        "``lines`` is JSON text.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def deliver(self, request, pk=None):
        sale = self._sale("deliver")
        if isinstance(request.data, QueryDict):
            body = _form_body(request.data)
            data = self._body(serializers.GisDeliverUploadSerializer, request, body)
        else:
            data = self._body(serializers.GisDeliverSerializer, request)
        wanted = data.pop("items")
        lines = data.pop("lines")
        if lines and len({line["item"] for line in lines}) != len(lines):
            raise exceptions.ValidationError({"lines": [_("Each item once in a delivery.")]})

        def deliver(sale):
            items = list(sale.items.filter(pk__in=wanted)) if wanted else None
            if wanted and len(items) != len(set(wanted)):
                raise ValidationError({"items": _("Choose layers of this sale.")})
            quantities = {line["item"]: line["quantity"] for line in lines} or None
            return services.deliver_sale(
                user=request.user, sale=sale, items=items, quantities=quantities, **data
            )

        return self._step(deliver, sale)

    @extend_schema(
        request=serializers.GisCancelSerializer,
        responses={200: serializers.GisDataSaleDetailSerializer},
        description="Cancel a sale not yet paid.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request, pk=None):
        sale = self._sale("cancel")
        data = self._body(serializers.GisCancelSerializer, request)
        return self._step(
            lambda sale: services.cancel_sale(user=request.user, sale=sale, **data), sale
        )


def _form_body(data: QueryDict) -> dict:
    """A multipart delivery as the JSON body would be: ``items`` repeated, ``lines`` as JSON
    text (the array, or one part per line; DRF's ``lines[0]item`` keys work too)."""
    body = {key: data.get(key) for key in data if key not in ("items", "lines")}
    body["items"] = data.getlist("items")
    if "lines" not in data:
        listed = html.parse_html_list(data, prefix="lines", default=None)
        body["lines"] = [dict(line.items()) for line in listed] if listed else []
        return body
    lines = []
    for text in data.getlist("lines"):
        try:
            value = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            value = None
        if isinstance(value, dict):
            lines.append(value)
        elif isinstance(value, list):
            lines.extend(value)
        else:
            raise exceptions.ValidationError(
                {"lines": [_("Give the lines as JSON: an array of {item, quantity}.")]}
            )
    body["lines"] = lines
    return body


class GisReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", date, required=True),
            OpenApiParameter("to", date, required=True),
        ],
        responses={200: serializers.GisReportSerializer},
        description="Requests received in the period (quoted, paid; of the paid: not yet "
        "delivered, partly delivered, delivered in full; cancelled) and the revenue paid in it "
        "per layer.",
    )
    def get(self, request):
        if not get_scope(request.user).has_perm("applications.view_gisdatasale"):
            raise exceptions.PermissionDenied()
        bounds, errors = {}, {}
        for name in ("from", "to"):
            try:
                bounds[name] = date.fromisoformat(request.query_params.get(name, ""))
            except ValueError:
                errors[name] = ["Enter a date as YYYY-MM-DD."]
        if errors:
            raise exceptions.ValidationError(errors)
        figures = selectors.report(
            user=request.user, date_from=bounds["from"], date_to=bounds["to"]
        )
        return Response(serializers.GisReportSerializer(figures).data)
