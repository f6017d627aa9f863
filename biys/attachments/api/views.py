from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from biys.attachments import services
from biys.attachments.api.filters import AttachedToFilterSet
from biys.attachments.api.permissions import SignedIn
from biys.attachments.api.serializers import AttachmentSerializer, AttachmentUploadSerializer
from biys.attachments.models import Attachment
from biys.attachments.selectors import visible_attachments
from biys.attachments.targets import get_parent
from biys.core.api.idempotency import idempotent
from biys.core.api.views import BiysModelViewSet


class AttachmentFilterSet(AttachedToFilterSet):
    class Meta:
        model = Attachment
        fields = ["content_type", "object_id", "mime_type", "sha256"]


class AttachmentViewSet(BiysModelViewSet):
    """Files attached to business objects. Visible to whoever may view the parent object;
    uploading and deleting need the right to change it. Upload as multipart/form-data."""

    queryset = Attachment.objects.select_related("uploaded_by", "content_type")
    serializer_class = AttachmentSerializer
    filterset_class = AttachmentFilterSet
    permission_classes = [SignedIn]
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "delete", "head", "options"]
    ordering_fields = ["created", "filename", "size"]
    ordering = ["-created", "-id"]

    def get_queryset(self):
        return visible_attachments(self.request.user).order_by("-created", "-id")

    def get_serializer_class(self):
        return AttachmentUploadSerializer if self.action == "create" else AttachmentSerializer

    @extend_schema(request=AttachmentUploadSerializer, responses={201: AttachmentSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        upload = AttachmentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        parent = get_parent(request.user, data["content_type"].pk, data["object_id"], "view")
        attachment = services.add_attachment(
            obj=parent,
            uploaded_file=data["file"],
            user=request.user,
            description=data.get("description", ""),
            is_internal=data.get("is_internal", False),
        )
        output = AttachmentSerializer(attachment, context=self.get_serializer_context())
        return Response(output.data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.delete_attachment(attachment=instance, user=self.request.user)

    # The file goes out with its own sniffed type (image/png, application/pdf, ...).
    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        services.record_file_read(attachment=attachment, user=request.user)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.filename,
            content_type=attachment.mime_type,
        )
