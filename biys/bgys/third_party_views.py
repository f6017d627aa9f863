"""The third parties' screens: the parties (with their agreements), and the confidentiality
agreements (the signed copy as an attachment), filtered by state: in force, ending soon,
ended. Every write goes through ``third_party_services``."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from biys.bgys import third_party_filtersets as filtersets
from biys.bgys import third_party_services as services
from biys.bgys import third_party_tables as tables
from biys.bgys.third_party_forms import ConfidentialityAgreementForm, ThirdPartyForm
from biys.bgys.third_party_models import ConfidentialityAgreement, ThirdParty
from biys.core.access import can_add
from biys.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    Tab,
    register_model_views,
)


class ThirdPartyListView(ObjectListView):
    queryset = ThirdParty.objects.select_related("unit")
    table_class = tables.ThirdPartyTable
    filterset_class = filtersets.ThirdPartyFilterSet


class ThirdPartyDetailView(ObjectDetailView):
    queryset = ThirdParty.objects.select_related("unit")
    detail_fields = (
        "name", "unit", "tax_number", "contact_name", "email", "phone", "services", "contract",
        "is_active",
    )  # fmt: skip
    show_comments = False

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            Tab(
                "agreements",
                _("Confidentiality agreements"),
                template_name="bgys/third_party_agreements.html",
                context=lambda: {
                    "agreements": list(
                        ConfidentialityAgreement.objects.restrict(user, "view")
                        .filter(third_party=obj)
                        .order_by("-signed_on", "-pk")
                    ),
                    "may_add": can_add(user, ConfidentialityAgreement, obj.unit_id),
                },
            )
        ]


class ThirdPartyEditView(ServiceEditView):
    queryset = ThirdParty.objects.all()
    form_class = ThirdPartyForm

    def save_with_service(self, form):
        return services.save_third_party(third_party=form.instance, user=self.request.user)


class ConfidentialityAgreementListView(ObjectListView):
    queryset = ConfidentialityAgreement.objects.select_related("third_party")
    table_class = tables.ConfidentialityAgreementTable
    filterset_class = filtersets.ConfidentialityAgreementFilterSet


class ConfidentialityAgreementDetailView(ObjectDetailView):
    queryset = ConfidentialityAgreement.objects.select_related("third_party__unit")
    detail_fields = (
        "third_party",
        "signatory",
        "signatory_role",
        "signed_on",
        "expires_on",
        "scope",
    )
    show_comments = False


class ConfidentialityAgreementEditView(ServiceEditView):
    queryset = ConfidentialityAgreement.objects.all()
    form_class = ConfidentialityAgreementForm

    def post(self, request, *args, **kwargs):
        # A new agreement belongs to its third party's unit: one for a party of a unit where the
        # user may not add agreements is refused as such (not as an invalid choice).
        party_id = request.POST.get("third_party", "")
        if "pk" not in self.kwargs and party_id.isdigit():
            unit_id = (
                ThirdParty.objects.filter(pk=int(party_id))
                .values_list("unit_id", flat=True)
                .first()
            )
            if unit_id is not None and not can_add(request.user, ConfidentialityAgreement, unit_id):
                raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def save_with_service(self, form):
        return services.save_agreement(agreement=form.instance, user=self.request.user)


register_model_views(
    ThirdParty,
    list=ThirdPartyListView,
    detail=ThirdPartyDetailView,
    edit=ThirdPartyEditView,
    delete=ObjectDeleteView,
)
register_model_views(
    ConfidentialityAgreement,
    list=ConfidentialityAgreementListView,
    detail=ConfidentialityAgreementDetailView,
    edit=ConfidentialityAgreementEditView,
    delete=ObjectDeleteView,
)
