"""Forms of the third parties and their agreements. They check input; the rules live in
``third_party_services``."""

from django import forms

from biys.bgys.third_party_models import ConfidentialityAgreement, ThirdParty

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ThirdPartyForm(forms.ModelForm):
    class Meta:
        model = ThirdParty
        fields = [
            "name", "unit", "tax_number", "contact_name", "email", "phone", "services",
            "contract", "is_active",
        ]  # fmt: skip
        widgets = {"services": forms.Textarea(attrs={"rows": 3})}


class ConfidentialityAgreementForm(forms.ModelForm):
    class Meta:
        model = ConfidentialityAgreement
        fields = ["third_party", "signatory", "signatory_role", "signed_on", "expires_on", "scope"]
        widgets = {
            "signed_on": DATE,
            "expires_on": DATE,
            "scope": forms.Textarea(attrs={"rows": 3}),
        }
