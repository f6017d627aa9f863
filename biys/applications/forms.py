"""Forms of the application screens. They collect and check the shape of the input; the
rules (deadlines, permissions, required answers) are the services'."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from biys.applications.choices import OUTCOMES, Channel, IdentityRule, State
from biys.applications.models import Application, ApplicationType
from biys.org.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def identity_field(form, application_type) -> None:
    """The TC kimlik number field as the type wants it: left out when the type does not ask
    it; otherwise its label says whether a person must give it and on what ground. Always
    optional to the form itself: a company gives its tax number, and the service says at the
    field when a person left it empty."""
    rule = application_type.identity_number
    if rule == IdentityRule.NOT_ASKED:
        form.fields.pop("tc_kimlik_no", None)
        return
    field = form.fields["tc_kimlik_no"]
    if rule == IdentityRule.REQUIRED:
        field.label = _("TC kimlik number (required for a person)")
        if application_type.identity_ground:
            field.help_text = application_type.identity_ground
    else:
        field.label = _("TC kimlik number (optional)")


class ApplicationTypeForm(forms.ModelForm):
    class Meta:
        model = ApplicationType
        fields = [
            "code", "name", "law", "legal_article", "citations", "unit", "period", "period_unit",
            "extended_period", "count_from_receipt_day", "channel_sets_period", "objection_period",
            "objection_type", "identity_number", "identity_ground", "form_fields", "documents",
            "fee", "fee_note", "description", "active", "public",
        ]  # fmt: skip


class ApplicationForm(forms.ModelForm):
    """The counter clerk's quick entry (and CİMER / Alo 153 typed in). The type's own fields
    are added as ``field_<name>`` once the type is known."""

    objection_to_number = forms.CharField(
        label=_("Objection to application number"),
        max_length=30,
        required=False,
        help_text=_(
            "For an objection (4982 md. 13): the number of the answered application it objects"
            " to; the applicant's contact data not typed is taken from it."
        ),
    )

    class Meta:
        model = Application
        fields = [
            "type", "channel", "channel_reference", "received_on", "channel_due_date",
            "applicant_kind", "applicant_name", "tc_kimlik_no", "tax_number", "phone", "email",
            "address", "subject", "description", "responsible_unit",
        ]  # fmt: skip
        widgets = {
            "received_on": DATE,
            "channel_due_date": DATE,
            "address": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "tc_kimlik_no": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        }
        help_texts = {
            "responsible_unit": _("Empty: the unit the type's regulation duty makes responsible."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = ApplicationType.objects.filter(active=True)
        # Choosing a type redraws the form with the type's own fields (HTMX; without it the
        # fields appear when the form comes back).
        self.fields["type"].widget.attrs.update(
            {
                "hx-get": reverse("applications:application_add"),
                "hx-trigger": "change",
                "hx-include": "closest form",
                "hx-select": "#application-form-body",
                "hx-target": "#application-form-body",
                "hx-swap": "outerHTML",
            }
        )
        self.fields["responsible_unit"].required = False
        self.fields["received_on"].initial = self.fields["received_on"].initial or None
        self.application_type = self._chosen_type()
        if self.application_type is not None:
            identity_field(self, self.application_type)
        for spec in getattr(self.application_type, "form_fields", None) or []:
            self.fields[f"field_{spec['name']}"] = forms.CharField(
                label=spec.get("label") or spec["name"], required=bool(spec.get("required"))
            )

    def _chosen_type(self):
        value = (
            self.data.get(self.add_prefix("type")) if self.is_bound else self.initial.get("type")
        )
        try:
            return ApplicationType.objects.filter(pk=int(value)).first() if value else None
        except (TypeError, ValueError):
            return None

    def form_data(self) -> dict:
        return {
            name.removeprefix("field_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("field_") and value
        }

    def _post_clean(self):
        # The model's rules run in the service (with the number and deadline); only the
        # fields' own shape is checked here.
        pass


class RouteForm(forms.Form):
    unit = forms.ModelChoiceField(Unit.objects.all(), label=_("Unit"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason notified to the applicant"), widget=forms.Textarea(attrs={"rows": 2})
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(value, State(value).label) for value in OUTCOMES]
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE, required=False)
    note = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
    refusal_ground = forms.CharField(
        label=_("Legal ground of the refusal"), max_length=300, required=False
    )
    forwarded_to = forms.CharField(label=_("Forwarded to"), max_length=200, required=False)


class ImportForm(forms.Form):
    """A CİMER or Alo 153 export file (CSV or Excel) and what its rows are recorded as."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (Channel.CIMER.value, Channel.CIMER.label),
            (Channel.ALO153.value, Channel.ALO153.label),
        ],
    )
    type = forms.ModelChoiceField(ApplicationType.objects.filter(active=True), label=_("Type"))
    responsible_unit = forms.ModelChoiceField(
        Unit.objects.all(),
        label=_("Responsible unit"),
        required=False,
        help_text=_("Empty: the unit the type makes responsible."),
    )
    file = forms.FileField(
        label=_("Export file (CSV or Excel .xlsx)"),
        required=False,
        help_text=_("The first row names the columns (see the assumed columns below)."),
    )
    content = forms.CharField(widget=forms.HiddenInput, required=False)
