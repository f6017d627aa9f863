"""Forms of the GIS data sale screens: the shape of the input; the rules are the services'."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from biys.applications.choices import ApplicantKind, Channel
from biys.applications.gis.choices import DataFormat, DeliveryMethod
from biys.applications.gis.models import GisLayer, GisTariff, GisTariffLine
from biys.applications.gis.selectors import quantity_text
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
    """One delivery, the whole order or a part: a quantity for each requested layer still due
    (filled with what is due; empty or 0: not in this part), the files, the recipient and,
    optionally, a file. The service refuses more than is due at that layer's field."""

    recipient_name = forms.CharField(label=_("Received by"), max_length=200)
    method = forms.ChoiceField(label=_("Delivered as"), choices=DeliveryMethod.choices)
    files = forms.CharField(
        label=_("Files delivered"),
        help_text=_("File names (and checksums), one per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label=_("File (optional)"),
        required=False,
        help_text=_("The signed delivery receipt or the data delivered."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, progress=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_fields = {}
        for line in progress:
            if line.remaining <= 0:
                continue
            item = line.item
            name = f"item_{item.pk}"
            self.fields[name] = forms.DecimalField(
                label=f"{item.layer.name} ({item.get_data_format_display()})",
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=3,
                initial=format(line.remaining.normalize(), "f"),
                help_text=_("%(remaining)s %(unit)s still due of %(ordered)s ordered.")
                % {
                    "remaining": quantity_text(line.remaining),
                    "unit": item.get_charge_unit_display() if item.charge_unit else "",
                    "ordered": quantity_text(line.ordered),
                },
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )
            self.item_fields[item.pk] = name
        # The quantities first: what went out is the heart of the record.
        order = [*self.item_fields.values(), "recipient_name", "method", "files", "file", "note"]
        self.order_fields(order)

    def quantities(self) -> dict[int, object] | None:
        """What this part carried, by item id (an emptied field: none of that layer). A post
        without any quantity field (a script) delivers everything still due."""
        if not any(self.add_prefix(name) in self.data for name in self.item_fields.values()):
            return None
        return {pk: self.cleaned_data.get(name) or 0 for pk, name in self.item_fields.items()}

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "recipient_name": data["recipient_name"],
            "method": data["method"],
            "files": data["files"],
            "note": data.get("note") or "",
            "file": data.get("file"),
            "quantities": self.quantities(),
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's refusal at the fields it names; a line's problem at its layer."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for name, problems in error.error_dict.items():
            for problem in problems:
                item = (problem.params or {}).get("item") if name == "lines" else None
                field = self.item_fields.get(item) if item else name
                message = problem.message % problem.params if problem.params else problem.message
                self.add_error(field if field in self.fields else None, str(message))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
