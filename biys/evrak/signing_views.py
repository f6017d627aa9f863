"""The trust store's pages: the certificate authorities a signer's certificate must chain to
(list, detail with subject, fingerprint and validity, its revocation list, history), loaded
from a PEM or DER file.
Writes go through ``biys.evrak.signing``. And the signing authorities (imza yetkileri): which
level signs which outgoing documents, written through ``outgoing_services``."""

from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from biys.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    register_model_views,
)
from biys.core.views.generic.objects import ServiceEditView, Tab
from biys.evrak import filtersets, outgoing_services, signing, tables
from biys.evrak.forms import SigningRuleForm, TrustedCertificateForm, TrustedCertificateUploadForm
from biys.evrak.models import RevocationList, SigningRule, TrustedCertificate


class TrustedCertificateListView(ObjectListView):
    queryset = TrustedCertificate.objects.all()
    table_class = tables.TrustedCertificateTable
    filterset_class = filtersets.TrustedCertificateFilterSet


class TrustedCertificateDetailView(ObjectDetailView):
    queryset = TrustedCertificate.objects.all()
    show_attachments = False
    show_comments = False
    detail_fields = (
        "name",
        "subject",
        "issuer",
        "serial_number",
        "fingerprint",
        "not_before",
        "not_after",
        "is_root",
        "active",
        "notes",
        "certificate",
    )

    def get_extra_tabs(self, obj):
        def crl_context():
            held = RevocationList.objects.defer("crl").filter(authority=obj).first()
            return {"crl": held, "crl_current": held is not None and held.next_update >= now()}

        return [
            Tab(
                "crl",
                _("Revocation list"),
                template_name="evrak/partials/revocation_list.html",
                context=crl_context,
            )
        ]


class TrustedCertificateEditView(ObjectEditView):
    queryset = TrustedCertificate.objects.all()
    form_class = TrustedCertificateForm


class TrustedCertificateAddView(ServiceEditView):
    """Load a certificate authority's certificate from a file."""

    queryset = TrustedCertificate.objects.all()
    form_class = TrustedCertificateUploadForm

    def save_with_service(self, form):
        upload = form.cleaned_data["upload"]
        return signing.add_trusted_certificate(
            user=self.request.user,
            data=upload.read(signing.MAX_CERTIFICATE_BYTES),
            name=form.cleaned_data.get("name") or "",
            active=form.cleaned_data.get("active", True),
            notes=form.cleaned_data.get("notes") or "",
        )


class TrustedCertificateDeleteView(ObjectDeleteView):
    queryset = TrustedCertificate.objects.all()


register_model_views(
    TrustedCertificate,
    list=TrustedCertificateListView,
    detail=TrustedCertificateDetailView,
    edit=TrustedCertificateEditView,
    add=TrustedCertificateAddView,
    delete=TrustedCertificateDeleteView,
)


# ------------------------------------------------------------------ signing authorities


class SigningRuleListView(ObjectListView):
    queryset = SigningRule.objects.all()
    table_class = tables.SigningRuleTable
    filterset_class = filtersets.SigningRuleFilterSet


class SigningRuleDetailView(ObjectDetailView):
    queryset = SigningRule.objects.all()
    show_attachments = False
    show_comments = False
    detail_fields = ("name", "confidentiality", "recipients", "level", "active", "notes")


class SigningRuleEditView(ServiceEditView):
    """Saved through ``outgoing_services.save_signing_rule`` (checked, change-logged)."""

    queryset = SigningRule.objects.all()
    form_class = SigningRuleForm

    def save_with_service(self, form):
        values = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        return outgoing_services.save_signing_rule(
            user=self.request.user, rule=form.instance if form.instance.pk else None, **values
        )


class SigningRuleDeleteView(ObjectDeleteView):
    queryset = SigningRule.objects.all()

    def delete_object(self, obj) -> None:
        outgoing_services.delete_signing_rule(user=self.request.user, rule=obj)


register_model_views(
    SigningRule,
    list=SigningRuleListView,
    detail=SigningRuleDetailView,
    edit=SigningRuleEditView,
    delete=SigningRuleDeleteView,
)
