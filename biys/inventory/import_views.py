"""The register import screens: upload, the preview (every row's values and errors, the
progress of a large file polled with HTMX), the confirmation that imports all rows. Every write
goes through ``import_services``."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from biys.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    register_model_views,
)
from biys.inventory import filtersets, import_services, network_import, tables
from biys.inventory.forms import AssetImportForm
from biys.inventory.models import AssetImport, ImportKind, ImportState
from biys.inventory.views import ObjectPostView

PREVIEW_COLUMNS = (
    ("brand", gettext_lazy("Brand")),
    ("model", gettext_lazy("Model")),
    ("tasinir_code", gettext_lazy("Property code")),
    ("serial_number", gettext_lazy("Serial number")),
    ("status", gettext_lazy("Status")),
    ("location", gettext_lazy("Location")),
    ("acquired_on", gettext_lazy("Acquisition date")),
    ("value", gettext_lazy("Value (TL)")),
    ("warranty_end", gettext_lazy("Warranty end")),
)


class AssetImportListView(ObjectListView):
    queryset = AssetImport.objects.select_related("unit", "imported_by")
    table_class = tables.AssetImportTable
    filterset_class = filtersets.AssetImportFilterSet

    def bulk_edit_url(self) -> str:
        return ""


def preview_columns(kind: str) -> tuple:
    if kind == ImportKind.ASSETS:
        return PREVIEW_COLUMNS
    return network_import.PREVIEW_COLUMNS[kind]


def preview_table(asset_import: AssetImport) -> list[dict]:
    """The preview's rows with their cells in column order, each cell with its error (or
    warning: a row imported and flagged)."""
    columns = preview_columns(asset_import.kind)
    rows = []
    for row in asset_import.preview:
        values, errors = row.get("values", {}), row.get("errors", {})
        warnings = row.get("warnings", {})
        cells = [
            {
                "name": name,
                "value": values.get(name, ""),
                "error": errors.get(name, ""),
                "warning": warnings.get(name, ""),
            }
            for name, _label in columns
        ]
        shown = {name for name, _label in columns}
        other = [message for name, message in errors.items() if name not in shown]
        rows.append(
            {
                "row": row.get("row"),
                "cells": cells,
                "other": other,
                "ok": not errors,
                "warned": bool(warnings),
            }
        )
    return rows


class AssetImportDetailView(ObjectDetailView):
    queryset = AssetImport.objects.select_related("unit", "imported_by", "default_code")
    template_name = "inventory/assetimport_detail.html"
    detail_fields = (
        "filename", "kind", "file_format", "unit", "default_code", "state", "total", "error_count",
        "created_count", "error", "imported_by", "started_at", "finished_at",
    )  # fmt: skip
    show_attachments = False
    show_comments = False

    def get_object_urls(self, obj):
        return {"edit_url": "", "delete_url": ""}

    def get(self, request, *args, **kwargs):
        if request.GET.get("progress"):
            obj = self.get_object()
            return render(
                request, "inventory/partials/import_progress.html", self.progress_context(obj)
            )
        return super().get(request, *args, **kwargs)

    def progress_context(self, obj) -> dict:
        return {
            "object": obj,
            "columns": [label for _name, label in preview_columns(obj.kind)],
            "preview": preview_table(obj) if not obj.running else [],
            "may_confirm": obj.state == ImportState.READY
            and import_services.may_import(self.request.user, obj.unit, obj.kind),
        }

    def get_extra_context(self, obj):
        return self.progress_context(obj)


class AssetImportUploadView(ObjectEditView):
    """Upload a register: the service reads it (a file it cannot read is refused with the
    reason), records it and checks every row, at once or in the background."""

    queryset = AssetImport.objects.all()
    form_class = AssetImportForm
    template_name = "inventory/assetimport_upload.html"

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_form(obj, form, status=400)
        data = form.cleaned_data
        try:
            asset_import = import_services.start_import(
                user=request.user,
                unit=data["unit"],
                file=data["file"],
                filename=data["file"].name,
                file_format=data.get("file_format") or None,
                default_code=data.get("default_code"),
                kind=data.get("kind") or ImportKind.ASSETS,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.render_form(obj, form, status=400)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
            return self.render_form(obj, form, status=403)
        return redirect(asset_import.get_absolute_url())


class AssetImportConfirmView(ObjectPostView):
    model = AssetImport

    def act(self, asset_import, **kwargs):
        asset_import = import_services.confirm_import(
            user=self.request.user, asset_import=asset_import
        )
        if asset_import.state == ImportState.DONE and asset_import.kind != ImportKind.ASSETS:
            message = _("Imported %(count)s records.") % {"count": asset_import.created_count}
        elif asset_import.state == ImportState.DONE:
            message = _("Imported %(count)s assets.") % {"count": asset_import.created_count}
        elif asset_import.state == ImportState.INVALID:
            message = _("Rows became invalid since the check; nothing was imported.")
        else:
            message = _("The file is being imported in the background.")
        return message, asset_import


register_model_views(
    AssetImport,
    list=AssetImportListView,
    detail=AssetImportDetailView,
    add=AssetImportUploadView,
)


class ImportTemplateView(LoginRequiredMixin, View):
    """The empty file of a network inventory import (header row and one example row), as CSV
    for Turkish Excel or as .xlsx."""

    def get(self, request, kind: str, fmt: str):
        if kind not in network_import.KINDS or fmt not in ("csv", "xlsx"):
            raise Http404
        content, content_type, filename = network_import.template(kind, fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
