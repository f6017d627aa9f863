"""The registry screens: the list, the register form (a paper scan or an .eyp package), the
detail with the package's parts and checks, the logged view of a person sender's identity,
and the file plan. Every write goes through ``biys.evrak.services``."""

import mimetypes
import zipfile
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from biys.core.access import get_scope
from biys.core.export import attachment_header
from biys.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    register_model_views,
)
from biys.evrak import filtersets, selectors, services, tables
from biys.evrak.choices import (
    ArchiveState,
    ConfidentialViewKind,
    DisposalKind,
    RecognitionStatus,
)
from biys.evrak.forms import (
    CloseRoutingForm,
    DisposalDecisionForm,
    HandoverForm,
    RegisterForm,
    RouteDocumentForm,
    RouteOnForm,
    SdpCodeForm,
    unit_users,
)
from biys.evrak.models import IncomingDocument, PackagePart, Routing, SdpCode
from biys.org.pickers import person_labels


class IncomingDocumentListView(ObjectListView):
    """The register: a Gizli or Çok Gizli document of the user's units that they are neither
    named on nor granted is listed as a masked row ("Gizli", no subject, no sender)."""

    queryset = IncomingDocument.objects.select_related("receiving_unit")
    table_class = tables.IncomingDocumentTable
    filterset_class = filtersets.IncomingDocumentFilterSet
    # a register grows without bound: "next page" by cursor, counted up to a limit
    keyset_pagination = True

    def get_queryset(self):
        user = self.request.user
        return selectors.REGISTER_PAGES.queryset(
            selectors.register_key(user, "incoming"),
            lambda: selectors.register_rows(self.queryset.all(), user),
        )

    def page_rows(self, queryset) -> list:
        """The page's rows in one query, the receiving unit joined: the visibility condition
        compiled once (the default fetch picks the page's keys in a subquery first, which
        writes the condition twice), each row with its ``masked`` flag; the first page as it
        opens and a number's page compiled once per user and scope
        (``selectors.REGISTER_PAGES``)."""
        request = getattr(self, "request", None)
        if request is None:
            return list(queryset)
        key, values = selectors.register_page_key(request.user, request.GET, "incoming", request)
        return selectors.REGISTER_PAGES.fetch(key, queryset, values)

    def filter_queryset(self, queryset):
        queryset, filterset = super().filter_queryset(queryset)
        if filters_hidden_fields(self.request.GET, self.request):
            queryset = queryset.filter(masked=False)
        return queryset, filterset

    def bulk_edit_url(self) -> str:
        return ""


# The register's filters that say nothing of a masked row's hidden fields; any other filter
# (the search box: subject, sender, sayı) leaves masked rows out, so it cannot probe them.
ROW_FILTERS = {
    "year", "unit", "confidentiality", "urgency", "channel", "state", "registered_from", "registered_to",
    "export", "per_page", "page", "cursor", "sort", "tab", "after", "before", "_options",
}  # fmt: skip


def filters_hidden_fields(params, request=None) -> bool:
    return filtersets.filters_hidden_fields(params, ROW_FILTERS, request)


ARCHIVE_RELATED = (
    "file__unit",
    "file__sdp_code",
    "file__transfer_decision",
    "file__destruction_decision",
)


def archive_context(document) -> dict:
    """The commission members of the decision that destroyed the document, for its page, each
    labelled as the pickers label people (name, unit, sicil) so namesakes are told apart."""
    file = document.file
    if document.archive_state != ArchiveState.DESTROYED or file is None:
        return {"archive_members": []}
    decision = file.destruction_decision
    if decision is None:
        return {"archive_members": []}
    return {"archive_members": person_labels(decision.members.all())}


class IncomingDocumentDetailView(ObjectDetailView):
    queryset = IncomingDocument.objects.select_related(
        "receiving_unit", "sdp_code", "registered_by", *ARCHIVE_RELATED
    )
    template_name = "evrak/incomingdocument_detail.html"
    details_template_name = "evrak/partials/incomingdocument_details.html"
    show_comments = False

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

    def get_object_urls(self, obj):
        return {"edit_url": "", "delete_url": ""}

    def get_extra_context(self, obj):
        package = getattr(obj, "package", None) if hasattr(obj, "package") else None
        return {
            **confidential_context(self.request.user, obj),
            "may_reveal": selectors.may_reveal(self.request.user, obj),
            "references": obj.references.select_related("related"),
            "named_readers": obj.named_readers.all() if obj.is_named_only else [],
            "package": package,
            "parts": package.parts.all() if package else [],
            "archive_links": package.archive_timestamps.defer("token") if package else [],
            **routing_context(self.request.user, obj),
            **scan_context(self.request.user, obj),
            **archive_context(obj),
        }


