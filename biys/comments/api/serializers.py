from rest_framework import serializers

from biys.attachments.api.serializers import ContentTypeField
from biys.comments.models import Comment
from biys.core.api.serializers import BiysModelSerializer


class CommentSerializer(BiysModelSerializer):
    content_type = ContentTypeField(read_only=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "display",
            "content_type",
            "object_id",
            "author",
            "text",
            "is_internal",
            "created",
            "edited",
        ]
        read_only_fields = fields


class CommentCreateSerializer(serializers.Serializer):
    content_type = ContentTypeField()
    object_id = serializers.CharField(max_length=64)
    text = serializers.CharField(max_length=10000)
    is_internal = serializers.BooleanField(default=False)


class CommentEditSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000)
    is_internal = serializers.BooleanField(required=False)
