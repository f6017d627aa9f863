"""The outgoing documents' screens (giden evrak): the list, the draft's form, the detail with
the distribution list and the ilgi lines. Every write goes through
``biys.evrak.outgoing_services``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseGone
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from biys.core.access import can
from biys.core.correspondence import outgoing_links
from biys.core.views.generic import (
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    register_model_views,
)
from biys.evrak import (
    filtersets,
    outgoing_services,
    sealing,
    selectors,
    services,
    signing,
    tables,
)
from biys.evrak.choices import ArchiveState, ConfidentialViewKind, SignatureState
from biys.evrak.dispatch_views import dispatch_context
from biys.evrak.forms import (
    OutgoingDocumentForm,
    ReturnForm,
    SignatureUploadForm,
    SubmitForApprovalForm,
)
from biys.evrak.models import DistributionLine, OutgoingDocument
from biys.evrak.views import (
    ARCHIVE_RELATED,
    archive_context,
    confidential_context,
    filters_hidden_fields,
    masked_response,
)


class OutgoingDocumentListView(ObjectListView):
    """The outgoing register, as the incoming one: a Gizli or Çok Gizli document of the user's
    units that they neither drafted, sign, initial nor hold a grant for is listed as a masked
    row ("Gizli", no text, no signer)."""

    queryset = OutgoingDocument.objects.select_related("unit", "signer")
    table_class = tables.OutgoingDocumentTable
    filterset_class = filtersets.OutgoingDocumentFilterSet
    keyset_pagination = True  # as the incoming register

    def get_queryset(self):
        return selectors.register_rows(self.queryset.all(), self.request.user)

    def page_rows(self, queryset) -> list:
        """The page's rows in one query, the visibility condition compiled once (as the
        incoming register's)."""
        return list(queryset)

    def filter_queryset(self, queryset):
        queryset, filterset = super().filter_queryset(queryset)
        if filters_hidden_fields(self.request.GET):
            queryset = queryset.filter(masked=False)
        return queryset, filterset

    def bulk_edit_url(self) -> str:
        return ""


class OutgoingDocumentDetailView(ObjectDetailView):
    queryset = OutgoingDocument.objects.select_related(
        "unit", "sdp_code", "signer", "created_by", *ARCHIVE_RELATED
    )
    template_name = "evrak/outgoingdocument_detail.html"
    details_template_name = "evrak/partials/outgoingdocument_details.html"
    show_comments = False

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        if not obj.is_editable:
            urls["edit_url"] = ""
        urls["delete_url"] = ""
        return urls

    def get_queryset(self):
        return selectors.register_rows(self.queryset.all(), self.request.user)

    def get_object(self):
        if not hasattr(self, "_object"):
            self._object = super().get_object()
        return self._object

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        if obj.masked:
            return masked_response(request, obj)
        services.record_confidential_view(
            user=request.user, document=obj, what=ConfidentialViewKind.PAGE
        )
        return super().get(request, *args, **kwargs)

    def get_extra_context(self, obj):
        lines = list(obj.distribution.all())
        return {
            **confidential_context(self.request.user, obj),
            **dispatch_context(self.request.user, obj, lines),
            "action_lines": [line for line in lines if line.kind == "GRG"],
            "info_lines": [line for line in lines if line.kind == "BLG"],
            "references": obj.references.select_related("incoming", "outgoing"),
            # Records of other modules this document answers (biys.core.correspondence).
            "linked_records": outgoing_links(self.request.user, obj),
            "may_change": obj.is_editable and can(self.request.user, "change", obj),
            "may_reveal_recipients": any(line.tc_kimlik_no for line in lines)
            and selectors.may_reveal_recipients(self.request.user, obj),
            **approval_context(self.request.user, obj, getattr(self, "submit_form", None)),
            **archive_context(obj),
            "archive_links": obj.archive_timestamps.defer("token") if obj.package else [],
            "seal_state": sealing.seal_state(obj),
        }


