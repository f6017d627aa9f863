from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.inventory.models import AgentConflict, AgentDevice


class AgentDeviceSerializer(BiysModelSerializer):
    """What an agent last reported about a device; ``asset`` is null until it is registered."""

    is_registered = serializers.BooleanField(read_only=True)

    class Meta:
        model = AgentDevice
        fields = [
            "id", "display", "unit", "asset", "is_registered", "name", "device_id", "itemtype",
            "hardware_uuid", "serial_number", "manufacturer", "model", "chassis", "cpu",
            "cpu_cores", "memory_mb", "disks", "volumes", "os_name", "os_version", "os_arch",
            "interfaces", "monitors", "printers", "software", "agent_version", "tag",
            "remote_address", "matched_by", "last_inventory_at", "last_full_inventory_at",
            "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = fields


class AgentDeviceLinkSerializer(serializers.Serializer):
    asset_reference = serializers.CharField(
        help_text=_("The inventory number or serial number of the asset the device is.")
    )


class AgentConflictSerializer(BiysModelSerializer):
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = AgentConflict
        fields = [
            "id", "display", "unit", "device_id", "name", "hardware_uuid", "serial_number",
            "macs", "candidates", "reports", "first_seen", "last_seen", "is_open", "resolved_at",
            "resolved_by", "resolution", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = fields


class AgentConflictResolveSerializer(serializers.Serializer):
    choice = serializers.CharField(
        help_text=_("asset:ID or device:ID (one of the candidates), new (a new device) or dismiss.")
    )
