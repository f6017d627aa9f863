"""The register import API: upload a file (``POST /imports/``: checked row by row, the answer
is the import with its ``preview``: each row's values and errors), then ``POST
/imports/{id}/confirm/`` imports every row or none. A large file is checked and imported in the
background: ``state`` and ``progress`` show where it is."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from biys.core.api.idempotency import idempotent
from biys.core.api.views import BiysViewSetMixin
from biys.inventory import filtersets, import_services
from biys.inventory.api import import_serializers as serializers
from biys.inventory.models import AssetImport


class AssetImportViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GenericViewSet,
):
    queryset = AssetImport.objects.select_related("unit", "imported_by", "default_code").order_by(
        "-id"
    )
    serializer_class = serializers.AssetImportSerializer
    filterset_class = filtersets.AssetImportFilterSet
    ordering_fields = ["id", "created", "filename", "state"]
    # The writes' permission (registering assets in that unit) is the service's; reading is
    # scoped.
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": serializers.AssetImportUploadSerializer},
        responses={201: serializers.AssetImportSerializer},
        description=(
            "Upload an asset register (BİYS CSV or .xlsx, GLPI's computer export, Snipe-IT's"
            " asset export). A file that cannot be read is a 400 problem at `errors.file`."
            " Otherwise every row is checked: `state` is `ready` (confirm it) or `invalid`"
            " (`preview` lists the rows with their errors per field; nothing can be imported),"
            " or `checking` with a growing `progress` for a large file."
        ),
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = serializers.AssetImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        asset_import = import_services.start_import(
            user=request.user,
            unit=data["unit"],
            file=data["file"],
            filename=data["file"].name,
            file_format=data.get("file_format") or None,
            default_code=data.get("default_code"),
            kind=data.get("kind") or "assets",
        )
        return Response(self.get_serializer(asset_import).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: serializers.AssetImportSerializer},
        description=(
            "Import every row of a checked file without errors in one transaction (`done`), or"
            " none (`invalid` when rows became invalid since the check). A large file is"
            " imported in the background (`importing`, then `done`)."
        ),
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        asset_import = import_services.confirm_import(
            user=request.user, asset_import=self.get_object()
        )
        return Response(self.get_serializer(asset_import).data)
