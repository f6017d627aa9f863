"""The inventory screens. Generic views per model; the custody actions, the Zimmet Fişi PDF,
the person's own "my custody" page and a person's custody and handover list are views of their
own. Every write goes through ``services`` (or ``codes`` for the code list)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from biys.core import assets
from biys.core.access import can, can_add, get_scope
from biys.core.querysets import read_rows
from biys.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    Tab,
    register_model_views,
)
from biys.inventory import (
    codes,
    filtersets,
    labels,
    licence_selectors,
    pdf,
    selectors,
    services,
    tables,
)
from biys.inventory.forms import (
    AssetForm,
    CodeFileForm,
    ItemModelForm,
    LocationForm,
    NotesForm,
    PersonChoiceForm,
    ReasonForm,
    RequestLineForm,
    SlipForm,
    SlipLineForm,
    StatusForm,
    StockItemForm,
    StockRequestForm,
    StoreForm,
    TasinirCodeForm,
)
from biys.inventory.models import (
    Asset,
    AssetStatus,
    Custody,
    Installation,
    ItemModel,
    Location,
    RequestState,
    Slip,
    SlipLine,
    StockItem,
    StockRequest,
    Store,
    TasinirCode,
)
from biys.org.models import Person

# What an asset list shows of an asset's relations (read_rows): what their __str__ reads.
ASSET_LIST_READ = {
    "item_model": ("brand", "name"),
    "custodian": ("first_name", "last_name"),
    "unit": ("name",),
    "location": ("building", "floor", "room"),
}


# --------------------------------------------------------------------------- code list


class TasinirCodeListView(ObjectListView):
    queryset = TasinirCode.objects.all()
    table_class = tables.TasinirCodeTable
    filterset_class = filtersets.TasinirCodeFilterSet
    default_per_page = 100
    template_name = "inventory/tasinircode_list.html"

    def get_extra_context(self):
        return {
            "load_allowed": get_scope(self.request.user).has_perm("inventory.add_tasinircode", None)
        }


class TasinirCodeDetailView(ObjectDetailView):
    queryset = TasinirCode.objects.select_related("parent")
    detail_fields = ("code", "name", "parent", "level", "is_active")
    show_attachments = False
    show_comments = False


class TasinirCodeEditView(ServiceEditView):
    queryset = TasinirCode.objects.all()
    form_class = TasinirCodeForm

    def save_with_service(self, form):
        return codes.save_code(code=form.instance)


class CodeLoadView(LoginRequiredMixin, View):
    """Load a code list file (``biys inventory load-codes FILE`` in the browser)."""

    template_name = "inventory/code_load.html"

    def check(self):
        if not get_scope(self.request.user).has_perm("inventory.add_tasinircode", None):
            raise PermissionDenied

    def get(self, request):
        self.check()
        return render(
            request, self.template_name, {"form": CodeFileForm(), "title": _("Load property codes")}
        )

    def post(self, request):
        self.check()
        form = CodeFileForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            try:
                report = codes.load_codes(form.cleaned_data["file"].read())
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request,
                    _(
                        "Codes loaded: %(created)s new, %(updated)s changed, %(unchanged)s unchanged."
                    )
                    % report.as_dict(),
                )
                return redirect("inventory:tasinircode_list")
        return render(
            request,
            self.template_name,
            {"form": form, "errors": errors, "title": _("Load property codes")},
            status=400,
        )


# --------------------------------------------------------------------------- item models, locations


class ItemModelListView(ObjectListView):
    queryset = ItemModel.objects.select_related("tasinir_code", "unit")
    table_class = tables.ItemModelTable
    filterset_class = filtersets.ItemModelFilterSet


class ItemModelDetailView(ObjectDetailView):
    queryset = ItemModel.objects.select_related("tasinir_code", "unit")
    show_attachments = False
    show_comments = False


class ItemModelEditView(ServiceEditView):
    queryset = ItemModel.objects.all()
    form_class = ItemModelForm

    def save_with_service(self, form):
        return services.save_item_model(item_model=form.instance, user=self.request.user)


class LocationListView(ObjectListView):
    queryset = Location.objects.select_related("unit")
    table_class = tables.LocationTable
    filterset_class = filtersets.LocationFilterSet


class LocationDetailView(ObjectDetailView):
    queryset = Location.objects.select_related("unit")
    show_attachments = False
    show_comments = False


class LocationEditView(ServiceEditView):
    queryset = Location.objects.all()
    form_class = LocationForm

    def save_with_service(self, form):
        return services.save_location(location=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- assets


class AssetListView(ObjectListView):
    queryset = Asset.objects.all()
    table_class = tables.AssetTable
    filterset_class = filtersets.AssetFilterSet
    keyset_pagination = True
    template_name = "inventory/asset_list.html"

    def get_extra_context(self):
        query = self.request.GET.copy()
        for name in ("cursor", "page", "per_page", "size"):
            query.pop(name, None)
        return {
            "label_sheets": labels.SHEETS.values(),
            "labels_query": query.urlencode(),
        }

    def page_rows(self, queryset) -> list:
        """A page of assets read as plain rows, the related names by subqueries."""
        return read_rows(queryset, exclude=("search_text",), related=ASSET_LIST_READ)


class AssetDetailView(ObjectDetailView):
    queryset = Asset.objects.select_related(
        "item_model", "tasinir_code", "unit", "custodian", "location"
    )
    template_name = "inventory/asset_detail.html"
    detail_fields = (
        "inventory_number",
        "item_model",
        "tasinir_code",
        "serial_number",
        "status",
        "custodian",
        "unit",
        "location",
        "acquisition_method",
        "acquired_on",
        "value",
        "supplier",
        "invoice_number",
        "contract",
        "warranty_end",
        "notes",
    )

    def get_extra_tabs(self, obj):
        from biys.inventory.agent_views import asset_agent_tab  # it imports this module

        user = self.request.user
        references = [obj.inventory_number, obj.serial_number]
        return [
            Tab(
                "custody",
                _("Custody history"),
                template_name="inventory/partials/custody_history.html",
                context=lambda: {"custodies": list(selectors.custody_history(obj, user=user))},
            ),
            Tab(
                "faults",
                _("Fault history"),
                template_name="inventory/partials/fault_history.html",
                # the tickets linked to the asset, and those naming it not linked yet
                context=lambda: {"faults": assets.fault_history(user, references, asset_pk=obj.pk)},
            ),
            Tab(
                "software",
                _("Software"),
                template_name="inventory/partials/asset_software.html",
                context=lambda: {
                    "installations": list(licence_selectors.installations_of_asset(obj, user=user)),
                    "may_record": not obj.is_final and can_add(user, Installation, obj.unit_id),
                },
            ),
            *filter(None, [asset_agent_tab(obj, user)]),
        ]

    def get_extra_context(self, obj):
        may_act = can(self.request.user, "change", obj)
        return {
            "may_act": may_act and not obj.is_final,
            "open_custody": Custody.objects.filter(asset=obj, ended_at__isnull=True).first(),
            "in_store": obj.status == AssetStatus.IN_STORE,
            "status_moves": services.status_choices(obj) if may_act else [],
        }


class AssetEditView(ServiceEditView):
    queryset = Asset.objects.all()
    form_class = AssetForm

    def save_with_service(self, form):
        values = {
            name: form.cleaned_data[name]
            for name in services.ASSET_FIELDS
            if name in form.cleaned_data
        }
        user = self.request.user
        if form.instance.pk is None or not form.instance.inventory_number:
            return services.register_asset(user=user, **values)
        asset = Asset.objects.get(pk=form.instance.pk)
        return services.update_asset(asset=asset, user=user, **values)


class CustodyListView(ObjectListView):
    queryset = Custody.objects.select_related("asset", "person", "unit")
    table_class = tables.CustodyTable
    filterset_class = filtersets.CustodyFilterSet


class CustodyDetailView(ObjectDetailView):
    queryset = Custody.objects.select_related("asset", "person", "unit", "handed_by", "ended_by")
    template_name = "inventory/custody_detail.html"
    show_attachments = True
    show_comments = False


def service_delete_view(model, argument: str, service):
    """The delete page of ``model`` through its service (``service(argument=obj, user=...)``):
    a record others still hold is refused with the list of them (409), nothing deleted."""

    def delete_object(self, obj) -> None:
        service(**{argument: obj, "user": self.request.user})

    return type(
        f"{model.__name__}DeleteView",
        (ObjectDeleteView,),
        {"queryset": model.objects.all(), "delete_object": delete_object},
    )


register_model_views(
    TasinirCode, list=TasinirCodeListView, detail=TasinirCodeDetailView, edit=TasinirCodeEditView
)
register_model_views(
    ItemModel,
    list=ItemModelListView,
    detail=ItemModelDetailView,
    edit=ItemModelEditView,
    delete=service_delete_view(ItemModel, "item_model", services.delete_item_model),
)
register_model_views(
    Location,
    list=LocationListView,
    detail=LocationDetailView,
    edit=LocationEditView,
    delete=service_delete_view(Location, "location", services.delete_location),
)
register_model_views(Asset, list=AssetListView, detail=AssetDetailView, edit=AssetEditView)
register_model_views(Custody, list=CustodyListView, detail=CustodyDetailView)


# --------------------------------------------------------------------------- custody actions


class AssetActionView(LoginRequiredMixin, View):
    """One action on an asset: a form (GET), the service (POST). Only for whoever may change
    the asset; anyone else gets 404 (or 403 when they may see it)."""

    template_name = "inventory/asset_action.html"
    title = ""
    form_class = NotesForm
    button = ""

    def get_asset(self):
        visible = Asset.objects.restrict(self.request.user, "view")
        asset = get_object_or_404(
            visible.select_related("item_model", "custodian"), pk=self.kwargs["pk"]
        )
        if not can(self.request.user, "change", asset):
            raise PermissionDenied
        return asset

    def get_form(self, asset, data=None):
        return self.form_class(data)

    def render_form(self, asset, form, status=200):
        context = {
            "asset": asset,
            "form": form,
            "title": self.title % {"asset": asset},
            "button": self.button,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        asset = self.get_asset()
        return self.render_form(asset, self.get_form(asset))

    def post(self, request, pk):
        asset = self.get_asset()
        form = self.get_form(asset, request.POST)
        if form.is_valid():
            try:
                message = self.act(asset, form.cleaned_data)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(request, message)
                return redirect(asset.get_absolute_url())
        return self.render_form(asset, form, status=400)

    def act(self, asset, data) -> str:
        raise NotImplementedError


class HandOverView(AssetActionView):
    title = _("Hand over %(asset)s")
    form_class = PersonChoiceForm
    button = _("Hand over")

    def act(self, asset, data):
        custody = services.hand_over(
            asset=asset, person=data["person"], user=self.request.user, notes=data["notes"]
        )
        return _("%(asset)s is in the custody of %(person)s (custody form %(number)s).") % {
            "asset": asset,
            "person": custody.person,
            "number": custody.number,
        }


class TransferView(HandOverView):
    title = _("Transfer %(asset)s to another person")
    button = _("Transfer")

    def act(self, asset, data):
        custody = services.transfer(
            asset=asset, person=data["person"], user=self.request.user, notes=data["notes"]
        )
        return _("%(asset)s is in the custody of %(person)s (custody form %(number)s).") % {
            "asset": asset,
            "person": custody.person,
            "number": custody.number,
        }


class TakeBackView(AssetActionView):
    title = _("Take back %(asset)s")
    button = _("Take back")

    def act(self, asset, data):
        custody = services.take_back(asset=asset, user=self.request.user, notes=data["notes"])
        return _("%(asset)s is back from %(person)s.") % {"asset": asset, "person": custody.person}


class StatusView(AssetActionView):
    title = _("Change the status of %(asset)s")
    button = _("Save")

    def get_form(self, asset, data=None):
        return StatusForm(data, choices=services.status_choices(asset))

    def act(self, asset, data):
        asset = services.set_status(
            asset=asset, status=data["status"], user=self.request.user, notes=data["notes"]
        )
        return _("%(asset)s is now %(status)s.") % {
            "asset": asset,
            "status": asset.get_status_display().lower(),
        }


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class AssetLabelsView(AssetListView):
    """``labels.pdf``: QR labels for the assets named by ``?asset=`` (repeated), else for the
    asset list as filtered, on the label sheet ``?size=``; only assets the user may see."""

    def get(self, request, *args, **kwargs):
        sheet = labels.SHEETS.get(request.GET.get("size") or labels.DEFAULT_SHEET)
        if sheet is None:
            return HttpResponse(_("Unknown label sheet."), status=400, content_type="text/plain")
        named = [value for value in request.GET.getlist("asset") if value.isdigit()]
        queryset = self.get_queryset()
        if named:
            queryset = queryset.filter(pk__in=named)
        else:
            queryset, _filterset = self.filter_queryset(queryset)
        rows = list(
            queryset.order_by("inventory_number", "pk").values_list(
                "pk", "inventory_number", "item_model__brand", "item_model__name"
            )[: labels.MAX_LABELS + 1]
        )
        if len(rows) > labels.MAX_LABELS:
            messages.warning(
                request,
                _("Labels are printed for at most %(count)s assets at a time: narrow the list.")
                % {"count": labels.MAX_LABELS},
            )
            return redirect(f"{reverse('inventory:asset_list')}?{request.GET.urlencode()}")
        if not rows:
            raise Http404
        items = [
            labels.Label(
                url=request.build_absolute_uri(reverse("inventory:asset", args=[pk])),
                number=number,
                model=" ".join(part for part in (brand, model) if part),
            )
            for pk, number, brand, model in rows
        ]
        data = labels.label_sheets_pdf(items, sheet, municipality=pdf._municipality_name())
        return _pdf_response(data, f"etiketler-{sheet.code}.pdf")


class ZimmetFisiView(LoginRequiredMixin, View):
    """The Zimmet Fişi of a custody, to print and sign: for whoever may see the custody, and for
    the custodian themselves."""

    def get(self, request, pk):
        custody = Custody.objects.select_related(
            "asset", "asset__item_model", "asset__tasinir_code", "person", "person__unit",
            "person__title", "unit",
        ).filter(pk=pk).first()  # fmt: skip
        if custody is None:
            raise Http404
        own = custody.person_id == getattr(request.user, "person_id", None)
        if not own and not can(request.user, "view", custody):
            raise Http404
        return _pdf_response(pdf.zimmet_fisi(custody), f"zimmet-fisi-{custody.number}.pdf")


# --------------------------------------------------------------------------- people


class MyCustodyView(LoginRequiredMixin, View):
    """Everything in the signed-in person's custody, with an Acknowledge button for each."""

    template_name = "inventory/my_custody.html"

    def get(self, request):
        records = list(selectors.my_custody(request.user))
        context = {
            "title": _("My custody"),
            "records": records,
            "unacknowledged": sum(1 for record in records if record.acknowledged_at is None),
            "has_person": request.user.person_id is not None,
        }
        return render(request, self.template_name, context)


class AcknowledgeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        custody = get_object_or_404(selectors.my_custody(request.user), pk=pk)
        try:
            services.acknowledge(custody=custody, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("You acknowledged %(asset)s (custody form %(number)s).")
                % {"asset": custody.asset, "number": custody.number},
            )
        return redirect("inventory:my_custody")


# What the person's custody page shows of each record (inventory/person_custody.html and
# inventory/partials/custody_history.html, their rows by templatetags/inventory_rows.py): the
# records read as plain rows (read_rows), the related names by subqueries.
PERSON_READ = {"unit": ("name",), "title": ("name",)}
HOLDING_READ = {"item_model": ("brand", "name"), "unit": ("name",)}
CUSTODY_HISTORY_READ = {
    "asset": ("inventory_number",),
    "asset__item_model": ("brand", "name"),
    "person": ("first_name", "last_name"),
}


class PersonCustodyView(LoginRequiredMixin, View):
    """A person's custody: what they hold now (the handover list) and their history, as far as
    the viewer may see the registers involved."""

    template_name = "inventory/person_custody.html"

    def get_person(self, pk):
        if not get_scope(self.request.user).has_perm("inventory.view_custody"):
            raise PermissionDenied
        return get_object_or_404(Person.objects.select_related("unit", "title"), pk=pk)

    def read_person(self, pk):
        """``get_person`` for the page: the person, their unit and title read as one plain row
        (what the page shows of them)."""
        if not get_scope(self.request.user).has_perm("inventory.view_custody"):
            raise PermissionDenied
        found = read_rows(
            Person.objects.filter(pk=pk), exclude=("search_text",), related=PERSON_READ
        )
        if not found:
            raise Http404
        return found[0]

    def get(self, request, pk):
        person = self.read_person(pk)
        context = {
            "title": _("Custody of %(person)s") % {"person": person},
            "person": person,
            "holding": read_rows(
                selectors.handover_list(person, user=request.user),
                exclude=("search_text", "notes"),
                related=HOLDING_READ,
            ),
            "history": read_rows(
                selectors.custody_of(person, user=request.user),
                exclude=("notes",),
                related=CUSTODY_HISTORY_READ,
            ),
        }
        return render(request, self.template_name, context)


