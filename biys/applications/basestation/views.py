"""The base-station screens: the operators, the site permits with their steps (documents,
inspection, decision, contract, yearly accrual and payment, right of way), the residents'
complaints tied to a site, and the map of every site and complaint. Every write goes through
``biys.applications.basestation.services``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from biys.applications import selectors as application_selectors
from biys.applications import services as application_services
from biys.applications.basestation import filtersets, selectors, services, tables
from biys.applications.basestation.forms import (
    AccrueForm,
    AnswerForm,
    ComplaintForm,
    ContractForm,
    DecisionForm,
    DocumentsForm,
    InspectionForm,
    OperatorForm,
    PaymentForm,
    RightOfWayForm,
    SiteForm,
    SiteLinkForm,
)
from biys.applications.basestation.models import BaseStationSite, Operator, SiteComplaint
from biys.applications.models import Application
from biys.core.access import get_scope
from biys.core.export import attachment_header
from biys.core.views.generic import (
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    register_model_views,
)
from biys.core.views.generic.base import ScopedViewMixin, restrict_form_choices

# Operators ---------------------------------------------------------------------------------


class OperatorListView(ObjectListView):
    queryset = Operator.objects.select_related("unit")
    table_class = tables.OperatorTable
    filterset_class = filtersets.OperatorFilterSet


class OperatorDetailView(ObjectDetailView):
    queryset = Operator.objects.select_related("unit")
    detail_fields = ("name", "tax_number", "authorisation", "unit", "active")
    show_comments = False


class OperatorEditView(ServiceEditView):
    queryset = Operator.objects.all()
    form_class = OperatorForm

    def save_with_service(self, form):
        return services.save_operator(user=self.request.user, operator=form.instance)


# Forms of the add pages ----------------------------------------------------------------------


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


class _AddView(ScopedViewMixin, View):
    template_name = "applications/basestation/add.html"
    form_class = None
    perm = ""
    title = ""

    def _form(self, data=None):
        form = self.form_class(data, initial={"received_on": application_selectors.today()})
        restrict_form_choices(form, self.request.user)
        return form

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {**self.base_context(), "form": form, "title": self.title,
             "missing_type": self.missing_type()},
            status=status,
        )  # fmt: skip

    def missing_type(self) -> bool:
        return False

    def get(self, request, *args, **kwargs):
        if not get_scope(request.user).has_perm(self.perm):
            raise PermissionDenied
        return self._render(self._form())

    def post(self, request, *args, **kwargs):
        if not get_scope(request.user).has_perm(self.perm):
            raise PermissionDenied
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            record = self.record(form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
            return self._render(form, status=400)
        except PermissionDenied:
            form.add_error(None, _("You may not record this for that unit."))
            return self._render(form, status=403)
        messages.success(
            request,
            _("Recorded %(number)s; legal deadline %(due)s.")
            % {
                "number": record.application.number,
                "due": record.application.due_date.strftime("%d.%m.%Y"),
            },
        )
        return redirect(record.get_absolute_url())


# Sites -------------------------------------------------------------------------------------


class SiteListView(ObjectListView):
    """The sites the user may see, the newest first (one query for the rows)."""

    queryset = BaseStationSite.objects.select_related(*selectors.LIST_RELATED).order_by("-id")
    table_class = tables.BaseStationSiteTable
    filterset_class = filtersets.BaseStationSiteFilterSet

    def bulk_edit_url(self) -> str:
        return ""


class SiteDetailView(ObjectDetailView):
    queryset = BaseStationSite.objects.select_related(
        "application", "application__responsible_unit", "application__type", "operator",
        "inspector",
    )  # fmt: skip
    template_name = "applications/basestation/site_detail.html"
    detail_fields = ("state", "operator", "site_code", "kind", "latitude", "longitude",
                     "neighbourhood", "address", "block", "parcel", "inspected_on", "inspector",
                     "inspection_note", "decided_on", "decision_number", "decision_note",
                     "contract_kind", "contract_number", "contract_start", "contract_end",
                     "yearly_amount", "right_of_way_number", "right_of_way_signed_on",
                     "right_of_way_route")  # fmt: skip

    def get_object_urls(self, obj):
        return {"edit_url": "", "delete_url": ""}

    def get_extra_context(self, obj):
        user = self.request.user
        actions = services.site_actions(user, obj)
        today = application_selectors.today()
        forms = {
            "documents": lambda: DocumentsForm(prefix="documents", site=obj),
            "inspect": lambda: InspectionForm(
                prefix="inspect", initial={"inspected_on": today, "inspector": user.pk}
            ),
            "decide": lambda: DecisionForm(prefix="decide", initial={"decided_on": today}),
            "contract": lambda: ContractForm(prefix="contract"),
            "accrue": lambda: AccrueForm(prefix="accrue", site=obj),
            "pay": lambda: PaymentForm(prefix="pay", site=obj),
            "right_of_way": lambda: RightOfWayForm(prefix="right_of_way"),
        }
        return {
            "application": obj.application,
            "actions": actions,
            "may_reveal": application_services.may_reveal(user, obj.application),
            "required_documents": services.required_documents(obj),
            "missing_documents": services.missing_documents(obj),
            "accruals": list(obj.accruals.order_by("-year")),
            "complaints": list(
                selectors.complaints_for(user).filter(site=obj).select_related("application")
            ),
            "action_forms": [(name, forms[name]()) for name in forms if name in actions],
            "may_add_complaint": get_scope(user).has_perm(
                services.ADD_COMPLAINT, obj.application.responsible_unit_id
            ),
        }


class SiteAddView(_AddView):
    """An operator's site permit application at the counter: the application and its site,
    recorded together by the service."""

    queryset = BaseStationSite.objects.all()
    form_class = SiteForm
    perm = services.ADD_SITE

    @property
    def title(self):
        return _("New base-station application")

    def missing_type(self) -> bool:
        return services.permit_type("rooftop") is None

    def record(self, data):
        return services.open_site(
            user=self.request.user,
            received_on=data["received_on"],
            channel=data["channel"],
            operator=data["operator"],
            kind=data["kind"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            site_code=data.get("site_code") or "",
            neighbourhood=data.get("neighbourhood") or "",
            address=data.get("address") or "",
            block=data.get("block") or "",
            parcel=data.get("parcel") or "",
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            responsible_unit=data.get("responsible_unit"),
        )


def _valid(form):
    if not form.is_valid():
        raise ValidationError(
            [f"{form.fields[name].label if name in form.fields else ''}: {problem}".lstrip(": ")
             for name, problems in form.errors.items() for problem in problems]
        )  # fmt: skip
    return form.cleaned_data


class SiteActionView(LoginRequiredMixin, View):
    """POST only: one step of a site the user may see. 404 for a site not seen, 403 for a step
    the user may not take; a refused step goes back to the page with its reasons."""

    ACTIONS = ("documents", "inspect", "decide", "contract", "accrue", "pay", "right_of_way")

    def post(self, request, pk, action):
        site = get_object_or_404(
            selectors.sites_for(request.user).select_related(
                "application", "application__type", "operator"
            ),
            pk=pk,
        )
        if action not in self.ACTIONS:
            raise Http404
        allowed = services.site_actions(request.user, site)
        if action not in allowed:
            scope = get_scope(request.user)
            unit_id = site.application.responsible_unit_id
            if not any(
                scope.has_perm(perm, unit_id)
                for perm in (services.CHANGE_SITE, services.DECIDE, services.COLLECT)
            ):
                raise PermissionDenied
            messages.error(request, _("The site cannot take this step now."))
            return redirect(site.get_absolute_url())
        try:
            done = getattr(self, f"do_{action}")(request, site)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
            return redirect(site.get_absolute_url())
        messages.success(request, done)
        return redirect(site.get_absolute_url())

    def do_documents(self, request, site):
        data = _valid(DocumentsForm(request.POST, prefix="documents", site=site))
        services.record_documents(user=request.user, site=site, documents=data["documents"])
        return _("Documents recorded.")

    def do_inspect(self, request, site):
        data = _valid(InspectionForm(request.POST, prefix="inspect"))
        services.record_inspection(user=request.user, site=site,
                                   inspected_on=data["inspected_on"],
                                   inspector=data["inspector"], note=data.get("note") or "")  # fmt: skip
        return _("Inspection recorded.")

    def do_decide(self, request, site):
        data = _valid(DecisionForm(request.POST, prefix="decide"))
        site = services.decide(user=request.user, site=site, **data)
        return _("Decision recorded: %(state)s.") % {"state": site.get_state_display()}

    def do_contract(self, request, site):
        data = _valid(ContractForm(request.POST, prefix="contract"))
        services.record_contract(user=request.user, site=site, **data)
        return _("Contract recorded.")

    def do_accrue(self, request, site):
        data = _valid(AccrueForm(request.POST, prefix="accrue", site=site))
        accrual = services.accrue_year(user=request.user, site=site, **data)
        return _("Accrued as %(number)s.") % {"number": accrual.accrual_number}

    def do_pay(self, request, site):
        data = _valid(PaymentForm(request.POST, prefix="pay", site=site))
        services.record_accrual_payment(user=request.user, **data)
        return _("Payment recorded.")

    def do_right_of_way(self, request, site):
        data = _valid(RightOfWayForm(request.POST, prefix="right_of_way"))
        services.record_right_of_way(user=request.user, site=site, **data)
        return _("Right-of-way agreement recorded.")


class SiteSheetPdfView(LoginRequiredMixin, View):
    """The site's record sheet as a PDF, for a site the user may see (404 otherwise); the
    complaints on it are those the user may see."""

    def get(self, request, pk):
        from biys.applications.basestation.pdf import build_site_sheet_pdf

        site = get_object_or_404(
            selectors.sites_for(request.user).select_related(
                "application", "application__responsible_unit", "application__type", "operator",
                "inspector",
            ),
            pk=pk,
        )  # fmt: skip
        missing = set(services.missing_documents(site))
        pdf = build_site_sheet_pdf(
            site,
            accruals=list(site.accruals.order_by("year")),
            complaints=list(
                selectors.complaints_for(request.user)
                .filter(site=site)
                .select_related("application")
                .order_by("application__received_on", "id")
            ),
            documents=[(name, name not in missing) for name in services.required_documents(site)],
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = attachment_header(
            f"baz-istasyonu-{site.application.number}.pdf"
        ).replace("attachment", "inline", 1)
        return response


# Complaints --------------------------------------------------------------------------------


class ComplaintListView(ObjectListView):
    queryset = SiteComplaint.objects.select_related(*selectors.COMPLAINT_RELATED).order_by("-id")
    table_class = tables.SiteComplaintTable
    filterset_class = filtersets.SiteComplaintFilterSet

    def bulk_edit_url(self) -> str:
        return ""


class ComplaintDetailView(ObjectDetailView):
    queryset = SiteComplaint.objects.select_related(
        "application", "application__responsible_unit", "site", "site__operator",
        "site__application",
    )  # fmt: skip
    template_name = "applications/basestation/complaint_detail.html"
    detail_fields = ("state", "site", "finding", "answered_on")

    def get_object_urls(self, obj):
        return {"edit_url": "", "delete_url": ""}

    def get_extra_context(self, obj):
        user = self.request.user
        actions = services.complaint_actions(user, obj)
        return {
            "application": obj.application,
            "may_reveal": application_services.may_reveal(user, obj.application),
            "answer_form": AnswerForm(prefix="answer") if "answer" in actions else None,
        }


class ComplaintAddView(_AddView):
    queryset = SiteComplaint.objects.all()
    form_class = ComplaintForm
    perm = services.ADD_COMPLAINT

    @property
    def title(self):
        return _("New base-station complaint")

    def missing_type(self) -> bool:
        return services.complaint_type() is None

    def _form(self, data=None):
        form = super()._form(data)
        form.fields["site"].queryset = selectors.sites_for(self.request.user).select_related(
            "application", "operator"
        )
        site = self.request.GET.get("site")
        if data is None and site and site.isdigit():
            form.initial["site"] = int(site)
        return form

    def record(self, data):
        return services.open_complaint(
            user=self.request.user,
            site=data["site"],
            received_on=data["received_on"],
            channel=data["channel"],
            applicant_name=data["applicant_name"],
            tc_kimlik_no=data.get("tc_kimlik_no") or "",
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            address=data.get("address") or "",
            description=data.get("description") or "",
        )


class ComplaintAnswerView(LoginRequiredMixin, View):
    """POST only: answer a complaint the user may see (404 otherwise; 403 without the right)."""

    def post(self, request, pk):
        complaint = get_object_or_404(
            selectors.complaints_for(request.user).select_related("application"), pk=pk
        )
        if "answer" not in services.complaint_actions(request.user, complaint):
            if not get_scope(request.user).has_perm(
                services.CHANGE_COMPLAINT, complaint.application.responsible_unit_id
            ):
                raise PermissionDenied
            messages.error(request, _("The complaint is already answered."))
            return redirect(complaint.get_absolute_url())
        try:
            data = _valid(AnswerForm(request.POST, prefix="answer"))
            services.answer_complaint(user=request.user, complaint=complaint, **data)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
            return redirect(complaint.get_absolute_url())
        messages.success(request, _("The complaint is answered."))
        return redirect(complaint.get_absolute_url())


class ComplaintLinkView(LoginRequiredMixin, View):
    """POST only, from an application's page: tie the resident's complaint to a site the user
    sees (404 for an application not seen, 403 without the right in its unit)."""

    def post(self, request, pk):
        application = get_object_or_404(
            Application.objects.restrict(request.user, "view").select_related("type"), pk=pk
        )
        if not get_scope(request.user).has_perm(
            services.ADD_COMPLAINT, application.responsible_unit_id
        ):
            raise PermissionDenied
        form = SiteLinkForm(request.POST, user=request.user)
        try:
            data = _valid(form)
            complaint = services.link_complaint(
                user=request.user, application=application, site=data["site"]
            )
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
        else:
            messages.success(
                request,
                _("The complaint is tied to the site %(site)s.") % {"site": complaint.site},
            )
        return redirect(application.get_absolute_url())


class SiteSearchView(LoginRequiredMixin, View):
    """HTMX, for the complaint link form: the sites the user sees matching ``q``, as radio
    buttons (``link-site``). Whoever records complaints somewhere may search (403 else)."""

    def get(self, request):
        if not get_scope(request.user).has_perm(services.ADD_COMPLAINT):
            raise PermissionDenied
        query = request.GET.get("q", "")
        context = {"sites": selectors.find_sites(request.user, query), "q": query.strip()}
        return render(request, "applications/basestation/partials/site_results.html", context)


class ComplaintUnlinkView(LoginRequiredMixin, View):
    """POST only: untie a complaint not answered yet from its site (404 for a complaint not
    seen, 403 without the right in its unit); back to the application's page."""

    def post(self, request, pk):
        complaint = get_object_or_404(
            selectors.complaints_for(request.user).select_related("application"), pk=pk
        )
        application = complaint.application
        if not get_scope(request.user).has_perm(
            services.ADD_COMPLAINT, application.responsible_unit_id
        ):
            raise PermissionDenied
        try:
            services.unlink_complaint(user=request.user, complaint=complaint)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
        else:
            messages.success(request, _("The complaint is no longer tied to a site."))
        return redirect(application.get_absolute_url())


