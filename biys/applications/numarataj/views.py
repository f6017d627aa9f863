"""The numbering and street naming screens: the streets (with their name history and the
buildings and numbers given) and buildings (with their numbering history), the requests with
their steps (visit, number, accrual, payment, certificate, refusal) and the certificate PDF, and
the naming proposals with their council decision. Every write goes through
``biys.applications.numarataj.services``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from biys.applications import selectors as application_selectors
from biys.applications import services as application_services
from biys.applications.numarataj import filtersets, selectors, services, tables
from biys.applications.numarataj.forms import (
    AccrueForm,
    BuildingForm,
    DecisionForm,
    IssueForm,
    NumberForm,
    NumberingTariffForm,
    PaymentForm,
    ProposalForm,
    RefuseForm,
    RequestForm,
    SendForm,
    StreetForm,
    VisitForm,
)
from biys.applications.numarataj.models import (
    Building,
    NumberingRequest,
    NumberingTariff,
    Street,
    StreetNamingProposal,
)
from biys.core.access import get_scope
from biys.core.export import attachment_header
from biys.core.views.generic import (
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    register_model_views,
)
from biys.core.views.generic.base import ScopedViewMixin, restrict_form_choices

# The register ------------------------------------------------------------------------------


class StreetListView(ObjectListView):
    queryset = Street.objects.select_related("unit")
    table_class = tables.StreetTable
    filterset_class = filtersets.StreetFilterSet


class StreetDetailView(ObjectDetailView):
    """A street with its name history and its buildings and the numbers given."""

    queryset = Street.objects.select_related("unit")
    template_name = "applications/numarataj/street_detail.html"
    show_comments = False

    def get_extra_context(self, obj):
        return {
            "names": selectors.street_names(obj),
            "buildings": selectors.street_buildings(obj),
            "proposals": selectors.proposals_for(self.request.user)
            .filter(street=obj)
            .order_by("-id"),
        }


class StreetEditView(ServiceEditView):
    queryset = Street.objects.all()
    form_class = StreetForm

    def save_with_service(self, form):
        return services.save_street(user=self.request.user, street=form.instance)


class BuildingListView(ObjectListView):
    queryset = Building.objects.select_related("street")
    table_class = tables.BuildingTable
    filterset_class = filtersets.BuildingFilterSet


class BuildingDetailView(ObjectDetailView):
    """A building with its numbering history."""

    queryset = Building.objects.select_related("street", "street__unit")
    template_name = "applications/numarataj/building_detail.html"
    show_comments = False

    def get_extra_context(self, obj):
        return {"numbers": selectors.building_numbers(obj)}


class BuildingEditView(ServiceEditView):
    queryset = Building.objects.all()
    form_class = BuildingForm

    def add_unit_id(self, instance):
        return instance.street.unit_id if instance.street_id else None

    def save_with_service(self, form):
        return services.save_building(user=self.request.user, building=form.instance)


# The fee tariff ----------------------------------------------------------------------------


class NumberingTariffListView(ObjectListView):
    """The council's numbering tariff, by kind and the latest first (read by all staff)."""

    queryset = NumberingTariff.objects.order_by("kind", "-valid_from", "-id")
    table_class = tables.NumberingTariffTable
    filterset_class = filtersets.NumberingTariffFilterSet


class NumberingTariffDetailView(ObjectDetailView):
    queryset = NumberingTariff.objects.all()
    show_attachments = False
    show_comments = False


class NumberingTariffEditView(ServiceEditView):
    """Add and change a row: the whole municipality's tariff, so the permission is held over
    every unit (the service checks it, and the one-row-a-day rule)."""

    queryset = NumberingTariff.objects.all()
    form_class = NumberingTariffForm

    def save_with_service(self, form):
        return services.save_tariff(user=self.request.user, tariff=form.instance)


# Requests ----------------------------------------------------------------------------------


class NumberingRequestListView(ObjectListView):
    """The requests the user may see, the newest first (one query for the rows)."""

    queryset = NumberingRequest.objects.select_related(*selectors.LIST_RELATED).order_by("-id")
    table_class = tables.NumberingRequestTable
    filterset_class = filtersets.NumberingRequestFilterSet

    def bulk_edit_url(self) -> str:
        return ""


