from django import forms
from django.utils.translation import gettext_lazy as _

from biys.calendar.models import DeclaredDay

MISSING_REFERENCE = _("Enter the reference of the government decision.")


class DeclaredDayForm(forms.ModelForm):
    """Model validation (a date already declared, a weekend day off, a missing decision
    reference) shows at the field."""

    class Meta:
        model = DeclaredDay
        fields = ["date", "kind", "description", "decision_reference"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {"decision_reference": {"required": MISSING_REFERENCE}}