def application_site_context(user, application) -> dict:
    """On an application's page: the site a resident's complaint is tied to, with the untie
    button, or the form that ties it to a site."""
    if application.type.code not in selectors.LINKABLE_TYPE_CODES:
        return {}
    complaint = (
        selectors.complaints_for(user)
        .select_related("site", "site__application", "site__operator")
        .filter(application=application)
        .first()
    )
    may_add = get_scope(user).has_perm(services.ADD_COMPLAINT, application.responsible_unit_id)
    may_link = complaint is None and may_add and services.may_link(application)
    return {
        "site_complaint": complaint,
        "may_unlink_site": complaint is not None
        and "unlink" in services.complaint_actions(user, complaint),
        "site_link_form": SiteLinkForm(user=user) if may_link else None,
        # With the coordinates the resident gave: the nearest registered sites, one click each.
        "nearest_sites": selectors.nearest_to_complaint(user, application) if may_link else [],
        "complaint_has_coordinates": selectors.given_coordinates(application) is not None,
        "nearest_radius_m": selectors.nearest_radius_m(),
    }


# The map -----------------------------------------------------------------------------------


def map_config() -> dict:
    """The map server the municipality configures (``BIYS_MAP_*``): a tile URL template, or a
    WMS URL with its layers; neither = the markers on a blank map."""
    return {
        "tile_url": settings.BIYS_MAP_TILE_URL,
        "wms_url": settings.BIYS_MAP_WMS_URL,
        "wms_layers": settings.BIYS_MAP_WMS_LAYERS,
        "attribution": settings.BIYS_MAP_ATTRIBUTION,
        "center": list(settings.BIYS_MAP_CENTER),
        "zoom": settings.BIYS_MAP_ZOOM,
    }


