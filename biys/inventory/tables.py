"""Tables of the inventory lists (their columns are the CSV and Excel exports too)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from biys.core.tables import BiysTable
from biys.inventory.models import Asset, Custody, ItemModel, Location, TasinirCode

STATUS_COLOURS = {
    "in_store": "blue",
    "in_custody": "green",
    "faulty": "red",
    "at_repair": "orange",
    "scrapped": "secondary",
    "written_off": "secondary",
}


def status_badge(record) -> str:
    colour = STATUS_COLOURS.get(record.status, "secondary")
    return format_html(
        '<span class="badge bg-{}-lt">{}</span>', colour, record.get_status_display()
    )


class TasinirCodeTable(BiysTable):
    code = tables.Column(verbose_name=_("Code"), linkify=True, order_by=("sort_code",))
    name = tables.Column(verbose_name=_("Name"))

    class Meta(BiysTable.Meta):
        model = TasinirCode
        fields = ("code", "name", "level", "is_active")

    def render_name(self, value, record):
        return format_html(
            '<span style="padding-left: {}rem">{}</span>', (record.level - 1) * 1.25, value
        )

    def value_name(self, value, record):
        return value


class ItemModelTable(BiysTable):
    brand = tables.Column(verbose_name=_("Brand"), linkify=True, order_by=("sort_name",))
    name = tables.Column(verbose_name=_("Model"), linkify=True)
    tasinir_code = tables.Column(verbose_name=_("Property code"), accessor="tasinir_code__code")

    class Meta(BiysTable.Meta):
        model = ItemModel
        fields = ("brand", "name", "category", "kind", "tasinir_code", "unit")


class LocationTable(BiysTable):
    building = tables.Column(verbose_name=_("Building"), linkify=True, order_by=("sort_name",))

    class Meta(BiysTable.Meta):
        model = Location
        fields = ("building", "floor", "room", "unit")


class AssetTable(BiysTable):
    inventory_number = tables.Column(verbose_name=_("Inventory number"), linkify=True)
    item_model = tables.Column(verbose_name=_("Model"), order_by=("item_model__sort_name",))
    serial_number = tables.Column(verbose_name=_("Serial number"))
    status = tables.Column(verbose_name=_("Status"))
    custodian = tables.Column(verbose_name=_("Custodian"), order_by=("custodian__sort_name",))
    unit = tables.Column(verbose_name=_("Unit"))
    location = tables.Column(verbose_name=_("Location"), order_by=("location__sort_name",))
    warranty_end = tables.DateColumn(verbose_name=_("Warranty end"), format="Y-m-d")
    acquired_on = tables.DateColumn(verbose_name=_("Acquisition date"), format="Y-m-d")

    class Meta(BiysTable.Meta):
        model = Asset
        fields = (
            "inventory_number",
            "item_model",
            "serial_number",
            "status",
            "custodian",
            "unit",
            "location",
            "acquired_on",
            "value",
            "warranty_end",
        )

    def render_status(self, value, record):
        return status_badge(record)

    def value_status(self, value, record):
        return record.get_status_display()


class CustodyTable(BiysTable):
    number = tables.Column(verbose_name=_("Custody form"), linkify=True)
    asset = tables.Column(verbose_name=_("Asset"), linkify=True)
    person = tables.Column(verbose_name=_("Person"))
    started_at = tables.DateTimeColumn(verbose_name=_("Handed over"))
    acknowledged_at = tables.DateTimeColumn(verbose_name=_("Acknowledged"))
    ended_at = tables.DateTimeColumn(verbose_name=_("Ended"))

    class Meta(BiysTable.Meta):
        model = Custody
        fields = ("number", "asset", "person", "unit", "started_at", "acknowledged_at", "ended_at")
