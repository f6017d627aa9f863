"""Forms of the findings screens. They check the shape of the input; the rules (who may do
what in which unit, dates, states) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from biys.org.models import Unit
from biys.secops.choices import Format
from biys.secops.models import RemediationTarget

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScanImportForm(forms.Form):
    file = forms.FileField(
        label=_("Scanner report"),
        help_text=_(
            "OpenVAS/Greenbone XML, Nessus (.nessus), Trivy JSON or Nuclei JSON/JSONL. A file"
            " that cannot be read is refused with the reason and nothing is imported; a large"
            " one is imported in the background."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Recognise from the file")), *Format.choices],
        required=False,
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.all(),
        label=_("Responsible unit"),
        help_text=_("Responsible for the findings whose asset the register does not know."),
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance


class FindingActionForm(forms.Form):
    """A lifecycle step: the reason (required by some steps) and, to accept a risk, its end."""

    note = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    until = forms.DateField(label=_("Risk accepted until"), required=False, widget=DATE)

    def __init__(self, *args, action: str = "", **kwargs):
        from biys.secops.services import TRANSITIONS

        super().__init__(*args, **kwargs)
        if action != "accept_risk":
            del self.fields["until"]
        step = TRANSITIONS.get(action)
        if step is not None and step.note_required:
            self.fields["note"].required = True
        elif step is not None:
            del self.fields["note"]  # a step without a reason is one button


class RemediationTargetForm(forms.ModelForm):
    class Meta:
        model = RemediationTarget
        fields = ["days"]
