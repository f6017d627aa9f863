"""Forms of the GIS data sale screens: the shape of the input; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from biys.applications.choices import ApplicantKind, Channel
from biys.applications.gis.choices import DataFormat, DeliveryMethod
from biys.applications.gis.models import GisLayer, GisSaleItem, GisTariff, GisTariffLine
from biys.org.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GisLayerForm(forms.ModelForm):
    class Meta:
        model = GisLayer
        fields = ["code", "name", "description", "unit", "position", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class GisTariffForm(forms.ModelForm):
    class Meta:
        model = GisTariff
        fields = ["name", "council_decision", "decision_date", "valid_from", "valid_until",
                  "unit", "notes"]  # fmt: skip
        widgets = {
            "decision_date": DATE,
            "valid_from": DATE,
            "valid_until": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class GisTariffLineForm(forms.ModelForm):
    """A price of a tariff; the tariff is chosen on its page and a line stays in it."""

    class Meta:
        model = GisTariffLine
        fields = ["tariff", "layer", "data_format", "charge_unit", "unit_price",
                  "minimum_charge", "kdv_rate", "note"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tariff"].disabled = True
        self.fields["tariff"].required = False


class SaleForm(forms.Form):
    """A purchase request at the counter: the buyer, what and where they ask for (the
    application of type ``cbs-veri-satisi`` is recorded with it)."""

    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial="counter")
    applicant_kind = forms.ChoiceField(
        label=_("Applicant is a"),
        choices=[(ApplicantKind.PERSON.value, ApplicantKind.PERSON.label),
                 (ApplicantKind.COMPANY.value, ApplicantKind.COMPANY.label),
                 (ApplicantKind.INSTITUTION.value, ApplicantKind.INSTITUTION.label)],
    )  # fmt: skip
    applicant_name = forms.CharField(label=_("Applicant"), max_length=200)
    tc_kimlik_no = forms.CharField(
        label=_("TC kimlik number"),
        max_length=20,
        required=False,
        help_text=_("For a person."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    tax_number = forms.CharField(
        label=_("Tax number (VKN)"),
        max_length=20,
        required=False,
        help_text=_("For a company or institution."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    area_description = forms.CharField(
        label=_("Area"),
        max_length=300,
        required=False,
        help_text=_("Neighbourhood, block and parcel, sheet numbers."),
    )
    purpose = forms.CharField(label=_("Intended use"), max_length=300, required=False)
    responsible_unit = forms.ModelChoiceField(
        Unit.objects.all(),
        label=_("Responsible unit"),
        required=False,
        help_text=_("Empty: the unit the type's regulation duty makes responsible."),
    )

    def __init__(self, *args, application_type=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application_type = application_type
        for spec in getattr(application_type, "form_fields", None) or []:
            self.fields[f"field_{spec['name']}"] = forms.CharField(
                label=spec.get("label") or spec["name"],
                required=bool(spec.get("required")),
                max_length=500,
            )

    def form_data(self) -> dict:
        return {
            name.removeprefix("field_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("field_") and value
        }


class ItemForm(forms.Form):
    layer = forms.ModelChoiceField(GisLayer.objects.filter(active=True), label=_("Data layer"))
    data_format = forms.ChoiceField(label=_("Format"), choices=DataFormat.choices)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=12,
        decimal_places=3,
        min_value=0,
        help_text=_("Hectares, sheets or items, as the tariff charges the layer."),
    )


class AccrueForm(forms.Form):
    accrued_on = forms.DateField(label=_("Accrued on"), widget=DATE, required=False)


class PaymentForm(forms.Form):
    payment_reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        help_text=_("The receipt (makbuz) or bank transfer reference."),
    )
    amount = forms.DecimalField(label=_("Amount paid (TRY)"), max_digits=14, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, required=False)


class UndertakingForm(forms.Form):
    file = forms.FileField(label=_("Signed undertaking (scan)"))
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, required=False)


class DeliveryForm(forms.Form):
    recipient_name = forms.CharField(label=_("Received by"), max_length=200)
    method = forms.ChoiceField(label=_("Delivered as"), choices=DeliveryMethod.choices)
    files = forms.CharField(
        label=_("Files delivered"),
        help_text=_("File names (and checksums), one per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    items = forms.ModelMultipleChoiceField(
        GisSaleItem.objects.none(),
        label=_("Layers delivered"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every requested layer."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, sale=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sale is not None:
            self.fields["items"].queryset = sale.items.select_related("layer")


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