def masked_response(request, document):
    """A Gizli or Çok Gizli document (incoming or outgoing) the user's unit role lists but does
    not open: its register row only, and the way to its view log for those who audit it."""
    selectors.mask_row(document)
    may_audit = services.may_audit_views(request.user, document)
    outgoing = document._meta.model_name == "outgoingdocument"
    views_name = "evrak:outgoing_views" if outgoing else "evrak:views"
    return render(
        request,
        f"evrak/{document._meta.model_name}_masked.html",
        {
            "object": document,
            "list_url": reverse(f"evrak:{document._meta.model_name}_list"),
            "views_url": reverse(views_name, kwargs={"pk": document.pk}) if may_audit else "",
        },
    )


def confidential_context(user, document) -> dict:
    """The access panel of a confidential document: the grants, the form for who may grant,
    the link to the view log for those who audit it."""
    if not document.is_named_only:
        return {}
    from biys.evrak.forms import GrantForm

    may_grant = services.may_grant(user, document)
    kind = "incoming" if isinstance(document, IncomingDocument) else "outgoing"
    may_audit = services.may_audit_views(user, document)
    form = None
    if may_grant:
        form = GrantForm()
    return {
        "confidential": True,
        "grants": list(services.grants_of(document)),
        "may_grant": may_grant,
        "grant_form": form,
        "grant_url": reverse(f"evrak:{kind}_grant", kwargs={"pk": document.pk}),
        "views_url": reverse(
            "evrak:views" if kind == "incoming" else "evrak:outgoing_views",
            kwargs={"pk": document.pk},
        )
        if may_audit
        else "",
    }


def scan_context(user, document) -> dict:
    """The text recognition panel: each scan's state (polled while one is waiting or being
    read), the PDFs and images attached later that were never read, and whether the user may
    have them read (again)."""
    from django.contrib.contenttypes.models import ContentType

    from biys.attachments.models import Attachment
    from biys.evrak.ocr import RECOGNISED_TYPES

    scans = list(document.scan_texts.select_related("attachment").order_by("pk"))
    read = {scan.attachment_id for scan in scans}
    may_recognise = services.may_recognise(user, document)
    unread = []
    if may_recognise:
        unread = [
            attachment
            for attachment in Attachment.objects.filter(
                content_type=ContentType.objects.get_for_model(IncomingDocument),
                object_id=str(document.pk),
                mime_type__in=RECOGNISED_TYPES,
                is_internal=False,
            ).order_by("pk")
            if attachment.pk not in read
        ]
    stuck = timezone.now() - timedelta(minutes=services.stuck_minutes())
    for scan in scans:
        scan.may_retry = may_recognise and (
            scan.status == RecognitionStatus.FAILED
            or (scan.is_busy and (scan.started_at or scan.queued_at) < stuck)
        )
    return {
        "scans": scans,
        "unread_scans": unread,
        "scans_busy": any(scan.is_busy for scan in scans),
        "may_recognise": may_recognise,
    }


