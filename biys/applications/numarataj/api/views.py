"""The address numbering and street naming REST API: the council's fee tariff; the streets (with their name history) and
buildings (with their numbering history) to read; the numbering requests, recorded through the
service with their application, then changed only through their steps (visit, number, accrue,
payment, issue, refuse); the naming proposals, recorded, sent to the council and decided.
Every refusal is a problem: 400 with the field, 403 for a step the user may not take."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from biys.applications.numarataj import filtersets, selectors, services
from biys.applications.numarataj.api import serializers
from biys.applications.numarataj.models import (
    Building,
    NumberingRequest,
    NumberingTariff,
    Street,
    StreetNamingProposal,
)
from biys.core.api.idempotency import idempotent
from biys.core.api.views import BiysModelViewSet, BiysReadOnlyModelViewSet, BiysViewSetMixin


class NumberingTariffViewSet(BiysModelViewSet):
    """The council's numbering tariff: read by all staff; rows added and corrected (never
    deleted: an accrual was priced by them) by whoever holds the permission over the whole
    municipality, through ``services.save_tariff`` (a second row of a kind on one day is a
    400 at ``valid_from``)."""

    queryset = NumberingTariff.objects.order_by("kind", "-valid_from", "-id")
    serializer_class = serializers.NumberingTariffSerializer
    filterset_class = filtersets.NumberingTariffFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["kind", "valid_from", "amount", "id"]

    def perform_create(self, serializer):
        serializer.instance = services.save_tariff(
            user=self.request.user, tariff=NumberingTariff(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        tariff = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(tariff, name, value)
        serializer.instance = services.save_tariff(user=self.request.user, tariff=tariff)


class StreetViewSet(BiysReadOnlyModelViewSet):
    queryset = Street.objects.prefetch_related("names").order_by("sort_name", "pk")
    serializer_class = serializers.StreetSerializer
    filterset_class = filtersets.StreetFilterSet

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.StreetSerializer
        return serializers.StreetDetailSerializer


class BuildingViewSet(BiysReadOnlyModelViewSet):
    queryset = (
        Building.objects.select_related("street")
        .prefetch_related("numbers")
        .order_by("street__sort_name", "door_number", "pk")
    )
    serializer_class = serializers.BuildingSerializer
    filterset_class = filtersets.BuildingFilterSet

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.BuildingSerializer
        return serializers.BuildingDetailSerializer


class _Steps:
    def _body(self, serializer_class, request):
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def _step(self, step, serializer_class, call):
        """The step's permission check (the service's) on the object before its body is read;
        then ``call(obj, data)`` in a transaction."""
        obj = self.checked_object(lambda user, obj: services.require_step(user, obj, step))
        data = self._body(serializer_class, self.request)
        with transaction.atomic():
            result = call(obj, data)
        return self._answer(result)


class NumberingRequestViewSet(
    _Steps, BiysViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    queryset = NumberingRequest.objects.select_related(*selectors.LIST_RELATED).order_by("-id")
    serializer_class = serializers.NumberingRequestSerializer
    filterset_class = filtersets.NumberingRequestFilterSet
    permission_classes = [IsAuthenticated]
    ordering_fields = ["id", "numbered_on", "paid_on"]

    def _answer(self, numbering, code=status.HTTP_200_OK):
        numbering = NumberingRequest.objects.select_related(*selectors.LIST_RELATED).get(
            pk=numbering.pk
        )
        return Response(serializers.NumberingRequestSerializer(numbering).data, status=code)

    @extend_schema(
        request=serializers.OpenRequestSerializer,
        responses={201: serializers.NumberingRequestSerializer},
        description="Record a numbering request: its application (number, legal deadline) "
        "and the request.",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        data = self._body(serializers.OpenRequestSerializer, request)
        numbering = services.open_request(user=request.user, **data)
        return self._answer(numbering, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.VisitSerializer,
        responses={200: serializers.NumberingRequestSerializer},
        description="The field visit: its day, the inspector, the note.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def visit(self, request, pk=None):
        return self._step(
            "visit",
            serializers.VisitSerializer,
            lambda numbering, data: services.record_visit(
                user=request.user,
                request=numbering,
                visited_on=data["visited_on"],
                inspector=data["inspector"],
                note=data["note"],
            ),
        )

    @extend_schema(
        request=serializers.NumberSerializer,
        responses={200: serializers.NumberingRequestSerializer},
        description="The door number (and inner numbers) given after the visit.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def number(self, request, pk=None):
        return self._step(
            "number",
            serializers.NumberSerializer,
            lambda numbering, data: services.give_number(
                user=request.user, request=numbering, **data
            ),
        )

    @extend_schema(
        request=serializers.AccrueSerializer,
        responses={200: serializers.NumberingRequestSerializer},
        description="The fee accrued (tahakkuk) with its yearly number; 0 for an exemption.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def accrue(self, request, pk=None):
        return self._step(
            "accrue",
            serializers.AccrueSerializer,
            lambda numbering, data: services.accrue_fee(
                user=request.user, request=numbering, **data
            ),
        )

    @extend_schema(
        request=serializers.PaymentSerializer,
        responses={200: serializers.NumberingRequestSerializer},
        description="The payment of the accrual: its reference and the whole amount.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def payment(self, request, pk=None):
        return self._step(
            "payment",
            serializers.PaymentSerializer,
            lambda numbering, data: services.record_payment(
                user=request.user, request=numbering, **data
            ),
        )

    @extend_schema(
        request=serializers.IssueSerializer,
        responses={200: serializers.NumberingRequestSerializer},
        description="Issue the numbering certificate of a paid request (answers the application).",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def issue(self, request, pk=None):
        return self._step(
            "issue",
            serializers.IssueSerializer,
            lambda numbering, data: services.issue_certificate(
                user=request.user, request=numbering, **data
            ),
        )

    @extend_schema(
        request=serializers.RefuseSerializer,
        responses={200: serializers.NumberingRequestSerializer},
        description="Refuse a request not yet paid, with its reason.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def refuse(self, request, pk=None):
        return self._step(
            "refuse",
            serializers.RefuseSerializer,
            lambda numbering, data: services.refuse_request(
                user=request.user, request=numbering, reason=data["reason"]
            ),
        )


class StreetNamingProposalViewSet(
    _Steps, BiysViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    queryset = StreetNamingProposal.objects.order_by("-id")
    serializer_class = serializers.StreetNamingProposalSerializer
    filterset_class = filtersets.StreetNamingProposalFilterSet
    permission_classes = [IsAuthenticated]
    ordering_fields = ["id", "sent_on", "decision_date"]

    def _answer(self, proposal, code=status.HTTP_200_OK):
        proposal.refresh_from_db()
        return Response(serializers.StreetNamingProposalSerializer(proposal).data, status=code)

    @extend_schema(
        request=serializers.StreetNamingProposalSerializer,
        responses={201: serializers.StreetNamingProposalSerializer},
        description="Record a naming proposal being prepared.",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = serializers.StreetNamingProposalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.save_proposal(
            user=request.user, proposal=StreetNamingProposal(**body.validated_data)
        )
        return self._answer(proposal, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.SendSerializer,
        responses={200: serializers.StreetNamingProposalSerializer},
        description="Send the proposal to the council.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def send(self, request, pk=None):
        return self._step(
            "send",
            serializers.SendSerializer,
            lambda proposal, data: services.send_to_council(
                user=request.user, proposal=proposal, **data
            ),
        )

    @extend_schema(
        request=serializers.DecisionSerializer,
        responses={200: serializers.StreetNamingProposalSerializer},
        description="The council's decision: accepted, accepted with another name, rejected; "
        "an accepted name goes into the street's dated name history.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decide(self, request, pk=None):
        return self._step(
            "decide",
            serializers.DecisionSerializer,
            lambda proposal, data: services.record_decision(
                user=request.user, proposal=proposal, **data
            ),
        )
