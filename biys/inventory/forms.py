"""Forms of the inventory screens. They check input; the rules live in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from biys.inventory.models import Asset, ItemModel, Location, TasinirCode
from biys.org.models import Person

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
