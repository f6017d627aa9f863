"""Serializers of the policy API (names prefixed ``Bgys``). Writes go through
``policy_services``; a version's state changes by the actions."""

from rest_framework import serializers

from biys.accounts.models import Role
from biys.bgys import policy_services as services
from biys.bgys.api.audit_serializers import _Display
from biys.bgys.policy_models import Policy, PolicyVersion
from biys.org.models import Unit


class BgysPolicySerializer(_Display):
    audience_units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False
    )
    audience_roles = serializers.PrimaryKeyRelatedField(
        queryset=Role.objects.all(), many=True, required=False
    )

    class Meta:
        model = Policy
        fields = [
            "id", "display", "unit", "code", "title", "kind", "description", "audience_units",
            "audience_roles", "ack_working_days", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["created", "last_updated"]

    def _save(self, policy, validated_data):
        units = validated_data.pop("audience_units", None)
        roles = validated_data.pop("audience_roles", None)
        for name, value in validated_data.items():
            setattr(policy, name, value)
        return services.save_policy(
            policy=policy, user=self.user, audience_units=units, audience_roles=roles
        )

    def create(self, validated_data):
        return self._save(Policy(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


class BgysPolicyVersionSerializer(_Display):
    class Meta:
        model = PolicyVersion
        fields = [
            "id", "display", "policy", "number", "text", "change_summary", "state",
            "approved_by", "approved_at", "published_by", "published_on", "superseded_on",
            "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = [
            "number", "state", "approved_by", "approved_at", "published_by", "published_on",
            "superseded_on", "created", "last_updated",
        ]  # fmt: skip

    def create(self, validated_data):
        return services.save_version(version=PolicyVersion(**validated_data), user=self.user)

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_version(version=instance, user=self.user)


class BgysAcknowledgementSummarySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    pending = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rate = serializers.IntegerField()
    units = serializers.ListField(child=serializers.DictField())
