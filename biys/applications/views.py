"""The application screens: the list with its deadline clocks, the counter quick entry, the
detail with routing, extension, outcome and the logged personal-data view, the types, and
the report. Every write goes through ``biys.applications.services``."""

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from biys.applications import filtersets, selectors, services, tables
from biys.applications.deadlines import objection_deadline
from biys.applications.forms import (
    ApplicationForm,
    ApplicationTypeForm,
    ExtendForm,
    ImportForm,
    OutcomeForm,
    RouteForm,
)
from biys.applications.models import Application, ApplicationType
from biys.calendar.selectors import get_calendar
from biys.core.access import get_scope
from biys.core.export import attachment_header, csv_delimiter
from biys.core.querysets import read_rows
from biys.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    register_model_views,
)
from biys.core.views.generic.base import restrict_form_choices


class ApplicationTypeListView(ObjectListView):
    queryset = ApplicationType.objects.select_related("unit")
    table_class = tables.ApplicationTypeTable
    filterset_class = filtersets.ApplicationTypeFilterSet


class ApplicationTypeDetailView(ObjectDetailView):
    queryset = ApplicationType.objects.select_related("unit", "duty")
    show_attachments = False
    show_comments = False


class ApplicationTypeEditView(ObjectEditView):
    queryset = ApplicationType.objects.all()
    form_class = ApplicationTypeForm


def application_rows(queryset) -> list:
    return read_rows(
        queryset,
        exclude=("description", "form_data", "address", "outcome_note", "extension_reason"),
        related={"type": ("name",), "responsible_unit": ("name",)},
    )


class ApplicationListView(ObjectListView):
    """Every application the user may see, the nearest deadline first; keyset pages with a
    capped count, rows read as plain values (the same number of queries for any page size)."""

    queryset = Application.objects.order_by("due_date", "id")
    table_class = tables.ApplicationTable
    filterset_class = filtersets.ApplicationFilterSet
    keyset_pagination = True
    default_per_page = 50

    def get_queryset(self):
        """Open applications unless a state, deadline or search is asked for: the list is
        a work list, the nearest deadline first."""
        queryset = super().get_queryset()
        asked = any(self.request.GET.get(name) for name in ("state", "due", "q"))
        return queryset if asked else queryset.filter(state="open")

    def page_rows(self, queryset) -> list:
        return application_rows(queryset)

    def bulk_edit_url(self) -> str:
        return ""

    def get_table(self, queryset, *, selectable=False):
        return self.table_class(
            queryset,
            selectable=False,
            request=self.request,
            calendar=get_calendar(),
            today=selectors.today(),
        )


class ApplicationDetailView(ObjectDetailView):
    queryset = Application.objects.select_related(
        "type", "responsible_unit", "created_by", "objection_to"
    )
    template_name = "applications/application_detail.html"
    details_template_name = "applications/partials/application_details.html"
    show_comments = False

    def get_object_urls(self, obj):
        return {"edit_url": "", "delete_url": ""}

    def get_extra_context(self, obj):
        scope = get_scope(self.request.user)
        unit_id = obj.responsible_unit_id
        open_ = obj.state == "open"
        route_form = RouteForm()
        restrict_form_choices(route_form, self.request.user)
        return {
            "clock": selectors.clock(obj, calendar=get_calendar()),
            "history": selectors.responsibility_history(obj),
            "may_route": open_ and scope.has_perm(services.ROUTE, unit_id),
            "may_extend": open_
            and not obj.extended
            and bool(obj.type.extended_period)
            and scope.has_perm(services.EXTEND, unit_id),
            "may_answer": open_ and scope.has_perm(services.ANSWER, unit_id),
            "may_reveal": services.may_reveal(self.request.user, obj),
            "route_form": route_form,
            "extend_form": ExtendForm(),
            "outcome_form": OutcomeForm(initial={"answered_on": _answer_day(obj)}),
            **_objection_context(self.request.user, obj, scope),
            "answer_document": services.answer_document(self.request.user, obj),
            "may_draft_answer": services.may_draft_answer(self.request.user, obj),
            **_gis_sale_context(self.request.user, obj, scope),
            **_site_complaint_context(self.request.user, obj),
            "form_answers": _form_answers(obj),
        }


def _form_answers(application) -> list[tuple[str, str]]:
    """The type's own fields as answered, and the coordinates a resident gave for the base
    station complained about (the public form)."""
    from biys.applications.basestation.selectors import given_coordinates_text

    answers = [
        (spec.get("label") or spec["name"], application.form_data.get(spec["name"], ""))
        for spec in application.type.form_fields or []
    ]
    coordinates = given_coordinates_text(application)
    if coordinates:
        answers.append((_("Coordinates given by the applicant"), coordinates))
    return answers