def detail_with_submit_form(request, document, form) -> HttpResponse:
    """The document's page with the approval path's form as it was sent, its errors at the
    fields (400)."""
    view = OutgoingDocumentDetailView()
    view.setup(request, pk=document.pk)
    view.submit_form = form
    response = view.get(request, pk=document.pk)
    response.status_code = 400
    return response


def approval_context(user, document, submit_form=None) -> dict:
    """The approval panel: the path with who initialled which version, the signer, what the
    user may do now, and the record of events (resets, returns, numbers cancelled);
    ``submit_form``: the path's form as sent, with its errors."""
    actions = outgoing_services.approval_actions(user, document)
    step = outgoing_services.current_step(document) if document.state == "approval" else None
    return {
        "approval_steps": document.approval_steps.select_related("user"),
        "current_step": step,
        "approval_actions": actions,
        "approval_events": document.approval_events.select_related("user"),
        "numbers": document.numbers.all(),
        "submit_form": (submit_form or SubmitForApprovalForm(document=document))
        if "submit" in actions
        else None,
        "return_form": ReturnForm() if "return" in actions else None,
        "signature_form": SignatureUploadForm() if "sign" in actions else None,
        "signatures": document.signatures.exclude(state=SignatureState.SUPERSEDED)
        .select_related("validation")
        .defer(
            "validation__chain",
            "validation__crls",
            "validation__ocsp_responses",
            "validation__timestamp_token",
        ),
        "signature_request_api": reverse("outgoingdocument-signature-request", args=[document.pk]),
    }


