"""Forms of the numbering and street naming screens: the shape of the input; the rules are the
services'."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from biys.applications.choices import ApplicantKind, Channel
from biys.applications.numarataj.choices import CouncilDecision
from biys.applications.numarataj.models import (
    Building,
    NumberingTariff,
    Street,
    StreetNamingProposal,
)
from biys.org.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StreetForm(forms.ModelForm):
    """A street of the register; a name typed here corrects the spelling of the current one."""

    class Meta:
        model = Street
        fields = ["name", "kind", "neighbourhood", "code", "unit", "active"]


class BuildingForm(forms.ModelForm):
    class Meta:
        model = Building
        fields = ["door_number", "street", "inner_numbers", "block", "parcel", "building_name"]


class NumberingTariffForm(forms.ModelForm):
    """An amount of the council's numbering tariff; the rules (one row of a kind a day, the
    municipality-wide permission) are the service's."""

    class Meta:
        model = NumberingTariff
        fields = ["kind", "valid_from", "amount", "council_decision"]
        widgets = {"valid_from": DATE}

    def clean(self):
        from biys.applications.numarataj.services import tariff_day_error

        cleaned = super().clean()
        probe = NumberingTariff(pk=self.instance.pk, kind=cleaned.get("kind"),
                                valid_from=cleaned.get("valid_from"))  # fmt: skip
        for name, message in tariff_day_error(probe).items():
            self.add_error(name, message)
        return cleaned


class RequestForm(forms.Form):
    """A request at the counter: the applicant, the street, block and parcel (the application
    of type ``numarataj`` is recorded with it)."""

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
    street = forms.ModelChoiceField(Street.objects.filter(active=True), label=_("Street"))
    block = forms.CharField(label=_("Block (ada)"), max_length=20)
    parcel = forms.CharField(label=_("Parcel (parsel)"), max_length=20)
    building_description = forms.CharField(
        label=_("Building"),
        max_length=300,
        required=False,
        help_text=_("The building as the applicant describes it (name, entrance, new build)."),
    )
    responsible_unit = forms.ModelChoiceField(
        Unit.objects.all(),
        label=_("Responsible unit"),
        required=False,
        help_text=_("Empty: the unit the type's regulation duty makes responsible."),
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    inspector = forms.ModelChoiceField(
        get_user_model().objects.filter(is_active=True).order_by("username"),
        label=_("Inspector"),
    )
    note = forms.CharField(
        label=_("Visit note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NumberForm(forms.Form):
    door_number = forms.CharField(label=_("Door number (dış kapı no)"), max_length=20)
    inner_numbers = forms.CharField(
        label=_("Inner door numbers (iç kapı)"),
        max_length=500,
        required=False,
        help_text=_("Comma-separated, e.g. 1, 2, 3"),
    )
    building = forms.ModelChoiceField(
        Building.objects.none(),
        label=_("Building already registered"),
        required=False,
        help_text=_("Empty: a new building is registered on the request's block and parcel."),
    )
    numbered_on = forms.DateField(label=_("Numbered on"), widget=DATE, required=False)

    def __init__(self, *args, numbering=None, **kwargs):
        super().__init__(*args, **kwargs)
        if numbering is not None:
            self.fields["building"].queryset = Building.objects.filter(
                street__neighbourhood=numbering.street.neighbourhood
            ).select_related("street")


class AccrueForm(forms.Form):
    fee = forms.DecimalField(
        label=_("Fee (TRY)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_(
            "By the council's tariff valid on the accrual day; empty: the tariff's. "
            "0 for an exemption."
        ),
    )
    fee_reason = forms.CharField(
        label=_("Reason for another fee"),
        max_length=300,
        required=False,
        help_text=_("Needed when the fee differs from the tariff's (an exemption, a decision)."),
    )
    accrued_on = forms.DateField(label=_("Accrued on"), widget=DATE, required=False)


class PaymentForm(forms.Form):
    payment_reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        help_text=_("The receipt (makbuz) or bank transfer reference."),
    )
    amount = forms.DecimalField(label=_("Amount paid (TRY)"), max_digits=14, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, required=False)


class IssueForm(forms.Form):
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE, required=False)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ProposalForm(forms.ModelForm):
    class Meta:
        model = StreetNamingProposal
        fields = ["proposed_name", "street", "kind", "neighbourhood", "area_description",
                  "justification", "unit", "application"]  # fmt: skip
        widgets = {"justification": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from biys.applications.models import Application
        from biys.applications.numarataj.selectors import NAMING_TYPE_CODE

        self.fields["application"].queryset = Application.objects.filter(
            type__code=NAMING_TYPE_CODE
        )


class SendForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent to the council on"), widget=DATE, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Council decision"), choices=CouncilDecision.choices)
    decision_number = forms.CharField(label=_("Council decision no."), max_length=50)
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE)
    decided_name = forms.CharField(
        label=_("Name decided"),
        max_length=200,
        required=False,
        help_text=_("Only when the council accepted another name."),
    )
    note = forms.CharField(
        label=_("Decision note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