def _answer_day(application):
    """The outcome form's date: the answer document's signature, else today."""
    document = services.answer_document(None, application)
    return (document.signed_on if document else None) or selectors.today()


def _objection_context(user, application, scope) -> dict:
    """The application it objects to, the objections to it, and whether one may be recorded
    now (answered, a type that allows objection, within the period)."""
    last_day = objection_deadline(application.type, application.answered_on)
    return {
        "objection_original": application.objection_to
        if application.objection_to_id
        and Application.objects.restrict(user, "view").filter(pk=application.objection_to_id)
        else None,
        "objections": list(
            Application.objects.restrict(user, "view")
            .filter(objection_to=application)
            .only("pk", "number", "received_on", "state", "subject")
            .order_by("received_on", "pk")
        ),
        "objection_last_day": last_day,
        "may_record_objection": last_day is not None
        and not application.objection_to_id
        and application.state != "open"
        and selectors.today() <= last_day
        and scope.has_perm(services.ADD),
    }


def _gis_sale_context(user, application, scope) -> dict:
    """A GIS data purchase application links to its sale, or offers to start it."""
    from biys.applications.gis import selectors as gis_selectors
    from biys.applications.gis import services as gis_services
    from biys.applications.gis.models import GisDataSale

    if application.type.code != gis_selectors.SALE_TYPE_CODE:
        return {}
    sale = GisDataSale.objects.filter(application=application).first()
    return {
        "gis_sale": sale,
        "may_start_sale": sale is None
        and application.state == "open"
        and scope.has_perm(gis_services.ADD_SALE, application.responsible_unit_id),
    }


def _site_complaint_context(user, application) -> dict:
    """A resident's complaint shows the base-station site it is tied to, or offers to tie it."""
    from biys.applications.basestation.views import application_site_context

    return application_site_context(user, application)


