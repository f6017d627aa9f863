"""The trust store's pages: the certificate authorities a signer's certificate must chain to
(list, detail with subject, fingerprint and validity, history), loaded from a PEM or DER file.
Writes go through ``biys.evrak.signing``."""

from biys.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    register_model_views,
)
from biys.core.views.generic.objects import ServiceEditView
from biys.evrak import filtersets, signing, tables
from biys.evrak.forms import TrustedCertificateForm, TrustedCertificateUploadForm
from biys.evrak.models import TrustedCertificate


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
