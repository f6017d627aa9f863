"""The internal audit screens: the yearly plans, the audits with their checklist, findings and
corrective actions (DÖF), the audit report PDF, and the management reviews. Every write goes
through ``audit_services``; the auditor reads the audits they are named on."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from biys.bgys import audit_filtersets as filtersets
from biys.bgys import audit_services as services
from biys.bgys import audit_tables as tables
from biys.bgys.audit_forms import (
    AuditForm,
    AuditPlanForm,
    ChecklistDrawForm,
    ChecklistItemForm,
    CompleteForm,
    CorrectiveActionForm,
    FindingForm,
    ManagementReviewForm,
    ReviewActionForm,
    VerifyForm,
)
from biys.bgys.audit_models import (
    Audit,
    AuditPlan,
    AuditState,
    ChecklistItem,
    CorrectiveAction,
    CorrectiveState,
    Finding,
    ManagementReview,
    ReviewAction,
)
from biys.bgys.views import attribution_context
from biys.core.access import can, can_add
from biys.core.querysets import read_rows
from biys.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    Tab,
    register_model_views,
)

# Not shown by the lists that read their rows as plain values (``read_rows``).
TIMESTAMPS = ("created", "last_updated")


def refuse_parent(request, kwargs, parent_model, field: str, model) -> None:
    """On an add page: the new record belongs to its parent's unit; a parent in a unit where
    the user may not add is refused as such (403), not as an invalid choice."""
    parent_id = request.POST.get(field, "")
    if "pk" in kwargs or not parent_id.isdigit():
        return
    unit_id = (
        parent_model.objects.filter(pk=int(parent_id)).values_list("unit_id", flat=True).first()
    )
    if unit_id is not None and not can_add(request.user, model, unit_id):
        raise PermissionDenied


def _refusal(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --------------------------------------------------------------------------- plans


class AuditPlanListView(ObjectListView):
    queryset = AuditPlan.objects.select_related("unit")
    table_class = tables.AuditPlanTable
    filterset_class = filtersets.AuditPlanFilterSet


class AuditPlanDetailView(ObjectDetailView):
    queryset = AuditPlan.objects.select_related("unit")
    detail_fields = ("year", "title", "unit", "notes")
    show_comments = False

    def get_extra_tabs(self, obj):
        user = self.request.user
        add_url = ""
        if can_add(user, Audit, obj.unit_id):
            add_url = reverse("bgys:audit_add") + f"?plan={obj.pk}&unit={obj.unit_id}"
        return [
            Tab(
                "audits",
                _("Planned audits"),
                template_name="bgys/audits/plan_audits.html",
                context=lambda: {
                    "audits": list(
                        Audit.objects.restrict(user, "view")
                        .filter(plan=obj)
                        .select_related("lead_auditor")
                        .order_by("planned_start", "pk")
                    ),
                    "add_audit_url": add_url,
                },
            )
        ]


class AuditPlanEditView(ServiceEditView):
    queryset = AuditPlan.objects.all()
    form_class = AuditPlanForm

    def save_with_service(self, form):
        return services.save_plan(plan=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- audits

AUDIT_RELATED = ("unit", "plan", "framework", "lead_auditor")


class AuditListView(ObjectListView):
    """Newest first; pages by cursor with a capped count, the rows read as plain values
    (``read_rows``: the plan, unit and lead auditor by subqueries, the long texts not read)."""

    queryset = Audit.objects.select_related("unit", "plan", "lead_auditor").defer(
        "scope", "method", "conclusion"
    )
    table_class = tables.AuditTable
    filterset_class = filtersets.AuditFilterSet
    keyset_pagination = True

    def page_rows(self, queryset) -> list:
        return read_rows(
            queryset,
            exclude=("scope", "method", "conclusion", *TIMESTAMPS),
            related={
                "unit": ("name",),
                "plan": ("year", "title"),
                "lead_auditor": ("first_name", "last_name"),
            },
        )


class AssignedAuditListView(AuditListView):
    """The audits the user is named an auditor of (the auditor's menu entry)."""

    def get_queryset(self):
        person_id = self.request.user.person_id
        return (
            super().get_queryset().filter(auditors=person_id) if person_id else Audit.objects.none()
        )

    def get_extra_context(self):
        return {"title": _("My audits")}


class AuditDetailView(ObjectDetailView):
    queryset = Audit.objects.select_related(*AUDIT_RELATED)
    template_name = "bgys/audits/audit_detail.html"
    detail_fields = (
        "title",
        "state",
        "plan",
        "unit",
        "framework",
        "scope",
        "audited_units",
        "lead_auditor",
        "auditors",
        "planned_start",
        "planned_end",
        "started_on",
        "ended_on",
        "method",
        "conclusion",
        "reported_by",
        "reported_at",
    )
    show_comments = False

    def get_extra_tabs(self, obj):
        user = self.request.user
        may_change = can(user, "change", obj)
        open_checklist = obj.state in (AuditState.PLANNED, AuditState.IN_PROGRESS)
        counts = obj.items.aggregate(total=Count("pk"), unchecked=Count("pk", filter=Q(result="")))
        return [
            Tab(
                "checklist",
                _("Checklist"),
                template_name="bgys/audits/audit_checklist.html",
                badge=counts["total"] or None,
                context=lambda: {
                    "items": list(
                        obj.items.select_related("measure").annotate(
                            finding_count=Count("findings")
                        )
                    ),
                    "draw_form": ChecklistDrawForm(audit=obj)
                    if may_change and open_checklist
                    else None,
                    "may_record": may_change and obj.state == AuditState.IN_PROGRESS,
                },
            ),
            Tab(
                "findings",
                pgettext("audit", "Findings"),
                template_name="bgys/audits/audit_findings.html",
                context=lambda: {
                    "findings": list(
                        Finding.objects.restrict(user, "view")
                        .filter(audit=obj)
                        .select_related("measure", "corrective_action", "unit")
                    ),
                    "add_finding_url": reverse("bgys:finding_add") + f"?audit={obj.pk}"
                    if obj.state == AuditState.IN_PROGRESS and can_add(user, Finding, obj.unit_id)
                    else "",
                },
            ),
            Tab(
                "actions",
                _("Corrective actions"),
                template_name="bgys/audits/corrective_actions.html",
                context=lambda: {
                    "actions": list(
                        CorrectiveAction.objects.restrict(user, "view")
                        .filter(finding__audit=obj)
                        .select_related("finding", "owner", "unit")
                    )
                },
            ),
        ]

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        if obj.state != AuditState.PLANNED:
            urls["delete_url"] = ""  # once started, an audit is a record
        if obj.state == AuditState.CLOSED:
            urls["edit_url"] = ""
        return urls

    def get_extra_context(self, obj):
        user = self.request.user
        may_change = can(user, "change", obj)
        state = obj.state
        results = obj.items.aggregate(
            conforming=Count("pk", filter=Q(result="conforming")),
            nonconforming=Count("pk", filter=Q(result="nonconforming")),
            not_applicable=Count("pk", filter=Q(result="not_applicable")),
            unchecked=Count("pk", filter=Q(result="")),
        )
        judged = results["conforming"] + results["nonconforming"]
        rate = (
            _("Conformity rate: %(rate)s%%") % {"rate": round(100 * results["conforming"] / judged)}
            if judged
            else ""
        )
        return {
            "results": results,
            "conformity_rate": rate,
            "may_start": may_change and state == AuditState.PLANNED,
            "may_report": may_change and state == AuditState.IN_PROGRESS,
            "may_close": may_change and state == AuditState.REPORTED,
            "unchecked": results["unchecked"] if may_change else 0,
            **attribution_context([obj.framework]),
        }


class AuditEditView(ServiceEditView):
    queryset = Audit.objects.select_related("framework")
    form_class = AuditForm

    def save_with_service(self, form):
        return services.save_audit(
            audit=form.instance,
            user=self.request.user,
            audited_units=form.cleaned_data.get("audited_units"),
            auditors=form.cleaned_data.get("auditors"),
        )


class AuditDeleteView(ObjectDeleteView):
    queryset = Audit.objects.all()

    def delete_object(self, obj) -> None:
        services.delete_audit(audit=obj, user=self.request.user)

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError as error:
            _refusal(request, error)
            return redirect(self.get_object().get_absolute_url())


class AuditActionView(LoginRequiredMixin, View):
    """Start, report, close (POST only)."""

    ACTIONS = {
        "start": (services.start_audit, _("The audit has started.")),
        "report": (services.report_audit, _("The audit is reported.")),
        "close": (services.close_audit, _("The audit is closed.")),
    }

    def post(self, request, pk, action):
        if action not in self.ACTIONS:
            raise PermissionDenied
        audit = get_object_or_404(Audit.objects.restrict(request.user, "view"), pk=pk)
        function, done = self.ACTIONS[action]
        try:
            function(audit=audit, user=request.user)
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, str(done))
        return redirect(audit.get_absolute_url())