class SiteMapView(LoginRequiredMixin, View):
    """Every site and complaint the user may see on a map (Leaflet, served by the
    installation). The data goes to the page as JSON (``json_script``); the page's script
    builds the popups from text."""

    template_name = "applications/basestation/map.html"

    def get(self, request):
        if not get_scope(request.user).has_perm("applications.view_basestationsite"):
            raise PermissionDenied
        config = map_config()
        return render(
            request,
            self.template_name,
            {
                "title": _("Base-station map"),
                "features": selectors.map_features(request.user),
                "map_config": config,
                "blank_map": not (config["tile_url"] or config["wms_url"]),
                "labels": {
                    "complaints": _("Complaints"),
                    "open_complaints": _("open"),
                    "sites": _("Sites"),
                    "open": _("Open the record"),
                },
            },
        )


register_model_views(
    Operator, list=OperatorListView, detail=OperatorDetailView, edit=OperatorEditView
)
# Registered with their add pages only, as the applications themselves: the applicant's
# identity is never sent back pre-filled to an edit form.
register_model_views(BaseStationSite, list=SiteListView, detail=SiteDetailView, add=SiteAddView)
register_model_views(
    SiteComplaint, list=ComplaintListView, detail=ComplaintDetailView, add=ComplaintAddView
)
