"""The BGYS screens: frameworks and their measures (read by all staff, with the source's
attribution wherever its text shows), the criticality questionnaire per asset group, and the
Statement of Applicability with its exports. Every write goes through ``services``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from biys.accounts.scope import ALL
from biys.bgys import filtersets, selectors, services, tables
from biys.bgys.forms import (
    AddToSoaForm,
    ApplicabilityEntryForm,
    AssessmentForm,
    FrameworkLoadForm,
    InformationAssetForm,
    MeasureMappingForm,
    MeasureTextForm,
    MethodologyForm,
    RiskForm,
    ThreatForm,
    VulnerabilityForm,
)
from biys.bgys.models import (
    ApplicabilityEntry,
    Assessment,
    Framework,
    InformationAsset,
    Measure,
    MeasureMapping,
    Methodology,
    Risk,
    RiskStatus,
    Threat,
    Vulnerability,
)
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
from biys.org.models import Unit


def may_load(user) -> bool:
    return get_scope(user).has_perm("bgys.add_framework", None)


def attribution_context(frameworks) -> dict:
    """The sources whose text a page shows (CC BY 4.0: attribute wherever it is shown)."""
    return {"attributions": [f for f in dict.fromkeys(frameworks) if f and f.attribution]}


# --------------------------------------------------------------------------- frameworks


class FrameworkListView(ObjectListView):
    queryset = Framework.objects.annotate(measure_count=Count("measures"))
    table_class = tables.FrameworkTable
    filterset_class = filtersets.FrameworkFilterSet
    template_name = "bgys/framework_list.html"

    def get_extra_context(self):
        return {"load_allowed": may_load(self.request.user)}


class FrameworkDetailView(ObjectDetailView):
    queryset = Framework.objects.all()
    template_name = "bgys/framework_detail.html"
    detail_fields = (
        "name",
        "version",
        "publisher",
        "licence",
        "source_url",
        "local_texts",
        "loaded_at",
    )
    show_attachments = False
    show_comments = False

    def get_extra_tabs(self, obj):
        return [
            Tab(
                "sections",
                _("Sections"),
                template_name="bgys/partials/sections.html",
                context=lambda: {"sections": selectors.sections_of(obj)},
            ),
            Tab(
                "questionnaire",
                _("Asset groups and questionnaire"),
                template_name="bgys/partials/questionnaire.html",
                context=lambda: {
                    "asset_groups": list(obj.asset_groups.select_related("section")),
                    "questions": list(obj.questions.prefetch_related("options")),
                },
            ),
        ]

    def get_extra_context(self, obj):
        return {
            "summary": selectors.framework_summary(obj),
            "add_form": add_to_soa_form(self.request.user, obj),
            **attribution_context([obj]),
        }


class FrameworkLoadView(LoginRequiredMixin, View):
    """Load a shipped framework (``biys frameworks load SLUG`` in the browser)."""

    template_name = "bgys/framework_load.html"

    def check(self):
        if not may_load(self.request.user):
            raise PermissionDenied

    def get(self, request):
        self.check()
        context = {"form": FrameworkLoadForm(), "title": _("Load a framework")}
        return render(request, self.template_name, context)

    def post(self, request):
        self.check()
        form = FrameworkLoadForm(request.POST)
        errors = []
        if form.is_valid():
            try:
                report = services.load_shipped(slug=form.cleaned_data["slug"], user=request.user)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request,
                    _("Loaded %(framework)s: %(added)s measures added, %(changed)s changed.")
                    % {
                        "framework": report.framework,
                        "added": report.measures_added,
                        "changed": report.measures_changed,
                    },
                )
                return redirect(report.framework.get_absolute_url())
        context = {"form": form, "errors": errors, "title": _("Load a framework")}
        return render(request, self.template_name, context, status=400)


class MeasureListView(ObjectListView):
    queryset = Measure.objects.select_related("framework", "section")
    table_class = tables.MeasureTable
    filterset_class = filtersets.MeasureFilterSet
    template_name = "bgys/measure_list.html"
    default_per_page = 100

    def get_extra_context(self):
        return attribution_context(Framework.objects.exclude(attribution=""))


class MeasureDetailView(ObjectDetailView):
    queryset = Measure.objects.select_related("framework", "section", "section__parent")
    template_name = "bgys/measure_detail.html"
    detail_fields = ("number", "level", "title", "section", "framework")
    show_attachments = False
    show_comments = False

    def get_extra_context(self, obj):
        user = self.request.user
        entries = (
            ApplicabilityEntry.objects.restrict(user, "view")
            .filter(measure=obj)
            .select_related("unit", "assessment", "owner")
        )
        mappings = list(
            MeasureMapping.objects.filter(Q(source=obj) | Q(target=obj)).select_related(
                "source__framework", "target__framework"
            )
        )
        return {
            "mappings": [(m, m.target if m.source_id == obj.pk else m.source) for m in mappings],
            "entries": list(entries[:50]),
            "add_form": add_to_soa_form(self.request.user, obj.framework, measure=obj.pk),
            **attribution_context([obj.framework]),
        }


class MeasureEditView(ServiceEditView):
    queryset = Measure.objects.select_related("framework")
    form_class = MeasureTextForm

    def save_with_service(self, form):
        measure = Measure.objects.select_related("framework").get(pk=form.instance.pk)
        return services.save_measure_text(
            measure=measure,
            user=self.request.user,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
        )


# --------------------------------------------------------------------------- questionnaire


class AssessmentListView(ObjectListView):
    queryset = Assessment.objects.select_related("unit", "asset_group")
    table_class = tables.AssessmentTable
    filterset_class = filtersets.AssessmentFilterSet


class AssessmentDetailView(ObjectDetailView):
    queryset = Assessment.objects.select_related(
        "unit", "framework", "asset_group", "asset_group__section"
    )
    template_name = "bgys/assessment_detail.html"
    detail_fields = (
        "name",
        "asset_group",
        "unit",
        "framework",
        "score",
        "level",
        "assessed_on",
        "notes",
    )
    show_comments = False

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            Tab(
                "answers",
                _("Answers"),
                template_name="bgys/partials/answers.html",
                context=lambda: {"answers": self.answer_rows(obj)},
            ),
            Tab(
                "measures",
                _("Applicable measures"),
                template_name="bgys/partials/applicable_measures.html",
                context=lambda: {
                    "measures": list(services.applicable_measures(obj)),
                    "in_soa": set(
                        selectors.entries_for(obj, user).values_list("measure_id", flat=True)
                    ),
                },
            ),
        ]

    @staticmethod
    def answer_rows(obj) -> list[dict]:
        rows = []
        for question in obj.framework.questions.prefetch_related("options"):
            letter = obj.answers.get(str(question.number), "")
            chosen = next((c for c in question.options.all() if c.letter == letter), None)
            rows.append({"question": question, "choice": chosen})
        return rows

    def get_extra_context(self, obj):
        return {
            "may_add_entries": get_scope(self.request.user).has_perm(
                "bgys.add_applicabilityentry", obj.unit_id
            ),
            "applicable_count": services.applicable_measures(obj).count(),
            **attribution_context([obj.framework]),
        }


class AssessmentEditView(ServiceEditView):
    queryset = Assessment.objects.select_related("asset_group__framework")
    form_class = AssessmentForm
    template_name = "bgys/assessment_edit.html"

    def save_with_service(self, form):
        return services.save_assessment(
            assessment=form.instance, answers=form.answers(), user=self.request.user
        )


class AddApplicableView(LoginRequiredMixin, View):
    """Put the applicable measures of an assessment on the unit's SoA."""

    def post(self, request, pk):
        assessment = get_object_or_404(
            Assessment.objects.restrict(request.user, "view").select_related(
                "asset_group__section"
            ),
            pk=pk,
        )
        added = services.add_applicable_measures(assessment=assessment, user=request.user)
        messages.success(
            request,
            _("%(count)s measures added to the Statement of Applicability.") % {"count": added},
        )
        return redirect(assessment.get_absolute_url() + "?tab=measures")


