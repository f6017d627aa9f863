"""Forms of the inventory screens. They check input; the rules live in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from biys.inventory import network_import
from biys.inventory.models import (
    FINAL_STATUSES,
    Asset,
    ImportFormat,
    ImportKind,
    Installation,
    ItemModel,
    Licence,
    Location,
    Slip,
    SoftwareTitle,
    StockItem,
    StockRequest,
    Store,
    TasinirCode,
)
from biys.org.models import Person, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TasinirCodeForm(forms.ModelForm):
    class Meta:
        model = TasinirCode
        fields = ["code", "name", "is_active"]


class ItemModelForm(forms.ModelForm):
    class Meta:
        model = ItemModel
        fields = ["unit", "brand", "name", "category", "tasinir_code", "kind", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasinir_code"].queryset = TasinirCode.objects.filter(is_active=True)


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = ["unit", "building", "floor", "room", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class AssetForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = [
            "unit",
            "item_model",
            "serial_number",
            "location",
            "acquisition_method",
            "acquired_on",
            "value",
            "supplier",
            "invoice_number",
            "contract",
            "warranty_end",
            "notes",
        ]
        widgets = {
            "acquired_on": DATE,
            "warranty_end": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_model"].queryset = ItemModel.objects.filter(kind="fixed")


class PersonChoiceForm(forms.Form):
    person = forms.ModelChoiceField(
        Person.objects.filter(status="active"), label=_("Person"), required=True
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 2}))


class NotesForm(forms.Form):
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 2}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    notes = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Required for scrapping or writing off: the decision's reference."),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class CodeFileForm(forms.Form):
    file = forms.FileField(
        label=_("Code list (CSV)"),
        help_text=_("code;name per line, UTF-8. Nothing is imported unless every row is valid."),
    )


class StoreForm(forms.ModelForm):
    class Meta:
        model = Store
        fields = ["unit", "name", "keeper", "location", "is_active", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class StockItemForm(forms.ModelForm):
    """A stock line's minimum level; the store and item are chosen once, the quantity moves
    only by fişler."""

    class Meta:
        model = StockItem
        fields = ["store", "item_model", "minimum_level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_model"].queryset = ItemModel.objects.filter(kind="consumable")
        if self.instance.pk:
            self.fields["store"].disabled = True
            self.fields["item_model"].disabled = True


class SlipForm(forms.ModelForm):
    class Meta:
        model = Slip
        fields = ["store", "kind", "date", "counterparty", "document", "target_store", "notes"]
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class SlipLineForm(forms.Form):
    item_model = forms.ModelChoiceField(ItemModel.objects.all(), label=_("Item"))
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        required=False,
        help_text=_("For an exit of fixed assets, the number of assets named."),
    )
    unit_price = forms.DecimalField(
        label=_("Unit price (TL)"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    assets = forms.CharField(
        label=_("Inventory numbers"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_(
            "For an exit of fixed assets: the inventory numbers of the assets that leave, one"
            " per line (a label scanner types them)."
        ),
    )

    def __init__(self, *args, slip=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.slip, self.user = slip, user

    def clean_assets(self) -> list:
        """The assets the numbers name, on the store's unit register and visible to the user;
        an unknown number is an error naming it (no list of every asset to choose from: a
        register holds hundreds of thousands)."""
        numbers = list(dict.fromkeys(self.cleaned_data["assets"].replace(",", "\n").split()))
        if not numbers or self.slip is None:
            return []
        assets = Asset.objects.filter(
            unit_id=self.slip.store.unit_id, inventory_number__in=numbers
        ).exclude(status__in=FINAL_STATUSES)
        if self.user is not None:
            assets = assets.restrict(self.user, "view")
        found = {asset.inventory_number: asset for asset in assets}
        unknown = [number for number in numbers if number not in found]
        if unknown:
            raise forms.ValidationError(
                _("Not on this unit's register (or off it already): %(numbers)s")
                % {"numbers": ", ".join(unknown)}
            )
        return [found[number] for number in numbers]


class ReasonForm(forms.Form):
    notes = forms.CharField(label=_("Reason"), widget=forms.Textarea({"rows": 2}))


class StockRequestForm(forms.ModelForm):
    class Meta:
        model = StockRequest
        fields = ["store", "requesting_unit", "requested_by", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class RequestLineForm(forms.Form):
    item_model = forms.ModelChoiceField(
        ItemModel.objects.filter(kind="consumable"), label=_("Item")
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)


# --------------------------------------------------------------------------- software and licences


class SoftwareTitleForm(forms.ModelForm):
    class Meta:
        model = SoftwareTitle
        fields = [
            "unit",
            "publisher",
            "name",
            "category",
            "status",
            "licence_required",
            "status_reason",
        ]
        widgets = {"status_reason": forms.Textarea(attrs={"rows": 3})}


class LicenceForm(forms.ModelForm):
    class Meta:
        model = Licence
        fields = [
            "unit",
            "title",
            "kind",
            "seats",
            "starts_on",
            "expires_on",
            "cost",
            "supplier",
            "contract",
            "notes",
        ]
        widgets = {
            "starts_on": DATE,
            "expires_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class InstallationForm(forms.ModelForm):
    """A title on an asset, the asset named by its inventory or serial number (a label scanner
    types it): no list of every asset to choose from."""

    asset_reference = forms.CharField(
        label=_("Asset"),
        max_length=100,
        help_text=_("The inventory number or serial number of the computer."),
    )

    class Meta:
        model = Installation
        fields = ["title", "version", "installed_on", "notes"]
        widgets = {"installed_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            # An installation keeps its asset and title; only its details are corrected.
            self.initial["asset_reference"] = self.instance.asset.inventory_number
            self.fields["asset_reference"].disabled = True
            self.fields["title"].disabled = True

    def clean_asset_reference(self):
        """The asset the number names on any register: whether the user may record software on
        it is the permission check's to say (a 403, as for any object outside their units)."""
        from biys.inventory.selectors import asset_by_reference

        reference = self.cleaned_data["asset_reference"].strip()
        asset = asset_by_reference(reference)
        if asset is None:
            raise forms.ValidationError(
                _("No asset on the register has the number %(reference)s.")
                % {"reference": reference}
            )
        self.instance.asset = asset
        return asset


