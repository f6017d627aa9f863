"""Forms of the count and write-off screens. They check input; the rules live in
``count_services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from biys.core.access import can_add
from biys.inventory.forms import DATE
from biys.inventory.models import (
    FINAL_STATUSES,
    Asset,
    Count,
    Disposal,
    DisposalKind,
    ItemModel,
)
from biys.org.models import Person


class CountForm(forms.ModelForm):
    """Opening a count (store, what is counted, year, commission); afterwards only the
    commission and the notes change."""

    members = forms.ModelMultipleChoiceField(
        Person.objects.filter(status="active"), label=_("Count commission")
    )

    class Meta:
        model = Count
        fields = ["store", "scope", "year", "members", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            frozen = ["store", "scope", "year"]
            if self.instance.state == "closed":
                frozen.append("members")
            for name in frozen:
                self.fields[name].disabled = True
        elif not self.initial.get("year"):
            from django.utils import timezone

            self.initial["year"] = timezone.localdate().year


class ScanForm(forms.Form):
    code = forms.CharField(
        label=_("Label"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
        ),
        help_text=_(
            "Scan the QR label, or type the inventory number or the serial and press Enter."
        ),
    )


class QuantityForm(forms.Form):
    item_model = forms.ModelChoiceField(
        ItemModel.objects.filter(kind="consumable"), label=_("Item")
    )
    quantity = forms.IntegerField(label=_("Quantity counted"), min_value=0)


class IdentifyForm(forms.Form):
    item_model = forms.ModelChoiceField(ItemModel.objects.filter(kind="fixed"), label=_("Model"))
    value = forms.DecimalField(
        label=_("Value (TL)"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )


class AssetNumbersField(forms.CharField):
    """Inventory numbers, one per line or separated by commas (a label scanner types them)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea({"rows": 3}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return list(dict.fromkeys((value or "").replace(",", "\n").split()))


class DisposalForm(forms.ModelForm):
    """A write-off or scrapping proposal: the commission's decision and the assets it names."""

    members = forms.ModelMultipleChoiceField(
        Person.objects.filter(status="active"), label=_("Commission")
    )
    assets = AssetNumbersField(
        label=_("Inventory numbers"),
        required=False,
        help_text=_(
            "The assets to take off the register, one per line (a label scanner types them)."
        ),
    )

    class Meta:
        model = Disposal
        fields = ["kind", "store", "decision_date", "decision_number", "reason", "members", "notes"]
        widgets = {
            "decision_date": DATE,
            "reason": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.instance.pk:
            self.initial.setdefault("kind", DisposalKind.SCRAPPING)
        else:
            frozen = ["kind", "store"]
            if self.instance.state != "proposed":
                frozen += ["decision_date", "decision_number", "reason", "members", "assets"]
            for name in frozen:
                self.fields[name].disabled = True
            if not self.is_bound or self.fields["assets"].disabled:
                self.initial["assets"] = "\n".join(
                    self.instance.lines.filter(asset__isnull=False)
                    .order_by("asset__inventory_number")
                    .values_list("asset__inventory_number", flat=True)
                )

    def clean(self):
        data = super().clean()
        numbers, store = data.get("assets") or [], data.get("store")
        data["asset_objects"] = []
        if store is None:
            return data
        if self.user is not None and not can_add(self.user, Disposal, store.unit_id):
            return data  # the page refuses the save itself
        assets = Asset.objects.filter(unit_id=store.unit_id, inventory_number__in=numbers).exclude(
            status__in=FINAL_STATUSES
        )
        if self.user is not None:
            assets = assets.restrict(self.user, "view")
        found = {asset.inventory_number: asset for asset in assets}
        unknown = [number for number in numbers if number not in found]
        if unknown:
            self.add_error(
                "assets",
                _("Not on this unit's register (or off it already): %(numbers)s")
                % {"numbers": ", ".join(unknown)},
            )
        data["asset_objects"] = [found[number] for number in numbers if number in found]
        return data
