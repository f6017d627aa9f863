"""Inventory and custody (taşınır, zimmet): the Taşınır Kod Listesi as data, item models,
locations, the fixed-asset register and custody records.

Access follows the unit whose register holds an asset (``Asset.unit``): the inventory officer,
controller and spending authority of that unit, technicians and auditors read it; the officer
(and the department head) writes it. The code list is the national list: read by every member
of staff, changed only by whoever holds the permission over the whole municipality. Item models
and locations are shared by every unit (visible to all staff) and kept by a unit.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.assets import reference_key_expression
from biys.core.models import ChangeLoggedModel
from biys.core.search import SearchableModel
from biys.core.text import sort_key

CONSUMABLE_ACCOUNTS = ("150",)


class ItemKind(models.TextChoices):
    FIXED = "fixed", _("Fixed asset")
    CONSUMABLE = "consumable", _("Consumable")


class ItemCategory(models.TextChoices):
    DESKTOP = "desktop", _("Desktop computer")
    LAPTOP = "laptop", _("Laptop")
    TABLET = "tablet", _("Tablet")
    SERVER = "server", _("Server")
    MONITOR = "monitor", _("Monitor")
    PRINTER = "printer", _("Printer")
    SCANNER = "scanner", _("Scanner")
    MULTIFUNCTION = "multifunction", _("Multifunction device")
    PROJECTOR = "projector", _("Projector")
    STORAGE = "storage", _("Storage")
    UPS = "ups", _("UPS")
    NETWORK = "network", _("Network device")
    PHONE = "phone", _("Phone")
    CAMERA = "camera", _("Camera")
    SUPPLY = "supply", _("Supplies")
    OTHER = "other", _("Other")


class AssetStatus(models.TextChoices):
    IN_STORE = "in_store", _("In store")
    IN_CUSTODY = "in_custody", _("In custody")
    FAULTY = "faulty", _("Faulty")
    AT_REPAIR = "at_repair", _("At repair")
    SCRAPPED = "scrapped", _("Scrapped")
    WRITTEN_OFF = "written_off", _("Written off")


# Statuses an asset leaves no more: it is off the register.
FINAL_STATUSES = (AssetStatus.SCRAPPED, AssetStatus.WRITTEN_OFF)


class AcquisitionMethod(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    DONATION = "donation", _("Donation or grant")
    TRANSFER_IN = "transfer_in", _("Transfer from another unit")
    PRODUCTION = "production", _("Production")
    COUNT_SURPLUS = "count_surplus", _("Count surplus")
    OTHER = "other", _("Other")


class CustodyEnd(models.TextChoices):
    RETURNED = "returned", _("Returned")
    TRANSFERRED = "transferred", _("Transferred to another person")


class TasinirCode(ChangeLoggedModel):
    """One code of the Taşınır Kod Listesi (``253.02.01.01``): its parent is the code without its
    last part. Loaded from a file (``biys inventory load-codes FILE``) and editable."""

    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_(
            "Account and levels separated by dots, e.g. 253.02.01.01. Check the codes against the"
            " current official list: the shipped list is an unverified IT subset."
        ),
    )
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        editable=False,
    )
    level = models.PositiveSmallIntegerField(_("level"), default=1, editable=False)
    sort_code = models.CharField(max_length=60, editable=False, default="", db_index=True)
    is_active = models.BooleanField(_("in use"), default=True)

    visible_to_all_staff = True

    class Meta:
        ordering = ["sort_code"]
        verbose_name = _("property code")
        verbose_name_plural = _("property codes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def account(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def kind(self) -> str:
        return ItemKind.CONSUMABLE if self.account in CONSUMABLE_ACCOUNTS else ItemKind.FIXED

    @staticmethod
    def sort_value(code: str) -> str:
        """Numeric order of each level: 253.2 < 253.10."""
        return ".".join(part.zfill(3) for part in code.split("."))


class ItemModel(SearchableModel, ChangeLoggedModel):
    """A make and model of item (Dell OptiPlex 7010) with its taşınır code."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that keeps this entry; every unit may use it."),
    )
    brand = models.CharField(_("brand"), max_length=100)
    name = models.CharField(_("model"), max_length=150)
    category = models.CharField(_("category"), max_length=20, choices=ItemCategory.choices)
    tasinir_code = models.ForeignKey(
        TasinirCode, verbose_name=_("property code"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ItemKind.choices)
    notes = models.TextField(_("notes"), blank=True)
    sort_name = models.CharField(max_length=300, editable=False, default="", db_index=True)

    scope_path = "unit"
    visible_to_all_staff = True
    search_fields = ("brand", "name", "tasinir_code__code")

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("item model")
        verbose_name_plural = _("item models")

    def __str__(self) -> str:
        return f"{self.brand} {self.name}"

    def save(self, *args, **kwargs):
        self.sort_name = sort_key(f"{self.brand} {self.name}", 150)
        super().save(*args, **kwargs)


class Location(ChangeLoggedModel):
    """A room: building, floor, room."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that uses or keeps the room."),
    )
    building = models.CharField(_("building"), max_length=150)
    floor = models.CharField(_("floor"), max_length=30, blank=True)
    room = models.CharField(_("room"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    sort_name = models.CharField(max_length=300, editable=False, default="", db_index=True)

    scope_path = "unit"
    visible_to_all_staff = True

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        parts = [self.building]
        if self.floor:
            parts.append(_("floor %(floor)s") % {"floor": self.floor})
        if self.room:
            parts.append(_("room %(room)s") % {"room": self.room})
        return ", ".join(str(part) for part in parts)

    def save(self, *args, **kwargs):
        self.sort_name = sort_key(f"{self.building} {self.floor.zfill(3)} {self.room}", 150)
        super().save(*args, **kwargs)


class Asset(SearchableModel, ChangeLoggedModel):
    """A fixed asset on a unit's register (demirbaş), numbered when registered."""

    inventory_number = models.CharField(
        _("inventory number"), max_length=60, unique=True, editable=False
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="assets",
        help_text=_("The unit whose register holds the asset."),
    )
    item_model = models.ForeignKey(
        ItemModel, verbose_name=_("model"), on_delete=models.PROTECT, related_name="assets"
    )
    tasinir_code = models.ForeignKey(
        TasinirCode,
        verbose_name=_("property code"),
        on_delete=models.PROTECT,
        related_name="assets",
        editable=False,
    )
    serial_number = models.CharField(
        _("serial number"), max_length=100, unique=True, null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssetStatus.choices,
        default=AssetStatus.IN_STORE,
        editable=False,
    )
    custodian = models.ForeignKey(
        "org.Person",
        verbose_name=_("custodian"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets_in_custody",
        editable=False,
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
    )
    acquisition_method = models.CharField(
        _("acquired by"),
        max_length=15,
        choices=AcquisitionMethod.choices,
        default=AcquisitionMethod.PURCHASE,
    )
    acquired_on = models.DateField(_("acquisition date"))
    value = models.DecimalField(_("value (TL)"), max_digits=14, decimal_places=2, default=0)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=50, blank=True)
    contract = models.CharField(_("contract"), max_length=100, blank=True)
    warranty_end = models.DateField(_("warranty end"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "unit"
    search_fields = ("inventory_number", "serial_number", "item_model__brand", "item_model__name")
    search_index = True

    class Meta:
        ordering = ["-acquired_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="inventory_asset_unit_status"),
            models.Index(fields=["-acquired_on", "-id"], name="inventory_asset_acquired"),
            # a device reference matches a serial ignoring case (selectors.asset_by_reference)
            models.Index(Upper("serial_number"), name="inventory_asset_serial_folded"),
            # ... and without its spaces or dashes (selectors.match_references)
            models.Index(
                reference_key_expression("serial_number"), name="inventory_asset_serial_key"
            ),
        ]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self) -> str:
        return self.inventory_number or str(_("new asset"))

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class Custody(ChangeLoggedModel):
    """An asset in a person's custody (zimmet), from the Zimmet Fişi to its return."""

    number = models.CharField(_("custody form number"), max_length=30, unique=True)
    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="custodies"
    )
    person = models.ForeignKey(
        "org.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="custodies"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit whose register held the asset."),
    )
    started_at = models.DateTimeField(_("handed over"))
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken back by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.CharField(
        _("how it ended"), max_length=12, choices=CustodyEnd.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "unit"

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset"],
                condition=Q(ended_at__isnull=True),
                name="inventory_one_open_custody",
            )
        ]
        indexes = [models.Index(fields=["person", "-started_at"], name="inventory_custody_person")]
        verbose_name = _("custody")
        verbose_name_plural = _("custody records")

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


