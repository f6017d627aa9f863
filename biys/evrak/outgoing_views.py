"""The outgoing documents' screens (giden evrak): the list, the draft's form, the detail with
the distribution list and the ilgi lines. Every write goes through
``biys.evrak.outgoing_services``."""

from django.shortcuts import redirect
from django.utils.translation import gettext as _

from biys.core.access import can
from biys.core.views.generic import (
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    register_model_views,
)
from biys.evrak import filtersets, outgoing_services, tables
from biys.evrak.forms import OutgoingDocumentForm
from biys.evrak.models import OutgoingDocument


class OutgoingDocumentListView(ObjectListView):
    queryset = OutgoingDocument.objects.select_related("unit", "signer")
    table_class = tables.OutgoingDocumentTable
    filterset_class = filtersets.OutgoingDocumentFilterSet

    def bulk_edit_url(self) -> str:
        return ""


class OutgoingDocumentDetailView(ObjectDetailView):
    queryset = OutgoingDocument.objects.select_related("unit", "sdp_code", "signer", "created_by")
    template_name = "evrak/outgoingdocument_detail.html"
    details_template_name = "evrak/partials/outgoingdocument_details.html"
    show_comments = False

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        if not obj.is_editable:
            urls["edit_url"] = ""
        urls["delete_url"] = ""
        return urls

    def get_extra_context(self, obj):
        lines = list(obj.distribution.all())
        return {
            "action_lines": [line for line in lines if line.kind == "GRG"],
            "info_lines": [line for line in lines if line.kind == "BLG"],
            "references": obj.references.select_related("incoming", "outgoing"),
            "may_change": obj.is_editable and can(self.request.user, "change", obj),
        }


class OutgoingDocumentEditView(ServiceEditView):
    queryset = OutgoingDocument.objects.all()
    form_class = OutgoingDocumentForm

    def get_object(self):
        obj = super().get_object()
        if obj.pk and not obj.is_editable:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("A signed document no longer changes."))
        return obj

    def save_with_service(self, form):
        values = form.service_values()
        document = form.instance if form.instance.pk else None
        self.saved = outgoing_services.save_outgoing_draft(
            user=self.request.user, document=document, **values
        )
        return self.saved

    def post(self, request, *args, **kwargs):
        """A new draft opens on its own page (its approval path is started there)."""
        self.saved = None
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302 and self.saved is not None and "pk" not in kwargs:
            return redirect(self.saved.get_absolute_url())
        return response


register_model_views(
    OutgoingDocument,
    list=OutgoingDocumentListView,
    detail=OutgoingDocumentDetailView,
    edit=OutgoingDocumentEditView,
)
