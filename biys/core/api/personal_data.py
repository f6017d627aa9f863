"""``/api/v1/core/personal-data-views/``: the KVKK log of personal data seen unmasked, read-only,
filtered like its page (``?subject=<TC kimlik no>&time_after=&time_before=&user=``)."""

from rest_framework import serializers

from biys.core.api.views import BiysReadOnlyModelViewSet
from biys.core.models import PersonalDataView
from biys.core.views.personal_data import PersonalDataViewFilterSet


class PersonalDataViewSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    content_type = serializers.SerializerMethodField()

    class Meta:
        model = PersonalDataView
        fields = [
            "id",
            "time",
            "user",
            "content_type",
            "object_id",
            "object_repr",
            "unit_id",
            "fields",
            "reason",
            "request_id",
        ]

    def get_content_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class PersonalDataViewViewSet(BiysReadOnlyModelViewSet):
    queryset = PersonalDataView.objects.select_related("content_type", "user").order_by(
        "-time", "-id"
    )
    serializer_class = PersonalDataViewSerializer
    filterset_class = PersonalDataViewFilterSet
    ordering_fields = ["time", "id"]
