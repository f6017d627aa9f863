"""The statistics dashboard and its Excel / PDF exports (same filters, same figures)."""

from django import forms
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import localize
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View

from biys.accounts.scope import ALL, get_scope
from biys.core.export import attachment_header
from biys.core.generations import GenerationCache
from biys.core.html import format_html, join_html
from biys.org.models import Unit
from biys.servicedesk import reports
from biys.servicedesk.selectors import CATALOG_GENERATION
from biys.servicedesk.stats import (
    PRESET_LABELS,
    Period,
    PeriodPreset,
    rating_distribution,
    ticket_statistics,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_YEARS = 5  # a longer custom period froze the browser (1900-2100) and says little


def unit_choices(user):
    """Units whose queues the user may see (with sub-units); every service unit for global
    viewers."""
    units = get_scope(user).units_for("servicedesk.view_ticket")
    if units is ALL:
        return Unit.objects.filter(
            Q(is_it_department=True) | Q(catalog_items__isnull=False)
        ).distinct()
    return Unit.objects.filter(pk__in=units)


# The units offered by the form, per scope, kept by the process while no unit or catalogue item
# changes (the catalogue's generation watches both tables).
_unit_options = GenerationCache(CATALOG_GENERATION, maxsize=256)


def unit_options(user) -> list[tuple[int, str]]:
    """``unit_choices(user)`` by path as (id, name) pairs."""
    units = get_scope(user).units_for("servicedesk.view_ticket")
    key = "all" if units is ALL else frozenset(units)
    return _unit_options.get(
        ("stats_units", key),
        lambda: [(unit.pk, str(unit)) for unit in unit_choices(user).order_by("path")],
    )


def _years_after(day, years: int):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class StatisticsFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units I can see"),
        help_text=_("With its sub-units."),
    )
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[(preset.value, label) for preset, label in PRESET_LABELS.items()],
        initial=PeriodPreset.THIS_MONTH,
        required=False,
    )
    first = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    last = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        unit.queryset = unit_choices(user)  # a chosen unit is looked up in it: the scope holds
        unit.choices = [("", unit.empty_label), *unit_options(user)]

    def clean(self):
        data = super().clean()
        if data.get("period") == PeriodPreset.CUSTOM and not (
            data.get("first") and data.get("last")
        ):
            raise forms.ValidationError(_("A custom period needs both dates."))
        first, last = data.get("first"), data.get("last")
        if data.get("period") == PeriodPreset.CUSTOM and first and last:
            # add_error drops the date from cleaned_data: the page falls back to this month
            if first > last:
                self.add_error(
                    "last", _("The end date is before the start date: swap or correct them.")
                )
            elif last > _years_after(first, MAX_YEARS):
                self.add_error(
                    "last",
                    _("Choose a period of at most %(years)d years.") % {"years": MAX_YEARS},
                )
        return data

    def selection(self) -> tuple[Unit | None, Period]:
        """The valid part of the filters: a unit outside the scope falls back to every unit the
        user may see, keeping the period."""
        self.is_valid()  # fills cleaned_data with the fields that are valid
        data = getattr(self, "cleaned_data", {})
        period = Period.from_preset(
            data.get("period") or PeriodPreset.THIS_MONTH,
            first=data.get("first"),
            last=data.get("last"),
        )
        return data.get("unit"), period


_BREAKDOWN_ROW = (
    '<tr>\n            <th scope="row">{}</th>\n'
    '            <td class="text-end">{}</td><td class="text-end">{}</td>'
    '<td class="text-end">{}</td>\n'
    '            <td class="text-end">{}</td><td class="text-end">{}</td>\n          </tr>'
)


def breakdown_rows(breakdown):
    """The rows of one breakdown table (a year has one per unit, item, requesting unit and
    device group: hundreds of rows), written in Python as the template wrote them: figures
    localised, a missing figure as a dash, the label escaped."""

    grouped = settings.USE_THOUSAND_SEPARATOR

    def figure(value):
        if value is None:
            return "—"
        if type(value) is int and not grouped:  # what localize() answers, without its lookups
            return str(value)
        return localize(value)

    return join_html(
        format_html(
            _BREAKDOWN_ROW,
            row["label"],
            figure(row["opened"]),
            figure(row["resolved"]),
            figure(row["backlog"]),
            figure(row["resolution_compliance"]),
            figure(row["rating_mean"]),
        )
        for row in breakdown.rows
    )


def chart_data(statistics) -> dict:
    """What the charts draw (the same numbers as the tables under them)."""
    return {
        "series": statistics.series,
        "sla": {
            "response": statistics.totals["response_compliance"],
            "resolution": statistics.totals["resolution_compliance"],
        },
        "breakdowns": {
            item.key: [[row["label"], row["opened"], row["resolved"]] for row in item.rows[:15]]
            for item in statistics.breakdowns
        },
        "ratings": [row["count"] for row in rating_distribution(statistics)],
        "labels": {
            "opened": str(pgettext_lazy("statistics", "Opened")),
            "resolved": str(pgettext_lazy("statistics", "Resolved")),
            "sla": str(_("Resolution SLA %")),
            "response": str(_("First response")),
            "resolution": str(_("Resolution")),
            "tickets": str(_("Tickets")),
        },
    }


class StatisticsView(LoginRequiredMixin, View):
    template_name = "servicedesk/stats/dashboard.html"

    def get(self, request):
        form = StatisticsFilterForm(request.GET or None, user=request.user)
        unit, period = form.selection()
        statistics = ticket_statistics(request.user, period=period, unit=unit)
        export = request.GET.get("export")
        if form.is_bound and not form.is_valid():
            export = None  # the page shows the errors; no file of another period
        if export == "xlsx":
            return self._download(
                reports.build_xlsx(statistics),
                XLSX_TYPE,
                reports.report_filename(statistics, "xlsx"),
            )
        if export == "pdf":
            return self._download(
                reports.build_pdf(statistics),
                "application/pdf",
                reports.report_filename(statistics, "pdf"),
            )
        query = request.GET.copy()
        query.pop("export", None)
        context = {
            "title": _("Service desk statistics"),
            "form": form,
            "statistics": statistics,
            "totals": statistics.totals,
            "report_title": reports.report_title(statistics),
            "summary_rows": reports.summary_rows(statistics),
            "series_headers": reports.series_headers(statistics),
            "series_rows": reports.series_rows(statistics),
            "ratings": rating_distribution(statistics),
            "chart_data": chart_data(statistics),
            "breakdowns": [(item, breakdown_rows(item)) for item in statistics.breakdowns],
            "query": query.urlencode(),
        }
        return render(request, self.template_name, context)

    @staticmethod
    def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = attachment_header(filename)
        return response
