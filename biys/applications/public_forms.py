"""The public application form: what a citizen fills in, without an account. The fields'
shape is checked here; the rules (address and identity required, the type's own fields, the
files' number, size and type) are the service's (``services.file_public_application``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from biys.applications import services
from biys.applications.choices import ApplicantKind
from biys.applications.forms import identity_field
from biys.applications.models import Application


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented way to take several files from one input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class CoordinateField(forms.DecimalField):
    """A latitude or longitude as a phone's map app copies it: a decimal point or comma, any
    number of decimals (the service keeps six and checks the range)."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class PublicApplicationForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("I am applying as"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(
        label=_("Name and surname (or the company's name)"),
        max_length=Application._meta.get_field("applicant_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    tc_kimlik_no = forms.CharField(
        label=_("TC kimlik number"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    tax_number = forms.CharField(
        label=_("Tax number (companies and institutions)"), max_length=11, required=False
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("The tracking code and the news of the answer are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(
        label=_("Residence or business address"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=Application._meta.get_field("subject").max_length
    )
    description = forms.CharField(
        label=_("Your application"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    files = MultipleFileField(label=_("Documents"), required=False)
    consent = forms.BooleanField(
        label=_("I have read the notice on the processing of my personal data.")
    )
    # Left empty by people; filled by the bots that fill every field.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, application_type, **kwargs):
        super().__init__(*args, **kwargs)
        self.application_type = application_type
        identity_field(self, application_type)
        for spec in application_type.form_fields or []:
            self.fields[f"field_{spec['name']}"] = forms.CharField(
                label=spec.get("label") or spec["name"],
                required=bool(spec.get("required")),
                max_length=1000,
            )
        if services.takes_coordinates(application_type):
            self.fields["latitude"] = CoordinateField(
                label=_("Latitude of the station (optional)"),
                help_text=_("From your phone's map, e.g. 36.812100."),
            )
            self.fields["longitude"] = CoordinateField(
                label=_("Longitude of the station (optional)"),
                help_text=_("e.g. 34.641500"),
            )

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def form_data(self) -> dict:
        return {
            name.removeprefix("field_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("field_") and value
        }


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
