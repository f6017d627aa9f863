"""Filters of the inventory lists, shared by the web lists and the API."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.inventory.licence_selectors import Compliance
from biys.inventory.models import (
    AgentConflict,
    AgentDevice,
    Asset,
    AssetImport,
    AssetStatus,
    Count,
    CountState,
    Custody,
    Disposal,
    DisposalKind,
    DisposalState,
    ImportFormat,
    ImportState,
    Installation,
    InstallationSource,
    ItemCategory,
    ItemKind,
    ItemModel,
    Licence,
    LicenceKind,
    Location,
    MatchedBy,
    RequestState,
    Slip,
    SlipKind,
    SlipState,
    SoftwareCategory,
    SoftwareStatus,
    SoftwareTitle,
    StockItem,
    StockRequest,
    Store,
    TasinirCode,
)
from biys.org.filtersets import SearchFilterSet, UnitScopedFilterSet
from biys.org.models import Person, Unit


class TasinirCodeFilterSet(SearchFilterSet):
    search_lookups = ("code", "name")
    level = django_filters.NumberFilter(label=_("Level"))

    class Meta:
        model = TasinirCode
        fields = ["q", "level", "is_active"]


class ItemModelFilterSet(UnitScopedFilterSet):
    category = django_filters.MultipleChoiceFilter(
        choices=ItemCategory.choices, label=_("Category")
    )
    kind = django_filters.ChoiceFilter(choices=ItemKind.choices, label=_("Kind"))

    class Meta:
        model = ItemModel
        fields = ["q", "category", "kind", "unit"]


class LocationFilterSet(UnitScopedFilterSet):
    search_lookups = ("building", "floor", "room")

    class Meta:
        model = Location
        fields = ["q", "unit"]


class AssetFilterSet(UnitScopedFilterSet):
    """``q`` finds inventory numbers, serial numbers, brands and models."""

    status = django_filters.MultipleChoiceFilter(choices=AssetStatus.choices, label=_("Status"))
    category = django_filters.MultipleChoiceFilter(
        field_name="item_model__category", choices=ItemCategory.choices, label=_("Category")
    )
    custodian = django_filters.ModelChoiceFilter(
        queryset=Person.objects.all(), label=_("Custodian")
    )
    warranty_until = django_filters.DateFilter(
        field_name="warranty_end", lookup_expr="lte", label=_("Warranty ends by")
    )
    panel_fields = ("q", "status", "category", "unit", "include_subtree", "warranty_until")

    class Meta:
        model = Asset
        fields = ["q", "status", "category", "unit", "custodian", "item_model", "warranty_until"]


class CustodyFilterSet(UnitScopedFilterSet):
    search_lookups = ("number", "asset__inventory_number")
    open = django_filters.BooleanFilter(
        field_name="ended_at", lookup_expr="isnull", label=_("Still in custody")
    )
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.all(), label=_("Person"))
    panel_fields = ("q", "open", "unit", "include_subtree")

    class Meta:
        model = Custody
        fields = ["q", "open", "unit", "person", "asset"]


@extend_schema_field(OpenApiTypes.INT)
class StoreUnitFilter(django_filters.ModelMultipleChoiceFilter):
    """The unit of the store (stock, fişler and requests have no field named ``unit`` to
    guess the type from)."""


class StoreFilterSet(UnitScopedFilterSet):
    search_lookups = ("name",)

    class Meta:
        model = Store
        fields = ["q", "unit", "is_active"]


class StockItemFilterSet(UnitScopedFilterSet):
    """The stock register; ``low`` keeps the lines under their minimum level."""

    search_lookups = ("item_model__brand", "item_model__name", "item_model__tasinir_code__code")
    unit_lookup = "store__unit"
    unit = StoreUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all(), label=_("Store"))
    item_model = django_filters.ModelChoiceFilter(
        queryset=ItemModel.objects.filter(kind=ItemKind.CONSUMABLE), label=_("Item")
    )
    low = django_filters.BooleanFilter(method="filter_low", label=_("Below the minimum level"))
    panel_fields = ("q", "store", "low", "unit", "include_subtree")

    class Meta:
        model = StockItem
        fields = ["q", "store", "item_model", "low", "unit"]

    def filter_low(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(quantity__lt=F("minimum_level"))
        return queryset.filter(condition) if value else queryset.exclude(condition)


class SlipFilterSet(UnitScopedFilterSet):
    search_lookups = ("number", "counterparty", "document")
    unit_lookup = "store__unit"
    unit = StoreUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all(), label=_("Store"))
    kind = django_filters.MultipleChoiceFilter(choices=SlipKind.choices, label=_("Kind"))
    state = django_filters.ChoiceFilter(choices=SlipState.choices, label=_("State"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))
    panel_fields = ("q", "store", "kind", "state", "date_from", "date_to", "unit")

    class Meta:
        model = Slip
        fields = ["q", "store", "kind", "state", "date_from", "date_to", "unit"]


class StockRequestFilterSet(UnitScopedFilterSet):
    search_lookups = ("number", "notes")
    unit_lookup = "store__unit"
    unit = StoreUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all(), label=_("Store"))
    requesting_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("Requesting unit")
    )
    state = django_filters.ChoiceFilter(choices=RequestState.choices, label=_("State"))
    panel_fields = ("q", "store", "requesting_unit", "state", "unit")

    class Meta:
        model = StockRequest
        fields = ["q", "store", "requesting_unit", "state", "unit"]


class CountFilterSet(UnitScopedFilterSet):
    search_lookups = ("number", "notes")
    unit_lookup = "store__unit"
    unit = StoreUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all(), label=_("Store"))
    year = django_filters.NumberFilter(label=_("Year"))
    state = django_filters.ChoiceFilter(choices=CountState.choices, label=_("State"))
    panel_fields = ("q", "store", "year", "state", "unit")

    class Meta:
        model = Count
        fields = ["q", "store", "year", "state", "unit"]


class DisposalFilterSet(UnitScopedFilterSet):
    search_lookups = ("number", "decision_number", "reason")
    unit_lookup = "store__unit"
    unit = StoreUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all(), label=_("Store"))
    kind = django_filters.ChoiceFilter(choices=DisposalKind.choices, label=_("Kind"))
    state = django_filters.ChoiceFilter(choices=DisposalState.choices, label=_("State"))
    panel_fields = ("q", "store", "kind", "state", "unit")

    class Meta:
        model = Disposal
        fields = ["q", "store", "kind", "state", "unit"]


# --------------------------------------------------------------------------- software and licences


class SoftwareTitleFilterSet(UnitScopedFilterSet):
    """``q`` finds publishers and names (Turkish letters folded)."""

    status = django_filters.MultipleChoiceFilter(choices=SoftwareStatus.choices, label=_("Status"))
    category = django_filters.MultipleChoiceFilter(
        choices=SoftwareCategory.choices, label=_("Category")
    )
    panel_fields = ("q", "status", "category", "licence_required")

    class Meta:
        model = SoftwareTitle
        fields = ["q", "status", "category", "licence_required", "unit"]


class ComplianceFilterSet(SoftwareTitleFilterSet):
    """The compliance page: titles by their state (over-deployed, forbidden installed, not
    reviewed, compliant); ``installed`` keeps titles found on at least one asset."""

    compliance = django_filters.MultipleChoiceFilter(
        choices=Compliance.choices, label=_("Compliance")
    )
    installed_only = django_filters.BooleanFilter(
        method="filter_installed", label=_("Installed somewhere")
    )
    panel_fields = ("q", "compliance", "status", "category", "installed_only")

    class Meta:
        model = SoftwareTitle
        fields = ["q", "compliance", "status", "category", "installed_only"]

    def filter_installed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(installed__gt=0) if value else queryset.filter(installed=0)


class LicenceFilterSet(UnitScopedFilterSet):
    search_lookups = ("title__publisher", "title__name", "supplier", "contract")
    title = django_filters.ModelChoiceFilter(
        queryset=SoftwareTitle.objects.all(), label=_("Software")
    )
    kind = django_filters.ChoiceFilter(choices=LicenceKind.choices, label=_("Kind"))
    expires_by = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="lte", label=_("Expires by")
    )
    expires_from = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="gte", label=_("Expires from")
    )
    panel_fields = ("q", "kind", "expires_from", "expires_by", "unit", "include_subtree")

    class Meta:
        model = Licence
        fields = ["q", "title", "kind", "expires_from", "expires_by", "unit"]


class AssetUnitFilter(StoreUnitFilter):
    """The unit of the asset an installation is on."""


class InstallationFilterSet(UnitScopedFilterSet):
    """``title_status=forbidden&current=true``: forbidden software on the register's assets."""

    search_lookups = (
        "title__publisher",
        "title__name",
        "asset__inventory_number",
        "asset__serial_number",
        "version",
    )
    unit_lookup = "asset__unit"
    unit = AssetUnitFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    title = django_filters.ModelChoiceFilter(
        queryset=SoftwareTitle.objects.all(), label=_("Software")
    )
    title_status = django_filters.MultipleChoiceFilter(
        field_name="title__status", choices=SoftwareStatus.choices, label=_("Software status")
    )
    asset = django_filters.ModelChoiceFilter(queryset=Asset.objects.all(), label=_("Asset"))
    current = django_filters.BooleanFilter(
        field_name="removed_at", lookup_expr="isnull", label=_("Still installed")
    )
    source = django_filters.ChoiceFilter(
        choices=InstallationSource.choices, label=_("Recorded from")
    )
    panel_fields = ("q", "title_status", "current", "source", "unit", "include_subtree")

    class Meta:
        model = Installation
        fields = ["q", "title", "title_status", "asset", "current", "source", "unit"]