class HandoverListPdfView(PersonCustodyView):
    def get(self, request, pk):
        person = self.get_person(pk)
        holding = list(selectors.handover_list(person, user=request.user))
        since = dict(
            Custody.objects.filter(
                asset__in=holding, person=person, ended_at__isnull=True
            ).values_list("asset_id", "started_at")
        )
        rows = [(asset, since.get(asset.pk)) for asset in holding]
        stamp = timezone.localdate().strftime("%Y%m%d")
        return _pdf_response(
            pdf.handover_list(person, rows), f"zimmet-devir-{person.pk}-{stamp}.pdf"
        )


# --------------------------------------------------------------------------- stores and stock


class StoreListView(ObjectListView):
    queryset = Store.objects.select_related("unit", "keeper", "location")
    table_class = tables.StoreTable
    filterset_class = filtersets.StoreFilterSet


class StoreDetailView(ObjectDetailView):
    queryset = Store.objects.select_related("unit", "keeper", "location")
    show_attachments = False
    show_comments = False

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            Tab(
                "stock",
                _("Stock"),
                template_name="inventory/partials/store_stock.html",
                context=lambda: {
                    "stock": list(
                        StockItem.objects.restrict(user, "view")
                        .filter(store=obj)
                        .select_related("item_model", "item_model__tasinir_code")
                    )
                },
            )
        ]