def pdf_response(document) -> HttpResponse:
    if document.archive_state == ArchiveState.DESTROYED:
        return HttpResponseGone(_("This document was destroyed (imha): its content is gone."))
    from biys.core.export import attachment_header
    from biys.evrak.outgoing_pdf import outgoing_pdf

    name = (document.number or f"taslak-{document.pk}").replace("/", "-")
    response = HttpResponse(outgoing_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(f"{name}.pdf").replace(
        "attachment", "inline", 1
    )
    return response


class OutgoingPdfView(LoginRequiredMixin, View):
    """The document in the official layout, as a PDF (a draft marked TASLAK)."""

    def get(self, request, pk):
        document = get_object_or_404(
            selectors.outgoing_visible_to(request.user).select_related("unit", "signer"), pk=pk
        )
        services.record_confidential_view(
            user=request.user, document=document, what=ConfidentialViewKind.PDF
        )
        return pdf_response(document)


def eyp_response(document) -> HttpResponse:
    """The signed document's e-Yazışma package as a download (``<BelgeId>.eyp``, the name the
    technical guide gives it); ``ValidationError`` when it has none."""
    from biys.core.export import attachment_header
    from biys.evrak.eyp_writer import CONTENT_TYPE

    data = outgoing_services.eyp_package(document=document)
    document.refresh_from_db(fields=["belge_id"])
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(f"{document.belge_id}.eyp")
    return response


class OutgoingEypView(LoginRequiredMixin, View):
    """The e-Yazışma package of a signed document; a refusal (a draft, no recipient with a
    DETSİS number) comes back as a message on the document's page."""

    def get(self, request, pk):
        document = get_object_or_404(
            selectors.outgoing_visible_to(request.user).select_related(
                "unit", "signer", "sdp_code"
            ),
            pk=pk,
        )
        try:
            response = eyp_response(document)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(document.get_absolute_url())
        services.record_confidential_view(
            user=request.user, document=document, what=ConfidentialViewKind.PACKAGE
        )
        return response


class SignatureContentView(LoginRequiredMixin, View):
    """For the signer: the exact bytes to sign of the document's signature request (its
    package's PaketOzeti, or the üst yazı PDF), as a file a signing tool signs; the same as the
    signing agent's API. A refusal of the signing authorities comes back as a message."""

    def get(self, request, pk):
        from biys.core.export import attachment_header

        document = get_object_or_404(selectors.outgoing_visible_to(request.user), pk=pk)
        try:
            item = signing.signature_request(user=request.user, document=document)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
            return redirect(document.get_absolute_url())
        services.record_confidential_view(
            user=request.user, document=document, what=ConfidentialViewKind.PDF
        )
        response = HttpResponse(bytes(item.content), content_type=item.content_type)
        response["Content-Disposition"] = attachment_header(signing.content_file_name(item))
        return response


class ApprovalActionView(LoginRequiredMixin, View):
    """POST: submit, paraf, return or sign; refusals come back as messages on the page (a
    permission refusal as 403)."""

    def post(self, request, pk, action):
        document = get_object_or_404(selectors.outgoing_visible_to(request.user), pk=pk)
        user = request.user
        try:
            if action == "submit":
                form = SubmitForApprovalForm(request.POST, document=document)
                if not form.is_valid():  # the page again, each error at its field
                    return detail_with_submit_form(request, document, form)
                outgoing_services.submit_for_approval(
                    user=user, document=document, path=form.path()
                )
                done = _("Sent for approval.")
            elif action == "paraf":
                outgoing_services.paraf(user=user, document=document)
                done = _("Initialled (paraf).")
            elif action == "return":
                form = ReturnForm(request.POST)
                note = form.data.get("note", "") if form.is_valid() else ""
                outgoing_services.return_to_writer(user=user, document=document, note=note)
                done = _("Returned to the writer.")
            elif action == "sign":
                document = outgoing_services.sign(user=user, document=document)
                done = _("Signed: %(number)s.") % {"number": document.number}
            elif action == "esign":
                form = SignatureUploadForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise ValidationError({"signature": _("Choose the signature file.")})
                data = form.cleaned_data["signature"].read(signing.MAX_SIGNATURE_UPLOAD)
                document = signing.sign_with_cades(
                    user=user, document=document, signature=signing.signature_bytes(data)
                )
                done = _("Signed with the electronic signature: %(number)s.") % {
                    "number": document.number
                }
            else:
                raise Http404
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
        else:
            messages.success(request, done)
        return redirect(document.get_absolute_url())


class RecipientRevealView(LoginRequiredMixin, View):
    """A person recipient's unmasked TC kimlik number, logged (KVKK). POST only."""

    def post(self, request, pk):
        line = get_object_or_404(
            DistributionLine.objects.select_related("document").filter(
                document__in=selectors.outgoing_visible_to(request.user)
            ),
            pk=pk,
        )
        context = {"line": line, "may_reveal_recipients": True}
        try:
            context["personal"] = outgoing_services.reveal_recipient_data(
                user=request.user, line=line
            )
        except PermissionDenied:
            context["denied"] = True
            return render(request, "evrak/partials/recipient_data.html", context, status=403)
        return render(request, "evrak/partials/recipient_data.html", context)


class OutgoingDocumentEditView(ServiceEditView):
    queryset = OutgoingDocument.objects.all()
    form_class = OutgoingDocumentForm

    def get_object(self):
        obj = super().get_object()
        if obj.pk and not obj.is_editable:
            raise PermissionDenied(_("A signed document no longer changes."))
        return obj

    def get_form(self, obj, data=None, files=None):
        """The signer is chosen from the people who sign the writer's letters (the unit's
        chiefs, the department head above it), not narrowed to the user accounts the writer
        may read: a writer holds no right over the accounts module, and a head sits in the
        unit above theirs."""
        form = super().get_form(obj, data, files)
        form.fields["signer"].queryset = selectors.signer_choices(self.request.user, obj)
        return form

    def save_with_service(self, form):
        values = form.service_values()
        document = form.instance if form.instance.pk else None
        self.saved = outgoing_services.save_outgoing_draft(
            user=self.request.user, document=document, **values
        )
        return self.saved

    def post(self, request, *args, **kwargs):
        """A new draft opens on its own page (its approval path is started there)."""
        self.saved = None
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302 and self.saved is not None and "pk" not in kwargs:
            return redirect(self.saved.get_absolute_url())
        return response


register_model_views(
    OutgoingDocument,
    list=OutgoingDocumentListView,
    detail=OutgoingDocumentDetailView,
    edit=OutgoingDocumentEditView,
)
