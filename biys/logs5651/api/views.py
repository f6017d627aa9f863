"""The 5651 REST API. Access records are answered only to a logged search (``who``)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from biys.core.access import can, get_scope
from biys.core.api.views import BiysModelViewSet, BiysReadOnlyModelViewSet
from biys.core.context import bind_user
from biys.logs5651 import evidence, filtersets, selectors, services
from biys.logs5651.api import serializers
from biys.logs5651.models import DailySeal, LogFile, LogSource


class LogSourceViewSet(BiysModelViewSet):
    """Sources are deactivated, never deleted (their files stay)."""

    queryset = LogSource.objects.select_related("unit").order_by("name", "pk")
    serializer_class = serializers.LogSourceSerializer
    filterset_class = filtersets.LogSourceFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class LogFileViewSet(BiysReadOnlyModelViewSet):
    queryset = LogFile.objects.select_related("source").order_by("-day", "pk")
    serializer_class = serializers.LogFileSerializer
    filterset_class = filtersets.LogFileFilterSet

    @extend_schema(
        request={"multipart/form-data": serializers.UploadSerializer},
        responses={201: serializers.LogFileSerializer},
        description="Receive a day's file from a source (multipart: source, day, file).",
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def upload(self, request):
        _require(request, "logs5651.add_logfile")  # over some unit, before reading the body
        form = serializers.UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        source = form.validated_data["source"]
        scope = get_scope(request.user)
        if not scope.has_perm("logs5651.add_logfile", source.unit_id):
            if not scope.has_perm("logs5651.view_logsource", source.unit_id):
                raise exceptions.ValidationError({"source": ["Choose a source you can see."]})
            raise exceptions.PermissionDenied()
        log_file = services.ingest_file(
            source=source, path_or_bytes=form.validated_data["file"], day=form.validated_data["day"]
        )
        return Response(
            serializers.LogFileSerializer(log_file, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class DailySealViewSet(BiysReadOnlyModelViewSet):
    queryset = DailySeal.objects.select_related("unit").order_by("-day", "pk")
    serializer_class = serializers.DailySealSerializer
    filterset_class = filtersets.DailySealFilterSet

    @extend_schema(request=None, responses={200: serializers.DailySealSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def retry(self, request, pk=None):
        seal = self.get_object()
        if not can(request.user, "change", seal):
            raise exceptions.PermissionDenied()
        seal = services.retry_seal(seal=seal)
        return Response(serializers.DailySealSerializer(seal, context={"request": request}).data)


class SearchRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """The search log: one's own searches, or all of them for whoever holds its view permission
    over the whole municipality."""

    serializer_class = serializers.SearchRequestSerializer
    # The queryset is the rule (searches_for); a search belongs to no unit.
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.searches_for(self.request.user).order_by("-time", "-pk")

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        """The search's evidence package: records, original files, manifests, tokens, PDF."""
        if not get_scope(request.user).has_perm("logs5651.view_accessrecord"):
            raise exceptions.PermissionDenied()
        search = self.get_object()
        response = HttpResponse(
            evidence.evidence_package(user=request.user, search=search),
            content_type="application/zip",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{evidence.package_name(search)}.zip"'
        )
        return response


def _require(request, perm: str) -> None:
    if not get_scope(request.user).has_perm(perm):
        raise exceptions.PermissionDenied()


class WhoView(APIView):
    """Who had an IP address at a time. The search is logged (who asked, on which request
    number) before it is answered."""

    @extend_schema(
        parameters=[serializers.WhoQuerySerializer],
        responses={200: serializers.WhoAnswerSerializer},
    )
    def get(self, request):
        bind_user(request.user)
        _require(request, "logs5651.view_accessrecord")
        query = serializers.WhoQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            search, found = services.search_access_records(
                user=request.user,
                ip=data["ip"],
                at=data["at"],
                request_number=data["request_number"],
            )
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied() from error
        answer = {**data, "search": search.pk, "records": found}
        return Response(serializers.WhoAnswerSerializer(answer).data)


class VerifyView(APIView):
    """``biys logs verify`` over the units whose seals the caller sees."""

    @extend_schema(
        parameters=[serializers.VerifyQuerySerializer], responses={200: OpenApiTypes.OBJECT}
    )
    def get(self, request):
        _require(request, "logs5651.view_dailyseal")
        query = serializers.VerifyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = services.verify(
            date_from=query.validated_data.get("date_from"),
            date_to=query.validated_data.get("date_to"),
            unit_ids=get_scope(request.user).units_for("logs5651.view_dailyseal"),
        )
        return Response(report.as_dict())
