"""Filters of the inventory lists, shared by the web lists and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from biys.inventory.models import (
    Asset,
    AssetStatus,
    Custody,
    ItemCategory,
    ItemKind,
    ItemModel,
    Location,
    TasinirCode,
)
from biys.org.filtersets import SearchFilterSet, UnitScopedFilterSet
from biys.org.models import Person


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
