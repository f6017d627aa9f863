import base64

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.logs5651 import services
from biys.logs5651.models import AccessRecord, DailySeal, LogFile, LogSource, SearchRequest


class LogSourceSerializer(BiysModelSerializer):
    network_device = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_(
            "The id of the device in the network inventory that writes these logs, one of a"
            " unit whose sources you keep."
        ),
    )

    class Meta:
        model = LogSource
        fields = [
            "id", "display", "unit", "name", "kind", "parser", "network_device", "active",
            "notes", "created", "last_updated",
        ]  # fmt: skip

    def validate_network_device(self, value):
        request = self.context.get("request")
        current = self.instance.network_device if self.instance is not None else None
        try:
            services.check_network_device(
                user=getattr(request, "user", None), device_id=value, current=current
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["network_device"]) from error
        return value


class LogFileSerializer(BiysModelSerializer):
    class Meta:
        model = LogFile
        fields = [
            "id", "display", "source", "day", "name", "size", "sha256", "gz_size", "gz_sha256",
            "lines", "records", "records_sha256", "skipped", "unreadable", "parsed",
            "received_at",
        ]  # fmt: skip
        read_only_fields = fields


class UploadSerializer(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(queryset=LogSource.objects.all())
    day = serializers.DateField()
    file = serializers.FileField()


class DailySealSerializer(BiysModelSerializer):
    tsa_token = serializers.SerializerMethodField(
        help_text=_("The authority's TimeStampResp, DER, base64.")
    )

    class Meta:
        model = DailySeal
        fields = [
            "id", "display", "unit", "day", "status", "manifest", "manifest_sha256",
            "previous_sha256", "tsa_url", "tsa_token", "stamped_at", "attempts", "next_retry_at",
            "last_error",
        ]  # fmt: skip
        read_only_fields = fields

    def get_tsa_token(self, obj) -> str | None:
        return base64.b64encode(bytes(obj.tsa_token)).decode() if obj.tsa_token else None


class AccessRecordSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.name")
    file = serializers.IntegerField(source="file_id")
    file_name = serializers.CharField(source="file.name")
    day = serializers.DateField(source="file.day")

    class Meta:
        model = AccessRecord
        fields = [
            "kind", "ip", "mac", "start", "end", "identity", "hostname", "src_port", "nat_ip",
            "nat_port", "dst_ip", "dst_port", "source", "file", "file_name", "day", "line",
            "offset",
        ]  # fmt: skip


class WhoQuerySerializer(serializers.Serializer):
    ip = serializers.IPAddressField()
    at = serializers.DateTimeField()
    request_number = serializers.CharField(max_length=100)


class WhoAnswerSerializer(serializers.Serializer):
    search = serializers.IntegerField(help_text=_("The logged search (its evidence package)."))
    ip = serializers.CharField()
    at = serializers.DateTimeField()
    request_number = serializers.CharField()
    records = AccessRecordSerializer(many=True)


class SearchRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = SearchRequest
        fields = ["id", "time", "user", "user_name", "request_number", "ip", "at", "results"]


class VerifyQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
