from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from biys.attachments.models import Attachment
from biys.attachments.targets import parent_model
from biys.core.api.serializers import BiysModelSerializer


@extend_schema_field({"type": "string", "example": "org.person"})
class ContentTypeField(serializers.Field):
    """A parent model named ``app_label.model`` (the numeric content type id is accepted too)."""

    default_error_messages = {
        "invalid": _("Name an object type as app_label.model, e.g. org.person."),
        "not_attachable": _("Nothing can be attached to this object type."),
    }

    def to_representation(self, value: ContentType) -> str:
        return f"{value.app_label}.{value.model}"

    def to_internal_value(self, data) -> ContentType:
        content_type = resolve_content_type(data)
        if content_type is None:
            self.fail("invalid")
        if parent_model(content_type) is None:
            self.fail("not_attachable")
        return content_type


def resolve_content_type(value) -> ContentType | None:
    text = str(value).strip()
    try:
        if text.isdigit():
            return ContentType.objects.get_for_id(int(text))
        app_label, _dot, model = text.lower().partition(".")
        if not app_label or not model:
            return None
        return ContentType.objects.get_by_natural_key(app_label, model)
    except (ContentType.DoesNotExist, OverflowError, ValueError):
        return None


class AttachmentSerializer(BiysModelSerializer):
    content_type = ContentTypeField(read_only=True)
    download_url = serializers.SerializerMethodField()
    uploaded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Attachment
        fields = [
            "id",
            "display",
            "content_type",
            "object_id",
            "filename",
            "size",
            "sha256",
            "mime_type",
            "description",
            "is_internal",
            "uploaded_by",
            "created",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        request = self.context.get("request")
        url = reverse("attachment-download", kwargs={"pk": obj.pk})
        return request.build_absolute_uri(url) if request else url


class AttachmentUploadSerializer(serializers.Serializer):
    content_type = ContentTypeField()
    object_id = serializers.CharField(max_length=64)
    file = serializers.FileField(allow_empty_file=False)
    description = serializers.CharField(max_length=255, required=False, allow_blank=True)
    is_internal = serializers.BooleanField(default=False)