class ChecklistDrawView(LoginRequiredMixin, View):
    """Measures of the audit's framework onto its checklist, by section, asset group, level."""

    def post(self, request, pk):
        audit = get_object_or_404(Audit.objects.restrict(request.user, "view"), pk=pk)
        if not can(request.user, "change", audit):
            raise PermissionDenied
        form = ChecklistDrawForm(request.POST, audit=audit)
        target = audit.get_absolute_url() + "?tab=checklist"
        if not form.is_valid():
            messages.error(
                request, " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
            return redirect(target)
        try:
            added = services.draw_checklist(audit=audit, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(
                request, _("%(count)s measures added to the checklist.") % {"count": added}
            )
        return redirect(target)


def _report_filename(audit) -> str:
    from django.utils.text import slugify

    return f"ic-denetim-raporu-{slugify(audit.title) or audit.pk}"


class AuditReportView(LoginRequiredMixin, View):
    """The audit report as a PDF (the audit's own access rule: the auditors named on it
    read it too)."""

    def get(self, request, pk):
        from biys.attachments.models import Attachment
        from biys.bgys import audit_pdf

        audit = get_object_or_404(
            Audit.objects.restrict(request.user, "view").select_related(*AUDIT_RELATED), pk=pk
        )
        items = list(audit.items.select_related("measure"))
        findings = list(
            audit.findings.select_related(
                "measure", "corrective_action", "corrective_action__owner"
            )
        )
        from django.contrib.contenttypes.models import ContentType

        evidence = (
            Attachment.objects.filter(
                content_type=ContentType.objects.get_for_model(ChecklistItem),
                object_id__in=[str(item.pk) for item in items],
                is_internal=False,
            )
            .values("object_id")
            .annotate(n=Count("pk"))
        )
        counts = {int(row["object_id"]): row["n"] for row in evidence}
        data = audit_pdf.audit_report(
            audit,
            items=items,
            findings=findings,
            evidence_counts=counts,
            attribution=audit.framework.attribution,
        )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{_report_filename(audit)}.pdf"'
        return response


# --------------------------------------------------------------------------- checklist


class ChecklistItemListView(ObjectListView):
    queryset = ChecklistItem.objects.select_related("measure", "audit")
    table_class = tables.ChecklistItemTable
    filterset_class = filtersets.ChecklistItemFilterSet
    default_per_page = 100


class ChecklistItemDetailView(ObjectDetailView):
    """A checklist item: the measure's text (with the guide's attribution), the result, and
    the evidence files (the Attachments tab)."""

    queryset = ChecklistItem.objects.select_related(
        "measure", "measure__framework", "audit", "audit__unit"
    )
    template_name = "bgys/audits/checklist_item_detail.html"
    detail_fields = ("audit", "measure", "result", "notes")
    show_comments = False

    def get_extra_context(self, obj):
        return {
            "findings": list(
                Finding.objects.restrict(self.request.user, "view").filter(checklist_item=obj)
            ),
            "add_finding_url": reverse("bgys:finding_add")
            + f"?audit={obj.audit_id}&checklist_item={obj.pk}"
            if obj.audit.state == AuditState.IN_PROGRESS
            and can_add(self.request.user, Finding, obj.audit.unit_id)
            else "",
            **attribution_context([obj.measure.framework]),
        }


class ChecklistItemEditView(ServiceEditView):
    queryset = ChecklistItem.objects.select_related("audit", "measure")
    form_class = ChecklistItemForm

    def save_with_service(self, form):
        return services.save_checklist_item(item=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- findings


class FindingListView(ObjectListView):
    # Texts the list does not show are left out (bench/bgys.py).
    queryset = Finding.objects.select_related("audit", "measure", "unit").defer(
        "evidence", "audit__scope", "audit__method", "audit__conclusion", "measure__text"
    )
    table_class = tables.FindingTable
    filterset_class = filtersets.FindingFilterSet
    keyset_pagination = True

    def page_rows(self, queryset) -> list:
        return read_rows(
            queryset,
            exclude=("evidence", *TIMESTAMPS),
            related={"audit": ("title",), "measure": ("number",), "unit": ("name",)},
        )


class FindingDetailView(ObjectDetailView):
    queryset = Finding.objects.select_related(
        "audit", "measure", "measure__framework", "checklist_item", "unit"
    )
    template_name = "bgys/audits/finding_detail.html"
    detail_fields = (
        "audit",
        "number",
        "kind",
        "measure",
        "checklist_item",
        "unit",
        "description",
        "evidence",
    )
    show_comments = False

    def get_extra_context(self, obj):
        action = (
            CorrectiveAction.objects.restrict(self.request.user, "view").filter(finding=obj).first()
        )
        return {"action": action, **attribution_context([obj.measure.framework])}


class FindingEditView(ServiceEditView):
    queryset = Finding.objects.select_related("audit", "checklist_item")
    form_class = FindingForm

    def add_unit_id(self, instance):
        return instance.audit.unit_id if instance.audit_id else None

    def post(self, request, *args, **kwargs):
        # A new finding belongs to its audit's unit: adding one to an audit of a unit where
        # the user may not add findings is refused as such (not as an invalid choice).
        refuse_parent(request, self.kwargs, Audit, "audit", Finding)
        return super().post(request, *args, **kwargs)

    def save_with_service(self, form):
        return services.save_finding(finding=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- corrective actions

ACTION_RELATED = ("finding", "finding__audit", "finding__measure", "unit", "owner")


class CorrectiveActionListView(ObjectListView):
    queryset = CorrectiveAction.objects.select_related(
        "finding", "finding__audit", "unit", "owner"
    ).defer(
        "root_cause",
        "actions",
        "implementation_notes",
        "verification_notes",
        "finding__evidence",
        "finding__audit__scope",
        "finding__audit__method",
        "finding__audit__conclusion",
    )
    table_class = tables.CorrectiveActionTable
    filterset_class = filtersets.CorrectiveActionFilterSet
    keyset_pagination = True

    def page_rows(self, queryset) -> list:
        return read_rows(
            queryset,
            exclude=(
                "root_cause",
                "actions",
                "implementation_notes",
                "verification_notes",
                *TIMESTAMPS,
            ),
            related={
                "finding": ("description",),
                "finding__audit": ("title",),
                "unit": ("name",),
                "owner": ("first_name", "last_name"),
            },
        )

    def export_filename(self) -> str:
        from django.utils import timezone

        return f"dof-listesi-{timezone.localdate():%Y%m%d}"


class CorrectiveActionDetailView(ObjectDetailView):
    queryset = CorrectiveAction.objects.select_related(*ACTION_RELATED, "verified_by", "closed_by")
    template_name = "bgys/audits/corrective_action_detail.html"
    detail_fields = (
        "finding",
        "unit",
        "owner",
        "root_cause",
        "actions",
        "opened_on",
        "due_working_days",
        "due_date",
        "state",
        "implemented_on",
        "implementation_notes",
        "verified_by",
        "verified_at",
        "verification_notes",
        "closed_by",
        "closed_at",
    )
    show_comments = False

    def get_extra_context(self, obj):
        user = self.request.user
        works = services.may_work_on(user, obj)
        verifies = services.may_verify(user, obj)
        state = obj.state
        return {
            "complete_form": CompleteForm(
                initial={"root_cause": obj.root_cause, "actions": obj.actions}
            )
            if works and state == CorrectiveState.OPEN
            else None,
            "verify_form": VerifyForm()
            if verifies and state == CorrectiveState.IMPLEMENTED
            else None,
            "may_close": verifies and state == CorrectiveState.VERIFIED,
            "owner_may_not_verify": state == CorrectiveState.IMPLEMENTED
            and bool(user.person_id)
            and user.person_id == obj.owner_id,
        }


class CorrectiveActionEditView(ServiceEditView):
    queryset = CorrectiveAction.objects.select_related("finding__audit")
    form_class = CorrectiveActionForm

    def save_with_service(self, form):
        return services.save_corrective_action(action=form.instance, user=self.request.user)


class CorrectiveActionStepView(LoginRequiredMixin, View):
    """Complete (the owner or the team), verify and close (someone other than the owner)."""

    def post(self, request, pk, step):
        action = get_object_or_404(
            CorrectiveAction.objects.restrict(request.user, "view").select_related(
                "finding__audit"
            ),
            pk=pk,
        )
        try:
            if step == "complete":
                form = CompleteForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
                services.complete_corrective_action(
                    action=action,
                    user=request.user,
                    notes=form.cleaned_data["notes"],
                    root_cause=form.cleaned_data["root_cause"],
                    actions=form.cleaned_data["actions"],
                )
                done = _("Sent for verification.")
            elif step == "verify":
                form = VerifyForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
                effective = form.cleaned_data["effective"]
                services.verify_corrective_action(
                    action=action,
                    user=request.user,
                    effective=effective,
                    notes=form.cleaned_data["notes"],
                )
                done = _("Verified as effective.") if effective else _("Reopened: not effective.")
            elif step == "close":
                services.close_corrective_action(action=action, user=request.user)
                done = _("The corrective action is closed.")
            else:
                raise PermissionDenied
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, str(done))
        return redirect(action.get_absolute_url())


# --------------------------------------------------------------------------- management review


class ManagementReviewListView(ObjectListView):
    queryset = ManagementReview.objects.select_related("unit")
    table_class = tables.ManagementReviewTable
    filterset_class = filtersets.ManagementReviewFilterSet


class ManagementReviewDetailView(ObjectDetailView):
    queryset = ManagementReview.objects.select_related("unit")
    detail_fields = (
        "title",
        "held_on",
        "unit",
        "participants",
        "other_participants",
        "inputs",
        "decisions",
        "notes",
    )
    show_comments = False

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            Tab(
                "actions",
                pgettext("dof", "Actions"),
                template_name="bgys/audits/review_actions.html",
                context=lambda: {
                    "actions": list(
                        ReviewAction.objects.restrict(user, "view")
                        .filter(review=obj)
                        .select_related("owner")
                    ),
                    "add_action_url": reverse("bgys:reviewaction_add") + f"?review={obj.pk}"
                    if can_add(user, ReviewAction, obj.unit_id)
                    else "",
                },
            )
        ]


class ManagementReviewEditView(ServiceEditView):
    queryset = ManagementReview.objects.all()
    form_class = ManagementReviewForm

    def save_with_service(self, form):
        return services.save_review(
            review=form.instance,
            user=self.request.user,
            participants=form.cleaned_data.get("participants"),
        )


class ReviewActionListView(ObjectListView):
    queryset = ReviewAction.objects.select_related("review", "owner")
    table_class = tables.ReviewActionTable
    filterset_class = filtersets.ReviewActionFilterSet


class ReviewActionDetailView(ObjectDetailView):
    queryset = ReviewAction.objects.select_related("review", "owner")
    detail_fields = ("review", "description", "owner", "due_date", "done_on", "notes")
    show_comments = False


class ReviewActionEditView(ServiceEditView):
    queryset = ReviewAction.objects.select_related("review")
    form_class = ReviewActionForm

    def add_unit_id(self, instance):
        return instance.review.unit_id if instance.review_id else None

    def post(self, request, *args, **kwargs):
        refuse_parent(request, self.kwargs, ManagementReview, "review", ReviewAction)
        return super().post(request, *args, **kwargs)

    def save_with_service(self, form):
        return services.save_review_action(action=form.instance, user=self.request.user)


register_model_views(
    AuditPlan,
    list=AuditPlanListView,
    detail=AuditPlanDetailView,
    edit=AuditPlanEditView,
    delete=ObjectDeleteView,
)
register_model_views(
    Audit, list=AuditListView, detail=AuditDetailView, edit=AuditEditView, delete=AuditDeleteView
)
register_model_views(
    ChecklistItem,
    list=ChecklistItemListView,
    detail=ChecklistItemDetailView,
    edit=ChecklistItemEditView,
    add=False,  # drawn from the framework on the audit's page
)
register_model_views(Finding, list=FindingListView, detail=FindingDetailView, edit=FindingEditView)
register_model_views(
    CorrectiveAction,
    list=CorrectiveActionListView,
    detail=CorrectiveActionDetailView,
    edit=CorrectiveActionEditView,
    add=False,  # every nonconformity opens its own
)
register_model_views(
    ManagementReview,
    list=ManagementReviewListView,
    detail=ManagementReviewDetailView,
    edit=ManagementReviewEditView,
    delete=ObjectDeleteView,
)
register_model_views(
    ReviewAction,
    list=ReviewActionListView,
    detail=ReviewActionDetailView,
    edit=ReviewActionEditView,
    delete=ObjectDeleteView,
)
