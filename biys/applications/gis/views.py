"""The GIS data sale screens: the layers and the dated tariff (kept without code), the sales
list, the purchase request at the counter, the sale page with its steps (layers, quote,
accrual, payment, undertaking, delivery), the quote PDF and the period report with its CSV.
Every write goes through ``biys.applications.gis.services``."""

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from biys.applications import selectors as application_selectors
from biys.applications import services as application_services
from biys.applications.gis import filtersets, selectors, services, tables
from biys.applications.gis.choices import SaleState
from biys.applications.gis.forms import (
    AccrueForm,
    CancelForm,
    DeliveryForm,
    GisLayerForm,
    GisTariffForm,
    GisTariffLineForm,
    ItemForm,
    PaymentForm,
    SaleForm,
    UndertakingForm,
)
from biys.applications.gis.models import GisDataSale, GisLayer, GisTariff, GisTariffLine
from biys.applications.models import Application
from biys.core.access import get_scope
from biys.core.export import attachment_header, csv_delimiter
from biys.core.views.generic import (
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    register_model_views,
)
from biys.core.views.generic.base import ScopedViewMixin, restrict_form_choices


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


# Layers and the tariff ---------------------------------------------------------------------


class GisLayerListView(ObjectListView):
    queryset = GisLayer.objects.select_related("unit")
    table_class = tables.GisLayerTable
    filterset_class = filtersets.GisLayerFilterSet


class GisLayerDetailView(ObjectDetailView):
    queryset = GisLayer.objects.select_related("unit")
    show_attachments = False
    show_comments = False


class GisLayerEditView(ServiceEditView):
    queryset = GisLayer.objects.all()
    form_class = GisLayerForm

    def save_with_service(self, form):
        return services.save_layer(user=self.request.user, layer=form.instance)


class GisTariffListView(ObjectListView):
    queryset = GisTariff.objects.select_related("unit")
    table_class = tables.GisTariffTable
    filterset_class = filtersets.GisTariffFilterSet


class GisTariffDetailView(ObjectDetailView):
    queryset = GisTariff.objects.select_related("unit")
    template_name = "applications/gis/tariff_detail.html"
    show_comments = False

    def get_extra_context(self, obj):
        from biys.core.access import can_add

        return {
            "lines": obj.lines.select_related("layer").order_by(
                "layer__position", "layer__name", "data_format"
            ),
            "may_add_line": can_add(self.request.user, GisTariffLine, obj.unit_id),
        }


class GisTariffEditView(ServiceEditView):
    queryset = GisTariff.objects.all()
    form_class = GisTariffForm

    def save_with_service(self, form):
        return services.save_tariff(user=self.request.user, tariff=form.instance)


class GisTariffLineListView(ObjectListView):
    queryset = GisTariffLine.objects.select_related("tariff", "layer")
    table_class = tables.GisTariffLineTable
    filterset_class = filtersets.GisTariffLineFilterSet


class GisTariffLineDetailView(ObjectDetailView):
    queryset = GisTariffLine.objects.select_related("tariff", "layer")
    show_attachments = False
    show_comments = False


class GisTariffLineEditView(ServiceEditView):
    queryset = GisTariffLine.objects.all()
    form_class = GisTariffLineForm

    def add_unit_id(self, instance):
        return instance.tariff.unit_id if instance.tariff_id else None

    def save_with_service(self, form):
        return services.save_tariff_line(user=self.request.user, line=form.instance)


class GisTariffLineAddView(GisTariffLineEditView):
    """A new line, added from its tariff's page (``tariffs/<tariff_pk>/lines/add/``)."""

    def get_object(self):
        from biys.core.access import can_add

        tariff = get_object_or_404(
            GisTariff.objects.restrict(self.request.user, "view"), pk=self.kwargs["tariff_pk"]
        )
        if not can_add(self.request.user, GisTariffLine, tariff.unit_id):
            raise PermissionDenied
        return GisTariffLine(tariff=tariff)


# Sales -------------------------------------------------------------------------------------


class GisDataSaleListView(ObjectListView):
    """The sales the user may see, the newest first: one query for the rows whatever the page
    size (the application and its unit joined)."""

    queryset = GisDataSale.objects.select_related(*selectors.LIST_RELATED).order_by("-id")
    table_class = tables.GisDataSaleTable
    filterset_class = filtersets.GisDataSaleFilterSet

    def bulk_edit_url(self) -> str:
        return ""


