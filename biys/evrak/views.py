"""The registry screens: the list, the register form (a paper scan or an .eyp package), the
detail with the package's parts and checks, the logged view of a person sender's identity,
and the file plan. Every write goes through ``biys.evrak.services``."""

import mimetypes
import zipfile

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from biys.core.export import attachment_header
from biys.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    register_model_views,
)
from biys.evrak import filtersets, selectors, services, tables
from biys.evrak.forms import RegisterForm, SdpCodeForm
from biys.evrak.models import IncomingDocument, PackagePart, SdpCode


class IncomingDocumentListView(ObjectListView):
    queryset = IncomingDocument.objects.select_related("receiving_unit", "sdp_code")
    table_class = tables.IncomingDocumentTable
    filterset_class = filtersets.IncomingDocumentFilterSet

    def bulk_edit_url(self) -> str:
        return ""


class IncomingDocumentDetailView(ObjectDetailView):
    queryset = IncomingDocument.objects.select_related(
        "receiving_unit", "sdp_code", "registered_by"
    )
    template_name = "evrak/incomingdocument_detail.html"
    details_template_name = "evrak/partials/incomingdocument_details.html"
    show_comments = False

    def get_object_urls(self, obj):
        return {"edit_url": "", "delete_url": ""}

    def get_extra_context(self, obj):
        package = getattr(obj, "package", None) if hasattr(obj, "package") else None
        return {
            "may_reveal": selectors.may_reveal(self.request.user, obj),
            "references": obj.references.select_related("related"),
            "named_readers": obj.named_readers.all() if obj.is_named_only else [],
            "package": package,
            "parts": package.parts.all() if package else [],
        }


def _service_errors(form, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        target = name if name in form.fields else None
        if name == "file":
            target = "package" if form.cleaned_data.get("package") else "scan"
        for problem in problems:
            form.add_error(target, problem)


class IncomingDocumentRegisterView(ObjectEditView):
    """Register a document: the service numbers it and checks every rule."""

    queryset = IncomingDocument.objects.all()
    form_class = RegisterForm
    template_name = "evrak/incomingdocument_register.html"

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_form(obj, form)
        values = form.service_values()
        try:
            if form.cleaned_data.get("package"):
                corrections = {
                    key: value
                    for key, value in values.items()
                    if value not in (None, "", [])
                    and key not in ("receiving_unit", "named_readers", "notes")
                }
                if not values.get("sender_name"):
                    corrections.pop("sender_kind", None)
                document = services.import_eyp_package(
                    user=request.user,
                    receiving_unit=values["receiving_unit"],
                    uploaded_file=form.cleaned_data["package"],
                    named_readers=values["named_readers"],
                    notes=values.get("notes") or "",
                    **corrections,
                )
            else:
                scan = form.cleaned_data.get("scan")
                values = {key: value for key, value in values.items() if value not in (None, "")}
                document = services.register_incoming_document(
                    user=request.user, scans=[scan] if scan else [], **values
                )
        except ValidationError as error:
            _service_errors(form, error)
            return self.render_form(obj, form)
        except PermissionDenied:
            form.add_error(None, _("You may not register documents for that unit."))
            return self.render_form(obj, form, status=403)
        messages.success(request, _("Registered %(number)s.") % {"number": document.number})
        return redirect(document.get_absolute_url())


class RevealView(LoginRequiredMixin, View):
    """The person sender's unmasked TC kimlik number, logged (KVKK). POST only."""

    def post(self, request, pk):
        document = get_object_or_404(selectors.documents_visible_to(request.user), pk=pk)
        context = {"object": document}
        try:
            context["personal"] = services.reveal_sender_data(user=request.user, document=document)
        except PermissionDenied:
            context["denied"] = True
            return render(request, "evrak/partials/sender_data.html", context, status=403)
        return render(request, "evrak/partials/sender_data.html", context)


class PartView(LoginRequiredMixin, View):
    """One part of a stored package, read from the package, always as a download."""

    def get(self, request, pk):
        part = get_object_or_404(
            PackagePart.objects.select_related("package").filter(
                package__document__in=selectors.documents_visible_to(request.user)
            ),
            pk=pk,
        )
        try:
            with part.package.file.open("rb") as stored, zipfile.ZipFile(stored) as archive:
                content = archive.read(part.name.lstrip("/"))
        except (OSError, KeyError, zipfile.BadZipFile) as error:
            raise Http404 from error
        filename = part.name.rsplit("/", 1)[-1] or "part"
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = attachment_header(filename)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class SdpCodeListView(ObjectListView):
    queryset = SdpCode.objects.all()
    table_class = tables.SdpCodeTable
    filterset_class = filtersets.SdpCodeFilterSet


class SdpCodeDetailView(ObjectDetailView):
    queryset = SdpCode.objects.all()
    show_attachments = False
    show_comments = False


class SdpCodeEditView(ObjectEditView):
    queryset = SdpCode.objects.all()
    form_class = SdpCodeForm


register_model_views(
    IncomingDocument,
    list=IncomingDocumentListView,
    detail=IncomingDocumentDetailView,
    add=IncomingDocumentRegisterView,
)
register_model_views(SdpCode, list=SdpCodeListView, detail=SdpCodeDetailView, edit=SdpCodeEditView)