class AssetImportForm(forms.Form):
    """Upload an existing asset register (or a file of the network inventory); the service
    checks it row by row."""

    field_order = ["kind", "file", "file_format", "unit", "default_code"]

    file = forms.FileField(
        label=_("Register file"),
        help_text=_(
            "BİYS's CSV or Excel (.xlsx) file, GLPI's computer export or Snipe-IT's asset"
            " export (CSV with ; or ,). Every row is checked and shown before anything is"
            " imported; a file with one bad row imports nothing."
        ),
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Recognise from the header row")), *ImportFormat.choices],
        required=False,
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.all(),
        label=_("Unit"),
        help_text=_("The unit whose register receives the assets."),
    )
    default_code = forms.ModelChoiceField(
        queryset=TasinirCode.objects.filter(is_active=True).exclude(code__startswith="150"),
        label=_("Default property code"),
        required=False,
        help_text=_(
            "For the models the file names that BİYS does not know yet and whose row gives no"
            " property code."
        ),
    )

    kind = forms.ChoiceField(
        label=_("Records"),
        choices=ImportKind.choices,
        initial=ImportKind.ASSETS,
        required=False,  # assets when left out
        help_text=_("What the file holds: assets, or network devices, subnets or IP addresses."),
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        kind = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        self.network_kind = kind if kind in network_import.KINDS else ""
        self.import_title = {
            ImportKind.NETWORK_DEVICES: _("Import network devices"),
            ImportKind.SUBNETS: _("Import subnets"),
            ImportKind.IP_ADDRESSES: _("Import IP addresses"),
        }.get(self.network_kind, _("Import an asset register"))
        if self.network_kind:
            # a file of the network inventory: BİYS's columns, no property code
            self.fields["kind"].widget = forms.HiddenInput()
            del self.fields["file_format"]
            del self.fields["default_code"]
            self.fields["file"].label = _("File")
            self.fields["file"].help_text = _(
                "CSV (Excel's ; or ,) or Excel (.xlsx) with the template's columns. Every row"
                " is checked and shown before anything is imported; a file with one bad row"
                " imports nothing."
            )
            self.fields["unit"].help_text = _("The unit the imported records belong to.")
