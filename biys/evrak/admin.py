"""The document mailboxes (e-mail, KEP) are configured by an administrator here."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from biys.evrak.models import (
    DistributionLine,
    EvrakMailbox,
    OutgoingDocument,
    OutgoingReference,
)


class EvrakMailboxForm(forms.ModelForm):
    """The stored IMAP password is never sent back to the browser; leaving it blank keeps it."""

    password = forms.CharField(
        label=_("password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        required=False,
        help_text=_("Leave blank to keep the current password."),
    )

    class Meta:
        model = EvrakMailbox
        fields = [
            "name", "kind", "host", "port", "use_ssl", "username", "password", "folder",
            "receiving_unit", "is_active",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["password"] = ""
        if not self.instance.pk:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if not password and self.instance.pk:
            return EvrakMailbox.objects.values_list("password", flat=True).get(pk=self.instance.pk)
        return password


@admin.register(EvrakMailbox)
class EvrakMailboxAdmin(admin.ModelAdmin):
    form = EvrakMailboxForm
    list_display = ["name", "kind", "username", "receiving_unit", "is_active", "last_polled_at"]
    readonly_fields = ["last_polled_at", "last_error"]


class DistributionLineInline(admin.TabularInline):
    model = DistributionLine
    extra = 0


class OutgoingReferenceInline(admin.TabularInline):
    model = OutgoingReference
    fk_name = "document"
    extra = 0
    raw_id_fields = ["incoming", "outgoing"]


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(admin.ModelAdmin):
    """For looking things up: drafts are written, approved and signed on the module's pages,
    which keep the approval path and the numbers right; the number fields are read-only here."""

    list_display = ["__str__", "state", "unit", "signer", "signed_at"]
    list_filter = ["state", "confidentiality", "urgency"]
    search_fields = ["number", "subject"]
    readonly_fields = ["state", "number", "year", "record_no", "version", "signed_at"]
    raw_id_fields = ["signer"]
    inlines = [DistributionLineInline, OutgoingReferenceInline]
