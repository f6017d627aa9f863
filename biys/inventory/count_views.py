"""The count (sayım) and write-off screens. The count page is the counting sheet: a label input
that submits on Enter (a keyboard-style scanner types the label and presses Enter; a phone's
camera decodes the QR code and fills the same input), the consumables' counted quantities, and
expected against found. It is made for a phone's width. Every write goes through
``count_services``."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from biys.core.access import can
from biys.core.views.generic import (
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    register_model_views,
)
from biys.inventory import count_pdf, count_services, filtersets, tables
from biys.inventory.count_forms import (
    CountForm,
    DisposalForm,
    IdentifyForm,
    QuantityForm,
    ScanForm,
)
from biys.inventory.forms import ReasonForm
from biys.inventory.models import Count, CountAsset, CountState, Disposal, ItemModel
from biys.inventory.views import ObjectPostView, _pdf_response, _refusal_message

COUNT_RELATED = ("store", "store__unit", "closed_by", "surplus_slip")


class CountListView(ObjectListView):
    queryset = Count.objects.select_related("store")
    table_class = tables.CountTable
    filterset_class = filtersets.CountFilterSet


def sheet_context(count: Count, user, *, scan_form=None, scan=None) -> dict:
    """The counting sheet's context (the page and its HTMX refresh): a fixed number of queries
    whatever the size of the count."""
    may_count = count.state == CountState.OPEN and can(user, "change", count)
    result = count_services.count_result(count)
    return {
        "count": count,
        "result": result,
        "may_count": may_count,
        "may_identify": count.state != CountState.CLOSED and can(user, "change", count),
        "scan_form": scan_form or (ScanForm() if may_count else None),
        "scan": scan,
        "consumables": list(
            ItemModel.objects.filter(kind="consumable")
            .restrict(user, "view")
            .only("pk", "brand", "name")[:500]
        )
        if may_count
        else [],
        "fixed_models": list(
            ItemModel.objects.filter(kind="fixed")
            .restrict(user, "view")
            .only("pk", "brand", "name")[:500]
        )
        if any(not row.asset_id for row in result.surpluses)
        else [],
        "expected_total": len(result.found) + len(result.shortages),
    }


class CountDetailView(ObjectDetailView):
    queryset = Count.objects.select_related(*COUNT_RELATED)
    template_name = "inventory/count_detail.html"
    detail_fields = (
        "number",
        "year",
        "store",
        "scope",
        "state",
        "members",
        "counted_at",
        "closed_at",
        "closed_by",
        "surplus_slip",
        "notes",
    )
    show_comments = False

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        urls["delete_url"] = ""
        return urls

    def get_extra_context(self, obj):
        user = self.request.user
        may_change = can(user, "change", obj)
        return {
            **sheet_context(obj, user),
            "may_finish": obj.state == CountState.OPEN and may_change,
            "may_reopen": obj.state == CountState.COUNTED and may_change,
            "may_close": obj.state == CountState.COUNTED and may_change,
            "disposals": list(obj.disposals.all()) if obj.state == CountState.CLOSED else [],
        }


class CountEditView(ServiceEditView):
    queryset = Count.objects.all()
    form_class = CountForm

    def add_unit_id(self, instance):
        return instance.store.unit_id if instance.store_id else None

    def save_with_service(self, form):
        data, user = form.cleaned_data, self.request.user
        if form.instance.pk is None:
            return count_services.open_count(
                store=data["store"],
                scope=data["scope"],
                year=data["year"],
                members=data["members"],
                notes=data["notes"],
                user=user,
            )
        return count_services.update_count(
            count=form.instance, members=data["members"], notes=data["notes"], user=user
        )


register_model_views(Count, list=CountListView, detail=CountDetailView, edit=CountEditView)


class CountActionView(ObjectPostView):
    """A POST on a count; an HTMX request gets the counting sheet back (the input keeps the
    focus for the next label), anything else a redirect with a message."""

    model = Count

    def get_object(self, pk):
        visible = Count.objects.restrict(self.request.user, "view").select_related(*COUNT_RELATED)
        return get_object_or_404(visible, pk=pk)

    def post(self, request, pk, **kwargs):
        if not request.htmx:
            return super().post(request, pk, **kwargs)
        count = self.get_object(pk)
        try:
            message, _target = self.act(count, **kwargs)
        except ValidationError as error:
            message, ok = _refusal_message(error), False
        else:
            ok = True
        count.refresh_from_db()
        context = sheet_context(count, request.user, scan={"message": message, "ok": ok})
        return render(request, "inventory/partials/count_sheet.html", context)


class CountScanView(CountActionView):
    def act(self, count, **kwargs):
        form = ScanForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Scan a label or type an inventory number."))
        result = count_services.record_scan(
            count=count, code=form.cleaned_data["code"], user=self.request.user
        )
        self.scan_result = result
        return result.message, count


class CountQuantityView(CountActionView):
    def act(self, count, **kwargs):
        form = QuantityForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose an item and a quantity of at least 0."))
        line = count_services.set_counted_quantity(
            count=count, user=self.request.user, **form.cleaned_data
        )
        return _("%(item)s: %(quantity)s counted.") % {
            "item": line.item_model,
            "quantity": line.counted_quantity,
        }, count


class CountRowView(CountActionView):
    def get_row(self, count, row):
        return get_object_or_404(CountAsset, pk=row, count=count)


class CountUnrecordView(CountRowView):
    def act(self, count, row=None, **kwargs):
        row = self.get_row(count, row)
        count_services.unrecord(row=row, user=self.request.user)
        return _("%(item)s taken off the count's findings.") % {"item": row}, count


class CountIdentifyView(CountRowView):
    def act(self, count, row=None, **kwargs):
        row = self.get_row(count, row)
        form = IdentifyForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose the model of the item."))
        count_services.identify_unknown(row=row, user=self.request.user, **form.cleaned_data)
        return _("%(item)s identified.") % {"item": row}, count


class CountFinishView(CountActionView):
    def act(self, count, **kwargs):
        count = count_services.finish_counting(count=count, user=self.request.user)
        return _("Counting finished: the count can be closed."), count


class CountReopenView(CountActionView):
    def act(self, count, **kwargs):
        count = count_services.reopen_counting(count=count, user=self.request.user)
        return _("Counting reopened."), count


class CountCloseView(CountActionView):
    def act(self, count, **kwargs):
        count = count_services.close_count(count=count, user=self.request.user)
        return _("Count %(number)s closed.") % {"number": count.number}, count


class CountPdfView(LoginRequiredMixin, View):
    """The Sayım Tutanağı or the Taşınır Sayım ve Döküm Cetveli of a count."""

    form = "tutanak"

    def get(self, request, pk):
        count = get_object_or_404(
            Count.objects.restrict(request.user, "view").select_related(*COUNT_RELATED), pk=pk
        )
        if self.form == "cetvel":
            data, name = count_pdf.sayim_doekum_cetveli(count), "sayim-doekum-cetveli"
        else:
            data, name = count_pdf.sayim_tutanagi(count), "sayim-tutanagi"
        return _pdf_response(data, f"{name}-{count.number}.pdf")


# --------------------------------------------------------------------------- write-off, scrapping


class DisposalListView(ObjectListView):
    queryset = Disposal.objects.select_related("store", "slip")
    table_class = tables.DisposalTable
    filterset_class = filtersets.DisposalFilterSet


class DisposalDetailView(ObjectDetailView):
    queryset = Disposal.objects.select_related(
        "store", "store__unit", "count", "slip", "decided_by"
    )
    template_name = "inventory/disposal_detail.html"
    detail_fields = (
        "number",
        "kind",
        "state",
        "store",
        "count",
        "decision_date",
        "decision_number",
        "reason",
        "members",
        "decided_by",
        "decided_at",
        "slip",
        "notes",
    )
    show_comments = False

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        urls["delete_url"] = ""
        return urls

    def get_extra_context(self, obj):
        may_decide = obj.is_proposed and can(self.request.user, "approve", obj)
        return {
            "lines": list(
                obj.lines.select_related("item_model", "asset", "asset__tasinir_code").order_by(
                    "pk"
                )
            ),
            "may_decide": may_decide,
            "reason_form": ReasonForm() if may_decide else None,
        }


class DisposalEditView(ServiceEditView):
    queryset = Disposal.objects.all()
    form_class = DisposalForm

    def add_unit_id(self, instance):
        return instance.store.unit_id if instance.store_id else None

    def save_with_service(self, form):
        data, user = form.cleaned_data, self.request.user
        common = {
            "decision_date": data["decision_date"],
            "decision_number": data["decision_number"],
            "reason": data["reason"],
            "members": data["members"],
            "notes": data["notes"],
            "user": user,
        }
        if form.instance.pk is None:
            return count_services.propose_disposal(
                store=data["store"], kind=data["kind"], assets=data["asset_objects"], **common
            )
        return count_services.update_disposal(
            disposal=form.instance, assets=data["asset_objects"], **common
        )


register_model_views(
    Disposal, list=DisposalListView, detail=DisposalDetailView, edit=DisposalEditView
)


class DisposalDecideView(ObjectPostView):
    model = Disposal
    approve = True

    def act(self, disposal, **kwargs):
        if not can(self.request.user, "approve", disposal):
            raise PermissionDenied
        disposal = count_services.decide_disposal(
            disposal=disposal,
            approve=self.approve,
            user=self.request.user,
            notes=self.request.POST.get("notes", ""),
        )
        if self.approve:
            message = _("Approved: %(items)s off the register by slip %(number)s.") % {
                "items": disposal.number,
                "number": disposal.slip.number,
            }
        else:
            message = _("Proposal %(number)s refused.") % {"number": disposal.number}
        return message, disposal


class DisposalPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        disposal = get_object_or_404(
            Disposal.objects.restrict(request.user, "view").select_related(
                "store", "store__unit", "count", "slip", "decided_by"
            ),
            pk=pk,
        )
        return _pdf_response(
            count_pdf.kayittan_dusme(disposal), f"kayittan-dusme-{disposal.number}.pdf"
        )