class NumberingRequestDetailView(ObjectDetailView):
    queryset = NumberingRequest.objects.select_related(
        "application", "application__responsible_unit", "application__type", "street",
        "building", "inspector",
    )  # fmt: skip
    template_name = "applications/numarataj/request_detail.html"
    detail_fields = ("state", "street", "block", "parcel", "building_description", "building",
                     "visited_on", "inspector", "visit_note", "door_number", "inner_numbers",
                     "numbered_on", "fee", "tariff_fee", "fee_reason", "accrual_number",
                     "accrued_on", "payment_reference",
                     "paid_on", "certificate_number", "certificate_issued_on",
                     "refusal_reason")  # fmt: skip

    def get_object_urls(self, obj):
        return {"edit_url": "", "delete_url": ""}

    def get_extra_context(self, obj):
        user = self.request.user
        actions = services.request_actions(user, obj)
        today = application_selectors.today()
        quote = selectors.tariff_fee(obj, today) if "accrue" in actions else None
        return {
            "application": obj.application,
            "actions": actions,
            "may_reveal": application_services.may_reveal(user, obj.application),
            "visit_form": VisitForm(
                prefix="visit", initial={"visited_on": today, "inspector": user.pk}
            )
            if "visit" in actions
            else None,
            "number_form": NumberForm(prefix="number", numbering=obj)
            if "number" in actions
            else None,
            "fee_quote": quote,
            "accrue_form": AccrueForm(
                prefix="accrue", initial={"fee": quote.total if quote else None}
            )
            if "accrue" in actions
            else None,
            "payment_form": PaymentForm(prefix="pay", initial={"amount": obj.fee})
            if "pay" in actions
            else None,
            "issue_form": IssueForm(prefix="issue") if "issue" in actions else None,
            "refuse_form": RefuseForm(prefix="refuse") if "refuse" in actions else None,
        }


