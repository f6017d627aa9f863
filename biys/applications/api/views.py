"""The applications REST API. Applications are created through the service (number,
deadline, first responsibility) and change only through their actions: route, extend,
outcome. Personal data is read through the logged ``personal-data`` action."""

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from biys.applications import filtersets, selectors, services
from biys.applications.api import serializers
from biys.applications.deadlines import NotExtendable, deadline_for
from biys.applications.models import Application, ApplicationType
from biys.calendar.selectors import get_calendar
from biys.core.access import get_scope
from biys.core.api.idempotency import idempotent
from biys.core.api.permissions import ScopedObjectPermission
from biys.core.api.views import BiysModelViewSet, BiysViewSetMixin
from biys.core.querysets import read_rows


class ApplicationTypeViewSet(BiysModelViewSet):
    queryset = ApplicationType.objects.select_related("unit").order_by("name", "pk")
    serializer_class = serializers.ApplicationTypeSerializer
    filterset_class = filtersets.ApplicationTypeFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @extend_schema(
        parameters=[serializers.DeadlineQuerySerializer],
        responses={200: serializers.DeadlineSerializer},
        description="The legal deadline of an application of this type received on a day.",
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def deadline(self, request, pk=None):
        application_type = self.get_object()
        query = serializers.DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        received_on, extended = (
            query.validated_data["received_on"],
            query.validated_data["extended"],
        )
        try:
            due = deadline_for(application_type, received_on, extended=extended)
        except NotExtendable as error:
            raise exceptions.ValidationError({"extended": [str(error)]}) from error
        return Response(
            {
                "type": application_type.code,
                "received_on": received_on,
                "extended": extended,
                "due_date": due,
            }
        )


# Not in the list's answer: the personal fields it never shows (write-only: read through the
# logged ``personal-data`` action) and the clock's bookkeeping.
LIST_UNREAD = ("email", "phone", "address", "tracking_digest", "reminded_at", "escalated_at")


class ApplicationViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GenericViewSet,
):
    queryset = Application.objects.select_related("type", "responsible_unit").order_by(
        "due_date", "pk"
    )
    serializer_class = serializers.ApplicationSerializer
    filterset_class = filtersets.ApplicationFilterSet
    ordering_fields = ["due_date", "received_on", "number", "id"]

    permission_classes = [ScopedObjectPermission]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "calendar": get_calendar(),
                "today": selectors.today()}  # fmt: skip

    def page_rows(self, queryset) -> list:
        """A list page's applications read as plain rows (``read_rows``): the write-only
        personal fields and the bookkeeping the answer does not show are not read."""
        return read_rows(queryset, exclude=LIST_UNREAD)

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.save()  # the service checks the add permission in the unit

    def _act(self, request, serializer_class, call):
        application = self.get_object()
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        updated = call(application, body.validated_data)
        return Response(self.get_serializer(updated).data)

    @extend_schema(
        request=serializers.RouteSerializer, responses={200: serializers.ApplicationSerializer}
    )
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated], filterset_class=None
    )
    def route(self, request, pk=None):
        return self._act(
            request,
            serializers.RouteSerializer,
            lambda application, data: services.route_application(
                user=request.user, application=application, **data
            ),
        )

    @extend_schema(
        request=serializers.ExtendSerializer, responses={200: serializers.ApplicationSerializer}
    )
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated], filterset_class=None
    )
    def extend(self, request, pk=None):
        return self._act(
            request,
            serializers.ExtendSerializer,
            lambda application, data: services.extend_application(
                user=request.user, application=application, **data
            ),
        )

    @extend_schema(
        request=serializers.OutcomeSerializer, responses={200: serializers.ApplicationSerializer}
    )
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated], filterset_class=None
    )
    def outcome(self, request, pk=None):
        return self._act(
            request,
            serializers.OutcomeSerializer,
            lambda application, data: services.record_outcome(
                user=request.user, application=application, **data
            ),
        )

    @extend_schema(
        request=serializers.ApplicantDataRequestSerializer,
        responses={200: serializers.ApplicantDataSerializer},
        description="The applicant's unmasked personal data; every call is logged (KVKK).",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="personal-data",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def personal_data(self, request, pk=None):
        application = self.get_object()
        body = serializers.ApplicantDataRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = services.reveal_personal_data(
            user=request.user, application=application, reason=body.validated_data.get("reason", "")
        )
        return Response(data, status=status.HTTP_200_OK)


class ReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", date, required=True),
            OpenApiParameter("to", date, required=True),
            OpenApiParameter("by", str, enum=["month"], description="one row per month too"),
        ],
        responses={200: serializers.ReportRowSerializer(many=True)},
        description="Per type and unit: received, answered on time, late, open, average days.",
    )
    def get(self, request):
        if not get_scope(request.user).has_perm("applications.view_application"):
            raise exceptions.PermissionDenied()
        errors = {}
        bounds = {}
        for name in ("from", "to"):
            try:
                bounds[name] = date.fromisoformat(request.query_params.get(name, ""))
            except ValueError:
                errors[name] = ["Enter a date as YYYY-MM-DD."]
        if errors:
            raise exceptions.ValidationError(errors)
        rows = selectors.report(
            user=request.user,
            date_from=bounds["from"],
            date_to=bounds["to"],
            by_month=request.query_params.get("by") == "month",
        )
        return Response(serializers.ReportRowSerializer(rows, many=True).data)