class ApplicationAddView(ObjectEditView):
    """The counter quick entry: the service numbers it, computes its deadline and routes it."""

    queryset = Application.objects.all()
    form_class = ApplicationForm
    template_name = "applications/application_add.html"

    def get_initial(self, is_new):
        initial = super().get_initial(is_new)
        initial.setdefault("received_on", selectors.today())
        # "Record an objection" on an answered application's page.
        original = self._original(self.request.GET.get("objection_to"))
        if original is not None:
            initial["objection_to_number"] = original.number
            initial["type"] = original.type.objection_type_id or original.type_id
            initial["applicant_kind"] = original.applicant_kind
            initial["applicant_name"] = original.applicant_name
            initial["subject"] = _("Objection: %(subject)s") % {"subject": original.subject}
        return initial

    def _original(self, pk):
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            return None
        return (
            Application.objects.restrict(self.request.user, "view")
            .select_related("type")
            .filter(pk=pk)
            .first()
        )

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj, data=request.POST)
        if not form.is_valid():
            return self.render_form(obj, form)
        data = form.cleaned_data
        objection_to = None
        if data.get("objection_to_number"):
            objection_to = selectors.visible_by_number(request.user, data["objection_to_number"])
            if objection_to is None:
                form.add_error(
                    "objection_to_number", _("No application with this number that you may see.")
                )
                return self.render_form(obj, form)
        try:
            application = services.receive_application(
                user=request.user,
                type=data["type"],
                received_on=data["received_on"],
                subject=data["subject"],
                applicant_name=data["applicant_name"],
                applicant_kind=data["applicant_kind"],
                channel=data["channel"],
                responsible_unit=data.get("responsible_unit"),
                channel_reference=data.get("channel_reference") or "",
                channel_due_date=data.get("channel_due_date"),
                description=data.get("description") or "",
                form_data=form.form_data(),
                tc_kimlik_no=data.get("tc_kimlik_no") or "",
                tax_number=data.get("tax_number") or "",
                email=data.get("email") or "",
                phone=data.get("phone") or "",
                address=data.get("address") or "",
                objection_to=objection_to,
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                name = "objection_to_number" if name == "objection_to" else name
                form.add_error(name if name in form.fields else None, problems)
            return self.render_form(obj, form)
        except PermissionDenied:
            form.add_error(None, _("You may not record applications for that unit."))
            return self.render_form(obj, form, status=403)
        messages.success(
            request,
            _("Recorded %(number)s; legal deadline %(due)s.")
            % {"number": application.number, "due": application.due_date.strftime("%d.%m.%Y")},
        )
        return redirect(application.get_absolute_url())


register_model_views(
    ApplicationType,
    list=ApplicationTypeListView,
    detail=ApplicationTypeDetailView,
    edit=ApplicationTypeEditView,
)
register_model_views(
    Application, list=ApplicationListView, detail=ApplicationDetailView, add=ApplicationAddView
)


class ApplicationActionView(LoginRequiredMixin, View):
    """POST only: one service call on an application the user may see; refusals come back as
    messages on the detail page."""

    form_class = None

    def act(self, application, data):
        raise NotImplementedError

    def post(self, request, pk):
        application = get_object_or_404(Application.objects.restrict(request.user, "view"), pk=pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.act(application, form.cleaned_data)
            except ValidationError as error:
                for problems in error.message_dict.values():
                    for problem in problems:
                        messages.error(request, problem)
            else:
                messages.success(request, self.done)
        else:
            for problems in form.errors.values():
                for problem in problems:
                    messages.error(request, problem)
        return redirect(application.get_absolute_url())


class RouteView(ApplicationActionView):
    form_class = RouteForm
    done = property(lambda self: _("Routed."))

    def act(self, application, data):
        services.route_application(
            user=self.request.user,
            application=application,
            unit=data["unit"],
            reason=data["reason"],
        )


class ExtendView(ApplicationActionView):
    form_class = ExtendForm
    done = property(lambda self: _("The period was extended."))

    def act(self, application, data):
        services.extend_application(
            user=self.request.user, application=application, reason=data["reason"]
        )


class OutcomeView(ApplicationActionView):
    form_class = OutcomeForm
    done = property(lambda self: _("Outcome recorded."))

    def act(self, application, data):
        services.record_outcome(
            user=self.request.user,
            application=application,
            outcome=data["outcome"],
            note=data["note"],
            answered_on=data.get("answered_on"),
            refusal_ground=data.get("refusal_ground") or "",
            forwarded_to=data.get("forwarded_to") or "",
        )


class DraftAnswerView(LoginRequiredMixin, View):
    """POST only: draft the answer as an outgoing document (giden evrak) and open it."""

    def post(self, request, pk):
        application = get_object_or_404(Application.objects.restrict(request.user, "view"), pk=pk)
        try:
            application = services.draft_answer_document(user=request.user, application=application)
        except ValidationError as error:
            for problems in error.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
            return redirect(application.get_absolute_url())
        document = services.answer_document(request.user, application)
        messages.success(
            request,
            _(
                "The answer is drafted as an outgoing document: write its text and send it for approval."
            ),
        )
        return redirect(
            document.url if document and document.url else application.get_absolute_url()
        )


class RevealView(LoginRequiredMixin, View):
    """The applicant's unmasked personal data, logged (KVKK). POST only: a link prefetch must
    never count as a view."""

    def post(self, request, pk):
        application = get_object_or_404(Application.objects.restrict(request.user, "view"), pk=pk)
        context = {"object": application}
        try:
            context["personal"] = services.reveal_personal_data(
                user=request.user, application=application
            )
        except PermissionDenied:
            context["denied"] = True
            return render(request, "applications/partials/personal_data.html", context, status=403)
        return render(request, "applications/partials/personal_data.html", context)


# Import of CİMER and Alo 153 export files -------------------------------------------------

IMPORT_MAX_BYTES = 5 * 1024 * 1024


class ImportView(LoginRequiredMixin, View):
    """Upload an export file: its rows previewed with their errors; "Import" (the same file,
    carried in the page) records them only when every row is valid."""

    template_name = "applications/import.html"

    def dispatch(self, request, *args, **kwargs):
        from biys.applications import imports

        if request.user.is_authenticated and not imports.may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def context(self, form, **extra):
        from biys.applications import imports

        return {
            "title": _("Import CİMER and Alo 153 entries"),
            "form": form,
            "columns": [
                (name, labels, name in imports.REQUIRED)
                for name, labels in imports.column_map(form["channel"].value() or "cimer").items()
            ],
            **extra,
        }

    def get(self, request):
        form = ImportForm()
        restrict_form_choices(form, request.user)
        return render(request, self.template_name, self.context(form))

    def post(self, request):
        import base64
        import binascii

        from biys.applications import imports

        form = ImportForm(request.POST, request.FILES)
        restrict_form_choices(form, request.user)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form))
        data = form.cleaned_data
        upload = data.get("file")
        try:
            if upload is not None:
                if upload.size > IMPORT_MAX_BYTES:
                    raise ValidationError({"file": _("The file is larger than 5 MB.")})
                raw, name = upload.read(), upload.name
            else:
                raw, name = base64.b64decode(data.get("content") or "", validate=True), ""
            if not raw:
                raise ValidationError({"file": _("Choose the export file.")})
            table = imports.read_table(raw, name)
        except (ValidationError, binascii.Error) as error:
            for problem in getattr(error, "message_dict", {"file": [_("Choose the export file.")]})[
                "file"
            ]:
                form.add_error("file", problem)
            return render(request, self.template_name, self.context(form))
        content = base64.b64encode(raw).decode()
        if request.POST.get("confirm") and upload is None:
            try:
                result = imports.import_applications(
                    user=request.user,
                    channel=data["channel"],
                    type=data["type"],
                    table=table,
                    responsible_unit=data.get("responsible_unit"),
                )
            except ValidationError:
                result = imports.preview(channel=data["channel"], table=table)
            except PermissionDenied:
                form.add_error(None, _("You may not record applications for that unit."))
                return render(request, self.template_name, self.context(form), status=403)
            if result.valid:
                messages.success(
                    request,
                    _("%(new)d applications imported; %(duplicates)d already recorded skipped.")
                    % {"new": len(result.new_rows), "duplicates": result.duplicates},
                )
                url = reverse("applications:application_list")
                return redirect(f"{url}?channel={data['channel']}&q=")
            return render(
                request, self.template_name, self.context(form, preview=result, content=content)
            )
        result = imports.preview(channel=data["channel"], table=table)
        return render(
            request, self.template_name, self.context(form, preview=result, content=content)
        )


