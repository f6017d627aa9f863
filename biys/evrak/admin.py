"""The document mailboxes (e-mail, KEP) are configured by an administrator here."""

from django.contrib import admin

from biys.core.forms import MailboxPasswordForm
from biys.evrak.models import EvrakMailbox


class EvrakMailboxForm(MailboxPasswordForm):
    class Meta:
        model = EvrakMailbox
        fields = [
            "name", "kind", "host", "port", "use_ssl", "username", "password", "folder",
            "receiving_unit", "is_active",
        ]  # fmt: skip


@admin.register(EvrakMailbox)
class EvrakMailboxAdmin(admin.ModelAdmin):
    form = EvrakMailboxForm
    list_display = ["name", "kind", "username", "receiving_unit", "is_active", "last_polled_at"]
    readonly_fields = ["last_polled_at", "last_error"]
