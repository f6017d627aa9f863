"""The trust store's pages: the certificate authorities a signer's certificate must chain to
(list, detail with subject, fingerprint and validity, its revocation list, history), loaded
from a PEM or DER file.
Writes go through ``biys.evrak.signing``. Their certificate revocation lists (CRLs): list,
detail, upload of a file, fetch now and delete, written through ``biys.evrak.revocation``. And the signing authorities (imza yetkileri): which
level signs which outgoing documents, written through ``outgoing_services``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from biys.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    register_model_views,
)
from biys.core.views.generic.base import model_url, object_or_404_for
from biys.core.views.generic.objects import ServiceEditView, Tab
from biys.evrak import filtersets, outgoing_services, revocation, signing, tables
from biys.evrak.forms import (
    RevocationListForm,
    RevocationListUploadForm,
    SigningRuleForm,
    TrustedCertificateForm,
    TrustedCertificateUploadForm,
)
from biys.evrak.models import RevocationList, SigningRule, TrustedCertificate


class TrustedCertificateListView(ObjectListView):
    queryset = TrustedCertificate.objects.select_related("revocation_list").defer(
        "revocation_list__crl"
    )
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
            user = self.request.user
            return {
                "crl": held,
                "crl_current": held is not None and held.next_update >= now(),
                "crl_list_url": model_url(RevocationList, "_list"),
                "crl_upload_url": model_url(RevocationList, "_add")
                if revocation.may_manage_crls(user, "change" if held else "add")
                else "",
            }

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


# ------------------------------------------------------------------ revocation lists (CRLs)


class RevocationListListView(ObjectListView):
    queryset = RevocationList.objects.defer("crl").select_related("authority")
    table_class = tables.RevocationListTable
    filterset_class = filtersets.RevocationListFilterSet


class RevocationListDetailView(ObjectDetailView):
    queryset = RevocationList.objects.defer("crl").select_related("authority")
    template_name = "evrak/revocationlist_detail.html"
    show_attachments = False
    show_comments = False
    detail_fields = (
        "authority",
        "issuer",
        "crl_number",
        "this_update",
        "next_update",
        "revoked_count",
        "fingerprint",
        "url",
        "loaded_at",
        "last_attempt",
        "last_error",
    )

    def get_extra_context(self, obj):
        user = self.request.user
        return {
            "crl_current": obj.next_update >= now(),
            "fetch_url": reverse("evrak:revocationlist_fetch", kwargs={"pk": obj.pk})
            if revocation.may_manage_crls(user, "change")
            else "",
            "fetching_enabled": revocation.fetching_enabled(),
        }

    def get_object_urls(self, obj):
        user = self.request.user
        return {
            "edit_url": model_url(RevocationList, "_edit", pk=obj.pk)
            if revocation.may_manage_crls(user, "change")
            else "",
            "delete_url": model_url(RevocationList, "_delete", pk=obj.pk)
            if revocation.may_manage_crls(user, "delete")
            else "",
        }


def _crl_errors_on_upload(error: ValidationError) -> ValidationError:
    """The service's errors on ``crl`` shown at the form's file field."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {
            ("upload" if field == "crl" else field): errors
            for field, errors in error.error_dict.items()
        }
    )


class RevocationListAddView(ServiceEditView):
    """Load an authority's CRL from a file (``revocation.upload_revocation_list``)."""

    queryset = RevocationList.objects.defer("crl")
    form_class = RevocationListUploadForm

    def get_object(self):
        if not revocation.may_manage_crls(self.request.user, "add") and not (
            revocation.may_manage_crls(self.request.user, "change")
        ):
            raise PermissionDenied
        return RevocationList()

    def may_save(self, instance, *, is_new: bool) -> bool:
        return True  # the service checks (add or change, by whether the authority has one)

    def may_keep(self, obj, *, is_new: bool, old_place) -> bool:
        return True

    def save_with_service(self, form):
        upload = form.cleaned_data["upload"]
        try:
            return revocation.upload_revocation_list(
                user=self.request.user,
                authority=form.cleaned_data["authority"],
                data=upload.read(revocation.MAX_CRL_BYTES + 1),
                url=form.cleaned_data.get("url") or "",
            )
        except ValidationError as error:
            raise _crl_errors_on_upload(error) from error


class RevocationListEditView(ServiceEditView):
    """The address the authority's next CRL is fetched from."""

    queryset = RevocationList.objects.defer("crl")
    form_class = RevocationListForm

    def get_object(self):
        obj = super().get_object()
        if not revocation.may_manage_crls(self.request.user, "change"):
            raise PermissionDenied
        return obj

    def save_with_service(self, form):
        return revocation.set_revocation_list_url(
            user=self.request.user,
            revocation_list=form.instance,
            url=form.cleaned_data.get("url") or "",
        )


class RevocationListDeleteView(ObjectDeleteView):
    queryset = RevocationList.objects.defer("crl")

    def delete_object(self, obj) -> None:
        revocation.delete_revocation_list(user=self.request.user, revocation_list=obj)


class RevocationListFetchView(LoginRequiredMixin, View):
    """*Fetch now*: the authority's CRL from its address (``revocation.fetch_revocation_list``);
    the outcome shown as a message, a failure kept on the CRL."""

    def post(self, request, pk):
        item = object_or_404_for(request.user, RevocationList, pk)
        if not revocation.may_manage_crls(request.user, "change"):
            raise PermissionDenied
        outcome = revocation.fetch_revocation_list(user=request.user, authority=item.authority)
        if outcome["error"]:
            messages.error(
                request,
                gettext("The revocation list could not be fetched: %(error)s")
                % {"error": outcome["error"]},
            )
        elif outcome["loaded"]:
            messages.success(
                request,
                gettext("A newer revocation list was loaded from %(url)s.")
                % {"url": outcome["url"]},
            )
        else:
            messages.info(
                request,
                gettext("%(url)s publishes no newer revocation list.") % {"url": outcome["url"]},
            )
        return redirect(item.get_absolute_url())


register_model_views(
    RevocationList,
    list=RevocationListListView,
    detail=RevocationListDetailView,
    add=RevocationListAddView,
    edit=RevocationListEditView,
    delete=RevocationListDeleteView,
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