class StoreEditView(ServiceEditView):
    queryset = Store.objects.all()
    form_class = StoreForm

    def save_with_service(self, form):
        return services.save_store(store=form.instance, user=self.request.user)


class StockItemListView(ObjectListView):
    """The stock register: ``?low=true`` is the low-stock list; CSV and Excel exports in the
    Turkish way (``;``, a byte order mark, Turkish numbers) come with every list."""

    queryset = StockItem.objects.select_related("store", "item_model", "item_model__tasinir_code")
    table_class = tables.StockItemTable
    filterset_class = filtersets.StockItemFilterSet


class StockItemDetailView(ObjectDetailView):
    queryset = StockItem.objects.select_related("store", "item_model")
    detail_fields = ("store", "item_model", "quantity", "minimum_level", "low_alerted_at")
    show_attachments = False
    show_comments = False


class StockItemEditView(ServiceEditView):
    queryset = StockItem.objects.all()
    form_class = StockItemForm

    def save_with_service(self, form):
        return services.save_stock_item(stock_item=form.instance, user=self.request.user)


class SlipListView(ObjectListView):
    queryset = Slip.objects.select_related("store")
    table_class = tables.SlipTable
    filterset_class = filtersets.SlipFilterSet


class SlipDetailView(ObjectDetailView):
    queryset = Slip.objects.select_related(
        "store", "store__unit", "target_store", "reverses", "created_by", "approved_by"
    )
    template_name = "inventory/slip_detail.html"
    detail_fields = (
        "number",
        "kind",
        "state",
        "store",
        "date",
        "counterparty",
        "document",
        "target_store",
        "reverses",
        "stock_request",
        "created_by",
        "approved_by",
        "approved_at",
        "notes",
    )
    show_comments = False

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        if not obj.is_draft:
            urls["edit_url"] = ""
        return urls

    def get_extra_context(self, obj):
        user = self.request.user
        may_edit = obj.is_draft and can(user, "change", obj)
        reversal = Slip.objects.filter(reverses=obj).first()
        return {
            "lines": list(
                obj.lines.select_related("item_model").prefetch_related("assets").order_by("pk")
            ),
            "may_edit_lines": may_edit and not obj.reverses_id,
            "may_discard": may_edit and not obj.stock_request_id,
            "line_form": SlipLineForm(slip=obj, user=user) if may_edit else None,
            "may_approve": obj.is_draft and can(user, "approve", obj),
            "may_reverse": (
                not obj.is_draft
                and not obj.reverses_id
                and reversal is None
                and can_add(user, Slip, obj.store.unit_id)
            ),
            "reversal": reversal,
        }