# Report ------------------------------------------------------------------------------------


def _period(request) -> tuple[date, date]:
    today = selectors.today()
    try:
        date_from = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        date_from = today.replace(month=1, day=1)
    try:
        date_to = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        date_to = today
    return date_from, date_to


class ReportView(LoginRequiredMixin, View):
    """Per type and unit in a period: received, answered on time, late, open, average days;
    ``?export=csv`` for Excel (``;`` and a byte order mark in Turkish)."""

    def get(self, request):
        if not get_scope(request.user).has_perm("applications.view_application"):
            raise PermissionDenied
        date_from, date_to = _period(request)
        by_month = request.GET.get("by") == "month"
        rows = selectors.report(
            user=request.user, date_from=date_from, date_to=date_to, by_month=by_month
        )
        total = selectors.report_totals(rows)
        export = request.GET.get("export")
        if export == "csv":
            return self.csv(rows, total, date_from, date_to, by_month)
        if export in ("xlsx", "pdf"):
            return self.file(export, rows, total, date_from, date_to, by_month)
        return render(
            request,
            "applications/report.html",
            {
                "title": _("Applications report"),
                "rows": rows,
                "total": total,
                "date_from": date_from,
                "date_to": date_to,
                "by_month": by_month,
            },
        )

    def file(self, kind, rows, total, date_from, date_to, by_month):
        from biys.applications import reports

        build = reports.build_xlsx if kind == "xlsx" else reports.build_pdf
        content = build(rows, total, date_from=date_from, date_to=date_to, by_month=by_month)
        types = {
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pdf": "application/pdf",
        }
        response = HttpResponse(content, content_type=types[kind])
        name = reports.filename(date_from, date_to, kind)
        response["Content-Disposition"] = attachment_header(name)
        return response

    def csv(self, rows, total, date_from, date_to, by_month=False):
        from biys.applications import reports

        header = [
            _("Type"), _("Responsible unit"), _("Received"), _("Answered on time"), _("Late"),
            _("Open"), _("Average days to answer"), *reports.outcome_headers(),
        ]  # fmt: skip
        if by_month:
            header.insert(0, _("Month"))
        writer = csv.writer(_Echo(), delimiter=csv_delimiter())
        turkish = csv_delimiter() == ";"

        def number(value):
            if value is None:
                return ""
            text = str(value)
            return text.replace(".", ",") if turkish else text

        def lines():
            yield "\ufeff"
            yield writer.writerow(header)
            for row in [*rows, total]:
                cells = [
                    row.type_name or _("Total"),
                    row.unit_name,
                    row.received,
                    row.answered_on_time,
                    row.late,
                    row.open,
                    number(row.average_days),
                    *reports.outcome_cells(row),
                ]
                yield writer.writerow([row.period, *cells] if by_month else cells)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        name = f"basvuru-raporu-{date_from:%Y%m%d}-{date_to:%Y%m%d}-{timezone.localdate():%Y%m%d}"
        response["Content-Disposition"] = attachment_header(f"{name}.csv")
        return response


class _Echo:
    def write(self, value):
        return value
