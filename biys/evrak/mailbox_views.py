"""The document mailboxes' pages (e-mail and KEP accounts, ``EvrakMailbox``): list, detail,
add, edit and delete, and *Test connection* (log in to the IMAP server and, for a KEP account
that sends, the SMTP server, with the stored settings). The passwords are write-only: never
shown, empty keeps the stored one. Writes go through ``biys.evrak.services``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View

from biys.core.access import can
from biys.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    register_model_views,
)
from biys.core.views.generic.base import object_or_404_for
from biys.core.views.generic.objects import ServiceEditView
from biys.evrak import filtersets, services, tables
from biys.evrak.forms import EvrakMailboxPageForm
from biys.evrak.models import EvrakMailbox

# Never the passwords: the page says only whether one is stored.
DETAIL_FIELDS = (
    "name", "kind", "receiving_unit", "is_active", "host", "port", "use_ssl", "username",
    "folder", "address", "smtp_host", "smtp_port", "smtp_security", "smtp_username",
    "last_polled_at", "last_error",
)  # fmt: skip


class EvrakMailboxListView(ObjectListView):
    queryset = EvrakMailbox.objects.select_related("receiving_unit").defer(
        "password", "smtp_password"
    )
    table_class = tables.EvrakMailboxTable
    filterset_class = filtersets.EvrakMailboxFilterSet


class EvrakMailboxDetailView(ObjectDetailView):
    queryset = EvrakMailbox.objects.select_related("receiving_unit")
    template_name = "evrak/evrakmailbox_detail.html"
    show_attachments = False
    show_comments = False
    detail_fields = DETAIL_FIELDS

    def get_extra_context(self, obj):
        may_test = can(self.request.user, "change", obj)
        return {
            "test_url": reverse("evrak:evrakmailbox_test", kwargs={"pk": obj.pk})
            if may_test
            else "",
            "has_password": bool(obj.password),
            "has_smtp_password": bool(obj.smtp_password),
        }


class EvrakMailboxEditView(ServiceEditView):
    """Add (no pk) or change a mailbox through ``services.save_mailbox``, which keeps a
    password left empty unless the server it goes to changed."""

    queryset = EvrakMailbox.objects.select_related("receiving_unit")
    form_class = EvrakMailboxPageForm

    def save_with_service(self, form):
        values = {
            name: form.cleaned_data.get(name)
            for name in services.MAILBOX_FIELDS
            if name in form.cleaned_data
        }
        return services.save_mailbox(
            user=self.request.user,
            mailbox=form.instance if form.instance.pk else None,
            **form.typed_passwords(),
            **values,
        )


class EvrakMailboxDeleteView(ObjectDeleteView):
    queryset = EvrakMailbox.objects.all()

    def delete_object(self, obj) -> None:
        services.delete_mailbox(user=self.request.user, mailbox=obj)


class EvrakMailboxTestView(LoginRequiredMixin, View):
    """*Test connection*: each server's answer as a message (``services
    .check_mailbox_connection``); nothing is saved."""

    def post(self, request, pk):
        mailbox = object_or_404_for(request.user, EvrakMailbox, pk)
        if not can(request.user, "change", mailbox):
            raise PermissionDenied
        for result in services.check_mailbox_connection(user=request.user, mailbox=mailbox):
            text = gettext("%(server)s: %(message)s") % result
            (messages.success if result["ok"] else messages.error)(request, text)
        return redirect(mailbox.get_absolute_url())


register_model_views(
    EvrakMailbox,
    list=EvrakMailboxListView,
    detail=EvrakMailboxDetailView,
    add=False,  # mounted in urls.py: a new mailbox needs its password (not the generic matrix's)
    edit=EvrakMailboxEditView,
    delete=EvrakMailboxDeleteView,
)