class SlipEditView(ServiceEditView):
    queryset = Slip.objects.all()
    form_class = SlipForm

    def save_with_service(self, form):
        return services.save_slip(slip=form.instance, user=self.request.user)


class StockRequestListView(ObjectListView):
    queryset = StockRequest.objects.select_related("store", "requesting_unit", "requested_by")
    table_class = tables.StockRequestTable
    filterset_class = filtersets.StockRequestFilterSet


class StockRequestDetailView(ObjectDetailView):
    queryset = StockRequest.objects.select_related(
        "store", "requesting_unit", "requested_by", "decided_by"
    )
    template_name = "inventory/stockrequest_detail.html"
    detail_fields = (
        "number",
        "state",
        "store",
        "requesting_unit",
        "requested_by",
        "decided_by",
        "decided_at",
        "notes",
    )
    show_comments = False

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        if obj.state != RequestState.SUBMITTED:
            urls["edit_url"] = ""
        return urls

    def get_extra_context(self, obj):
        user = self.request.user
        may_issue = can(user, "issue", obj)
        submitted = obj.state == RequestState.SUBMITTED
        may_edit = submitted and can(user, "change", obj)
        return {
            "lines": list(obj.lines.select_related("item_model").order_by("pk")),
            "line_form": RequestLineForm() if may_edit else None,
            "may_decide": submitted and may_issue,
            "may_issue": obj.state == RequestState.APPROVED and may_issue,
            "slips": list(obj.slips.all()),
        }


