"""The admin site's view of the evrak module, for a Django superuser: the document mailboxes
(e-mail, KEP), the signature trust store and its revocation lists have their own pages too
(``mailbox_views``, ``signing_views``), which the module's administrators use."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from biys.evrak.forms import EvrakMailboxForm
from biys.evrak.models import (
    ArchiveTimestamp,
    DisposalDecision,
    DistributionLine,
    DocumentFile,
    EvrakMailbox,
    KepDispatch,
    KepEvidence,
    OutgoingDocument,
    OutgoingReference,
    OutgoingSeal,
    OutgoingSignature,
    RevocationList,
    SignatureValidation,
    SigningRule,
    TrustedCertificate,
)


@admin.register(EvrakMailbox)
class EvrakMailboxAdmin(admin.ModelAdmin):
    form = EvrakMailboxForm
    list_display = [
        "name", "kind", "username", "receiving_unit", "smtp_host", "is_active", "last_polled_at"
    ]  # fmt: skip
    readonly_fields = ["last_polled_at", "last_error"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "receiving_unit", "is_active"]}),
        (
            _("Receiving (IMAP)"),
            {"fields": ["host", "port", "use_ssl", "username", "password", "folder"]},
        ),
        (
            _("Sending documents by KEP (SMTP)"),
            {
                "fields": [
                    "address",
                    "smtp_host",
                    "smtp_port",
                    "smtp_security",
                    "smtp_username",
                    "smtp_password",
                ]
            },
        ),
        (None, {"fields": ["last_polled_at", "last_error"]}),
    ]


class KepEvidenceInline(admin.TabularInline):
    """The delivery evidences (delil) read for a sending: read only."""

    model = KepEvidence
    extra = 0
    fields = ["kind", "event_at", "reason", "source", "code", "mail", "received_at",
              "signature_state", "signature_signer", "signature_problem"]  # fmt: skip
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(KepDispatch)
class KepDispatchAdmin(admin.ModelAdmin):
    """Read only: sendings are asked for on the document's page or through the API."""

    inlines = [KepEvidenceInline]

    list_display = ["document", "address", "state", "requested_at", "sent_at"]
    list_filter = ["state"]
    search_fields = ["document__number", "address", "message_id"]
    readonly_fields = [
        "document", "line", "mailbox", "address", "sender_address", "state", "message_id",
        "files", "size", "requested_by", "requested_at", "sent_at", "error",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
        "handover_list", "handover_item",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DisposalDecision)
