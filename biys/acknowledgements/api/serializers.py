from rest_framework import serializers

from biys.acknowledgements.models import Acknowledgement
from biys.core.api.serializers import BiysModelSerializer


class AcknowledgementSerializer(BiysModelSerializer):
    document_type = serializers.SerializerMethodField()
    document = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Acknowledgement
        fields = [
            "id", "display", "document_type", "object_id", "document", "url", "requested_on",
            "due_on", "is_overdue", "acknowledged_at", "statement",
        ]  # fmt: skip
        read_only_fields = fields

    def get_document_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_document(self, obj) -> str:
        return str(obj.target) if obj.target is not None else ""

    def get_url(self, obj) -> str:
        return obj.get_absolute_url() if obj.target is not None else ""


class AcceptSerializer(serializers.Serializer):
    statement = serializers.CharField(required=False, allow_blank=True, max_length=2000)