class StockRequestEditView(ServiceEditView):
    queryset = StockRequest.objects.all()
    form_class = StockRequestForm

    def save_with_service(self, form):
        return services.save_stock_request(stock_request=form.instance, user=self.request.user)


register_model_views(
    Store,
    list=StoreListView,
    detail=StoreDetailView,
    edit=StoreEditView,
    delete=service_delete_view(Store, "store", services.delete_store),
)
register_model_views(
    StockItem, list=StockItemListView, detail=StockItemDetailView, edit=StockItemEditView
)
register_model_views(Slip, list=SlipListView, detail=SlipDetailView, edit=SlipEditView)
register_model_views(
    StockRequest,
    list=StockRequestListView,
    detail=StockRequestDetailView,
    edit=StockRequestEditView,
)


def _refusal_message(error: ValidationError) -> str:
    return " ".join(error.messages)


class ObjectPostView(LoginRequiredMixin, View):
    """A POST action on a fişi or a request through ``services``: 404 for whoever may not see
    the object, the service's own refusal as a message (or 403 when it is a permission)."""

    model = None

    def get_object(self, pk):
        visible = self.model.objects.restrict(self.request.user, "view")
        return get_object_or_404(visible, pk=pk)

    def post(self, request, pk, **kwargs):
        obj = self.get_object(pk)
        try:
            message, target = self.act(obj, **kwargs)
        except ValidationError as error:
            messages.error(request, _refusal_message(error))
            return redirect(obj.get_absolute_url())
        messages.success(request, message)
        return redirect(target.get_absolute_url())

    def act(self, obj, **kwargs):
        raise NotImplementedError


class SlipApproveView(ObjectPostView):
    model = Slip

    def act(self, slip, **kwargs):
        slip = services.approve_slip(slip=slip, user=self.request.user)
        return _("Approved slip %(number)s.") % {"number": slip.number}, slip