class DisposalDecisionAdmin(admin.ModelAdmin):
    """Read only: a decision is approved on the year-end page, which applies it in full; a
    hand-over list is marked handed over on its own page."""

    list_display = [
        "__str__", "kind", "year", "decision_date", "approved_by", "approved_at",
        "handed_over_on",
    ]  # fmt: skip
    list_filter = ["kind", "year"]
    readonly_fields = [
        "kind", "year", "decision_date", "decision_number", "members", "approved_by",
        "approved_at", "handed_over_on", "handed_over_by",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TrustedCertificateAdminForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Certificate file"),
        required=False,
        help_text=_("On creation: the certificate authority's certificate, PEM or DER."),
    )

    class Meta:
        model = TrustedCertificate
        fields = ["upload", "name", "active", "notes"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            from biys.evrak import cades

            upload = cleaned.get("upload")
            if upload is None:
                raise ValidationError({"upload": _("Choose the certificate file.")})
            self.certificate_bytes = upload.read(256 * 1024)
            try:
                cades.load_certificate(self.certificate_bytes)
            except ValidationError as error:
                raise ValidationError({"upload": error.messages}) from error
        return cleaned


@admin.register(TrustedCertificate)
class TrustedCertificateAdmin(admin.ModelAdmin):
    """The signature trust store: loaded through ``signing.add_trusted_certificate``."""

    form = TrustedCertificateAdminForm
    list_display = ["name", "subject", "is_root", "not_after", "fingerprint", "active"]
    list_filter = ["active", "is_root"]
    search_fields = ["name", "subject", "fingerprint"]
    readonly_fields = [
        "subject", "issuer", "serial_number", "fingerprint", "not_before", "not_after",
        "is_root", "certificate",
    ]  # fmt: skip

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        from biys.evrak import signing

        saved = signing.add_trusted_certificate(
            user=request.user,
            data=form.certificate_bytes,
            name=obj.name,
            active=obj.active,
            notes=obj.notes,
        )
        obj.pk = saved.pk
        obj.__dict__.update(saved.__dict__)


class RevocationListAdminForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("CRL file"),
        required=False,
        help_text=_(
            "A certificate revocation list (PEM or DER) signed by a certificate authority of"
            " the trust store; it replaces that authority's previous one."
        ),
    )

    class Meta:
        model = RevocationList
        fields = ["upload", "url"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if self.instance.pk is None and upload is None:
            raise ValidationError({"upload": _("Choose the CRL file.")})
        self.crl_bytes = None
        if upload is not None:
            from biys.evrak import revocation

            self.crl_bytes = upload.read(revocation.MAX_CRL_BYTES + 1)
            try:
                revocation.check_crl(self.crl_bytes)
            except ValidationError as error:
                raise ValidationError({"upload": error.messages}) from error
        return cleaned


@admin.register(RevocationList)
class RevocationListAdmin(admin.ModelAdmin):
    """The trust store's CRLs: loaded through ``revocation.add_revocation_list`` (a new file
    replaces the authority's CRL), or fetched from their address."""

    form = RevocationListAdminForm
    list_display = ["authority", "this_update", "next_update", "revoked_count", "url"]
    search_fields = ["issuer", "authority__name"]
    readonly_fields = [
        "authority", "issuer", "crl_number", "this_update", "next_update", "revoked_count",
        "fingerprint", "loaded_at", "last_attempt", "last_error",
    ]  # fmt: skip

    def save_model(self, request, obj, form, change):
        from biys.evrak import revocation

        if form.crl_bytes is None:
            return super().save_model(request, obj, form, change)
        saved = revocation.add_revocation_list(user=request.user, data=form.crl_bytes, url=obj.url)
        obj.pk = saved.pk
        obj.__dict__.update(saved.__dict__)


class SignatureValidationInline(admin.StackedInline):
    model = SignatureValidation
    can_delete = False
    readonly_fields = [
        "checked_at", "revocation_checked", "coverage", "timestamp_time", "timestamp_error",
        "chain", "crls", "ocsp_responses",
    ]  # fmt: skip
    exclude = ["timestamp_token"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutgoingSignature)
class OutgoingSignatureAdmin(admin.ModelAdmin):
    """Read only: signatures arrive from the signing agent and are checked by BİYS."""

    inlines = [SignatureValidationInline]

    list_display = ["__str__", "state", "signer_subject", "signing_time", "accepted_at"]
    list_filter = ["state"]
    exclude = ["content", "signature", "ust_yazi", "ustveri"]
    readonly_fields = [
        "document", "version", "state", "content_type", "digest", "requested_at",
        "certificate", "signer_subject", "certificate_serial", "signing_time", "accepted_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArchiveTimestamp)
class ArchiveTimestampAdmin(admin.ModelAdmin):
    """Read only: the links are made by ``biys.evrak.archive_stamps``."""

    list_display = ["__str__", "outgoing", "incoming", "time", "authority", "authority_expires"]
    exclude = ["token"]
    readonly_fields = [
        "outgoing", "incoming", "sequence", "package_sha256", "time", "authority",
        "authority_expires", "created_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingSeal)
class OutgoingSealAdmin(admin.ModelAdmin):
    """Read only: seals arrive from the sealing agent and are checked by BİYS."""

    list_display = ["__str__", "state", "subject", "requested_at", "accepted_at"]
    list_filter = ["state"]
    exclude = ["package", "seal"]
    readonly_fields = [
        "document", "state", "digest", "requested_at", "requested_by", "certificate", "subject",
        "certificate_serial", "fingerprint", "signing_time", "accepted_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SigningRule)
class SigningRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "confidentiality", "recipients", "level", "active"]
    list_filter = ["level", "active"]
