from django import forms
from django.utils.translation import gettext_lazy as _

from biys.org.models import Duty, Person, Position, Regulation, Title, Unit


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "is_it_department",
            "manager_position",
            "email",
            "phone",
            "order",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].queryset = Unit.objects.exclude(
                path__startswith=self.instance.path
            )
            self.fields["manager_position"].queryset = Position.objects.filter(unit=self.instance)
        else:
            self.fields["manager_position"].queryset = Position.objects.none()
            self.fields["manager_position"].help_text = _(
                "Add positions to the unit first, then choose its manager's position."
            )


class PersonForm(forms.ModelForm):
    """Personal data is never sent to the browser pre-filled: an empty field keeps the value."""

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "tc_kimlik_no",
            "sicil_no",
            "employment_type",
            "unit",
            "title",
            "email",
            "work_phone",
            "mobile_phone",
            "address",
            "location",
            "status",
            "start_date",
            "end_date",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "address": forms.Textarea(attrs={"rows": 2}),
            "tc_kimlik_no": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 11}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept = {}
        for name in Person.personal_fields:
            current = getattr(self.instance, name, "") if self.instance.pk else ""
            if current:
                self._kept[name] = current
                self.initial[name] = ""
                self.fields[name].help_text = _(
                    "A value is recorded. Leave empty to keep it, or type a new one."
                )

    def _clean_personal(self, name):
        value = self.cleaned_data.get(name)
        return value if value else self._kept.get(name, value)

    def clean_tc_kimlik_no(self):
        return self._clean_personal("tc_kimlik_no") or None

    def clean_mobile_phone(self):
        return self._clean_personal("mobile_phone")

    def clean_address(self):
        return self._clean_personal("address")

    def clean_sicil_no(self):
        return self.cleaned_data.get("sicil_no") or None


class DutyForm(forms.ModelForm):
    class Meta:
        model = Duty
        fields = ["paragraph", "label", "text", "unit", "categories", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class TitleForm(forms.ModelForm):
    class Meta:
        model = Title
        fields = ["name"]


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["unit", "name", "title", "holder", "is_manager"]


class RegulationForm(forms.ModelForm):
    class Meta:
        model = Regulation
        fields = [
            "title",
            "council_decision_no",
            "council_decision_date",
            "effective_date",
            "repeals",
            "repealed_regulation",
            "is_in_force",
        ]
        widgets = {
            "council_decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
