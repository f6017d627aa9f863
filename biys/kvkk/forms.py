"""Forms of the KVKK screens. They check the shape of the input; the rules (who may do what
in which unit, the inventory's rules, the answer clock) are the services'."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.kvkk.choices import Outcome
from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest
from biys.kvkk.services import ACTIVITY_LISTS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ListItemForm(forms.ModelForm):
    class Meta:
        model = ListItem
        fields = ["kind", "code", "name", "special", "position", "active"]


class ProcessingActivityForm(forms.ModelForm):
    """A processing activity; each list offers the active entries of its pick-list (and the
    entries the activity already has)."""

    class Meta:
        model = ProcessingActivity
        fields = [
            "unit", "name", "description", "personal_data", "data_categories", "purposes",
            "legal_bases", "subject_groups", "recipient_groups", "transfer_abroad",
            "transfer_countries", "transfer_basis", "retention_period", "technical_measures",
            "administrative_measures", "active",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "personal_data": forms.Textarea(attrs={"rows": 2}),
            **{name: forms.CheckboxSelectMultiple for name in ACTIVITY_LISTS},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind in ACTIVITY_LISTS.items():
            field = self.fields[name]
            chosen = (
                list(getattr(self.instance, name).values_list("pk", flat=True))
                if self.instance.pk
                else []
            )
            field.queryset = (
                ListItem.objects.filter(kind=kind)
                .filter(Q(active=True) | Q(pk__in=chosen))
                .order_by("position", "name")
            )
            field.required = False  # the service names the missing list


class SubjectRequestForm(forms.ModelForm):
    """Personal data is never sent to the browser pre-filled: an empty field keeps the value."""

    class Meta:
        model = SubjectRequest
        fields = [
            "received_on", "channel", "right", "request_text", "applicant_name", "tc_kimlik_no",
            "email", "phone", "address", "unit", "assignee",
        ]  # fmt: skip
        widgets = {
            "received_on": DATE,
            "request_text": forms.Textarea(attrs={"rows": 3}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "tc_kimlik_no": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 11}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept = {}
        for name in SubjectRequest.personal_fields:
            current = getattr(self.instance, name, "") if self.instance.pk else ""
            if current:
                self._kept[name] = current
                self.initial[name] = ""
                self.fields[name].required = False
                self.fields[name].help_text = _(
                    "A value is recorded. Leave empty to keep it, or type a new one."
                )

    def _clean_personal(self, name):
        value = self.cleaned_data.get(name)
        return value if value else self._kept.get(name, value)

    def clean_tc_kimlik_no(self):
        return "".join((self._clean_personal("tc_kimlik_no") or "").split())

    def clean_email(self):
        return self._clean_personal("email")

    def clean_phone(self):
        return self._clean_personal("phone")

    def clean_address(self):
        return self._clean_personal("address")


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The written answer sent to the applicant; a refusal gives its reason."),
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE, required=False)


class StartForm(forms.Form):
    """No field: starting only changes the state (the assignee is set on the edit page)."""
