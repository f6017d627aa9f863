from django.contrib.auth import get_user_model
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.kvkk import services
from biys.kvkk.choices import Outcome
from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest


class KvkkListItemSerializer(BiysModelSerializer):
    class Meta:
        model = ListItem
        fields = ["id", "display", "kind", "code", "name", "special", "position", "active"]
        read_only_fields = fields


def _items(name: str):
    """Not required here: a list left out of a change keeps its entries, and the service names
    a missing one at its field."""
    return serializers.PrimaryKeyRelatedField(
        queryset=ListItem.objects.all(), many=True, required=False
    )


class ProcessingActivitySerializer(BiysModelSerializer):
    """A processing activity; each list is the ids of its pick-list's entries (the service
    refuses an entry of another list)."""

    data_categories = _items("data_categories")
    purposes = _items("purposes")
    legal_bases = _items("legal_bases")
    subject_groups = _items("subject_groups")
    recipient_groups = _items("recipient_groups")
    technical_measures = _items("technical_measures")
    administrative_measures = _items("administrative_measures")

    class Meta:
        model = ProcessingActivity
        fields = [
            "id", "display", "unit", "name", "description", "personal_data", "data_categories",
            "purposes", "legal_bases", "subject_groups", "recipient_groups", "transfer_abroad",
            "transfer_countries", "transfer_basis", "retention_period", "technical_measures",
            "administrative_measures", "active", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["created", "last_updated"]

    def _split(self, validated_data):
        lists = {name: validated_data.pop(name, None) for name in services.ACTIVITY_LISTS}
        return {name: value for name, value in lists.items() if value is not None}

    def create(self, validated_data):
        lists = self._split(validated_data)
        return services.save_activity(
            activity=ProcessingActivity(**validated_data),
            user=self.context["request"].user,
            **lists,
        )

    def update(self, instance, validated_data):
        lists = self._split(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_activity(activity=instance, user=self.context["request"].user, **lists)


class SubjectRequestSerializer(BiysModelSerializer):
    """A request as read: the applicant's TC kimlik number masked (the other personal fields
    are read through the logged ``identity`` action)."""

    tc_kimlik_no_masked = serializers.CharField(source="masked_tc_kimlik_no", read_only=True)
    outcome = serializers.CharField(
        read_only=True, help_text="accepted, partly or refused; empty until answered"
    )
    days_left = serializers.SerializerMethodField()

    class Meta:
        model = SubjectRequest
        fields = [
            "id", "display", "number", "received_on", "channel", "right", "request_text",
            "applicant_name", "tc_kimlik_no_masked", "unit", "assignee", "due_date",
            "days_left", "state", "outcome", "answer", "answered_on", "answered_by", "created",
            "last_updated",
        ]  # fmt: skip
        read_only_fields = fields

    def get_days_left(self, obj) -> int | None:
        from biys.kvkk.selectors import days_left

        return days_left(obj)


class SubjectRequestWriteSerializer(serializers.Serializer):
    """Register or change a request (``PATCH``: only the fields given)."""

    received_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=SubjectRequest._meta.get_field("channel").choices)
    right = serializers.ChoiceField(choices=SubjectRequest._meta.get_field("right").choices)
    request_text = serializers.CharField()
    applicant_name = serializers.CharField(max_length=200)
    tc_kimlik_no = serializers.CharField(max_length=20, write_only=True)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    address = serializers.CharField(required=False, allow_blank=True, default="")
    unit = serializers.PrimaryKeyRelatedField(
        queryset=SubjectRequest._meta.get_field("unit").related_model.objects.all()
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True, default=None
    )


class AnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    answer = serializers.CharField()
    answered_on = serializers.DateField(required=False, allow_null=True, default=None)


class RevealRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class IdentitySerializer(serializers.Serializer):
    tc_kimlik_no = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()
