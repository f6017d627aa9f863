from django.contrib import admin

from biys.inventory.models import (
    VLAN,
    VRF,
    AddressHolding,
    Asset,
    Count,
    Custody,
    DevicePort,
    Disposal,
    Installation,
    IPAssignment,
    ItemModel,
    Licence,
    LicenceExpiryAlert,
    Location,
    NetworkDevice,
    Slip,
    SoftwareTitle,
    StockItem,
    StockRequest,
    Store,
    Subnet,
    TasinirCode,
    VLANGroup,
)


@admin.register(TasinirCode)
class TasinirCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]
    ordering = ["sort_code"]


@admin.register(ItemModel)
class ItemModelAdmin(admin.ModelAdmin):
    list_display = ["brand", "name", "category", "tasinir_code", "kind", "unit"]
    list_filter = ["category", "kind"]
    search_fields = ["brand", "name"]
    raw_id_fields = ["tasinir_code", "unit"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["building", "floor", "room", "unit"]
    search_fields = ["building", "room"]
    raw_id_fields = ["unit"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read only: assets and custody change through the inventory's services (numbering,
    custody rules), never by editing rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin):
    list_display = [
        "inventory_number",
        "item_model",
        "serial_number",
        "status",
        "unit",
        "custodian",
    ]
    list_filter = ["status"]
    search_fields = ["inventory_number", "serial_number"]


@admin.register(Custody)
class CustodyAdmin(ReadOnlyAdmin):
    list_display = ["number", "asset", "person", "started_at", "acknowledged_at", "ended_at"]
    search_fields = ["number", "asset__inventory_number"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "keeper", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["unit", "keeper", "location"]


@admin.register(StockItem)
class StockItemAdmin(ReadOnlyAdmin):
    list_display = ["item_model", "store", "quantity", "minimum_level"]


@admin.register(Slip)
class SlipAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "date", "store", "state", "approved_at"]
    list_filter = ["kind", "state"]
    search_fields = ["number", "document"]


@admin.register(StockRequest)
class StockRequestAdmin(ReadOnlyAdmin):
    list_display = ["number", "store", "requesting_unit", "state", "created"]
    list_filter = ["state"]
    search_fields = ["number"]


@admin.register(Count)
class CountAdmin(ReadOnlyAdmin):
    list_display = ["number", "year", "store", "scope", "state", "closed_at"]
    list_filter = ["state", "scope"]
    search_fields = ["number"]


@admin.register(Disposal)
class DisposalAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "store", "decision_date", "state", "slip"]
    list_filter = ["kind", "state"]
    search_fields = ["number", "decision_number"]


@admin.register(SoftwareTitle)
class SoftwareTitleAdmin(admin.ModelAdmin):
    list_display = ["name", "publisher", "category", "status", "licence_required", "unit"]
    list_filter = ["status", "category", "licence_required"]
    search_fields = ["publisher", "name", "match_key"]
    readonly_fields = ["match_key"]
    raw_id_fields = ["unit"]


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "seats", "starts_on", "expires_on", "contract", "unit"]
    list_filter = ["kind"]
    search_fields = ["title__name", "title__publisher", "contract", "supplier"]
    date_hierarchy = "expires_on"
    raw_id_fields = ["title", "unit"]


@admin.register(Installation)
class InstallationAdmin(admin.ModelAdmin):
    list_display = ["title", "asset", "version", "source", "last_seen", "removed_at"]
    list_filter = ["source", "title__status"]
    search_fields = ["title__name", "asset__inventory_number", "asset__serial_number"]
    raw_id_fields = ["title", "asset"]
    readonly_fields = ["source", "first_seen", "last_seen", "removed_at"]


@admin.register(LicenceExpiryAlert)
class LicenceExpiryAlertAdmin(admin.ModelAdmin):
    list_display = ["licence", "days", "expires_on", "sent_at"]
    raw_id_fields = ["licence"]


# The network inventory: read here, written through network_services (addresses normalised,
# conflicts refused, subnets found).
@admin.register(VRF)
class VRFAdmin(ReadOnlyAdmin):
    list_display = ["name", "rd", "description", "unit"]
    search_fields = ["name", "rd", "description"]


@admin.register(VLANGroup)
class VLANGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "min_vid", "max_vid", "description", "unit"]
    search_fields = ["name", "description"]


@admin.register(VLAN)
class VLANAdmin(ReadOnlyAdmin):
    list_display = ["vid", "name", "group", "status", "description", "unit"]
    list_filter = ["status"]
    search_fields = ["name", "description"]


@admin.register(NetworkDevice)
class NetworkDeviceAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "management_ip", "model", "firmware", "unit"]
    list_filter = ["kind"]
    search_fields = ["name", "serial_number", "management_ip", "mac_address"]


@admin.register(DevicePort)
class DevicePortAdmin(ReadOnlyAdmin):
    list_display = ["device", "name", "speed_mbps", "vlan", "connected_to", "enabled"]
    search_fields = ["device__name", "name", "connected_to"]


@admin.register(Subnet)
class SubnetAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "vrf", "vlan", "gateway", "description", "unit"]
    search_fields = ["prefix", "description"]


@admin.register(IPAssignment)
class IPAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["address", "vrf", "subnet", "status", "device", "host", "mac_address", "unit"]
    list_filter = ["status"]
    search_fields = ["address", "host", "mac_address"]


@admin.register(AddressHolding)
class AddressHoldingAdmin(ReadOnlyAdmin):
    list_display = ["address", "vrf", "holder", "status", "started_at", "ended_at", "unit"]
    search_fields = ["address", "holder", "mac_address"]
