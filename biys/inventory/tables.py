"""Tables of the inventory lists (their columns are the CSV and Excel exports too)."""

from functools import cached_property

import django_tables2 as tables
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from biys.core.html import ChoiceBadges, escape
from biys.core.tables import BiysTable
from biys.core.urlcache import pk_urls
from biys.inventory.licence_selectors import Compliance
from biys.inventory.models import (
    AgentConflict,
    AgentDevice,
    Asset,
    AssetImport,
    AssetStatus,
    Count,
    Custody,
    Disposal,
    Installation,
    ItemModel,
    Licence,
    Location,
    MatchedBy,
    Slip,
    SoftwareTitle,
    StockItem,
    StockRequest,
    Store,
    TasinirCode,
)

STATUS_COLOURS = {
    "in_store": "blue",
    "in_custody": "green",
    "faulty": "red",
    "at_repair": "orange",
    "scrapped": "secondary",
    "written_off": "secondary",
}


_STATUS_BADGES = ChoiceBadges(AssetStatus, STATUS_COLOURS)


def status_badge(record) -> str:
    return _STATUS_BADGES(record.status)


# A room's text by its building, floor, room and the language: the same few rooms on every
# page of the register (``Location.__str__`` translates its words each time).
_location_texts: dict = {}
_LOCATION_TEXTS_KEPT = 4096


def location_text(location) -> str:
    """``str(location)``, kept by the values it shows and the language."""
    key = (location.building, location.floor, location.room, get_language())
    text = _location_texts.get(key)
    if text is None:
        if len(_location_texts) >= _LOCATION_TEXTS_KEPT:
            _location_texts.clear()
        text = _location_texts[key] = str(location)
    return text


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

    # The rows as shown (core.tables.render_rows): each cell's HTML straight from the record,
    # what the columns above give (a related object's text escaped once per object and page,
    # the value localised with the page's number formats looked up once); ``None`` is the
    # column's default. ``test_asset_cells_equal_the_columns`` keeps them equal.

    @cached_property
    def _page_texts(self) -> dict:
        return {}

    def _related_text(self, name: str, key, record):
        if key is None:
            return None
        texts = self._page_texts
        text = texts.get((name, key))
        if text is None:
            related = getattr(record, name)
            shown = location_text(related) if name == "location" else str(related)
            text = texts[name, key] = SafeString(escape(shown))
        return text

    @cached_property
    def _asset_url(self):
        """The asset page's URL by primary key (``get_absolute_url``), the URL configuration
        read once per page."""
        return pk_urls("inventory:asset")

    def cell_inventory_number(self, record):
        if record.inventory_number in (None, ""):
            return None
        url = self._asset_url(record.pk)
        return SafeString(f'<a href="{escape(url)}">{escape(record.inventory_number)}</a>')

    def cell_item_model(self, record):
        return self._related_text("item_model", record.item_model_id, record)

    def cell_custodian(self, record):
        return self._related_text("custodian", record.custodian_id, record)

    def cell_unit(self, record):
        return self._related_text("unit", record.unit_id, record)

    def cell_location(self, record):
        return self._related_text("location", record.location_id, record)

    def cell_serial_number(self, record):
        serial = record.serial_number
        return None if serial in (None, "") else serial  # text: escaped as it is shown

    def cell_status(self, record):
        status = record.status
        if status in (None, ""):
            return None
        texts = self._page_texts
        badge = texts.get(("status", status))
        if badge is None:
            badge = texts["status", status] = status_badge(record)
        return badge

    # ``DateColumn(format="Y-m-d")`` of a date: its ISO form
    def cell_acquired_on(self, record):
        day = record.acquired_on
        return None if day is None else SafeString(day.isoformat())

    def cell_warranty_end(self, record):
        day = record.warranty_end
        return None if day is None else SafeString(day.isoformat())

    @cached_property
    def _number_format(self) -> tuple:
        """``django.utils.formats.number_format``'s separators and grouping for the page's
        language, looked up once."""
        language = get_language()
        return (
            get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
            get_format("NUMBER_GROUPING", language, use_l10n=True),
            get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        )

    def cell_value(self, record):
        value = record.value
        if value is None or value == "":
            return None
        decimal, grouping, thousand = self._number_format
        text = numberformat.format(value, decimal, None, grouping, thousand, use_l10n=True)
        return SafeString(escape(text))


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


class StoreTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)

    class Meta(BiysTable.Meta):
        model = Store
        fields = ("name", "unit", "keeper", "location", "is_active")


class StockItemTable(BiysTable):
    """The stock register (its CSV and Excel exports too)."""

    item_model = tables.Column(
        verbose_name=_("Item"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("item_model__sort_name",),
    )
    tasinir_code = tables.Column(
        verbose_name=_("Property code"), accessor="item_model__tasinir_code__code"
    )
    store = tables.Column(verbose_name=_("Store"))
    quantity = tables.Column(verbose_name=_("Quantity"))
    minimum_level = tables.Column(verbose_name=_("Minimum level"))

    class Meta(BiysTable.Meta):
        model = StockItem
        fields = ("item_model", "tasinir_code", "store", "quantity", "minimum_level")

    def render_quantity(self, value, record):
        if record.is_low:
            return format_html('<span class="badge bg-red-lt">{}</span>', value)
        return value

    def value_quantity(self, value, record):
        return value


class SlipTable(BiysTable):
    number = tables.Column(verbose_name=_("Number"), linkify=True, empty_values=())
    store = tables.Column(verbose_name=_("Store"))
    date = tables.DateColumn(verbose_name=_("Date"), format="Y-m-d")

    class Meta(BiysTable.Meta):
        model = Slip
        fields = ("number", "kind", "date", "store", "counterparty", "document", "state")

    def render_number(self, value, record):
        return str(record)

    def value_number(self, value, record):
        return str(record)


class StockRequestTable(BiysTable):
    number = tables.Column(verbose_name=_("Number"), linkify=True)
    created = tables.DateTimeColumn(verbose_name=_("Requested"))

    class Meta(BiysTable.Meta):
        model = StockRequest
        fields = ("number", "store", "requesting_unit", "requested_by", "state", "created")


class CountTable(BiysTable):
    number = tables.Column(verbose_name=_("Number"), linkify=True)

    class Meta(BiysTable.Meta):
        model = Count
        fields = ("number", "year", "store", "scope", "state", "closed_at")


class DisposalTable(BiysTable):
    number = tables.Column(verbose_name=_("Number"), linkify=True)
    decision_date = tables.DateColumn(verbose_name=_("Decision date"), format="Y-m-d")

    class Meta(BiysTable.Meta):
        model = Disposal
        fields = ("number", "kind", "store", "decision_date", "decision_number", "state", "slip")


# --------------------------------------------------------------------------- software and licences

SOFTWARE_STATUS_COLOURS = {"allowed": "green", "forbidden": "red", "unreviewed": "yellow"}
COMPLIANCE_COLOURS = {
    Compliance.FORBIDDEN: "red",
    Compliance.OVER_DEPLOYED: "orange",
    Compliance.UNREVIEWED: "yellow",
    Compliance.COMPLIANT: "green",
}


def software_status_badge(status: str, label) -> str:
    colour = SOFTWARE_STATUS_COLOURS.get(status, "secondary")
    return format_html('<span class="badge bg-{}-lt">{}</span>', colour, label)


class SoftwareTitleTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True, order_by=("sort_name",))
    publisher = tables.Column(verbose_name=_("Publisher"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta(BiysTable.Meta):
        model = SoftwareTitle
        fields = ("name", "publisher", "category", "status", "licence_required", "unit")

    def render_status(self, value, record):
        return software_status_badge(record.status, record.get_status_display())

    def value_status(self, value, record):
        return record.get_status_display()


class ComplianceTable(BiysTable):
    """The compliance page and its CSV and Excel exports: per title, the installations against
    the seats of the licences in effect."""

    name = tables.Column(
        verbose_name=_("Software"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("sort_name",),
    )
    publisher = tables.Column(verbose_name=_("Publisher"))
    status = tables.Column(verbose_name=_("Status"))
    installed = tables.Column(verbose_name=_("Installed"), attrs={"td": {"class": "text-end"}})
    entitled = tables.Column(verbose_name=_("Licensed seats"), attrs={"td": {"class": "text-end"}})
    shortfall = tables.Column(
        verbose_name=_("Beyond the seats"), attrs={"td": {"class": "text-end"}}
    )
    compliance = tables.Column(
        verbose_name=_("Compliance"), order_by=("compliance_rank", "sort_name")
    )

    class Meta(BiysTable.Meta):
        model = SoftwareTitle
        fields = (
            "name",
            "publisher",
            "status",
            "installed",
            "entitled",
            "shortfall",
            "compliance",
        )
        row_attrs = {"data-compliance": lambda record: record.compliance}

    def render_status(self, value, record):
        return software_status_badge(record.status, record.get_status_display())

    def value_status(self, value, record):
        return record.get_status_display()

    def render_compliance(self, value, record):
        colour = COMPLIANCE_COLOURS.get(value, "secondary")
        return format_html(
            '<span class="badge bg-{}-lt">{}</span>', colour, Compliance.labels.get(value, value)
        )

    def value_compliance(self, value, record):
        return str(Compliance.labels.get(value, value))


class LicenceTable(BiysTable):
    title = tables.Column(
        verbose_name=_("Software"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("title__sort_name",),
    )
    starts_on = tables.DateColumn(verbose_name=_("Valid from"), format="Y-m-d")
    expires_on = tables.DateColumn(verbose_name=_("Expires on"), format="Y-m-d")

    class Meta(BiysTable.Meta):
        model = Licence
        fields = (
            "title",
            "kind",
            "seats",
            "starts_on",
            "expires_on",
            "cost",
            "supplier",
            "contract",
            "unit",
        )


class InstallationTable(BiysTable):
    title = tables.Column(
        verbose_name=_("Software"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("title__sort_name",),
    )
    status = tables.Column(
        verbose_name=_("Software status"), accessor="title__status", order_by=("title__status",)
    )
    asset = tables.Column(
        verbose_name=_("Asset"),
        linkify=lambda record: record.asset.get_absolute_url(),
        order_by=("asset__inventory_number",),
    )
    model = tables.Column(verbose_name=_("Model"), accessor="asset__item_model", orderable=False)
    custodian = tables.Column(
        verbose_name=_("Custodian"),
        accessor="asset__custodian",
        order_by=("asset__custodian__sort_name",),
    )
    unit = tables.Column(verbose_name=_("Unit"), accessor="asset__unit", orderable=False)
    last_seen = tables.DateTimeColumn(verbose_name=_("Last seen"))
    removed_at = tables.DateTimeColumn(verbose_name=_("Removed"))

    class Meta(BiysTable.Meta):
        model = Installation
        fields = (
            "title",
            "status",
            "version",
            "asset",
            "model",
            "custodian",
            "unit",
            "source",
            "last_seen",
            "removed_at",
        )

    def render_status(self, value, record):
        return software_status_badge(record.title.status, record.title.get_status_display())

    def value_status(self, value, record):
        return record.title.get_status_display()


class AgentDeviceTable(BiysTable):
    name = tables.Column(
        verbose_name=_("Computer name"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("name", "pk"),
    )
    asset = tables.Column(
        verbose_name=_("Asset"),
        linkify=lambda record: record.asset.get_absolute_url() if record.asset_id else None,
        order_by=("asset__inventory_number",),
        default=_("not registered"),
    )
    last_inventory_at = tables.DateTimeColumn(verbose_name=_("Last inventory"))

    class Meta(BiysTable.Meta):
        model = AgentDevice
        fields = (
            "name",
            "asset",
            "serial_number",
            "manufacturer",
            "model",
            "os_name",
            "matched_by",
            "unit",
            "last_inventory_at",
        )


class AgentConflictTable(BiysTable):
    name = tables.Column(
        verbose_name=_("Computer name"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("name", "pk"),
    )
    candidates = tables.Column(verbose_name=_("Records it matches"), orderable=False)
    resolved_at = tables.DateTimeColumn(verbose_name=_("Resolved"))

    class Meta(BiysTable.Meta):
        model = AgentConflict
        fields = (
            "name",
            "serial_number",
            "hardware_uuid",
            "candidates",
            "reports",
            "last_seen",
            "unit",
            "resolved_at",
        )

    def render_candidates(self, value):
        return ", ".join(
            f"{candidate['label']} ({MatchedBy(candidate['matched_by']).label})"
            for candidate in value or ()
        )

    def value_candidates(self, value):
        return self.render_candidates(value)


class AssetImportTable(BiysTable):
    filename = tables.Column(verbose_name=_("File name"), linkify=True)
    created = tables.DateTimeColumn(verbose_name=_("Uploaded"), format="d.m.Y H:i")
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__name",))

    class Meta(BiysTable.Meta):
        model = AssetImport
        fields = ("filename", "file_format", "state", "unit", "created", "total", "error_count",
                  "created_count", "imported_by")  # fmt: skip
