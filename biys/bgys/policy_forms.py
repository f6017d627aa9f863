"""Forms of the policy screens. They check input; the rules live in ``policy_services``."""

from django import forms

from biys.bgys.policy_models import Policy, PolicyVersion


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = [
            "code", "title", "kind", "unit", "description", "audience_units", "audience_roles",
            "ack_working_days",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PolicyVersionForm(forms.ModelForm):
    class Meta:
        model = PolicyVersion
        fields = ["policy", "text", "change_summary"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 16}),
            "change_summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["policy"].disabled = True
