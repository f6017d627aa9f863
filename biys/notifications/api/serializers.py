from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.notifications.models import Notification


class NotificationSerializer(BiysModelSerializer):
    target_type = serializers.SerializerMethodField()
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "display",
            "title",
            "body",
            "target_type",
            "target_object_id",
            "url",
            "is_read",
            "read_at",
            "created",
        ]
        read_only_fields = fields

    def get_target_type(self, obj) -> str | None:
        content_type = obj.target_content_type
        return f"{content_type.app_label}.{content_type.model}" if content_type else None
