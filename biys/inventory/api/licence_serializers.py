from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.inventory import licence_services
from biys.inventory.licence_selectors import Compliance
from biys.inventory.models import (
    Asset,
    Installation,
    InstallationSource,
    Licence,
    SoftwareTitle,
)


class SoftwareTitleSerializer(BiysModelSerializer):
    class Meta:
        model = SoftwareTitle
        fields = [
            "id", "display", "unit", "publisher", "name", "category", "status",
            "licence_required", "status_reason", "created", "last_updated",
        ]  # fmt: skip

    def create(self, validated_data):
        user = self.context["request"].user
        return licence_services.save_title(title=SoftwareTitle(**validated_data), user=user)

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return licence_services.save_title(title=instance, user=self.context["request"].user)


class ComplianceSerializer(serializers.ModelSerializer):
    """A title's compliance: installations seen against the seats of the licences in effect."""

    installed = serializers.IntegerField(read_only=True)
    entitled = serializers.IntegerField(read_only=True, help_text=_("Seats in effect today."))
    shortfall = serializers.IntegerField(
        read_only=True, help_text=_("Installations beyond the seats (0 when none or free).")
    )
    compliance = serializers.ChoiceField(choices=Compliance.choices, read_only=True)

    class Meta:
        model = SoftwareTitle
        fields = [
            "id", "publisher", "name", "category", "status", "licence_required", "installed",
            "entitled", "shortfall", "compliance",
        ]  # fmt: skip
        read_only_fields = fields


class LicenceSerializer(BiysModelSerializer):
    class Meta:
        model = Licence
        fields = [
            "id", "display", "unit", "title", "kind", "seats", "starts_on", "expires_on", "cost",
            "supplier", "contract", "notes", "created", "last_updated",
        ]  # fmt: skip

    def create(self, validated_data):
        user = self.context["request"].user
        return licence_services.save_licence(licence=Licence(**validated_data), user=user)

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return licence_services.save_licence(licence=instance, user=self.context["request"].user)


class InstallationSerializer(BiysModelSerializer):
    """An installation entered by hand; ``asset`` and ``title`` are fixed once recorded."""

    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Installation
        fields = [
            "id", "display", "asset", "title", "version", "installed_on", "source", "first_seen",
            "last_seen", "removed_at", "is_current", "notes", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["source", "first_seen", "last_seen", "removed_at"]

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("asset", "title"):
                value = attrs.get(name)
                if value is not None and value != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: _("An installation keeps its asset and software.")}
                    )
        return super().validate(attrs)

    def create(self, validated_data):
        return licence_services.record_installation(
            source=InstallationSource.API, user=self.context["request"].user, **validated_data
        )

    def update(self, instance, validated_data):
        validated_data.pop("asset", None)
        validated_data.pop("title", None)
        return licence_services.update_installation(
            installation=instance, user=self.context["request"].user, **validated_data
        )


class SoftwareLineSerializer(serializers.Serializer):
    publisher = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=300)
    version = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    installed_on = serializers.DateField(required=False, allow_null=True, default=None)


class SoftwareReportSerializer(serializers.Serializer):
    """What one computer has installed, as an inventory agent reports it."""

    asset = serializers.PrimaryKeyRelatedField(queryset=Asset.objects.all())
    complete = serializers.BooleanField(
        default=True,
        help_text=_(
            "A full inventory: what it no longer lists is marked removed. False for a partial"
            " report that only adds and updates."
        ),
    )
    software = SoftwareLineSerializer(many=True, allow_empty=True, max_length=5000)


class SoftwareReportResultSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    removed = serializers.IntegerField()
    new_titles = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Titles added as not reviewed.")
    )