class AgentDeviceFilterSet(UnitScopedFilterSet):
    """``registered=false``: the devices agents reported that are not on the register yet."""

    search_lookups = ("name", "serial_number", "hardware_uuid", "manufacturer", "model")
    registered = django_filters.BooleanFilter(
        field_name="asset", lookup_expr="isnull", exclude=True, label=_("Registered")
    )
    matched_by = django_filters.ChoiceFilter(choices=MatchedBy.choices, label=_("Matched by"))
    panel_fields = ("q", "registered", "matched_by", "unit", "include_subtree")

    class Meta:
        model = AgentDevice
        fields = ["q", "registered", "matched_by", "unit"]


class AgentConflictFilterSet(UnitScopedFilterSet):
    search_lookups = ("name", "serial_number", "hardware_uuid", "device_id")
    open = django_filters.BooleanFilter(
        field_name="resolved_at", lookup_expr="isnull", label=_("Open")
    )
    panel_fields = ("q", "open", "unit", "include_subtree")

    class Meta:
        model = AgentConflict
        fields = ["q", "open", "unit"]


class AssetImportFilterSet(UnitScopedFilterSet):
    search_lookups = ("filename",)
    file_format = django_filters.MultipleChoiceFilter(
        choices=ImportFormat.choices, label=_("Format"), distinct=False
    )
    state = django_filters.MultipleChoiceFilter(
        choices=ImportState.choices, label=_("State"), distinct=False
    )

    class Meta:
        model = AssetImport
        fields = ["q", "file_format", "state", "unit", "include_subtree"]
