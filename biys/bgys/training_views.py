"""The awareness training screens: sessions (with their materials as attachments and their
attendees), attendances, and the compliance page (staff not trained in the last twelve
months, per unit and by name, with a CSV). Every write goes through ``training_services``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from biys.bgys import training_filtersets as filtersets
from biys.bgys import training_selectors as selectors
from biys.bgys import training_services as services
from biys.bgys import training_tables as tables
from biys.bgys.training_forms import AttendeesForm, TrainingAttendanceForm, TrainingSessionForm
from biys.bgys.training_models import TrainingAttendance, TrainingSession
from biys.core.access import can_add, get_scope
from biys.core.export import csv_response
from biys.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    Tab,
    register_model_views,
)


class TrainingSessionListView(ObjectListView):
    queryset = TrainingSession.objects.select_related("unit")
    table_class = tables.TrainingSessionTable
    filterset_class = filtersets.TrainingSessionFilterSet


class TrainingSessionDetailView(ObjectDetailView):
    queryset = TrainingSession.objects.select_related("unit")
    detail_fields = (
        "title", "unit", "held_on", "duration_minutes", "trainer", "location", "topic",
    )  # fmt: skip
    show_comments = False

    def get_extra_tabs(self, obj):
        user = self.request.user
        may_add = can_add(user, TrainingAttendance, obj.unit_id)
        return [
            Tab(
                "attendees",
                _("Attendees"),
                template_name="bgys/training/session_attendees.html",
                context=lambda: {
                    "attendances": list(
                        TrainingAttendance.objects.restrict(user, "view")
                        .filter(session=obj)
                        .select_related("person__unit")
                    ),
                    "attendees_form": AttendeesForm() if may_add else None,
                    "held": obj.held_on <= timezone.localdate(),
                },
            )
        ]


class TrainingSessionEditView(ServiceEditView):
    queryset = TrainingSession.objects.all()
    form_class = TrainingSessionForm

    def save_with_service(self, form):
        return services.save_session(session=form.instance, user=self.request.user)


class AttendeesView(LoginRequiredMixin, View):
    """Record who attended (POST only)."""

    def post(self, request, pk):
        session = get_object_or_404(TrainingSession.objects.restrict(request.user, "view"), pk=pk)
        # Refused before the form is read: one who may not record attendance learns no more.
        if not can_add(request.user, TrainingAttendance, session.unit_id):
            raise PermissionDenied
        form = AttendeesForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            added = services.record_attendance(
                session=session, people=form.cleaned_data["people"], user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s attendees recorded.") % {"count": added})
        return redirect(session.get_absolute_url() + "?tab=attendees")


class TrainingAttendanceListView(ObjectListView):
    queryset = TrainingAttendance.objects.select_related("person", "session")
    table_class = tables.TrainingAttendanceTable
    filterset_class = filtersets.TrainingAttendanceFilterSet


class TrainingAttendanceDetailView(ObjectDetailView):
    queryset = TrainingAttendance.objects.select_related("person", "session")
    detail_fields = ("session", "person", "quiz_score")
    show_comments = False


class TrainingAttendanceEditView(ServiceEditView):
    queryset = TrainingAttendance.objects.select_related("session")
    form_class = TrainingAttendanceForm

    def add_unit_id(self, instance):
        return instance.session.unit_id if instance.session_id else None

    def post(self, request, *args, **kwargs):
        session_id = request.POST.get("session", "")
        if "pk" not in self.kwargs and session_id.isdigit():
            unit_id = (
                TrainingSession.objects.filter(pk=int(session_id))
                .values_list("unit_id", flat=True)
                .first()
            )
            if unit_id is not None and not can_add(request.user, TrainingAttendance, unit_id):
                raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def save_with_service(self, form):
        return services.save_attendance(attendance=form.instance, user=self.request.user)


def _may_see(user) -> None:
    if not get_scope(user).has_perm(selectors.VIEW):
        raise PermissionDenied


class TrainingComplianceView(LoginRequiredMixin, View):
    """Per unit: the staff and how many were trained in the last twelve months; then who was
    not (``?unit=`` for one unit)."""

    def get(self, request):
        _may_see(request.user)
        today = timezone.localdate()
        unit = request.GET.get("unit", "")
        chosen = int(unit) if unit.isdigit() else None
        people = list(selectors.untrained(request.user, today, chosen)[:500])
        context = {
            "title": _("Awareness training compliance"),
            "per_unit": selectors.per_unit(request.user, today),
            "untrained": people,
            "chosen_unit": chosen,
            "since": selectors.since(today),
            "csv_url": reverse("bgys:training_compliance_csv"),
        }
        return render(request, "bgys/training/compliance.html", context)


class TrainingComplianceCsvView(LoginRequiredMixin, View):
    """Everyone not trained in the last twelve months, for Turkish Excel (';', BOM)."""

    def get(self, request):
        _may_see(request.user)
        people = selectors.untrained(request.user, timezone.localdate())
        filename = f"egitim-almayanlar-{timezone.localdate():%Y%m%d}"
        return csv_response(tables.UntrainedTable([]), people, filename, delimiter=";")


register_model_views(
    TrainingSession,
    list=TrainingSessionListView,
    detail=TrainingSessionDetailView,
    edit=TrainingSessionEditView,
    delete=ObjectDeleteView,
)
register_model_views(
    TrainingAttendance,
    list=TrainingAttendanceListView,
    detail=TrainingAttendanceDetailView,
    edit=TrainingAttendanceEditView,
    delete=ObjectDeleteView,
)
