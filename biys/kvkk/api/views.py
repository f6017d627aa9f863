"""The KVKK REST API: the pick-lists (read), the processing inventory (through the service
that checks its rules), the data subjects' requests (registered, changed and answered
through the services; the applicant's identity read through the logged ``identity`` action).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from biys.core.api.idempotency import idempotent
from biys.core.api.views import BiysModelViewSet, BiysReadOnlyModelViewSet, BiysViewSetMixin
from biys.kvkk import filtersets, services
from biys.kvkk.api import serializers
from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest
from biys.kvkk.selectors import LIST_FIELDS


class ListItemViewSet(BiysReadOnlyModelViewSet):
    queryset = ListItem.objects.order_by("kind", "position", "name", "pk")
    serializer_class = serializers.KvkkListItemSerializer
    filterset_class = filtersets.ListItemFilterSet


class ProcessingActivityViewSet(BiysModelViewSet):
    queryset = (
        ProcessingActivity.objects.select_related("unit")
        .prefetch_related(*LIST_FIELDS)
        .order_by("unit__name", "name", "pk")
    )
    serializer_class = serializers.ProcessingActivitySerializer
    filterset_class = filtersets.ProcessingActivityFilterSet

    def perform_destroy(self, instance):
        services.delete_activity(activity=instance, user=self.request.user)


class SubjectRequestViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    GenericViewSet,
):
    """Data subjects' requests: every write goes through the services, which check the
    assigned unit (403 problem when refused) and keep the number and the deadline."""

    queryset = SubjectRequest.objects.select_related("unit", "assignee", "answered_by").order_by(
        "-received_on", "-id"
    )
    serializer_class = serializers.SubjectRequestSerializer
    filterset_class = filtersets.SubjectRequestFilterSet
    permission_classes = [IsAuthenticated]
    ordering_fields = ["received_on", "due_date", "id"]

    def _answer(self, subject_request, code=status.HTTP_200_OK):
        subject_request = self.get_queryset().get(pk=subject_request.pk)
        return Response(self.get_serializer(subject_request).data, status=code)

    @extend_schema(
        request=serializers.SubjectRequestWriteSerializer,
        responses={201: serializers.SubjectRequestSerializer},
        description="Register a request; its number and 30-day deadline are given.",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = serializers.SubjectRequestWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = services.register_request(user=request.user, **body.validated_data)
        return self._answer(created, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.SubjectRequestWriteSerializer,
        responses={200: serializers.SubjectRequestSerializer},
        description="Change a request's record (the fields given).",
    )
    def partial_update(self, request, *args, **kwargs):
        subject_request = self.get_object()
        body = serializers.SubjectRequestWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        values = {name: value for name, value in body.validated_data.items()
                  if name in body.initial_data}  # fmt: skip
        changed = services.update_request(user=request.user, request=subject_request, **values)
        return self._answer(changed)

    @extend_schema(
        request=None,
        responses={200: serializers.SubjectRequestSerializer},
        description="Start answering a received request.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def start(self, request, pk=None):
        return self._answer(services.start_request(user=request.user, request=self.get_object()))

    @extend_schema(
        request=serializers.AnswerSerializer,
        responses={200: serializers.SubjectRequestSerializer},
        description="Record the written answer: its outcome, text and day.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def answer(self, request, pk=None):
        subject_request = self.checked_object(services.require_change)
        body = serializers.AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answered = services.answer_request(
            user=request.user, request=subject_request, **body.validated_data
        )
        return self._answer(answered)

    @extend_schema(
        request=None,
        responses={200: serializers.SubjectRequestSerializer},
        description="Reopen an answered request.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def reopen(self, request, pk=None):
        return self._answer(services.reopen_request(user=request.user, request=self.get_object()))

    @extend_schema(
        request=serializers.RevealRequestSerializer,
        responses={200: serializers.IdentitySerializer},
        description="The applicant's unmasked personal data; every call is logged (KVKK).",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def identity(self, request, pk=None):
        subject_request = self.get_object()
        body = serializers.RevealRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = services.reveal_identity(
            user=request.user,
            request=subject_request,
            reason=body.validated_data.get("reason", ""),
        )
        return Response(data, status=status.HTTP_200_OK)