DELIVERY_SHOWN = (SaleState.PARTLY_DELIVERED, SaleState.DELIVERED)


class GisDataSaleDetailView(ObjectDetailView):
    queryset = GisDataSale.objects.select_related(
        "application", "application__responsible_unit", "application__type", "tariff",
        "undertaking",
    )  # fmt: skip
    template_name = "applications/gis/sale_detail.html"
    detail_fields = ("state", "area_description", "purpose", "tariff", "quoted_on",
                     "net_total", "kdv_total", "total", "accrual_number", "accrued_on",
                     "payment_reference", "paid_on", "paid_amount", "undertaking_signed_on",
                     "cancel_reason")  # fmt: skip
    show_comments = False

    def get_object_urls(self, obj):
        return {"edit_url": "", "delete_url": ""}

    # A refused delivery comes back with its bound form (``SaleActionView.do_deliver``).
    bound_forms: dict = {}

    def get_extra_context(self, obj):
        user = self.request.user
        actions = services.sale_actions(user, obj)
        progress = selectors.delivery_progress(obj)
        items = [line.item for line in progress]
        preview = None
        if "quote" in actions and items:
            preview = selectors.compute_quote(items, day=obj.application.received_on)
        deliveries = selectors.deliveries_of(obj) if obj.state in DELIVERY_SHOWN else []
        return {
            "application": obj.application,
            "items": items,
            "progress": progress if deliveries or "deliver" in actions else [],
            "actions": actions,
            "preview": preview,
            "deliveries": deliveries,
            "refusal": services.delivery_refusal(obj),
            "may_reveal": application_services.may_reveal(user, obj.application),
            "item_form": ItemForm(prefix="item") if "items" in actions else None,
            "accrue_form": AccrueForm(prefix="accrue") if "accrue" in actions else None,
            "payment_form": PaymentForm(prefix="pay", initial={"amount": obj.total})
            if "pay" in actions
            else None,
            "undertaking_form": UndertakingForm(prefix="undertaking")
            if "undertaking" in actions
            else None,
            "delivery_form": DeliveryForm(
                prefix="deliver",
                progress=progress,
                initial={"recipient_name": obj.application.applicant_name},
            )
            if "deliver" in actions
            else None,
            "cancel_form": CancelForm(prefix="cancel") if "cancel" in actions else None,
            **self.bound_forms,
        }


