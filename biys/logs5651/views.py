"""The 5651 screens: sources, files (with upload), daily seals (with retry), verification and
the "who had this address" search. Generic views are registered per model; access records are
never listed: they are only answered to a logged search."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from biys.core import assets
from biys.core.access import can, get_scope
from biys.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    Tab,
    register_model_views,
)
from biys.logs5651 import evidence, filtersets, selectors, services, storage, tables
from biys.logs5651.forms import LogSourceForm, UploadForm, VerifyForm, WhoForm
from biys.logs5651.models import DailySeal, LogFile, LogSource, SearchRequest

VIEW_RECORDS = "logs5651.view_accessrecord"


class LogSourceListView(ObjectListView):
    queryset = LogSource.objects.select_related("unit")
    table_class = tables.LogSourceTable
    filterset_class = filtersets.LogSourceFilterSet


class LogSourceDetailView(ObjectDetailView):
    queryset = LogSource.objects.select_related("unit")
    details_template_name = "logs5651/partials/logsource_details.html"
    show_attachments = False
    show_comments = False
    detail_fields = ("unit", "name", "kind", "parser", "active", "notes")

    def get_extra_context(self, obj):
        # The device that writes the logs, from the network inventory (biys.core.assets):
        # its name, and a link for whoever may open its page.
        device = assets.find_network_device(obj.network_device)
        return {
            "device": device,
            "device_link": device is not None
            and assets.may_view_network_device(self.request.user, device),
        }


class LogSourceEditView(ObjectEditView):
    queryset = LogSource.objects.all()
    form_class = LogSourceForm


class LogFileListView(ObjectListView):
    queryset = LogFile.objects.select_related("source")
    table_class = tables.LogFileTable
    filterset_class = filtersets.LogFileFilterSet
    template_name = "logs5651/logfile_list.html"

    def get_extra_context(self):
        may_upload = get_scope(self.request.user).has_perm("logs5651.add_logfile")
        return {"upload_allowed": may_upload}


class LogFileDetailView(ObjectDetailView):
    queryset = LogFile.objects.select_related("source", "source__unit")
    template_name = "logs5651/logfile_detail.html"
    show_attachments = False
    show_comments = False
    detail_fields = (
        "source",
        "day",
        "name",
        "size",
        "sha256",
        "gz_size",
        "gz_sha256",
        "lines",
        "records",
        "records_sha256",
        "skipped",
        "unreadable",
        "received_at",
    )

    def get_extra_context(self, obj):
        scope = get_scope(self.request.user)
        return {"download_allowed": scope.has_perm(VIEW_RECORDS, obj.source.unit_id)}


class DailySealListView(ObjectListView):
    queryset = DailySeal.objects.select_related("unit").defer(
        "manifest", "tsa_request", "tsa_token"
    )
    table_class = tables.DailySealTable
    filterset_class = filtersets.DailySealFilterSet


class DailySealDetailView(ObjectDetailView):
    queryset = DailySeal.objects.select_related("unit")
    template_name = "logs5651/dailyseal_detail.html"
    show_attachments = False
    show_comments = False
    detail_fields = (
        "unit",
        "day",
        "status",
        "manifest_sha256",
        "previous_sha256",
        "tsa_url",
        "stamped_at",
        "attempts",
        "next_retry_at",
        "last_error",
    )

    def get_extra_tabs(self, obj):
        return [Tab("manifest", _("Manifest"), template_name="logs5651/partials/manifest.html")]

    def get_extra_context(self, obj):
        return {"retry_allowed": obj.status != "sealed" and can(self.request.user, "change", obj)}


class SearchRequestListView(ObjectListView):
    """The search log: one's own searches, or every search for whoever holds its view
    permission over the whole municipality."""

    queryset = SearchRequest.objects.all()
    table_class = None
    quick_search = False
    export_formats = ("csv", "xlsx")

    def get_queryset(self):
        return selectors.searches_for(self.request.user)

    def get_table(self, queryset, *, selectable=False):
        return tables.SearchRequestTable(queryset, request=self.request)


register_model_views(
    LogSource, list=LogSourceListView, detail=LogSourceDetailView, edit=LogSourceEditView
)
register_model_views(LogFile, list=LogFileListView, detail=LogFileDetailView)
register_model_views(DailySeal, list=DailySealListView, detail=DailySealDetailView)
register_model_views(SearchRequest, list=SearchRequestListView, changelog=False)


class UploadView(LoginRequiredMixin, View):
    """A day's file from a source, uploaded by hand (a Windows DHCP log, a leases file)."""

    template_name = "logs5651/upload.html"

    def form(self, data=None, files=None):
        form = UploadForm(data, files)
        form.fields["source"].queryset = LogSource.objects.filter(active=True).restrict(
            self.request.user, "view"
        )
        return form

    def check(self):
        if not get_scope(self.request.user).has_perm("logs5651.add_logfile"):
            raise PermissionDenied

    def get(self, request):
        self.check()
        return render(
            request, self.template_name, {"form": self.form(), "title": _("Upload a log file")}
        )

    def post(self, request):
        self.check()
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            source = form.cleaned_data["source"]
            if not get_scope(request.user).has_perm("logs5651.add_logfile", source.unit_id):
                raise PermissionDenied
            try:
                log_file = services.ingest_file(
                    source=source,
                    path_or_bytes=form.cleaned_data["file"],
                    day=form.cleaned_data["day"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _(
                        "Received %(file)s: %(records)s access records, %(unreadable)s unreadable lines."
                    )
                    % {
                        "file": log_file.name,
                        "records": log_file.records,
                        "unreadable": log_file.unreadable,
                    },
                )
                return redirect(log_file.get_absolute_url())
        return render(
            request, self.template_name, {"form": form, "title": _("Upload a log file")}, status=400
        )


class DownloadView(LoginRequiredMixin, View):
    """The stored (compressed) file exactly as sealed, for whoever may read its records."""

    def get(self, request, pk):
        log_file = get_object_or_404(LogFile.objects.restrict(request.user, "view"), pk=pk)
        if not get_scope(request.user).has_perm(VIEW_RECORDS, log_file.source.unit_id):
            raise Http404  # the raw file is access records: for those who may read them
        path = storage.absolute(log_file.gz_path)
        if not path.is_file():
            raise Http404
        return FileResponse(
            open(path, "rb"),
            as_attachment=True,
            filename=f"{log_file.day:%Y%m%d}-{log_file.name}.gz",
            content_type="application/gzip",
        )


class RetrySealView(LoginRequiredMixin, View):
    def post(self, request, pk):
        seal = get_object_or_404(DailySeal.objects.restrict(request.user, "change"), pk=pk)
        seal = services.retry_seal(seal=seal)
        if seal.status == "sealed":
            messages.success(request, _("%(seal)s is sealed.") % {"seal": seal})
        else:
            messages.error(
                request,
                _("%(seal)s is not sealed: %(error)s") % {"seal": seal, "error": seal.last_error},
            )
        return redirect(seal.get_absolute_url())


class VerifyView(LoginRequiredMixin, View):
    """The same verification as ``biys logs verify``, over the units whose seals one sees."""

    template_name = "logs5651/verify.html"

    def get(self, request):
        if not get_scope(request.user).has_perm("logs5651.view_dailyseal"):
            raise PermissionDenied
        form = VerifyForm(request.GET or None)
        report = None
        if request.GET and form.is_valid():
            units = get_scope(request.user).units_for("logs5651.view_dailyseal")
            report = services.verify(
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
                unit_ids=units,
            )
        return render(
            request,
            self.template_name,
            {"form": form, "report": report, "title": _("Verify the access logs")},
        )


class WhoView(LoginRequiredMixin, View):
    """Who had an address at a time: asked with the request number, logged, then answered."""

    template_name = "logs5651/who.html"

    def get(self, request):
        if not get_scope(request.user).has_perm(VIEW_RECORDS):
            raise PermissionDenied
        return render(
            request, self.template_name, {"form": WhoForm(), "title": _("Who had this IP address?")}
        )

    def post(self, request):
        if not get_scope(request.user).has_perm(VIEW_RECORDS):
            raise PermissionDenied
        form = WhoForm(request.POST)
        found = search = None
        if form.is_valid():
            search, found = services.search_access_records(
                user=request.user,
                ip=form.cleaned_data["ip"],
                at=form.cleaned_data["at"],
                request_number=form.cleaned_data["request_number"],
            )
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "records": found,
                "search": search,
                "title": _("Who had this IP address?"),
            },
            status=200 if form.is_valid() else 400,
        )


class EvidenceView(LoginRequiredMixin, View):
    """The evidence package of a logged search (ZIP: records, original files, manifests,
    tokens, PDF report), for whoever made the search or may read the whole search log."""

    def get(self, request, pk):
        if not get_scope(request.user).has_perm(VIEW_RECORDS):
            raise PermissionDenied
        search = get_object_or_404(selectors.searches_for(request.user), pk=pk)
        data = evidence.evidence_package(user=request.user, search=search)
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="{evidence.package_name(search)}.zip"'
        )
        return response