def routing_context(user, document) -> dict:
    """The havale panel of the detail page: the routings with what the user may do to each,
    the responsibility history, and the clerk's form with the duty-based suggestion."""
    rows = []
    for routing in selectors.routings_of(document):
        may_route_on = selectors.may_route_on(user, routing)
        rows.append(
            {
                "routing": routing,
                "may_route_on": may_route_on,
                "may_close": selectors.may_close(user, routing),
                "may_acknowledge": routing.awaits_receipt and routing.assignee_id == user.pk,
                "route_on_form": RouteOnForm(prefix=f"r{routing.pk}") if may_route_on else None,
            }
        )
        if may_route_on:
            rows[-1]["route_on_form"].fields["assignee"].queryset = unit_users(routing.unit)
    may_route = selectors.may_route(user, document)
    suggestions = selectors.suggest_units(document.subject) if may_route else []
    route_form = None
    if may_route:
        route_form = RouteDocumentForm(
            initial={"unit": suggestions[0]["unit"].pk} if suggestions else None
        )
    return {
        "routings": rows,
        "history": selectors.responsibility_history(document),
        "may_route": may_route,
        "route_form": route_form,
        "suggestions": suggestions,
        "close_form": CloseRoutingForm(replies=selectors.replies_for(user, document)),
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

    def get_initial(self, is_new: bool) -> dict:
        """From a received message (``?mail=``): its subject, sender and mailbox's unit."""
        initial = super().get_initial(is_new)
        mail = self._mail(self.request.GET.get("mail"))
        if mail is not None:
            initial |= {
                "mail": mail.pk,
                "subject": mail.subject,
                "sender_name": mail.sender_name or mail.sender_address,
                "receiving_unit": mail.mailbox.receiving_unit_id,
                "sender_date": timezone.localdate(mail.sent_at) if mail.sent_at else None,
            }
        return initial

    def _mail(self, pk):
        from biys.evrak.models import ReceivedMail

        if not str(pk or "").isdigit():
            return None
        return (
            ReceivedMail.objects.restrict(self.request.user)
            .select_related("mailbox")
            .filter(pk=pk)
            .first()
        )

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_form(obj, form)
        values = form.service_values()
        mail = self._mail(form.cleaned_data.get("mail"))
        try:
            if mail is not None:
                values = {key: value for key, value in values.items() if value not in (None, "")}
                document = services.register_from_mail(user=request.user, mail=mail, **values)
            elif form.cleaned_data.get("package"):
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


class ScanTextsView(LoginRequiredMixin, View):
    """The text recognition panel of a document, alone (the page polls it while a scan waits
    or is being read)."""

    def get(self, request, pk):
        document = get_object_or_404(selectors.documents_visible_to(request.user), pk=pk)
        context = scan_context(request.user, document)
        if not context["scans_busy"]:  # the text shown; a poll while reading shows none
            services.record_confidential_view(
                user=request.user, document=document, what=ConfidentialViewKind.SCAN_TEXT
            )
        return render(request, "evrak/partials/scans.html", {"object": document, **context})


class RecogniseView(LoginRequiredMixin, View):
    """POST: read a scan's text again (after a failure), or a PDF or image attached later.
    From the page's panel (HTMX) the panel comes back with any refusal in it."""

    def post(self, request, pk):
        from biys.attachments.models import Attachment

        document = get_object_or_404(selectors.documents_visible_to(request.user), pk=pk)
        attachment = Attachment.objects.filter(pk=request.POST.get("attachment") or 0).first()
        problems, status = [], 200
        try:
            services.request_recognition(
                user=request.user, document=document, attachment=attachment
            )
        except PermissionDenied:
            problems, status = [_("You may not change this document.")], 403
        except ValidationError as error:
            problems = [problem for items in error.message_dict.values() for problem in items]
            status = 400
        if request.htmx:
            context = {"object": document, "scan_problems": problems}
            context |= scan_context(request.user, document)
            return render(request, "evrak/partials/scans.html", context, status=status)
        if status == 403:
            raise PermissionDenied(problems[0])
        for problem in problems:
            messages.error(request, problem)
        if not problems:
            messages.success(request, _("The text of the scan will be recognised again."))
        return redirect(document.get_absolute_url())


class PartView(LoginRequiredMixin, View):
    """One part of a stored package, read from the package, always as a download."""

    def get(self, request, pk):
        part = get_object_or_404(
            PackagePart.objects.select_related("package__document").filter(
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
        services.record_confidential_view(
            user=request.user,
            document=part.package.document,
            what=ConfidentialViewKind.PART,
            detail=part.name,
        )
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = attachment_header(filename)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class SdpCodeListView(ObjectListView):
    queryset = SdpCode.objects.all()
    table_class = tables.SdpCodeTable
    filterset_class = filtersets.SdpCodeFilterSet
    template_name = "evrak/sdpcode_list.html"

    def get_extra_context(self):
        may = services.may_load_sdp(self.request.user)
        return {"import_url": reverse("evrak:sdp_import") if may else ""}


class SdpCodeDetailView(ObjectDetailView):
    queryset = SdpCode.objects.all()
    show_attachments = False
    show_comments = False


class SdpCodeEditView(ObjectEditView):
    queryset = SdpCode.objects.all()
    form_class = SdpCodeForm


class _RoutingAction(LoginRequiredMixin, View):
    """POST only: one service call; refusals come back as messages on the detail page (a
    permission refusal as 403)."""

    form_class = None
    done = ""

    def get_target(self, pk):
        return get_object_or_404(Routing.objects.restrict(self.request.user), pk=pk)

    def act(self, target, data):
        raise NotImplementedError

    def get_form(self, target):
        return self.form_class(self.request.POST) if self.form_class else None

    def post(self, request, pk):
        target = self.get_target(pk)
        form = self.get_form(target)
        if form is not None and not form.is_valid():
            for problems in form.errors.values():
                for problem in problems:
                    messages.error(request, problem)
            return redirect(target.get_absolute_url())
        try:
            self.act(target, form.cleaned_data if form is not None else {})
        except ValidationError as error:
            for problems in error.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            messages.success(request, str(self.done))
        return redirect(target.get_absolute_url())


class RouteDocumentView(_RoutingAction):
    form_class = RouteDocumentForm
    done = property(lambda self: _("Routed."))

    def get_target(self, pk):
        return get_object_or_404(selectors.documents_visible_to(self.request.user), pk=pk)

    def act(self, document, data):
        services.route_document(
            user=self.request.user,
            document=document,
            unit=data["unit"],
            kind=data["kind"],
            assignee=data.get("assignee"),
            instruction=data.get("instruction") or "",
            due_date=data.get("due_date"),
            due_in_working_days=data.get("due_in_working_days"),
        )


class RouteOnView(_RoutingAction):
    done = property(lambda self: _("Routed on."))

    def post(self, request, pk):
        self.form_class = lambda data: RouteOnForm(data, prefix=f"r{pk}")
        return super().post(request, pk)

    def act(self, routing, data):
        services.route_on(
            user=self.request.user,
            routing=routing,
            assignee=data["assignee"],
            instruction=data.get("instruction") or "",
        )


class AcknowledgeView(_RoutingAction):
    done = property(lambda self: _("Receipt acknowledged."))

    def act(self, routing, data):
        services.acknowledge_receipt(user=self.request.user, routing=routing)


class CloseRoutingView(_RoutingAction):
    form_class = CloseRoutingForm
    done = property(lambda self: _("Closed."))

    def get_form(self, routing):
        replies = selectors.replies_for(self.request.user, routing.document)
        return CloseRoutingForm(self.request.POST, replies=replies)

    def act(self, routing, data):
        services.close_routing(
            user=self.request.user,
            routing=routing,
            outcome=data["outcome"],
            reply=data.get("reply"),
            reply_number=data.get("reply_number") or "",
        )


class WaitingView(LoginRequiredMixin, View):
    """Bekleyen evrak: what waits for the user by name and in the units where they route on,
    split into overdue, due this week and the rest."""

    def get(self, request):
        day = selectors.today()
        mine = list(selectors.waiting_for_person(request.user))
        units = [
            routing
            for routing in selectors.waiting_in_units(request.user)
            if routing.assignee_id != request.user.pk
        ]
        return render(
            request,
            "evrak/waiting.html",
            {
                "today": day,
                "mine": selectors.buckets(mine, day=day),
                "units": selectors.buckets(units, day=day),
                "mine_count": len(mine),
                "units_count": len(units),
            },
        )


register_model_views(
    IncomingDocument,
    list=IncomingDocumentListView,
    detail=IncomingDocumentDetailView,
    add=IncomingDocumentRegisterView,
)
register_model_views(SdpCode, list=SdpCodeListView, detail=SdpCodeDetailView, edit=SdpCodeEditView)


# ------------------------------------------------------------- e-mail and KEP (received mail)


def _visible_mail(user):
    from biys.evrak.models import ReceivedMail

    return ReceivedMail.objects.restrict(user).select_related("mailbox", "document")


class ReceivedMailListView(LoginRequiredMixin, View):
    """Gelen e-posta ve KEP: what the document mailboxes brought, waiting for registration
    first (``?state=registered`` / ``dismissed`` for the rest)."""

    def get(self, request):
        from biys.evrak.choices import MailState

        if not get_scope(request.user).has_perm(services.ADD):  # over some unit, or all
            raise PermissionDenied
        state = request.GET.get("state") or MailState.WAITING
        if state not in MailState.values:
            state = MailState.WAITING
        mails = _visible_mail(request.user).filter(state=state)[:500]
        return render(
            request,
            "evrak/receivedmail_list.html",
            {"mails": mails, "state": state, "states": MailState.choices},
        )


class ReceivedMailDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        from urllib.parse import urlencode

        from django.contrib.contenttypes.models import ContentType

        from biys.attachments.models import Attachment
        from biys.evrak.forms import MailPackageForm

        mail = get_object_or_404(_visible_mail(request.user), pk=pk)
        attachments = Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(type(mail)), object_id=str(mail.pk)
        ).order_by("pk")
        return render(
            request,
            "evrak/receivedmail_detail.html",
            {
                "object": mail,
                "register_url": reverse("evrak:incomingdocument_add")
                + "?"
                + urlencode({"mail": mail.pk}),
                "package_form": MailPackageForm(
                    initial={"receiving_unit": mail.mailbox.receiving_unit_id}
                ),
                "attachments": attachments,
            },
        )


class MailPackageView(LoginRequiredMixin, View):
    """POST: import the e-Yazışma package of a received (KEP) message."""

    def post(self, request, pk):
        from biys.evrak.forms import MailPackageForm

        mail = get_object_or_404(_visible_mail(request.user), pk=pk)
        form = MailPackageForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the receiving unit."))
            return redirect(mail.get_absolute_url())
        try:
            document = services.import_mail_package(
                user=request.user, mail=mail, receiving_unit=form.cleaned_data["receiving_unit"]
            )
        except ValidationError as error:
            for problems in error.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
            return redirect(mail.get_absolute_url())
        messages.success(request, _("Registered %(number)s.") % {"number": document.number})
        return redirect(document.get_absolute_url())


class DismissMailView(LoginRequiredMixin, View):
    """POST: the message is not a document; it is kept and no longer waits."""

    def post(self, request, pk):
        mail = get_object_or_404(_visible_mail(request.user), pk=pk)
        try:
            services.dismiss_mail(user=request.user, mail=mail)
        except ValidationError as error:
            for problems in error.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
            return redirect(mail.get_absolute_url())
        messages.success(request, _("Marked as not a document."))
        return redirect(reverse("evrak:receivedmail_list"))


class MailFileView(LoginRequiredMixin, View):
    """The kept message itself (.eml), as a download."""

    def get(self, request, pk):
        mail = get_object_or_404(_visible_mail(request.user), pk=pk)
        try:
            with mail.file.open("rb") as stored:
                content = stored.read()
        except OSError as error:
            raise Http404 from error
        response = HttpResponse(content, content_type="message/rfc822")
        response["Content-Disposition"] = attachment_header(f"mesaj-{mail.pk}.eml")
        response["X-Content-Type-Options"] = "nosniff"
        return response


# ------------------------------------------------------------------ files, archive and disposal


class YearEndView(LoginRequiredMixin, View):
    """The archive's year-end: for a chosen year, the files due for transfer to the
    institutional archive and those due for destruction, each list approved by the
    commission's decision, and the hand-over lists to the State Archives. Each list is for
    those who decide on it, over the files of their units: transfer and destruction for the
    department head (``evrak.approve_disposal``), the hand-over for the archivist and the
    department head (``evrak.hand_over_files``); anyone with neither is refused (403)."""

    template_name = "evrak/year_end.html"

    def _year(self, request) -> int:
        raw = request.GET.get("year") or request.POST.get("year") or ""
        if raw.isdigit() and 1900 <= int(raw) <= 9999:
            return int(raw)
        return timezone.localdate().year

    def _render(self, request, year, forms=None, status=200):
        forms = forms or {}
        lists = []
        kinds = selectors.year_end_kinds(request.user)
        for kind, label in DisposalKind.choices:
            if kind not in kinds:
                continue
            files = list(selectors.due_files(user=request.user, year=year, kind=kind))
            form = forms.get(kind) or DisposalDecisionForm(
                prefix=kind,
                initial={
                    "kind": kind,
                    "year": year,
                    "files": [file.pk for file in files],
                    "decision_date": timezone.localdate(),
                },
            )
            lists.append({"kind": kind, "label": label, "files": files, "form": form})
        handovers = []
        if DisposalKind.HANDOVER in kinds:
            handovers = list(
                selectors.handover_lists(request.user).order_by("-decision_date", "-pk")[:20]
            )
        return render(
            request,
            self.template_name,
            {
                "year": year,
                "lists": lists,
                "years": range(year - 5, year + 6),
                "handovers": handovers,
                "kinds": kinds,
            },
            status=status,
        )

    def get(self, request):
        if not selectors.year_end_kinds(request.user):
            raise PermissionDenied
        return self._render(request, self._year(request))

    def post(self, request):
        kinds = selectors.year_end_kinds(request.user)
        if not kinds:
            raise PermissionDenied
        kind = request.POST.get("kind", "")
        if kind not in DisposalKind.values:
            kind = kinds[0]  # the first list the user works on: its form says what is missing
        if kind not in kinds:
            raise PermissionDenied
        form = DisposalDecisionForm(request.POST, prefix=kind)
        year = self._year(request)
        if form.is_valid():
            data = form.cleaned_data
            year = data["year"]
            try:
                decision = services.approve_disposal(
                    user=request.user,
                    kind=data["kind"],
                    year=year,
                    decision_date=data["decision_date"],
                    decision_number=data["decision_number"],
                    members=data["members"],
                    files=data["files"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Decision %(number)s approved: %(count)d files.")
                    % {
                        "number": decision.decision_number,
                        "count": len(data["files"]),
                    },
                )
                if decision.kind == DisposalKind.HANDOVER:
                    return redirect(decision.get_absolute_url())
                return redirect(f"{reverse('evrak:year_end')}?year={year}")
        return self._render(request, year, {kind: form}, status=400)


def _handover_list(request, pk):
    """A hand-over list of the user's units: 403 without the hand-over permission anywhere,
    404 for a list with no file of theirs."""
    if not selectors.may_approve_disposal(request.user, DisposalKind.HANDOVER):
        raise PermissionDenied
    return get_object_or_404(selectors.handover_lists(request.user), pk=pk)


class HandoverListView(LoginRequiredMixin, View):
    """A hand-over list to the State Archives: its numbered items, the PDF and CSV exports,
    and, once the State Archives took the material over, the day it was handed over."""

    template_name = "evrak/handover_list.html"

    def _render(self, request, decision, form=None, status=200):
        form = form or HandoverForm(initial={"handed_over_on": timezone.localdate()})
        context = {
            "decision": decision,
            "items": selectors.handover_items(decision),
            "members": person_labels(decision.members.all()),
            "form": form,
            "may_complete": decision.handed_over_on is None
            and selectors.may_complete_handover(request.user, decision),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self._render(request, _handover_list(request, pk))

    def post(self, request, pk):
        decision = _handover_list(request, pk)
        form = HandoverForm(request.POST)
        if form.is_valid():
            try:
                services.complete_handover(
                    user=request.user,
                    decision=decision,
                    handed_over_on=form.cleaned_data["handed_over_on"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("List %(number)s handed over to the State Archives.")
                    % {"number": decision.decision_number},
                )
                return redirect(decision.get_absolute_url())
        return self._render(request, decision, form, status=400)


def _handover_filename(decision, extension: str) -> str:
    number = "".join(ch if ch.isalnum() else "-" for ch in decision.decision_number)
    return f"devir-listesi-{number}.{extension}"


class HandoverCsvView(LoginRequiredMixin, View):
    """The hand-over list as CSV for a Turkish Excel (``;``, UTF-8 with BOM)."""

    def get(self, request, pk):
        from biys.evrak.handover import handover_csv

        decision = _handover_list(request, pk)
        body = handover_csv(decision, selectors.handover_items(decision))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = attachment_header(_handover_filename(decision, "csv"))
        return response


class HandoverPdfView(LoginRequiredMixin, View):
    """The hand-over list as PDF/A-2b, in Turkish, with the commission's signature places."""

    def get(self, request, pk):
        from biys.evrak.handover import handover_pdf

        decision = _handover_list(request, pk)
        body = handover_pdf(decision, selectors.handover_items(decision))
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = attachment_header(_handover_filename(decision, "pdf"))
        return response


def apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


class SdpImportView(LoginRequiredMixin, View):
    """The file plan from a CSV (``;``, UTF-8 with BOM, as a Turkish Excel writes it) or an
    Excel file: the upload is previewed row by row with what loading would do and every error
    by line; only a file without errors can be loaded, all at once. For those who may add and
    change SDP codes everywhere (the administrator)."""

    template_name = "evrak/sdp_import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.may_load_sdp(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {})

    def post(self, request):
        context = {}
        text = request.POST.get("content", "")
        load = bool(text) and "load" in request.POST
        try:
            if not text:
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationError({"file": _("Choose a CSV or Excel file.")})
                text = services.sdp_file_text(services.read_upload(upload), upload.name)
            result = services.import_sdp_codes(user=request.user, text=text, dry_run=not load)
        except ValidationError as error:
            context["errors"] = error.messages
            rows, _errors = services.parse_sdp_csv(text) if text else ([], [])
            context["rows"] = services.sdp_preview(rows)
        else:
            if load:
                messages.success(
                    request,
                    _("File plan loaded: %(added)d codes added, %(updated)d updated.")
                    % {"added": result["added"], "updated": result["updated"]},
                )
                return redirect("evrak:sdpcode_list")
            context |= {"rows": result["rows"], "content": text}
        return render(request, self.template_name, context)