class GisDataSaleAddView(ScopedViewMixin, View):
    """A purchase request at the counter: the application of type ``cbs-veri-satisi`` and its
    sale, recorded together by the service."""

    queryset = GisDataSale.objects.all()
    template_name = "applications/gis/sale_add.html"

    def _form(self, data=None):
        form = SaleForm(
            data,
            application_type=services.sale_type(),
            initial={"received_on": application_selectors.today()},
        )
        restrict_form_choices(form, self.request.user)
        return form

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                **self.base_context(),
                "form": form,
                "title": _("New GIS data sale"),
                "missing_type": services.sale_type() is None,
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        if not get_scope(request.user).has_perm(services.ADD_SALE):
            raise PermissionDenied
        return self._render(self._form())

    def post(self, request, *args, **kwargs):
        if not get_scope(request.user).has_perm(services.ADD_SALE):
            raise PermissionDenied
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        data = form.cleaned_data
        try:
            sale = services.open_sale(
                user=request.user,
                received_on=data["received_on"],
                channel=data["channel"],
                applicant_kind=data["applicant_kind"],
                applicant_name=data["applicant_name"],
                tc_kimlik_no=data.get("tc_kimlik_no") or "",
                tax_number=data.get("tax_number") or "",
                email=data.get("email") or "",
                phone=data.get("phone") or "",
                address=data.get("address") or "",
                responsible_unit=data.get("responsible_unit"),
                form_data=form.form_data(),
                area_description=data.get("area_description") or "",
                purpose=data.get("purpose") or "",
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, problems in error.message_dict.items():
                    if name == "form_data":
                        name = None
                    form.add_error(name if name in form.fields else None, problems)
            else:
                form.add_error(None, error.messages)
            return self._render(form, status=400)
        except PermissionDenied:
            form.add_error(None, _("You may not record GIS data sales for that unit."))
            return self._render(form, status=403)
        messages.success(
            request,
            _("Recorded %(number)s; legal deadline %(due)s. Add the requested layers.")
            % {
                "number": sale.application.number,
                "due": sale.application.due_date.strftime("%d.%m.%Y"),
            },
        )
        return redirect(sale.get_absolute_url())


register_model_views(
    GisLayer, list=GisLayerListView, detail=GisLayerDetailView, edit=GisLayerEditView
)
register_model_views(
    GisTariff, list=GisTariffListView, detail=GisTariffDetailView, edit=GisTariffEditView
)
# Lines are added from their tariff's page (``GisTariffLineAddView``), so no generic add page.
register_model_views(
    GisTariffLine,
    list=GisTariffLineListView,
    detail=GisTariffLineDetailView,
    add=False,
    edit=GisTariffLineEditView,
)
# Registered with its add page only, as the applications themselves: the buyer's identity is
# never sent back pre-filled to an edit form.
register_model_views(
    GisDataSale, list=GisDataSaleListView, detail=GisDataSaleDetailView, add=GisDataSaleAddView
)


class StartSaleView(LoginRequiredMixin, View):
    """The sale of an application already recorded (the public form, the counter entry)."""

    def post(self, request, pk):
        application = get_object_or_404(Application.objects.restrict(request.user, "view"), pk=pk)
        try:
            sale = services.start_sale(user=request.user, application=application)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
            return redirect(application.get_absolute_url())
        return redirect(sale.get_absolute_url())


class SaleActionView(LoginRequiredMixin, View):
    """POST only: one step of a sale the user may see. 404 for a sale not seen, 403 for a step
    the user may not take; a refused step goes back to the page with its reasons."""

    ACTIONS = ("items", "remove_item", "quote", "accrue", "pay", "undertaking", "deliver",
               "cancel")  # fmt: skip

    def post(self, request, pk, action):
        sale = get_object_or_404(
            selectors.sales_for(request.user).select_related("application"), pk=pk
        )
        if action not in self.ACTIONS:
            raise Http404
        needed = "items" if action == "remove_item" else action
        if needed not in services.sale_actions(request.user, sale):
            if not services.sale_actions(request.user, sale):
                raise PermissionDenied
            messages.error(request, _("The sale cannot take this step now."))
            return redirect(sale.get_absolute_url())
        try:
            done = getattr(self, f"do_{action}")(request, sale)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
            return redirect(sale.get_absolute_url())
        if isinstance(done, HttpResponse):
            return done
        if done is not None:
            messages.success(request, done)
        return redirect(sale.get_absolute_url())

    def _valid(self, form):
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[name].label if name in form.fields else ''}: {problem}".lstrip(": ")
                 for name, problems in form.errors.items() for problem in problems]
            )  # fmt: skip
        return form.cleaned_data

    def do_items(self, request, sale):
        data = self._valid(ItemForm(request.POST, prefix="item"))
        services.add_item(user=request.user, sale=sale, **data)
        return _("Layer added.")

    def do_remove_item(self, request, sale):
        item = get_object_or_404(sale.items, pk=request.POST.get("item"))
        services.remove_item(user=request.user, sale=sale, item=item)
        return _("Layer removed.")

    def do_quote(self, request, sale):
        sale = services.quote_sale(user=request.user, sale=sale)
        return _("Quoted: %(total)s TRY with KDV.") % {"total": sale.total}

    def do_accrue(self, request, sale):
        data = self._valid(AccrueForm(request.POST, prefix="accrue"))
        sale = services.accrue_sale(user=request.user, sale=sale, accrued_on=data.get("accrued_on"))
        return _("Accrued as %(number)s.") % {"number": sale.accrual_number}

    def do_pay(self, request, sale):
        data = self._valid(PaymentForm(request.POST, prefix="pay"))
        services.record_payment(user=request.user, sale=sale, **data)
        return _("Payment recorded.")

    def do_undertaking(self, request, sale):
        form = UndertakingForm(request.POST, request.FILES, prefix="undertaking")
        data = self._valid(form)
        services.attach_undertaking(
            user=request.user,
            sale=sale,
            uploaded_file=data["file"],
            signed_on=data.get("signed_on"),
        )
        return _("The signed undertaking is on file.")

    def do_deliver(self, request, sale):
        """A refused delivery (more than is due of a layer, a missing recipient) comes back as
        the sale's page with the form and its errors at their fields (400); nothing is
        saved."""
        progress = selectors.delivery_progress(sale)
        form = DeliveryForm(request.POST, request.FILES, prefix="deliver", progress=progress)
        if form.is_valid():
            try:
                with transaction.atomic():
                    delivery = services.deliver_sale(
                        user=request.user, sale=sale, **form.service_values()
                    )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                if delivery.sale.state == SaleState.DELIVERED:
                    return _(
                        "Delivery recorded; everything is delivered and the application is"
                        " answered."
                    )
                return _("Part delivered; the sale stays open for the rest.")
        view = GisDataSaleDetailView(bound_forms={"delivery_form": form})
        view.setup(request, pk=sale.pk)
        response = view.get(request, pk=sale.pk)
        response.status_code = 400
        return response

    def do_cancel(self, request, sale):
        data = self._valid(CancelForm(request.POST, prefix="cancel"))
        services.cancel_sale(user=request.user, sale=sale, reason=data["reason"])
        return _("The sale was cancelled.")


class QuotePdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        from biys.applications.gis.pdf import build_quote_pdf

        sale = get_object_or_404(
            selectors.sales_for(request.user).select_related("application", "tariff"), pk=pk
        )
        if sale.quoted_on is None:
            raise Http404
        items = sale.items.select_related("layer").order_by("id")
        response = HttpResponse(build_quote_pdf(sale, items), content_type="application/pdf")
        response["Content-Disposition"] = attachment_header(
            f"cbs-teklif-{sale.application.number}.pdf"
        ).replace("attachment", "inline", 1)
        return response


# Report ------------------------------------------------------------------------------------


def period(request) -> tuple[date, date]:
    today = application_selectors.today()
    try:
        date_from = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        date_from = today.replace(month=1, day=1)
    try:
        date_to = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        date_to = today
    return date_from, date_to


class _Echo:
    def write(self, value):
        return value


class ReportView(LoginRequiredMixin, View):
    """A period's requests, quotes, payments, deliveries and revenue per layer; ``?export=csv``
    for Excel (``;`` and a byte order mark in Turkish)."""

    def get(self, request):
        if not get_scope(request.user).has_perm("applications.view_gisdatasale"):
            raise PermissionDenied
        date_from, date_to = period(request)
        figures = selectors.report(user=request.user, date_from=date_from, date_to=date_to)
        if request.GET.get("export") == "csv":
            return self.csv(figures, date_from, date_to)
        return render(
            request,
            "applications/gis/report.html",
            {
                "title": _("GIS data sales report"),
                "figures": figures,
                "date_from": date_from,
                "date_to": date_to,
            },
        )

    def csv(self, figures, date_from, date_to):
        writer = csv.writer(_Echo(), delimiter=csv_delimiter())
        turkish = csv_delimiter() == ";"

        def number(value):
            text = str(value)
            return text.replace(".", ",") if turkish else text

        def lines():
            yield "\ufeff"
            yield writer.writerow([_("Period"), f"{date_from:%d.%m.%Y}", f"{date_to:%d.%m.%Y}"])
            for label, value in (
                (_("Requests received"), figures.requests),
                (_("Quoted"), figures.quoted),
                (_("Paid"), figures.paid),
                (pgettext("gis report", "Paid, not delivered yet"), figures.undelivered),
                (pgettext("gis report", "Partly delivered"), figures.partly_delivered),
                (pgettext("gis report", "Delivered in full"), figures.delivered),
                (_("Cancelled"), figures.cancelled),
            ):
                yield writer.writerow([label, value])
            yield writer.writerow([])
            yield writer.writerow([_("Data layer"), _("Sales"), _("Quantity"),
                                   _("Amount before KDV"), _("KDV"), _("Total (TRY)")])  # fmt: skip
            for row in figures.by_layer:
                yield writer.writerow([row.layer, row.sales, number(row.quantity.normalize()),
                                       number(row.net), number(row.kdv), number(row.total)])  # fmt: skip
            yield writer.writerow([_("Total"), "", "", number(figures.revenue),
                                   number(figures.revenue_kdv),
                                   number(figures.revenue + figures.revenue_kdv)])  # fmt: skip

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        name = f"cbs-satis-raporu-{date_from:%Y%m%d}-{date_to:%Y%m%d}-{timezone.localdate():%Y%m%d}"
        response["Content-Disposition"] = attachment_header(f"{name}.csv")
        return response
