from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.inventory import network_selectors, network_services
from biys.inventory.models import (
    VLAN,
    VRF,
    AddressHolding,
    DevicePort,
    IPAssignment,
    NetworkDevice,
    Subnet,
    VLANGroup,
)


class _ServiceSaved(BiysModelSerializer):
    """Created and updated through ``save`` of ``network_services``."""

    service = None
    argument = ""
    # Fields whose uniqueness the service checks and names (a VLAN ID once in its group or
    # unit): left out of the model's constraint checks here, whose conditional constraints
    # would only say which one broke, with no field.
    service_checked: tuple[str, ...] = ()

    def _model_errors(self, candidate, unchecked, computed) -> dict:
        return BiysModelSerializer._model_errors(
            candidate, unchecked, computed | set(self.service_checked)
        )

    def _save(self, instance):
        user = self.context["request"].user
        return type(self).service(**{self.argument: instance, "user": user})

    def create(self, validated_data):
        return self._save(self.Meta.model(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._save(instance)


class VRFSerializer(_ServiceSaved):
    service = network_services.save_vrf
    argument = "vrf"

    class Meta:
        model = VRF
        fields = [
            "id", "display", "unit", "name", "rd", "description", "created", "last_updated",
        ]  # fmt: skip


class VLANSerializer(_ServiceSaved):
    service = network_services.save_vlan
    argument = "vlan"
    service_checked = ("vid",)

    class Meta:
        model = VLAN
        validators = []  # the service checks and names the unique fields
        fields = [
            "id", "display", "unit", "group", "vid", "name", "status", "description", "created",
            "last_updated",
        ]  # fmt: skip


class VLANGroupSerializer(_ServiceSaved):
    service = network_services.save_vlan_group
    argument = "group"
    service_checked = ("name",)

    class Meta:
        model = VLANGroup
        validators = []  # the service checks and names the unique fields
        fields = [
            "id", "display", "unit", "name", "location", "min_vid", "max_vid", "description",
            "created", "last_updated",
        ]  # fmt: skip


class NetworkDeviceSerializer(_ServiceSaved):
    service = network_services.save_device
    argument = "device"

    class Meta:
        model = NetworkDevice
        fields = [
            "id", "display", "unit", "name", "kind", "asset", "manufacturer", "model",
            "serial_number", "management_ip", "management_vrf", "mac_address", "firmware", "location", "rack",
            "rack_unit", "notes", "created", "last_updated",
        ]  # fmt: skip


class DevicePortSerializer(_ServiceSaved):
    """A port; ``vlan`` is its untagged VLAN, ``tagged_vlans`` (ids) its tagged VLANs, only in
    ``mode`` ``tagged``. Left out of an update, the tagged VLANs stay as they are."""

    service = network_services.save_port
    argument = "port"

    class Meta:
        model = DevicePort
        fields = [
            "id", "display", "device", "name", "speed_mbps", "mode", "vlan", "tagged_vlans",
            "connected_to", "enabled", "created", "last_updated",
        ]  # fmt: skip

    def create(self, validated_data):
        tagged = validated_data.pop("tagged_vlans", None)
        return network_services.save_port(
            port=DevicePort(**validated_data),
            tagged_vlans=tagged,
            user=self.context["request"].user,
        )

    def update(self, instance, validated_data):
        tagged = validated_data.pop("tagged_vlans", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return network_services.save_port(
            port=instance, tagged_vlans=tagged, user=self.context["request"].user
        )


class SubnetSerializer(_ServiceSaved):
    service = network_services.save_subnet
    argument = "subnet"

    size = serializers.SerializerMethodField(help_text=_("Addresses that can be given out."))
    used = serializers.SerializerMethodField(help_text=_("Addresses given out in it."))
    utilisation = serializers.SerializerMethodField(help_text=_("Used of the size, in percent."))

    class Meta:
        model = Subnet
        fields = [
            "id", "display", "unit", "vrf", "prefix", "vlan", "gateway", "description", "size", "used",
            "utilisation", "created", "last_updated",
        ]  # fmt: skip

    def get_size(self, obj) -> int:
        return obj.size

    def get_used(self, obj) -> int:
        if getattr(obj, "used", None) is None:  # just saved: not annotated
            obj.used = obj.assignments.count()
        return obj.used

    def get_utilisation(self, obj) -> float | None:
        self.get_used(obj)
        return network_selectors.utilisation(obj)


class IPAssignmentSerializer(_ServiceSaved):
    service = network_services.save_assignment
    argument = "assignment"

    outside_subnets = serializers.BooleanField(
        read_only=True, help_text=_("In no recorded subnet.")
    )

    class Meta:
        model = IPAssignment
        fields = [
            "id", "display", "unit", "vrf", "address", "subnet", "outside_subnets", "status", "device",
            "host", "mac_address", "notes", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["subnet"]


class AddressHoldingSerializer(BiysModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text=_("The address's status then (active, reserved, dhcp, ...).")
    )

    class Meta:
        model = AddressHolding
        fields = [
            "id", "display", "unit", "vrf", "address", "device", "holder", "mac_address",
            "status", "started_at", "started_by", "ended_at", "ended_by",
        ]  # fmt: skip
        read_only_fields = fields