class NumberingRequestAddView(ScopedViewMixin, View):
    """A request at the counter: the application of type ``numarataj`` and its request,
    recorded together by the service."""

    queryset = NumberingRequest.objects.all()
    template_name = "applications/numarataj/request_add.html"

    def _form(self, data=None):
        form = RequestForm(data, initial={"received_on": application_selectors.today()})
        restrict_form_choices(form, self.request.user)
        return form

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                **self.base_context(),
                "form": form,
                "title": _("New numbering request"),
                "missing_type": services.request_type() is None,
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        if not get_scope(request.user).has_perm(services.ADD_REQUEST):
            raise PermissionDenied
        return self._render(self._form())

    def post(self, request, *args, **kwargs):
        if not get_scope(request.user).has_perm(services.ADD_REQUEST):
            raise PermissionDenied
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        data = form.cleaned_data
        try:
            numbering = services.open_request(
                user=request.user,
                received_on=data["received_on"],
                channel=data["channel"],
                applicant_kind=data["applicant_kind"],
                applicant_name=data["applicant_name"],
                tc_kimlik_no=data.get("tc_kimlik_no") or "",
                tax_number=data.get("tax_number") or "",
                email=data.get("email") or "",
                phone=data.get("phone") or "",
                address=data.get("address") or "",
                responsible_unit=data.get("responsible_unit"),
                street=data["street"],
                block=data["block"],
                parcel=data["parcel"],
                building_description=data.get("building_description") or "",
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, problems in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                form.add_error(None, error.messages)
            return self._render(form, status=400)
        except PermissionDenied:
            form.add_error(None, _("You may not record numbering requests for that unit."))
            return self._render(form, status=403)
        messages.success(
            request,
            _("Recorded %(number)s; legal deadline %(due)s.")
            % {
                "number": numbering.application.number,
                "due": numbering.application.due_date.strftime("%d.%m.%Y"),
            },
        )
        return redirect(numbering.get_absolute_url())


def _valid(form):
    if not form.is_valid():
        raise ValidationError(
            [f"{form.fields[name].label if name in form.fields else ''}: {problem}".lstrip(": ")
             for name, problems in form.errors.items() for problem in problems]
        )  # fmt: skip
    return form.cleaned_data


class RequestActionView(LoginRequiredMixin, View):
    """POST only: one step of a request the user may see. 404 for a request not seen, 403 for a
    step the user may not take; a refused step goes back to the page with its reasons."""

    ACTIONS = ("visit", "number", "accrue", "pay", "issue", "refuse")

    def post(self, request, pk, action):
        numbering = get_object_or_404(
            selectors.requests_for(request.user).select_related("application", "street"), pk=pk
        )
        if action not in self.ACTIONS:
            raise Http404
        allowed = services.request_actions(request.user, numbering)
        if action not in allowed:
            if not allowed and not get_scope(request.user).has_perm(
                services.CHANGE_REQUEST, numbering.application.responsible_unit_id
            ):
                raise PermissionDenied
            messages.error(request, _("The request cannot take this step now."))
            return redirect(numbering.get_absolute_url())
        try:
            done = getattr(self, f"do_{action}")(request, numbering)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
            return redirect(numbering.get_absolute_url())
        messages.success(request, done)
        return redirect(numbering.get_absolute_url())

    def do_visit(self, request, numbering):
        data = _valid(VisitForm(request.POST, prefix="visit"))
        services.record_visit(user=request.user, request=numbering,
                              visited_on=data["visited_on"], inspector=data["inspector"],
                              note=data.get("note") or "")  # fmt: skip
        return _("Visit recorded.")

    def do_number(self, request, numbering):
        data = _valid(NumberForm(request.POST, prefix="number", numbering=numbering))
        numbering = services.give_number(user=request.user, request=numbering, **data)
        return _("Door number %(number)s given.") % {"number": numbering.door_number}

    def do_accrue(self, request, numbering):
        data = _valid(AccrueForm(request.POST, prefix="accrue"))
        numbering = services.accrue_fee(user=request.user, request=numbering, **data)
        return _("Accrued as %(number)s.") % {"number": numbering.accrual_number}

    def do_pay(self, request, numbering):
        data = _valid(PaymentForm(request.POST, prefix="pay"))
        services.record_payment(user=request.user, request=numbering, **data)
        return _("Payment recorded.")

    def do_issue(self, request, numbering):
        data = _valid(IssueForm(request.POST, prefix="issue"))
        numbering = services.issue_certificate(
            user=request.user, request=numbering, issued_on=data.get("issued_on")
        )
        return _("Certificate %(number)s issued; the application is answered.") % {
            "number": numbering.certificate_number
        }

    def do_refuse(self, request, numbering):
        data = _valid(RefuseForm(request.POST, prefix="refuse"))
        services.refuse_request(user=request.user, request=numbering, reason=data["reason"])
        return _("The request was refused.")


class CertificatePdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        from biys.applications.numarataj.pdf import build_certificate_pdf

        numbering = get_object_or_404(
            selectors.requests_for(request.user).select_related(
                "application", "application__responsible_unit", "street", "building"
            ),
            pk=pk,
        )
        if numbering.certificate_number is None:
            raise Http404
        response = HttpResponse(build_certificate_pdf(numbering), content_type="application/pdf")
        response["Content-Disposition"] = attachment_header(
            f"numarataj-belgesi-{numbering.certificate_number}.pdf"
        ).replace("attachment", "inline", 1)
        return response


# Street naming proposals -------------------------------------------------------------------


class ProposalListView(ObjectListView):
    queryset = StreetNamingProposal.objects.select_related("unit", "street").order_by("-id")
    table_class = tables.StreetNamingProposalTable
    filterset_class = filtersets.StreetNamingProposalFilterSet


class ProposalDetailView(ObjectDetailView):
    queryset = StreetNamingProposal.objects.select_related("unit", "street", "application")
    template_name = "applications/numarataj/proposal_detail.html"

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        if obj.state != "draft":
            urls["edit_url"] = ""
        return urls

    def get_extra_context(self, obj):
        actions = services.proposal_actions(self.request.user, obj)
        return {
            "actions": actions,
            "send_form": SendForm(prefix="send") if "send" in actions else None,
            "decision_form": DecisionForm(prefix="decide") if "decide" in actions else None,
        }


class ProposalEditView(ServiceEditView):
    queryset = StreetNamingProposal.objects.all()
    form_class = ProposalForm

    def save_with_service(self, form):
        return services.save_proposal(user=self.request.user, proposal=form.instance)


class ProposalActionView(LoginRequiredMixin, View):
    """POST only: send a proposal to the council, or record the council's decision."""

    ACTIONS = ("send", "decide")

    def post(self, request, pk, action):
        proposal = get_object_or_404(selectors.proposals_for(request.user), pk=pk)
        if action not in self.ACTIONS:
            raise Http404
        allowed = services.proposal_actions(request.user, proposal)
        if action not in allowed:
            scope = get_scope(request.user)
            if not any(
                scope.has_perm(perm, proposal.unit_id)
                for perm in (services.CHANGE_PROPOSAL, services.DECIDE)
            ):
                raise PermissionDenied
            messages.error(request, _("The proposal cannot take this step now."))
            return redirect(proposal.get_absolute_url())
        try:
            if action == "send":
                data = _valid(SendForm(request.POST, prefix="send"))
                services.send_to_council(user=request.user, proposal=proposal, **data)
                done = _("Sent to the council.")
            else:
                data = _valid(DecisionForm(request.POST, prefix="decide"))
                services.record_decision(user=request.user, proposal=proposal, **data)
                done = _("The council's decision is recorded.")
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
            return redirect(proposal.get_absolute_url())
        messages.success(request, done)
        return redirect(proposal.get_absolute_url())


register_model_views(
    NumberingTariff,
    list=NumberingTariffListView,
    detail=NumberingTariffDetailView,
    edit=NumberingTariffEditView,
)
register_model_views(Street, list=StreetListView, detail=StreetDetailView, edit=StreetEditView)
register_model_views(
    Building, list=BuildingListView, detail=BuildingDetailView, edit=BuildingEditView
)
# Registered with its add page only, as the applications themselves: the applicant's identity is
# never sent back pre-filled to an edit form.
register_model_views(
    NumberingRequest,
    list=NumberingRequestListView,
    detail=NumberingRequestDetailView,
    add=NumberingRequestAddView,
)
register_model_views(
    StreetNamingProposal,
    list=ProposalListView,
    detail=ProposalDetailView,
    edit=ProposalEditView,
)
