"""Gizli and Çok Gizli documents: the explicit grants (given and revoked by who may decide
who reads the document) and the view log of a document, for the department head and the
auditor. Every write goes through ``biys.evrak.services``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from biys.evrak import selectors, services
from biys.evrak.forms import GrantForm, RevokeGrantForm
from biys.evrak.models import IncomingDocument, OutgoingDocument


def _messages(request, error: ValidationError) -> None:
    for problems in error.message_dict.values():
        for problem in problems:
            messages.error(request, problem)


class _DocumentMixin:
    model = IncomingDocument

    def readable(self, user):
        if self.model is IncomingDocument:
            return selectors.documents_visible_to(user)
        return selectors.outgoing_visible_to(user)

    def document(self, request, pk):
        return get_object_or_404(self.readable(request.user), pk=pk)


class GrantView(_DocumentMixin, LoginRequiredMixin, View):
    """POST: grant a person the document (``user``, ``reason``) or, with ``grant``, revoke
    that grant. Refused (403) to anyone but who may grant (``services.may_grant``)."""

    def post(self, request, pk):
        document = self.document(request, pk)
        if not services.may_change_document(request.user, document):
            raise PermissionDenied
        try:
            if request.POST.get("grant"):
                form = RevokeGrantForm(request.POST)
                if form.is_valid():
                    grant = services.grants_of(document).filter(pk=form.cleaned_data["grant"])
                    grant = grant.first()
                    if grant is None:
                        raise ValidationError({"grant": _not_found()})
                    services.revoke_access(
                        user=request.user, grant=grant, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, str(_revoked()))
            else:
                form = GrantForm(request.POST)
                if form.is_valid():
                    services.grant_access(
                        user=request.user,
                        document=document,
                        person=form.cleaned_data["user"],
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, str(_granted()))
            for problems in form.errors.values():
                for problem in problems:
                    messages.error(request, problem)
        except ValidationError as error:
            _messages(request, error)
        return redirect(document.get_absolute_url())


def _granted():
    from django.utils.translation import gettext

    return gettext("Access granted.")


def _not_found():
    from django.utils.translation import gettext

    return gettext("No such grant on this document.")


def _revoked():
    from django.utils.translation import gettext

    return gettext("Access revoked.")


class ViewLogView(_DocumentMixin, LoginRequiredMixin, View):
    """Who viewed a confidential document, when and what of it: for the holders of
    ``evrak.audit_confidential`` over its unit (the department head, the auditor), whether
    they read the document itself or not. The subject is shown only to its readers. Only
    Gizli and Çok Gizli documents are logged: any other has an empty log."""

    def get(self, request, pk):
        document = self.model.objects.filter(pk=pk).first()
        if document is None:
            raise Http404
        if not services.may_audit_views(request.user, document):
            if self.readable(request.user).filter(pk=pk).exists():
                raise PermissionDenied
            raise Http404
        reader = self.readable(request.user).filter(pk=pk).exists()
        return render(
            request,
            "evrak/confidential_views.html",
            {
                "object": document,
                "number": document.number or "—",
                "reader": reader,
                "entries": services.confidential_views_of(document)[:1000],
                "grants": services.grants_of(document),
            },
        )


class OutgoingGrantView(GrantView):
    model = OutgoingDocument


class OutgoingViewLogView(ViewLogView):
    model = OutgoingDocument