class SlipDiscardView(ObjectPostView):
    model = Slip

    def post(self, request, pk, **kwargs):
        slip = self.get_object(pk)
        try:
            services.discard_slip(slip=slip, user=request.user)
        except ValidationError as error:
            messages.error(request, _refusal_message(error))
            return redirect(slip.get_absolute_url())
        messages.success(request, _("The draft slip was discarded."))
        return redirect("inventory:slip_list")


class SlipLineAddView(ObjectPostView):
    model = Slip

    def act(self, slip, **kwargs):
        form = SlipLineForm(self.request.POST, slip=slip, user=self.request.user)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[name].label}: {' '.join(errs)}" if name in form.fields
                 else " ".join(errs) for name, errs in form.errors.items()]
            )  # fmt: skip
        data = form.cleaned_data
        services.add_slip_line(
            slip=slip,
            item_model=data["item_model"],
            quantity=data["quantity"] or 0,
            unit_price=data["unit_price"],
            assets=data["assets"],
            user=self.request.user,
        )
        return _("Line added."), slip


class SlipLineRemoveView(ObjectPostView):
    model = Slip

    def act(self, slip, line=None, **kwargs):
        line = get_object_or_404(SlipLine, pk=line, slip=slip)
        services.remove_slip_line(line=line, user=self.request.user)
        return _("Line removed."), slip


class SlipReverseView(LoginRequiredMixin, View):
    """The reason for a reversal (GET), then a draft reversing fişi (POST)."""

    template_name = "inventory/slip_reverse.html"

    def get_slip(self, pk):
        slip = get_object_or_404(Slip.objects.restrict(self.request.user, "view"), pk=pk)
        if not can_add(self.request.user, Slip, slip.store.unit_id):
            raise PermissionDenied
        return slip

    def render_form(self, slip, form, status=200):
        title = _("Reverse slip %(number)s") % {"number": slip}
        context = {"slip": slip, "form": form, "title": title}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        slip = self.get_slip(pk)
        return self.render_form(slip, ReasonForm())

    def post(self, request, pk):
        slip = self.get_slip(pk)
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                reversal = services.reverse_slip(
                    slip=slip, user=request.user, notes=form.cleaned_data["notes"]
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("A reversing slip is ready for approval."))
                return redirect(reversal.get_absolute_url())
        return self.render_form(slip, form, status=400)


class SlipPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        slip = get_object_or_404(
            Slip.objects.restrict(request.user, "view").select_related(
                "store", "store__unit", "target_store", "reverses", "created_by", "approved_by"
            ),
            pk=pk,
        )
        name = slip.number or f"taslak-{slip.pk}"
        return _pdf_response(pdf.islem_fisi(slip), f"tasinir-islem-fisi-{name}.pdf")


class RequestPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        stock_request = get_object_or_404(
            StockRequest.objects.restrict(request.user, "view").select_related(
                "store", "requesting_unit"
            ),
            pk=pk,
        )
        return _pdf_response(
            pdf.istek_belgesi(stock_request), f"tasinir-istek-belgesi-{stock_request.number}.pdf"
        )


class RequestLineAddView(ObjectPostView):
    model = StockRequest

    def act(self, stock_request, **kwargs):
        form = RequestLineForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose an item and a quantity of at least 1."))
        services.add_request_line(
            stock_request=stock_request, user=self.request.user, **form.cleaned_data
        )
        return _("Line added."), stock_request


class RequestDecideView(ObjectPostView):
    model = StockRequest
    approve = True

    def act(self, stock_request, **kwargs):
        stock_request = services.decide_request(
            stock_request=stock_request,
            approve=self.approve,
            user=self.request.user,
            notes=self.request.POST.get("notes", ""),
        )
        return _("Request %(number)s: %(state)s.") % {
            "number": stock_request.number,
            "state": stock_request.get_state_display().lower(),
        }, stock_request


class RequestIssueView(ObjectPostView):
    model = StockRequest

    def act(self, stock_request, **kwargs):
        slip = services.issue_request(stock_request=stock_request, user=self.request.user)
        return _("Issued from stock with slip %(number)s.") % {"number": slip.number}, slip


class LowStockView(LoginRequiredMixin, View):
    """The low-stock list: the stock register narrowed to lines under their minimum level."""

    def get(self, request):
        return redirect(f"{reverse('inventory:stockitem_list')}?low=true")