# --------------------------------------------------------------------------- stores and stock


class Store(ChangeLoggedModel):
    """A unit's store (ambar): consumables are kept in it as stock, fixed assets enter the
    register through it. Every movement in or out is a Taşınır İşlem Fişi."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="stores"
    )
    name = models.CharField(_("name"), max_length=150)
    keeper = models.ForeignKey(
        "org.Person",
        verbose_name=_("store keeper"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("in use"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "unit"
    # Every unit may see the stores (to ask one for consumables); the unit keeps its own.
    visible_to_all_staff = True

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")

    def __str__(self) -> str:
        return self.name


class StockItem(ChangeLoggedModel):
    """How much of a consumable a store holds, and the level under which it is reordered. The
    quantity moves only by approved fişler (never below zero: the database refuses it too)."""

    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="stock"
    )
    item_model = models.ForeignKey(
        ItemModel, verbose_name=_("item"), on_delete=models.PROTECT, related_name="stock"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=0, editable=False)
    minimum_level = models.PositiveIntegerField(
        _("minimum level"),
        default=0,
        help_text=_("A low-stock alert goes out when the quantity falls below this level."),
    )
    low_alerted_at = models.DateTimeField(
        _("low-stock alert sent"), null=True, blank=True, editable=False
    )

    scope_path = "store__unit"

    class Meta:
        ordering = ["store", "item_model__sort_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["store", "item_model"], name="inventory_stock_once"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="inventory_stock_not_negative"
            ),
        ]
        verbose_name = _("stock item")
        verbose_name_plural = _("stock")

    def __str__(self) -> str:
        return f"{self.item_model} ({self.store})"

    @property
    def is_low(self) -> bool:
        return self.quantity < self.minimum_level


class SlipKind(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    DONATION = "donation", _("Donation or grant")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    COUNT_SURPLUS = "count_surplus", _("Count surplus")
    CONSUMPTION = "consumption", _("Consumption")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    SCRAPPING = "scrapping", _("Scrapping")
    WRITE_OFF = "write_off", _("Write-off")
    COUNT_SHORTAGE = "count_shortage", _("Count shortage")


ENTRY_KINDS = (
    SlipKind.PURCHASE,
    SlipKind.DONATION,
    SlipKind.TRANSFER_IN,
    SlipKind.COUNT_SURPLUS,
)


class SlipState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Slip(ChangeLoggedModel):
    """A Taşınır İşlem Fişi: an entry into or an exit from a store. Written as a draft by the
    inventory officer, approved by the spending authority; approval numbers it (one yearly
    sequence) and applies it to the stock and the register. An approved fişi never changes: a
    mistake is undone by a reversing fişi."""

    number = models.CharField(
        _("number"), max_length=30, unique=True, null=True, blank=True, editable=False
    )
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="slips"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=SlipKind.choices)
    date = models.DateField(_("date"))
    counterparty = models.CharField(
        _("supplier or counterparty"),
        max_length=200,
        blank=True,
        help_text=_("Who the items came from or went to."),
    )
    document = models.CharField(
        _("document"),
        max_length=100,
        blank=True,
        help_text=_("Invoice, decision or minutes the slip rests on."),
    )
    target_store = models.ForeignKey(
        Store,
        verbose_name=_("receiving store"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a transfer out: the store that receives the items."),
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=SlipState.choices,
        default=SlipState.DRAFT,
        editable=False,
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        editable=False,
    )
    stock_request = models.ForeignKey(
        "StockRequest",
        verbose_name=_("stock request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="slips",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "store__unit"

    class Meta:
        ordering = ["-date", "-id"]
        permissions = [("approve_slip", _("Can approve a property transaction slip"))]
        verbose_name = _("property transaction slip")
        verbose_name_plural = _("property transaction slips")

    def __str__(self) -> str:
        return self.number or str(_("Draft slip %(pk)s") % {"pk": self.pk})

    @property
    def is_entry(self) -> bool:
        entry = self.kind in ENTRY_KINDS
        return not entry if self.reverses_id else entry

    @property
    def is_draft(self) -> bool:
        return self.state == SlipState.DRAFT

    @property
    def total(self):
        return sum((line.total for line in self.lines.all()), 0)


class SlipLine(models.Model):
    """One line of a fişi: an item model, a quantity and a unit price. A fixed-asset line names
    its assets: the ones an entry created, or the ones an exit takes off the register."""

    slip = models.ForeignKey(
        Slip, verbose_name=_("slip"), on_delete=models.CASCADE, related_name="lines"
    )
    item_model = models.ForeignKey(
        ItemModel, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(
        _("unit price (TL)"), max_digits=14, decimal_places=2, default=0
    )
    assets = models.ManyToManyField(
        Asset, verbose_name=_("assets"), through="SlipAsset", related_name="slip_lines"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("slip line")
        verbose_name_plural = _("slip lines")

    def __str__(self) -> str:
        return f"{self.item_model} × {self.quantity}"

    @property
    def total(self):
        return self.unit_price * self.quantity


class SlipAsset(models.Model):
    """An asset a line moved, with where it stood before, so a reversal puts it back."""

    line = models.ForeignKey(SlipLine, on_delete=models.CASCADE, related_name="asset_links")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+")
    status_before = models.CharField(max_length=12, choices=AssetStatus.choices, blank=True)
    unit_before = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["line", "asset"], name="inventory_slip_asset_once")
        ]

    def __str__(self) -> str:
        return str(self.asset_id)


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")
    REJECTED = "rejected", _("Rejected")


class StockRequest(ChangeLoggedModel):
    """A Taşınır İstek Belgesi: a unit asks a store for consumables; the store approves it and
    issues it from stock with a consumption fişi. Kept with the store's unit, which serves it."""

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="requests"
    )
    requesting_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("requesting unit"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        "org.Person",
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=RequestState.choices,
        default=RequestState.SUBMITTED,
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "store__unit"

    class Meta:
        ordering = ["-created", "-id"]
        permissions = [("issue_stockrequest", _("Can approve and issue a stock request"))]
        verbose_name = _("stock request")
        verbose_name_plural = _("stock requests")

    def __str__(self) -> str:
        return self.number


class StockRequestLine(models.Model):
    request = models.ForeignKey(
        StockRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="lines"
    )
    item_model = models.ForeignKey(
        ItemModel, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity requested"))
    issued_quantity = models.PositiveIntegerField(_("quantity issued"), default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("request line")
        verbose_name_plural = _("request lines")

    def __str__(self) -> str:
        return f"{self.item_model} × {self.quantity}"


# --------------------------------------------------------------------------- counts and disposals


class CountScope(models.TextChoices):
    STORE = "store", _("The store: what is kept in it")
    UNIT = "unit", _("The unit: everything on its register")


class CountState(models.TextChoices):
    OPEN = "open", pgettext_lazy("count state", "Counting")
    COUNTED = "counted", pgettext_lazy("count state", "Counted")
    CLOSED = "closed", pgettext_lazy("count state", "Closed")


class Count(ChangeLoggedModel):
    """A year-end count (sayım) of a store, or of everything on its unit's register, by a
    commission. What the register expects is fixed when the count opens; the commission records
    what it finds (assets by their labels, consumables by quantity); closing it produces the Sayım
    Tutanağı and the Taşınır Sayım ve Döküm Cetveli, a count-surplus entry fişi for what was
    found over the register and a write-off proposal (Kayıttan Düşme Teklif ve Onay Tutanağı)
    for what is missing."""

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="counts"
    )
    scope = models.CharField(
        _("what is counted"), max_length=8, choices=CountScope.choices, default=CountScope.STORE
    )
    members = models.ManyToManyField(
        "org.Person",
        verbose_name=_("count commission"),
        related_name="+",
        help_text=_("The members of the count commission."),
    )
    state = models.CharField(
        _("state"),
        max_length=8,
        choices=CountState.choices,
        default=CountState.OPEN,
        editable=False,
    )
    counted_at = models.DateTimeField(_("counting finished"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    surplus_slip = models.ForeignKey(
        Slip,
        verbose_name=_("count surplus slip"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "store__unit"

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")

    def __str__(self) -> str:
        return self.number or str(_("new count"))

    @property
    def is_open(self) -> bool:
        return self.state == CountState.OPEN


class CountAsset(models.Model):
    """A fixed asset in a count: expected there (fixed when the count opened) and/or found
    (scanned). A found item the register does not know has no asset: the code read and, once
    identified, its model and value, for the count-surplus fişi."""

    count = models.ForeignKey(
        Count, verbose_name=_("count"), on_delete=models.CASCADE, related_name="asset_rows"
    )
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    code = models.CharField(_("code read"), max_length=300, blank=True)
    expected = models.BooleanField(_("on the register here"), default=False)
    found_at = models.DateTimeField(_("found at"), null=True, blank=True)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("found by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    item_model = models.ForeignKey(
        ItemModel,
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    value = models.DecimalField(_("value (TL)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["count", "asset"],
                condition=Q(asset__isnull=False),
                name="inventory_count_asset_once",
            )
        ]
        verbose_name = _("counted asset")
        verbose_name_plural = _("counted assets")

    def __str__(self) -> str:
        return str(self.asset) if self.asset_id else self.code

    @property
    def is_surplus(self) -> bool:
        return self.found_at is not None and not self.expected

    @property
    def is_shortage(self) -> bool:
        return self.expected and self.found_at is None


class CountLine(models.Model):
    """A consumable in a count: the quantity the store's stock showed when the count opened and
    the quantity the commission counted."""

    count = models.ForeignKey(
        Count, verbose_name=_("count"), on_delete=models.CASCADE, related_name="lines"
    )
    item_model = models.ForeignKey(
        ItemModel, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    expected_quantity = models.PositiveIntegerField(_("quantity on the register"), default=0)
    counted_quantity = models.PositiveIntegerField(_("quantity counted"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["count", "item_model"], name="inventory_count_line_once"
            )
        ]
        verbose_name = _("count line")
        verbose_name_plural = _("count lines")

    def __str__(self) -> str:
        return str(self.item_model)

    @property
    def difference(self) -> int:
        if self.counted_quantity is None:
            return 0
        return self.counted_quantity - self.expected_quantity


class DisposalKind(models.TextChoices):
    WRITE_OFF = "write_off", _("Write-off (loss, count shortage)")
    SCRAPPING = "scrapping", _("Scrapping (commission decision)")


class DisposalState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", pgettext_lazy("disposal state", "Approved")
    REJECTED = "rejected", pgettext_lazy("disposal state", "Rejected")


class Disposal(ChangeLoggedModel):
    """A Kayıttan Düşme Teklif ve Onay Tutanağı: a commission proposes taking items off the
    register (scrapping them by its decision, or writing off what a count found missing); the
    spending authority approves it, which issues the scrapping or write-off exit fişi."""

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=DisposalKind.choices)
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="disposals"
    )
    count = models.ForeignKey(
        Count,
        verbose_name=_("count"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disposals",
        editable=False,
    )
    decision_date = models.DateField(_("decision date"))
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    reason = models.TextField(_("reason"))
    members = models.ManyToManyField(
        "org.Person",
        verbose_name=_("commission"),
        related_name="+",
        help_text=_("The commission members who propose it."),
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=DisposalState.choices,
        default=DisposalState.PROPOSED,
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    slip = models.OneToOneField(
        Slip,
        verbose_name=_("exit slip"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disposal",
        editable=False,
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "store__unit"

    class Meta:
        ordering = ["-decision_date", "-id"]
        permissions = [("approve_disposal", _("Can approve a write-off or scrapping proposal"))]
        verbose_name = _("write-off proposal")
        verbose_name_plural = _("write-off proposals")

    def __str__(self) -> str:
        return self.number or str(_("new proposal"))

    @property
    def is_proposed(self) -> bool:
        return self.state == DisposalState.PROPOSED

    @property
    def proposed_assets(self) -> list:
        """The fixed assets its lines name (read from the prefetched lines when there are)."""
        return [line.asset for line in self.lines.all() if line.asset_id]


class DisposalLine(models.Model):
    """An item to take off the register: a fixed asset, or a quantity of a consumable."""

    disposal = models.ForeignKey(
        Disposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="lines"
    )
    item_model = models.ForeignKey(
        ItemModel, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disposal_lines",
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("proposal line")
        verbose_name_plural = _("proposal lines")

    def __str__(self) -> str:
        return str(self.asset) if self.asset_id else f"{self.item_model} × {self.quantity}"


# --------------------------------------------------------------------------- software and licences
#
# Software is not a taşınır item (an intangible right, Taşınır Mal Yönetmeliği): titles, licences
# and installations live beside the register and never enter it or a fişi. An installation
# points at the asset it runs on, which is how a licence meets the register.


class SoftwareStatus(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    FORBIDDEN = "forbidden", _("Forbidden")
    UNREVIEWED = "unreviewed", _("Not reviewed")


class SoftwareCategory(models.TextChoices):
    OPERATING_SYSTEM = "os", _("Operating system")
    OFFICE = "office", _("Office")
    SECURITY = "security", _("Security")
    DATABASE = "database", _("Database")
    DEVELOPMENT = "development", _("Development")
    DESIGN = "design", _("Design and CAD")
    GIS = "gis", _("GIS")
    COMMUNICATION = "communication", _("Communication")
    UTILITY = "utility", _("Utility")
    OTHER = "other", _("Other")


class SoftwareTitle(SearchableModel, ChangeLoggedModel):
    """A piece of software as the municipality knows it (publisher and name), on the allow list,
    the deny list or waiting for review (trabzon 11(ğ): preventing unlicensed software).
    ``match_key`` is the normalised publisher and name an agent's report is matched by."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that keeps this entry; the list holds for every unit."),
    )
    publisher = models.CharField(pgettext_lazy("software", "publisher"), max_length=150)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(
        _("category"),
        max_length=15,
        choices=SoftwareCategory.choices,
        default=SoftwareCategory.OTHER,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SoftwareStatus.choices,
        default=SoftwareStatus.UNREVIEWED,
    )
    licence_required = models.BooleanField(
        _("needs a licence"),
        default=True,
        help_text=_(
            "Free software needs no licence: its installations are not counted against seats."
        ),
    )
    status_reason = models.TextField(
        _("reason for the status"),
        blank=True,
        help_text=_("Why it is allowed or forbidden (the decision, the risk, the alternative)."),
    )
    match_key = models.CharField(max_length=400, unique=True, editable=False)
    sort_name = models.CharField(max_length=300, editable=False, default="", db_index=True)

    scope_path = "unit"
    visible_to_all_staff = True
    search_fields = ("publisher", "name")

    class Meta:
        ordering = ["sort_name", "pk"]
        verbose_name = _("software title")
        verbose_name_plural = _("software titles")

    def __str__(self) -> str:
        return f"{self.publisher} {self.name}" if self.publisher else self.name

    def save(self, *args, **kwargs):
        from biys.inventory.software import match_key

        self.match_key = match_key(self.publisher, self.name)
        self.sort_name = sort_key(f"{self.publisher} {self.name}", 150)
        super().save(*args, **kwargs)


class LicenceKind(models.TextChoices):
    PERPETUAL = "perpetual", _("Perpetual")
    SUBSCRIPTION = "subscription", _("Subscription")


class Licence(ChangeLoggedModel):
    """A licence agreement for a title: how many seats (installations) it entitles, from when
    until when, what it cost and under which contract. Never a taşınır item."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that holds the licence and keeps its agreement."),
    )
    title = models.ForeignKey(
        SoftwareTitle,
        verbose_name=_("software"),
        on_delete=models.PROTECT,
        related_name="licences",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=LicenceKind.choices)
    seats = models.PositiveIntegerField(_("seats"), help_text=_("Installations it entitles."))
    starts_on = models.DateField(_("valid from"))
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("Required for a subscription; a perpetual licence may have none."),
    )
    cost = models.DecimalField(_("cost (TL)"), max_digits=14, decimal_places=2, default=0)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    contract = models.CharField(_("contract reference"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "unit"

    class Meta:
        ordering = ["title__sort_name", "-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("starts_on")),
                name="inventory_licence_expires_after_start",
            ),
        ]
        indexes = [models.Index(fields=["expires_on"], name="inventory_licence_expires")]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self) -> str:
        return _("%(title)s, %(seats)s seats") % {"title": self.title, "seats": self.seats}

    def in_effect(self, day) -> bool:
        return self.starts_on <= day and (self.expires_on is None or self.expires_on >= day)


class InstallationSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    API = "api", _("API")
    AGENT = "agent", _("Inventory agent")


class Installation(ChangeLoggedModel):
    """A title installed on an asset of the register. One row per asset and title: an agent's
    next report updates it, an uninstalled title keeps its row with ``removed_at``."""

    title = models.ForeignKey(
        SoftwareTitle,
        verbose_name=_("software"),
        on_delete=models.PROTECT,
        related_name="installations",
    )
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        related_name="installations",
    )
    version = models.CharField(_("version"), max_length=100, blank=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    source = models.CharField(
        _("recorded from"),
        max_length=8,
        choices=InstallationSource.choices,
        default=InstallationSource.MANUAL,
        editable=False,
    )
    first_seen = models.DateTimeField(_("first seen"), editable=False)
    last_seen = models.DateTimeField(_("last seen"), editable=False)
    removed_at = models.DateTimeField(
        pgettext_lazy("installation", "removed"), null=True, blank=True, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_path = "asset__unit"

    class Meta:
        ordering = ["title__sort_name", "asset__inventory_number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "title"], name="inventory_install_once")
        ]
        indexes = [
            models.Index(fields=["title", "removed_at"], name="inventory_install_title"),
        ]
        verbose_name = _("installation")
        verbose_name_plural = _("installations")

    def __str__(self) -> str:
        return _("%(title)s on %(asset)s") % {"title": self.title, "asset": self.asset}

    @property
    def is_current(self) -> bool:
        return self.removed_at is None


class LicenceExpiryAlert(models.Model):
    """A licence's expiry notice sent for one threshold (days before) and expiry date: sent once;
    a renewed licence (a new expiry date) is noticed again."""

    licence = models.ForeignKey(
        Licence, verbose_name=_("licence"), on_delete=models.CASCADE, related_name="expiry_alerts"
    )
    days = models.PositiveIntegerField(_("days before expiry"))
    expires_on = models.DateField(_("expires on"))
    sent_at = models.DateTimeField(pgettext_lazy("licence alert", "sent"))

    class Meta:
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "days", "expires_on"], name="inventory_licence_alert_once"
            )
        ]
        verbose_name = _("licence expiry alert")
        verbose_name_plural = _("licence expiry alerts")

    def __str__(self) -> str:
        return f"{self.licence} ({self.days})"


class ImportFormat(models.TextChoices):
    BIYS = "biys", "BİYS (CSV / Excel)"
    GLPI = "glpi", "GLPI"
    SNIPEIT = "snipeit", "Snipe-IT"


class ImportKind(models.TextChoices):
    """What an uploaded file registers: assets on the taşınır register, or records of the
    network inventory (``network_import``)."""

    ASSETS = "assets", _("Assets")
    NETWORK_DEVICES = "devices", _("Network devices")
    SUBNETS = "subnets", _("Subnets")
    IP_ADDRESSES = "addresses", _("IP addresses")


class ImportState(models.TextChoices):
    CHECKING = "checking", _("Checking")
    READY = "ready", _("Ready to import")
    INVALID = "invalid", _("Has errors")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


def asset_import_path(instance, filename: str) -> str:
    return f"inventory/imports/{filename}"


class AssetImport(ChangeLoggedModel):
    """An uploaded asset register on its way onto a unit's register: checked (the preview keeps
    each row's values and errors), then imported all or nothing, with its progress."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit whose register receives the assets."),
    )
    kind = models.CharField(
        _("records"), max_length=10, choices=ImportKind.choices, default=ImportKind.ASSETS
    )
    file = models.FileField(_("file"), upload_to=asset_import_path, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    file_format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    default_code = models.ForeignKey(
        TasinirCode,
        verbose_name=_("default property code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The property code of the models the file names that BİYS does not know yet."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ImportState.choices, default=ImportState.CHECKING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    preview = models.JSONField(_("preview"), default=list, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    scope_path = "unit"
    history_hidden = ("progress", "preview")
    changelog_exclude = ("preview",)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return f"{self.filename} · {self.get_file_format_display()}"

    @property
    def running(self) -> bool:
        return self.state in (ImportState.CHECKING, ImportState.IMPORTING)


from biys.inventory.agent_models import (  # noqa: E402, F401 - the agents' models, one app
    AgentConflict,
    AgentDevice,
    AgentMac,
    MatchedBy,
)
from biys.inventory.network_models import (  # noqa: E402, F401 - the network inventory, one app
    VLAN,
    VRF,
    AddressHolding,
    AddressStatus,
    DeviceKind,
    DevicePort,
    IPAssignment,
    NetworkDevice,
    PortMode,
    Subnet,
    VLANGroup,
    VLANStatus,
)
