"""Screens of the KVKK module: the pick-lists, the processing inventory with its VERBİS
export, and the data subjects' requests (their clock, the logged identity reveal, the answer)."""

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from biys.core.access import can
from biys.core.export import export_response
from biys.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    register_model_views,
)
from biys.kvkk import filtersets, selectors, services
from biys.kvkk import tables as kvkk_tables
from biys.kvkk.forms import AnswerForm, ListItemForm, ProcessingActivityForm, SubjectRequestForm
from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


# Pick-lists -------------------------------------------------------------------------------


class ListItemListView(ObjectListView):
    queryset = ListItem.objects.all()
    table_class = kvkk_tables.ListItemTable
    filterset_class = filtersets.ListItemFilterSet


class ListItemDetailView(ObjectDetailView):
    queryset = ListItem.objects.all()
    detail_fields = ("kind", "code", "name", "special", "position", "active")
    show_attachments = False
    show_comments = False


class ListItemEditView(ServiceEditView):
    queryset = ListItem.objects.all()
    form_class = ListItemForm

    def save_with_service(self, form):
        return services.save_list_item(item=form.instance, user=self.request.user)


# Processing inventory ---------------------------------------------------------------------


class ProcessingActivityListView(ObjectListView):
    queryset = ProcessingActivity.objects.select_related("unit").prefetch_related("data_categories")
    table_class = kvkk_tables.ProcessingActivityTable
    filterset_class = filtersets.ProcessingActivityFilterSet
    template_name = "kvkk/activity_list.html"


class VerbisTable(tables.Table):
    """The VERBİS layout: one row per processing activity and data category."""

    unit = tables.Column(verbose_name=gettext_lazy("Unit"))
    activity = tables.Column(verbose_name=gettext_lazy("Processing activity"))
    data_category = tables.Column(verbose_name=gettext_lazy("Data category"))
    special = tables.Column(verbose_name=gettext_lazy("Special category"))
    personal_data = tables.Column(verbose_name=gettext_lazy("Personal data processed"))
    purposes = tables.Column(verbose_name=gettext_lazy("Processing purposes"))
    legal_bases = tables.Column(verbose_name=gettext_lazy("Legal bases"))
    subject_groups = tables.Column(verbose_name=gettext_lazy("Data-subject groups"))
    recipient_groups = tables.Column(verbose_name=gettext_lazy("Recipient groups"))
    transfer_abroad = tables.Column(verbose_name=gettext_lazy("Transferred abroad"))
    transfer_countries = tables.Column(verbose_name=gettext_lazy("Countries"))
    transfer_basis = tables.Column(verbose_name=gettext_lazy("Basis of the transfer abroad"))
    retention_period = tables.Column(verbose_name=gettext_lazy("Maximum retention period"))
    technical_measures = tables.Column(verbose_name=gettext_lazy("Technical measures"))
    administrative_measures = tables.Column(verbose_name=gettext_lazy("Administrative measures"))

    def value_special(self, value):
        return _("Yes") if value else _("No")

    def value_transfer_abroad(self, value):
        return _("Yes") if value else _("No")


class VerbisExportView(ProcessingActivityListView):
    """The inventory the list shows (its filters), in VERBİS's layout: CSV for Turkish Excel
    (``;``, UTF-8 with BOM) or an Excel workbook, through the core's export."""

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("export", "csv")
        if export_format not in ("csv", "csv-comma", "xlsx"):
            raise Http404
        queryset, _filterset = self.filter_queryset(self.get_queryset())
        rows = selectors.verbis_rows(selectors.inventory_for_export(request.user, queryset))
        filename = f"verbis-envanter-{timezone.localdate():%Y%m%d}"
        return export_response(export_format, VerbisTable(rows), rows, filename)


class ProcessingActivityDetailView(ObjectDetailView):
    queryset = ProcessingActivity.objects.select_related("unit")
    detail_fields = (
        "unit", "name", "description", "personal_data", "data_categories", "purposes",
        "legal_bases", "subject_groups", "recipient_groups", "transfer_abroad",
        "transfer_countries", "transfer_basis", "retention_period", "technical_measures",
        "administrative_measures", "active",
    )  # fmt: skip
    show_comments = False


class ProcessingActivityEditView(ServiceEditView):
    queryset = ProcessingActivity.objects.all()
    form_class = ProcessingActivityForm

    def save_with_service(self, form):
        lists = {name: list(form.cleaned_data.get(name) or []) for name in services.ACTIVITY_LISTS}
        return services.save_activity(activity=form.instance, user=self.request.user, **lists)


class ProcessingActivityDeleteView(ObjectDeleteView):
    queryset = ProcessingActivity.objects.all()

    def delete_object(self, obj) -> None:
        services.delete_activity(activity=obj, user=self.request.user)