# --------------------------------------------------------------------------- SoA


def entry_units(user):
    """The units where ``user`` may put measures on the SoA."""
    units = get_scope(user).units_for("bgys.add_applicabilityentry")
    if units is ALL:
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=units or [])


def add_to_soa_form(user, framework, data=None, **initial):
    units = entry_units(user)
    if not units.exists():
        return None
    return AddToSoaForm(data, framework=framework, units=units, initial=initial)


class AddToSoaView(LoginRequiredMixin, View):
    """Measures of a framework onto a unit's SoA for the whole unit (no asset group): one
    measure (from its page), a section or the whole framework (ISO/IEC 27001's controls)."""

    def post(self, request, pk):
        framework = get_object_or_404(Framework, pk=pk)
        form = add_to_soa_form(request.user, framework, request.POST)
        if form is None:
            raise PermissionDenied
        if not form.is_valid():
            messages.error(
                request, " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
            return redirect(framework.get_absolute_url())
        measures = Measure.objects.filter(framework=framework)
        measure, section = form.cleaned_data["measure"], form.cleaned_data["section"]
        if measure is not None:
            measures = measures.filter(pk=measure.pk)
        elif section is not None:
            measures = filtersets._in_section(measures, section)
        added = services.add_entries(
            unit=form.cleaned_data["unit"],
            measures=measures.order_by("position"),
            user=request.user,
        )
        messages.success(
            request,
            _("%(count)s measures added to the Statement of Applicability.") % {"count": added},
        )
        target = reverse("bgys:applicabilityentry_list")
        query = f"?unit={form.cleaned_data['unit'].pk}&framework={framework.pk}"
        return redirect(target + query)


# What the SoA list reads of an entry's relations (``read_rows``): what its cells and their
# objects' ``__str__`` show; the texts and timestamps its rows do not show are not read.
ENTRY_LIST_READ = {
    "unit": ("name",),
    "measure": ("number", "title", "level"),
    "assessment": ("name",),
    "owner": ("first_name", "last_name"),
}
ENTRY_LIST_UNREAD = ("evidence_links", "notes", "created", "last_updated")


class ApplicabilityEntryListView(ObjectListView):
    # The measure's text, the framework's attribution and the questionnaire's answers are not
    # in the list: left out, they are not carried through the sort of every unit's entries
    # (the guide's texts made the page 5x its best query, bench/bgys.py).
    queryset = ApplicabilityEntry.objects.select_related(
        "measure", "measure__framework", "unit", "assessment", "owner"
    ).defer(
        "measure__text",
        "measure__framework__attribution",
        "assessment__answers",
        "assessment__notes",
    )
    table_class = tables.ApplicabilityEntryTable
    filterset_class = filtersets.ApplicabilityEntryFilterSet
    template_name = "bgys/entry_list.html"
    # Every unit's SoA (a guide's 660 measures per unit): pages by cursor with a capped count,
    # the rows read as plain values (``read_rows``); the export reads the queryset above.
    keyset_pagination = True

    def page_rows(self, queryset) -> list:
        return read_rows(queryset, exclude=ENTRY_LIST_UNREAD, related=ENTRY_LIST_READ)

    def export_filename(self) -> str:
        from django.utils import timezone

        return f"uygulanabilirlik-bildirgesi-{timezone.localdate():%Y%m%d}"

    def get_extra_context(self):
        return attribution_context(Framework.objects.exclude(attribution=""))


class ApplicabilityEntryPdfView(ApplicabilityEntryListView):
    """The filtered SoA as a PDF: the list's own access rule and filters."""

    # The PDF prints the frameworks' attributions, which the list leaves out.
    queryset = ApplicabilityEntryListView.queryset.defer(None).defer(
        "measure__text", "assessment__answers", "assessment__notes"
    )

    def get(self, request, *args, **kwargs):
        from django.http import HttpResponse

        from biys.bgys import pdf

        queryset, _filterset = self.filter_queryset(self.get_queryset())
        entries = list(queryset.order_by("unit", "measure__framework", "measure__position", "pk"))
        units = sorted({str(entry.unit) for entry in entries})
        frameworks = {entry.measure.framework for entry in entries}
        data = pdf.statement_of_applicability(
            entries,
            scope=", ".join(units) or "—",
            attributions=[f.attribution for f in frameworks if f.attribution],
        )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{self.export_filename()}.pdf"'
        return response


class ApplicabilityEntryDetailView(ObjectDetailView):
    queryset = ApplicabilityEntry.objects.select_related(
        "measure", "measure__framework", "measure__section", "unit", "assessment", "owner"
    )
    template_name = "bgys/entry_detail.html"
    detail_fields = (
        "measure",
        "unit",
        "assessment",
        "applicable",
        "reason",
        "state",
        "owner",
        "notes",
    )
    show_comments = False

    def get_extra_context(self, obj):
        return attribution_context([obj.measure.framework])


class ApplicabilityEntryEditView(ServiceEditView):
    queryset = ApplicabilityEntry.objects.select_related("measure", "assessment")
    form_class = ApplicabilityEntryForm

    def save_with_service(self, form):
        return services.save_entry(entry=form.instance, user=self.request.user)


class MeasureMappingListView(ObjectListView):
    queryset = MeasureMapping.objects.select_related("source", "target")
    table_class = tables.MeasureMappingTable
    filterset_class = filtersets.MeasureMappingFilterSet


class MeasureMappingDetailView(ObjectDetailView):
    queryset = MeasureMapping.objects.select_related("source__framework", "target__framework")
    detail_fields = ("source", "target", "reference", "notes")
    show_attachments = False
    show_comments = False


class MeasureMappingEditView(ServiceEditView):
    queryset = MeasureMapping.objects.all()
    form_class = MeasureMappingForm

    def save_with_service(self, form):
        return services.save_mapping(mapping=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- assets


# What the lists do not show: the change log's timestamps and the long texts.
ASSET_LIST_UNREAD = ("description", "platform_references", "created", "last_updated")
ASSET_LIST_READ = {
    "unit": ("name",),
    "asset_group": ("name",),
    "owner": ("first_name", "last_name"),
}


class InformationAssetListView(ObjectListView):
    """By name; pages by cursor with a capped count, the rows read as plain values."""

    queryset = InformationAsset.objects.select_related("unit", "asset_group", "owner")
    table_class = tables.InformationAssetTable
    filterset_class = filtersets.InformationAssetFilterSet
    keyset_pagination = True

    def page_rows(self, queryset) -> list:
        return read_rows(queryset, exclude=ASSET_LIST_UNREAD, related=ASSET_LIST_READ)


class InformationAssetDetailView(ObjectDetailView):
    queryset = InformationAsset.objects.select_related("unit", "asset_group", "owner")
    template_name = "bgys/asset_detail.html"
    detail_fields = (
        "name",
        "kind",
        "unit",
        "asset_group",
        "owner",
        "confidentiality",
        "integrity",
        "availability",
        "description",
    )
    show_comments = False

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            Tab(
                "risks",
                _("Risks"),
                template_name="bgys/partials/asset_risks.html",
                context=lambda: {
                    "risks": list(
                        Risk.objects.restrict(user, "view")
                        .filter(asset=obj)
                        .select_related("threat", "vulnerability", "methodology", "owner")
                    ),
                    "add_risk_url": reverse("bgys:risk_add") + f"?asset={obj.pk}"
                    if get_scope(user).has_perm("bgys.add_risk", obj.unit_id)
                    else "",
                },
            )
        ]

    def get_extra_context(self, obj):
        user = self.request.user
        platforms = []
        for reference in obj.references:
            summary = assets.find_asset(reference)
            platforms.append(
                {
                    "reference": reference,
                    "summary": summary,
                    "link": summary is not None and assets.may_view_asset(user, summary),
                }
            )
        return {"platforms": platforms}


class InformationAssetEditView(ServiceEditView):
    queryset = InformationAsset.objects.all()
    form_class = InformationAssetForm

    def save_with_service(self, form):
        return services.save_information_asset(asset=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- methodology


class CatalogueEditView(ServiceEditView):
    def save_with_service(self, form):
        return services.save_catalogue_entry(entry=form.instance, user=self.request.user)


class MethodologyListView(ObjectListView):
    queryset = Methodology.objects.all()
    table_class = tables.MethodologyTable
    filterset_class = filtersets.MethodologyFilterSet


class MethodologyDetailView(ObjectDetailView):
    queryset = Methodology.objects.all()
    template_name = "bgys/methodology_detail.html"
    detail_fields = ("name", "appetite", "is_default", "description")
    show_attachments = False
    show_comments = False


class MethodologyEditView(CatalogueEditView):
    queryset = Methodology.objects.all()
    form_class = MethodologyForm


class ThreatListView(ObjectListView):
    queryset = Threat.objects.all()
    table_class = tables.ThreatTable
    filterset_class = filtersets.ThreatFilterSet


class ThreatDetailView(ObjectDetailView):
    queryset = Threat.objects.all()
    detail_fields = ("name", "description")
    show_attachments = False
    show_comments = False


class ThreatEditView(CatalogueEditView):
    queryset = Threat.objects.all()
    form_class = ThreatForm


class VulnerabilityListView(ThreatListView):
    queryset = Vulnerability.objects.all()
    table_class = tables.VulnerabilityTable
    filterset_class = filtersets.VulnerabilityFilterSet


class VulnerabilityDetailView(ThreatDetailView):
    queryset = Vulnerability.objects.all()


class VulnerabilityEditView(CatalogueEditView):
    queryset = Vulnerability.objects.all()
    form_class = VulnerabilityForm


# --------------------------------------------------------------------------- risks

RISK_RELATED = ("asset", "asset__unit", "threat", "vulnerability", "methodology", "owner")


class RiskListView(ObjectListView):
    queryset = Risk.objects.select_related(*RISK_RELATED)
    table_class = tables.RiskTable
    filterset_class = filtersets.RiskFilterSet
    template_name = "bgys/risk_list.html"

    def export_filename(self) -> str:
        from django.utils import timezone

        return f"risk-kaydi-{timezone.localdate():%Y%m%d}"


class RiskDetailView(ObjectDetailView):
    queryset = Risk.objects.select_related(*RISK_RELATED, "approved_by")
    template_name = "bgys/risk_detail.html"
    detail_fields = (
        "asset",
        "threat",
        "vulnerability",
        "description",
        "methodology",
        "treatment",
        "treatment_plan",
        "owner",
        "due_date",
        "status",
        "approved_by",
        "approved_at",
    )
    show_comments = False

    def get_extra_context(self, obj):
        user = self.request.user
        scope = get_scope(user)
        may_change = can(user, "change", obj)
        may_approve = scope.has_perm("bgys.approve_risk", obj.asset.unit_id)
        pending = obj.status == RiskStatus.PENDING
        methodology = obj.methodology
        return {
            "likelihood_label": label_of(methodology.likelihood_scale, obj.likelihood),
            "impact_label": label_of(methodology.impact_scale, obj.impact),
            "residual_likelihood_label": label_of(
                methodology.likelihood_scale, obj.residual_likelihood
            ),
            "residual_impact_label": label_of(methodology.impact_scale, obj.residual_impact),
            "linked_measures": list(
                obj.measures.restrict(user, "view").select_related("measure", "measure__framework")
            ),
            "may_submit": may_change and obj.status == RiskStatus.DRAFT and bool(obj.treatment),
            "may_approve": may_approve and pending,
        }


def label_of(scale: list[str], value) -> str:
    if value is None or not 1 <= value <= len(scale):
        return ""
    return scale[value - 1]


class RiskEditView(ServiceEditView):
    queryset = Risk.objects.select_related("asset", "methodology")
    form_class = RiskForm

    def post(self, request, *args, **kwargs):
        # A new risk belongs to its asset's unit: adding one to an asset of a unit where the
        # user may not add risks is refused as such (not as an invalid choice).
        asset_id = request.POST.get("asset", "")
        if "pk" not in self.kwargs and asset_id.isdigit():
            unit_id = (
                InformationAsset.objects.filter(pk=int(asset_id))
                .values_list("unit_id", flat=True)
                .first()
            )
            if unit_id is not None and not can_add(request.user, Risk, unit_id):
                raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def save_with_service(self, form):
        return services.save_risk(
            risk=form.instance,
            user=self.request.user,
            measures=list(form.cleaned_data.get("measures") or []),
        )


class RiskActionView(LoginRequiredMixin, View):
    """Send for approval, approve, return (POST only)."""

    ACTIONS = {
        "submit": (services.submit_risk, _("Sent for approval.")),
        "approve": (services.approve_risk, _("Approved.")),
        "return": (services.return_risk, _("Returned to draft.")),
    }

    def post(self, request, pk, action):
        if action not in self.ACTIONS:
            raise PermissionDenied
        risk = get_object_or_404(Risk.objects.restrict(request.user, "view"), pk=pk)
        function, done = self.ACTIONS[action]
        try:
            function(risk=risk, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, str(done))
        return redirect(risk.get_absolute_url())


class RiskHeatMapView(LoginRequiredMixin, View):
    """The likelihood × impact grid of the risks the user may see, inherent and residual, each
    cell coloured against the methodology's appetite and linking to the filtered risk list."""

    template_name = "bgys/risk_heatmap.html"

    def get(self, request):
        if not get_scope(request.user).has_perm("bgys.view_risk"):
            raise PermissionDenied
        methodologies = list(Methodology.objects.all())
        chosen = request.GET.get("methodology")
        methodology = next((m for m in methodologies if str(m.pk) == chosen), None)
        methodology = methodology or services.default_methodology()
        risks = Risk.objects.restrict(request.user, "view")
        visible = get_scope(request.user).units_for("bgys.view_risk")
        units = Unit.objects.all() if visible is ALL else Unit.objects.filter(pk__in=visible)
        units = units.filter(pk__in=InformationAsset.objects.values("unit_id")).order_by("path")
        unit = request.GET.get("unit", "")
        unit_query = ""
        if unit.isdigit():
            # The unit with its sub-units, as the risk list's filter with include_subtree.
            chosen_unit = Unit.objects.filter(pk=int(unit)).first()
            if chosen_unit is not None:
                risks = risks.filter(asset__unit__path__startswith=chosen_unit.path)
                unit_query = f"&unit={unit}&include_subtree=true"
        list_url = reverse("bgys:risk_list")
        maps = []
        for residual, title in ((False, _("Inherent risk")), (True, _("Residual risk"))):
            grid = selectors.heat_map(risks, methodology, residual=residual)
            for row in grid["rows"]:
                for cell in row["cells"]:
                    cell["url"] = (
                        f"{list_url}?methodology={methodology.pk}{unit_query}"
                        f"&{grid['likelihood_param']}={cell['likelihood']}"
                        f"&{grid['impact_param']}={cell['impact']}"
                    )
            maps.append({"title": title, "residual": residual, **grid})
        context = {
            "title": _("Risk heat map"),
            "methodology": methodology,
            "methodologies": methodologies,
            "units": list(units),
            "unit": unit,
            "maps": maps,
            "pending": risks.filter(status=RiskStatus.PENDING).count(),
        }
        return render(request, self.template_name, context)


register_model_views(
    InformationAsset,
    list=InformationAssetListView,
    detail=InformationAssetDetailView,
    edit=InformationAssetEditView,
    delete=ObjectDeleteView,
)
register_model_views(
    Methodology,
    list=MethodologyListView,
    detail=MethodologyDetailView,
    edit=MethodologyEditView,
)
register_model_views(Threat, list=ThreatListView, detail=ThreatDetailView, edit=ThreatEditView)
register_model_views(
    Vulnerability,
    list=VulnerabilityListView,
    detail=VulnerabilityDetailView,
    edit=VulnerabilityEditView,
)
register_model_views(
    Risk, list=RiskListView, detail=RiskDetailView, edit=RiskEditView, delete=ObjectDeleteView
)


register_model_views(
    MeasureMapping,
    list=MeasureMappingListView,
    detail=MeasureMappingDetailView,
    edit=MeasureMappingEditView,
    delete=ObjectDeleteView,
)
register_model_views(Framework, list=FrameworkListView, detail=FrameworkDetailView)
register_model_views(
    Measure, list=MeasureListView, detail=MeasureDetailView, edit=MeasureEditView, add=False
)
register_model_views(
    Assessment, list=AssessmentListView, detail=AssessmentDetailView, edit=AssessmentEditView
)
register_model_views(
    ApplicabilityEntry,
    list=ApplicabilityEntryListView,
    detail=ApplicabilityEntryDetailView,
    edit=ApplicabilityEntryEditView,
    add=False,  # entries come from an assessment's applicable measures, one per measure
)
