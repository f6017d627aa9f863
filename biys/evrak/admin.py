"""The document mailboxes (e-mail, KEP) are configured by an administrator here."""

from django.contrib import admin

from biys.core.forms import MailboxPasswordForm
from biys.evrak.models import (
    DisposalDecision,
    DistributionLine,
    DocumentFile,
    EvrakMailbox,
    OutgoingDocument,
    OutgoingReference,
)


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


@admin.register(DocumentFile)
class DocumentFileAdmin(admin.ModelAdmin):
    """For looking things up: files are opened by the documents' registration and signature,
    and closed by the year-end decisions (the module's year-end page), never by hand."""

    list_display = ["__str__", "unit", "sdp_code", "year", "state"]
    list_filter = ["state", "year"]
    search_fields = ["sdp_code__code", "unit__name"]
    readonly_fields = [
        "unit", "sdp_code", "year", "state", "transfer_decision", "destruction_decision",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DisposalDecision)
class DisposalDecisionAdmin(admin.ModelAdmin):
    """Read only: a decision is approved on the year-end page, which applies it in full."""

    list_display = ["__str__", "kind", "year", "decision_date", "approved_by", "approved_at"]
    list_filter = ["kind", "year"]
    readonly_fields = [
        "kind", "year", "decision_date", "decision_number", "members", "approved_by",
        "approved_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
