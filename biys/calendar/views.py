"""Pages of the working calendar: the year's holidays, and the declared days (administrators)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from biys.accounts.scope import can_add
from biys.calendar import filtersets, forms, services, tables
from biys.calendar.models import DeclaredDay
from biys.calendar.selectors import declared_day_list, get_calendar
from biys.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    model_url,
    register_model_views,
)

FIRST_YEAR, LAST_YEAR = 1950, 2100


class YearView(LoginRequiredMixin, View):
    """Every public holiday, half day and declared day of one year."""

    template_name = "calendar/year.html"

    def get(self, request, year: int | None = None):
        year = year or timezone.localdate().year
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise Http404
        calendar = get_calendar()
        context = {
            "title": str(year),
            "year": year,
            "days": calendar.year_days(year),
            "hours": calendar.hours,
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
            "is_current_year": year == timezone.localdate().year,
            "today": timezone.localdate(),
            "declare_url": model_url(DeclaredDay, "_add")
            if can_add(request.user, DeclaredDay)
            else "",
            "declared_list_url": model_url(DeclaredDay, "_list")
            if can_add(request.user, DeclaredDay)
            else "",
        }
        return render(request, self.template_name, context)


class DeclaredDayListView(ObjectListView):
    queryset = declared_day_list()
    table_class = tables.DeclaredDayTable
    filterset_class = filtersets.DeclaredDayFilterSet


class DeclaredDayDetailView(ObjectDetailView):
    queryset = declared_day_list()
    detail_fields = ("date", "kind", "description", "decision_reference", "created_by")
    show_attachments = False
    show_comments = False


class DeclaredDayEditView(ObjectEditView):
    queryset = DeclaredDay.objects.all()
    form_class = forms.DeclaredDayForm

    def save_form(self, form):
        data = form.cleaned_data
        fields = {name: data[name] for name in forms.DeclaredDayForm.Meta.fields}
        if form.instance.pk is None:
            return services.declare_day(**fields, user=self.request.user)
        return services.update_declared_day(
            declared_day=form.instance, user=self.request.user, **fields
        )


class DeclaredDayDeleteView(ObjectDeleteView):
    queryset = DeclaredDay.objects.all()

    def delete_object(self, obj) -> None:
        services.delete_declared_day(declared_day=obj, user=self.request.user)


register_model_views(
    DeclaredDay,
    list=DeclaredDayListView,
    detail=DeclaredDayDetailView,
    edit=DeclaredDayEditView,
    delete=DeclaredDayDeleteView,
)
