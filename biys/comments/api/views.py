from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from biys.attachments.api.filters import AttachedToFilterSet
from biys.attachments.api.permissions import SignedIn
from biys.attachments.targets import get_parent
from biys.comments import services
from biys.comments.api.serializers import (
    CommentCreateSerializer,
    CommentEditSerializer,
    CommentSerializer,
)
from biys.comments.models import Comment
from biys.comments.selectors import visible_comments
from biys.core.api.idempotency import idempotent
from biys.core.api.views import BiysModelViewSet


class CommentFilterSet(AttachedToFilterSet):
    class Meta:
        model = Comment
        fields = ["content_type", "object_id", "is_internal"]


class CommentViewSet(BiysModelViewSet):
    """Comments on business objects. Readable by whoever may view the parent object; internal
    notes only by those who may change it. Authors edit their own; authors or the parent unit's
    administrators delete."""

    queryset = Comment.objects.select_related("author", "content_type")
    serializer_class = CommentSerializer
    filterset_class = CommentFilterSet
    permission_classes = [SignedIn]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering_fields = ["created"]

    def get_queryset(self):
        return visible_comments(self.request.user).order_by("created", "id")

    def get_serializer_class(self):
        if self.action == "create":
            return CommentCreateSerializer
        if self.action == "partial_update":
            return CommentEditSerializer
        return CommentSerializer

    def _output(self, comment, code=status.HTTP_200_OK):
        data = CommentSerializer(comment, context=self.get_serializer_context()).data
        return Response(data, status=code)

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        payload = CommentCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        parent = get_parent(request.user, data["content_type"].pk, data["object_id"], "view")
        comment = services.add_comment(
            obj=parent, user=request.user, text=data["text"], is_internal=data["is_internal"]
        )
        return self._output(comment, status.HTTP_201_CREATED)

    @extend_schema(request=CommentEditSerializer, responses={200: CommentSerializer})
    def partial_update(self, request, *args, **kwargs):
        comment = self.get_object()
        payload = CommentEditSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = services.edit_comment(
            comment=comment,
            user=request.user,
            text=payload.validated_data["text"],
            is_internal=payload.validated_data.get("is_internal"),
        )
        return self._output(comment)

    def perform_destroy(self, instance):
        services.delete_comment(comment=instance, user=self.request.user)