# Data subjects' requests ------------------------------------------------------------------


class SubjectRequestListView(ObjectListView):
    queryset = SubjectRequest.objects.select_related("unit", "assignee")
    table_class = kvkk_tables.SubjectRequestTable
    filterset_class = filtersets.SubjectRequestFilterSet


class OverdueRequestListView(SubjectRequestListView):
    """The open requests past their answer deadline, the oldest deadline first."""

    def get_queryset(self):
        return super().get_queryset().filter(selectors.overdue_q(selectors.today()))

    def get_extra_context(self):
        return {"title": _("Overdue data-subject requests")}


class SubjectRequestDetailView(ObjectDetailView):
    queryset = SubjectRequest.objects.select_related("unit", "assignee", "answered_by")
    template_name = "kvkk/request_detail.html"
    detail_fields = (
        "number", "received_on", "channel", "right", "request_text", "applicant_name", "unit",
        "assignee", "state", "due_date", "outcome", "answer", "answered_on", "answered_by",
    )  # fmt: skip
    show_comments = True

    def get_extra_context(self, obj):
        user = self.request.user
        actions = services.request_actions(user, obj)
        return {
            "may_edit": can(user, "change", obj),
            "actions": actions,
            "answer_form": AnswerForm(prefix="answer") if "answer" in actions else None,
            "may_reveal": services.may_reveal(user, obj),
            "days_left": selectors.days_left(obj),
        }


class SubjectRequestEditView(ServiceEditView):
    """Register (number, deadline) and edit through the services."""

    queryset = SubjectRequest.objects.all()
    form_class = SubjectRequestForm

    def save_with_service(self, form):
        values = {name: form.cleaned_data[name] for name in services.REQUEST_FIELDS}
        if form.instance.pk is None:
            return services.register_request(user=self.request.user, **values)
        return services.update_request(user=self.request.user, request=form.instance, **values)


class RequestActionView(LoginRequiredMixin, View):
    """Start, answer, reopen (POST only). Anyone who cannot see the request gets 404; one who
    sees it but may not change it 403; a refused answer goes back with its reasons (400)."""

    def post(self, request, pk, action):
        subject_request = get_object_or_404(selectors.requests_for(request.user), pk=pk)
        if action not in ("start", "answer", "reopen"):
            raise Http404
        if action not in services.request_actions(request.user, subject_request):
            if not services.request_actions(request.user, subject_request):
                raise PermissionDenied
            messages.error(request, _("The request cannot take this step now."))
            return redirect(subject_request.get_absolute_url())
        form = AnswerForm(request.POST, prefix="answer") if action == "answer" else None
        try:
            if action == "start":
                services.start_request(user=request.user, request=subject_request)
            elif action == "reopen":
                services.reopen_request(user=request.user, request=subject_request)
            else:
                if not form.is_valid():
                    return self.failed(subject_request, form)
                services.answer_request(
                    user=request.user, request=subject_request, **form.cleaned_data
                )
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(subject_request.get_absolute_url())
            _form_errors(form, error)
            return self.failed(subject_request, form)
        messages.success(request, _("Saved."))
        return redirect(subject_request.get_absolute_url())

    def failed(self, subject_request, form):
        return render(
            self.request,
            "kvkk/request_answer.html",
            {"object": subject_request, "form": form, "title": str(subject_request)},
            status=400,
        )


class RevealView(LoginRequiredMixin, View):
    """The applicant's unmasked identity, logged (KVKK). POST only: a link prefetch must never
    count as a view."""

    def post(self, request, pk):
        subject_request = get_object_or_404(selectors.requests_for(request.user), pk=pk)
        context = {"object": subject_request}
        try:
            context["personal"] = services.reveal_identity(
                user=request.user, request=subject_request
            )
        except PermissionDenied:
            context["denied"] = True
            return render(request, "kvkk/partials/identity.html", context, status=403)
        return render(request, "kvkk/partials/identity.html", context)


register_model_views(
    ListItem, list=ListItemListView, detail=ListItemDetailView, edit=ListItemEditView
)
register_model_views(
    ProcessingActivity,
    list=ProcessingActivityListView,
    detail=ProcessingActivityDetailView,
    edit=ProcessingActivityEditView,
    delete=ProcessingActivityDeleteView,
)
# Registered with its add page only, as the applications module's: the generic edit form's
# data (the forms matrix) never carries the applicant's identity, which the page never sends
# back pre-filled. The edit page is the module's own URL (``kvkk:request_edit``), checked by
# the same services and by the app's tests.
register_model_views(
    SubjectRequest,
    list=SubjectRequestListView,
    detail=SubjectRequestDetailView,
    add=SubjectRequestEditView,
)
