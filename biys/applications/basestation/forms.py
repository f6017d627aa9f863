"""Forms of the base-station screens: the shape of the input; the rules are the services'."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.applications.basestation.choices import ContractKind, Decision, SiteKind
from biys.applications.basestation.models import BaseStationSite, Operator, SiteAccrual
from biys.applications.choices import Channel
from biys.org.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COORDINATE = {"max_digits": 9, "decimal_places": 6}


class OperatorForm(forms.ModelForm):
    class Meta:
        model = Operator
        fields = ["name", "tax_number", "authorisation", "unit", "active"]


class SiteForm(forms.Form):
    """An operator's site permit application at the counter (the application is recorded with
    it; the operator is the applicant)."""

    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial="counter")
    operator = forms.ModelChoiceField(Operator.objects.filter(active=True), label=_("Operator"))
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    site_code = forms.CharField(label=_("Operator's site code"), max_length=50, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), min_value=-90, max_value=90, help_text=_("e.g. 36.812345"),
        **COORDINATE,
    )  # fmt: skip
    longitude = forms.DecimalField(
        label=_("Longitude"), min_value=-180, max_value=180, help_text=_("e.g. 34.641234"),
        **COORDINATE,
    )  # fmt: skip
    neighbourhood = forms.CharField(
        label=_("Neighbourhood (mahalle)"), max_length=200, required=False
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    block = forms.CharField(label=_("Block (ada)"), max_length=20, required=False)
    parcel = forms.CharField(label=_("Parcel (parsel)"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    responsible_unit = forms.ModelChoiceField(
        Unit.objects.all(),
        label=_("Responsible unit"),
        required=False,
        help_text=_("Empty: the unit the type's regulation duty makes responsible."),
    )


class DocumentsForm(forms.Form):
    documents = forms.MultipleChoiceField(
        label=_("Documents received"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if site is not None:
            from biys.applications.basestation.services import required_documents

            self.fields["documents"].choices = [(name, name) for name in required_documents(site)]
            self.initial.setdefault("documents", list(site.documents_received or []))


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DATE)
    inspector = forms.ModelChoiceField(
        get_user_model().objects.filter(is_active=True).order_by("username"),
        label=_("Inspector"),
    )
    note = forms.CharField(
        label=_("Inspection note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE, required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=50, required=False)
    note = forms.CharField(
        label=_("Decision note"),
        required=False,
        help_text=_("The conditions, or the reason for refusing."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ContractForm(forms.Form):
    contract_kind = forms.ChoiceField(label=_("Contract kind"), choices=ContractKind.choices)
    contract_number = forms.CharField(label=_("Contract number"), max_length=50)
    contract_start = forms.DateField(label=_("Contract start"), widget=DATE)
    contract_end = forms.DateField(label=_("Contract end"), widget=DATE)
    yearly_amount = forms.DecimalField(
        label=_("Yearly amount (TRY)"), max_digits=14, decimal_places=2, min_value=0
    )


class AccrueForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Contract year"), coerce=int)
    accrued_on = forms.DateField(label=_("Accrued on"), widget=DATE, required=False)

    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if site is not None:
            from biys.applications.basestation.services import accruable_years

            self.fields["year"].choices = [(year, year) for year in accruable_years(site)]


class PaymentForm(forms.Form):
    accrual = forms.ModelChoiceField(SiteAccrual.objects.none(), label=_("Accrual"))
    payment_reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        help_text=_("The receipt (makbuz) or bank transfer reference."),
    )
    amount = forms.DecimalField(label=_("Amount paid (TRY)"), max_digits=14, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, required=False)

    def __init__(self, *args, site: BaseStationSite | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if site is not None:
            self.fields["accrual"].queryset = site.accruals.filter(paid_on__isnull=True)


class RightOfWayForm(forms.Form):
    agreement_number = forms.CharField(label=_("Agreement number"), max_length=50)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    route = forms.CharField(
        label=pgettext_lazy("right of way", "Route"),
        required=False,
        help_text=_("The cable or power line route over municipal property."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ComplaintForm(forms.Form):
    """A resident's complaint at the counter, tied to the site it is about."""

    site = forms.ModelChoiceField(
        BaseStationSite.objects.select_related("application", "operator"), label=_("Site")
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial="counter")
    applicant_name = forms.CharField(label=_("Complainant"), max_length=200)
    tc_kimlik_no = forms.CharField(
        label=_("TC kimlik number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=_("Complaint"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SiteLinkForm(forms.Form):
    """The site a complaint already received is about (the sites ``user`` sees). The page
    offers it through a search (``SiteSearchView``: radio buttons named ``link-site``), never a
    list of every site; the posted id is checked against the sites the user sees."""

    site = forms.ModelChoiceField(
        BaseStationSite.objects.none(), label=_("Base-station site"), widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        from biys.applications.basestation.selectors import sites_for

        super().__init__(*args, prefix="link", **kwargs)
        self.fields["site"].queryset = (
            sites_for(user).select_related("application", "operator").order_by("-id")
        )


class AnswerForm(forms.Form):
    finding = forms.CharField(
        label=_("Finding and answer"), widget=forms.Textarea(attrs={"rows": 3})
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE, required=False)
