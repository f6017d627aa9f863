"""The findings screens: the findings list and detail with its lifecycle steps, the scan-import
upload with its progress, the imports, the remediation targets and the overdue findings per
responsible unit. Every write goes through ``biys.secops.services``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View

from biys.core.access import get_scope
from biys.core.assets import find_asset, may_view_asset
from biys.core.querysets import read_rows
from biys.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ServiceEditView,
    register_model_views,
)
from biys.secops import filtersets, selectors, services, tables
from biys.secops.choices import ImportStatus, Severity
from biys.secops.forms import (
    BoardNotificationForm,
    BreachForm,
    EscalateForm,
    EvidenceForm,
    FindingActionForm,
    IncidentEventForm,
    IncidentForm,
    IncidentStepForm,
    IncidentTaskForm,
    IndicatorForm,
    NotificationForm,
    NotificationRuleForm,
    PenTestFindingForm,
    PenTestForm,
    RemediationTargetForm,
    ScanImportForm,
    TaskStepForm,
    UsomListForm,
)
from biys.secops.models import (
    Breach,
    Finding,
    Incident,
    NotificationRule,
    PenTest,
    RemediationTarget,
    ScanImport,
    UsomAddress,
    UsomListImport,
)

VIEW_FINDING = "secops.view_finding"

ACTION_LABELS = {
    "start": gettext_lazy("Start remediation"),
    "fix": gettext_lazy("Mark fixed"),
    "false_positive": gettext_lazy("False positive"),
    "accept_risk": gettext_lazy("Accept the risk"),
    "reopen": gettext_lazy("Reopen"),
}
ACTION_DONE = {
    "start": gettext_lazy("Remediation started."),
    "fix": gettext_lazy("Marked fixed."),
    "false_positive": gettext_lazy("Marked a false positive."),
    "accept_risk": gettext_lazy("Risk accepted."),
    "reopen": gettext_lazy("Reopened."),
}


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


# Findings ----------------------------------------------------------------------------------


class FindingListView(ObjectListView):
    """Worst first; pages by cursor with a capped count (a list that grows without bound)."""

    queryset = Finding.objects.select_related("unit")
    table_class = tables.FindingTable
    filterset_class = filtersets.FindingFilterSet
    template_name = "secops/finding_list.html"
    keyset_pagination = True
    # What the rows do not show: the scanner's texts (kilobytes a finding in real reports).
    unread = ("description", "solution", "references", "evidence", "cvss_vector", "state_note",
              "component", "dedup_key", "asset_reference")  # fmt: skip

    def bulk_edit_url(self) -> str:
        return ""

    def page_rows(self, queryset) -> list:
        """The page read as plain rows, the unit's name by a subquery (``read_rows``)."""
        return read_rows(queryset, exclude=self.unread, related={"unit": ("name",)})

    def get_extra_context(self):
        scope = get_scope(self.request.user)
        return {
            "import_url": reverse("secops:scanimport_add")
            if scope.has_perm(services.IMPORT)
            else "",
        }


class FindingDetailView(ObjectDetailView):
    queryset = Finding.objects.select_related(
        "unit", "first_import", "last_import", "risk_accepted_by", "pentest", "ticket"
    )
    template_name = "secops/finding_detail.html"
    detail_fields = (
        "host", "ip", "hostname", "asset_reference", "port", "protocol", "component", "scanner",
        "rule_id", "cves", "severity", "cvss_score", "cvss_vector", "unit", "state", "state_note",
        "due_date", "risk_accepted_by", "risk_accepted_until", "fixed_at", "times_reopened",
        "first_seen", "last_seen", "first_import", "last_import", "pentest", "description", "solution",
        "references", "evidence",
    )  # fmt: skip
    show_attachments = False
    show_comments = False

    def get_object_urls(self, obj):
        return {"edit_url": "", "delete_url": ""}

    def get_extra_context(self, obj):
        actions = []
        for name in services.allowed_actions(self.request.user, obj):
            actions.append(
                {
                    "name": name,
                    "label": ACTION_LABELS[name],
                    "form": FindingActionForm(action=name, prefix=name),
                }
            )
        return {
            "actions": actions,
            "step_forms": [action for action in actions if action["form"].fields],
            "overdue": obj.is_active and obj.due_date and obj.due_date < selectors.today(),
            "may_open_ticket": services.may_open_ticket(self.request.user, obj),
            "ticket_url": _ticket_url(self.request.user, obj),
            "awaiting_verification": services.awaiting_verification(obj),
        }


class FindingTicketView(LoginRequiredMixin, View):
    """Open a service-desk ticket for a finding's fix (POST). 404 to whoever cannot see the
    finding, 403 to one who may not change it; a refusal (no catalogue item, a live ticket
    already) comes back to the finding's page as a message."""

    def post(self, request, pk):
        finding = get_object_or_404(selectors.findings_for(request.user), pk=pk)
        if not get_scope(request.user).has_perm(services.CHANGE, finding.unit_id):
            raise PermissionDenied
        try:
            finding = services.open_finding_ticket(user=request.user, finding=finding)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
            return redirect(finding.get_absolute_url())
        messages.success(
            request, _("Ticket %(number)s opened for the fix.") % {"number": finding.ticket.number}
        )
        return redirect(finding.get_absolute_url())


class FindingActionView(LoginRequiredMixin, View):
    """One lifecycle step (POST; GET shows its form alone). Anyone who cannot see the finding
    gets 404; one who sees it but may not take the step gets 403."""

    template_name = "secops/finding_action.html"

    def get_finding(self):
        if self.kwargs["action"] not in services.TRANSITIONS:
            raise Http404
        return get_object_or_404(selectors.findings_for(self.request.user), pk=self.kwargs["pk"])

    def render_form(self, finding, form, status=200):
        action = self.kwargs["action"]
        context = {
            "finding": finding,
            "form": form,
            "action": action,
            "title": ACTION_LABELS[action],
        }
        return render(self.request, self.template_name, context, status=status)

    def may(self, finding) -> bool:
        step = services.TRANSITIONS[self.kwargs["action"]]
        return get_scope(self.request.user).has_perm(step.perm, finding.unit_id)

    def get(self, request, pk, action):
        finding = self.get_finding()
        if not self.may(finding):
            raise PermissionDenied
        return self.render_form(finding, FindingActionForm(action=action, prefix=action))

    def post(self, request, pk, action):
        finding = self.get_finding()
        form = FindingActionForm(request.POST, action=action, prefix=action)
        if not self.may(finding):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.change_state(
                    user=request.user,
                    finding=finding,
                    action=action,
                    note=form.cleaned_data.get("note", ""),
                    until=form.cleaned_data.get("until"),
                )
            except PermissionDenied:
                raise
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, str(ACTION_DONE[action]))
                return redirect(finding.get_absolute_url())
        return self.render_form(finding, form, status=400)


class OverdueView(LoginRequiredMixin, View):
    """Overdue findings per responsible unit, worst first; each count links to the list."""

    template_name = "secops/overdue.html"

    def get(self, request):
        if not get_scope(request.user).has_perm(VIEW_FINDING):
            raise PermissionDenied
        rows = selectors.overdue_by_unit(request.user)
        return render(
            request,
            self.template_name,
            {
                "title": _("Overdue findings per unit"),
                "rows": rows,
                "severities": [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW],
                "today": selectors.today(),
            },
        )


# Imports -----------------------------------------------------------------------------------


class ScanImportListView(ObjectListView):
    queryset = ScanImport.objects.select_related("unit", "imported_by")
    table_class = tables.ScanImportTable
    filterset_class = filtersets.ScanImportFilterSet
    keyset_pagination = True

    def bulk_edit_url(self) -> str:
        return ""


class ScanImportDetailView(ObjectDetailView):
    queryset = ScanImport.objects.select_related("unit", "imported_by")
    template_name = "secops/scanimport_detail.html"
    detail_fields = (
        "filename", "format", "unit", "status", "progress", "size", "total", "created_count",
        "updated_count", "reopened_count", "skipped_count", "error", "imported_by",
        "started_at", "finished_at",
    )  # fmt: skip
    show_attachments = False
    show_comments = False

    def get_object_urls(self, obj):
        return {"edit_url": "", "delete_url": ""}

    def get(self, request, *args, **kwargs):
        if request.GET.get("progress"):
            obj = self.get_object()
            return render(request, "secops/partials/import_progress.html", {"object": obj})
        return super().get(request, *args, **kwargs)

    def get_extra_context(self, obj):
        return {"running": obj.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)}


class ScanImportUploadView(ObjectEditView):
    """Upload a scanner report: the service checks the format and the permission, imports it at
    once (all or nothing) or leaves a large one to the background task."""

    queryset = ScanImport.objects.all()
    form_class = ScanImportForm
    template_name = "secops/scanimport_upload.html"

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_form(obj, form, status=400)
        data = form.cleaned_data
        try:
            scan_import = services.import_report(
                user=request.user,
                unit=data["unit"],
                file=data["file"],
                filename=data["file"].name,
                format=data.get("format") or None,
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.render_form(obj, form, status=400)
        except PermissionDenied:
            form.add_error("unit", _("You may not import findings for that unit."))
            return self.render_form(obj, form, status=403)
        if scan_import.status == ImportStatus.DONE:
            messages.success(
                request,
                _(
                    "Imported %(file)s: %(created)s new, %(updated)s updated, %(reopened)s"
                    " reopened, %(skipped)s skipped."
                )
                % {"file": scan_import.filename, **scan_import.counts()},
            )
        else:
            messages.info(request, _("The file is being imported in the background."))
        return redirect(scan_import.get_absolute_url())


# Remediation targets -----------------------------------------------------------------------


class RemediationTargetListView(ObjectListView):
    queryset = RemediationTarget.objects.all()
    table_class = tables.RemediationTargetTable
    quick_search = False
    export_formats = ()

    def bulk_edit_url(self) -> str:
        return ""


class RemediationTargetDetailView(ObjectDetailView):
    queryset = RemediationTarget.objects.all()
    show_attachments = False
    show_comments = False

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        urls["delete_url"] = ""
        return urls


class RemediationTargetEditView(ObjectEditView):
    queryset = RemediationTarget.objects.all()
    form_class = RemediationTargetForm


register_model_views(Finding, list=FindingListView, detail=FindingDetailView)
register_model_views(
    ScanImport, list=ScanImportListView, detail=ScanImportDetailView, add=ScanImportUploadView
)
register_model_views(
    RemediationTarget,
    list=RemediationTargetListView,
    detail=RemediationTargetDetailView,
    edit=RemediationTargetEditView,
    add=False,
)


# Incidents ---------------------------------------------------------------------------------

STEP_LABELS = {
    "contain": gettext_lazy("Contained"),
    "recover": gettext_lazy("Recovered"),
    "close": gettext_lazy("Close the incident"),
    "reopen": gettext_lazy("Reopen"),
}


class IncidentListView(ObjectListView):
    queryset = Incident.objects.select_related("unit")
    table_class = tables.IncidentTable
    filterset_class = filtersets.IncidentFilterSet
    template_name = "secops/incident_list.html"

    def bulk_edit_url(self) -> str:
        return ""

    def get_extra_context(self):
        scope = get_scope(self.request.user)
        return {
            "escalate_url": reverse("secops:incident_escalate")
            if scope.has_perm(services.ADD_INCIDENT)
            else ""
        }


class IncidentDetailView(ObjectDetailView):
    queryset = Incident.objects.select_related("unit", "ticket", "reported_by")
    template_name = "secops/incident_detail.html"
    detail_fields = (
        "number", "unit", "source", "ticket", "source_reference", "detected_at",
        "classification", "severity", "personal_data", "state",
        "contained_at", "recovered_at", "closed_at", "description", "containment", "recovery",
        "lessons", "reported_by",
    )  # fmt: skip
    show_attachments = False
    show_comments = False

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        urls["delete_url"] = ""
        return urls

    def get_extra_context(self, obj):
        user = self.request.user
        may_change = get_scope(user).has_perm(services.CHANGE_INCIDENT, obj.unit_id)
        now = timezone.now()
        clocks = []
        for clock in selectors.clocks(obj):
            clocks.append(
                {
                    "clock": clock,
                    "late": clock.is_late(now),
                    "left": selectors.duration_text(clock.remaining(now)),
                }
            )
        assets = []
        for reference in obj.asset_list:
            summary = find_asset(reference)
            url = summary.url if summary and may_view_asset(user, summary) else ""
            assets.append({"reference": reference, "url": url})
        indicators = selectors.indicators_of(obj)
        breach = Breach.objects.filter(incident=obj).first() if obj.personal_data else None
        return {
            "may_change": may_change,
            "breach": breach,
            "may_record_breach": breach is None and services.may_record_breach(user, obj),
            "steps": [
                {"name": name, "label": STEP_LABELS[name]}
                for name in services.incident_actions(user, obj)
            ],
            "clocks": clocks,
            "assets": assets,
            "events": obj.events.select_related("author"),
            "indicators": indicators,
            "notifications": obj.notifications.select_related("rule", "sent_by"),
            "evidence": obj.evidence.select_related("added_by").prefetch_related("custody__user"),
            "event_form": IncidentEventForm(prefix="event"),
            "indicator_form": IndicatorForm(prefix="indicator"),
            "notification_form": NotificationForm(
                prefix="notification",
                initial={
                    "sent_at": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M"),
                    "rule": next((c["clock"].rule.pk for c in clocks if not c["clock"].done), None),
                },
            ),
            "evidence_form": EvidenceForm(prefix="evidence"),
            "ticket_url": _ticket_url(user, obj),
            "tasks": _tasks_of(user, obj),
            "task_form": IncidentTaskForm(prefix="task", incident=obj) if may_change else None,
            "now": now,
        }


TASK_LABELS = {
    "start": gettext_lazy("Start"),
    "done": gettext_lazy("Done"),
    "cancel": gettext_lazy("Cancel the task"),
    "reopen": gettext_lazy("Reopen"),
}


def _tasks_of(user, incident) -> list:
    tasks = list(incident.tasks.select_related("assignee"))
    for task in tasks:
        task.incident = incident  # no query per task
        task.steps = [
            {"name": name, "label": TASK_LABELS[name]} for name in services.task_actions(user, task)
        ]
    return tasks


def _ticket_url(user, record) -> str:
    """The ticket's page for whoever may open it (an incident's or a finding's ticket)."""
    ticket = record.ticket
    if ticket is None:
        return ""
    visible = type(ticket).objects.restrict(user, "view").filter(pk=ticket.pk).exists()
    return ticket.get_absolute_url() if visible else ""


class IncidentEditView(ObjectEditView):
    """Add and edit through the services (numbering, the timeline, the checks)."""

    queryset = Incident.objects.all()
    form_class = IncidentForm

    def add_unit_id(self, instance):
        return instance.unit_id

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError as error:
            obj = self.get_object()
            form = self.get_form(obj, data=request.POST, files=request.FILES)
            form.is_valid()
            _form_errors(form, error)
            return self.render_form(obj, form, status=400)

    def save_form(self, form):
        data = form.cleaned_data
        values = {name: data[name] for name in services.INCIDENT_FIELDS if name in data}
        if form.instance.pk is None:
            for name in ("containment", "recovery", "lessons"):
                values.pop(name, None)
            return services.create_incident(
                user=self.request.user,
                unit=data["unit"],
                ticket=form.ticket,
                affected_units=data["affected_units"],
                named_people=data["named_people"],
                **values,
            )
        return services.update_incident(
            user=self.request.user,
            incident=form.instance,
            unit=data["unit"],
            ticket=form.ticket,
            affected_units=data["affected_units"],
            named_people=data["named_people"],
            **values,
        )


class IncidentActionView(LoginRequiredMixin, View):
    """The incident page's POST actions: a state step, a timeline event, an indicator, a
    notification sent, an evidence file. Anyone who cannot see the incident gets 404; one who
    sees it but may not change it 403; a refused entry goes back to the page with the reason
    (400, the form with its errors)."""

    FORMS = {
        "event": IncidentEventForm,
        "indicator": IndicatorForm,
        "notification": NotificationForm,
        "evidence": EvidenceForm,
        "task": IncidentTaskForm,
    }

    def post(self, request, pk, action):
        incident = get_object_or_404(selectors.incidents_for(request.user), pk=pk)
        if not get_scope(request.user).has_perm(services.CHANGE_INCIDENT, incident.unit_id):
            raise PermissionDenied
        if action in services.INCIDENT_STEPS:
            form = IncidentStepForm(request.POST, prefix="step")
            form.is_valid()
            call = lambda: services.change_incident_state(  # noqa: E731
                user=request.user, incident=incident, action=action,
                note=form.cleaned_data.get("note", ""),
            )  # fmt: skip
            done = _("Saved.")
        elif action in self.FORMS:
            extra = {"incident": incident} if action == "task" else {}
            form = self.FORMS[action](request.POST, request.FILES, prefix=action, **extra)
            if not form.is_valid():
                return self.failed(incident, action, form)
            data = form.cleaned_data
            call, done = self.call_for(action, incident, data)
        else:
            raise Http404
        try:
            call()
        except ValidationError as error:
            _form_errors(form, error)
            return self.failed(incident, action, form)
        messages.success(request, done)
        return redirect(incident.get_absolute_url())

    def call_for(self, action, incident, data):
        user = self.request.user
        if action == "event":
            return (
                lambda: services.add_event(
                    user=user, incident=incident, text=data["text"],
                    occurred_at=data.get("occurred_at"),
                ),
                _("Event added to the timeline."),
            )  # fmt: skip
        if action == "indicator":
            return (
                lambda: services.add_indicator(
                    user=user, incident=incident, kind=data["kind"], value=data["value"]
                ),
                _("Indicator added."),
            )
        if action == "notification":
            return (
                lambda: services.record_notification(
                    user=user, incident=incident, rule=data["rule"], sent_at=data["sent_at"],
                    content=data["content"], reference=data.get("reference", ""),
                ),
                _("Notification recorded."),
            )  # fmt: skip
        if action == "task":
            return (
                lambda: services.add_task(
                    user=user, incident=incident, title=data["title"],
                    assignee=data.get("assignee"), due=data.get("due"),
                ),
                _("Task added."),
            )  # fmt: skip
        return (
            lambda: services.add_evidence(
                user=user, incident=incident, file=data["file"], filename=data["file"].name,
                description=data.get("description", ""),
            ),
            _("Evidence file added."),
        )  # fmt: skip

    def failed(self, incident, action, form):
        return render(
            self.request,
            "secops/incident_action.html",
            {"incident": incident, "form": form, "action": action, "title": str(incident)},
            status=400,
        )


class IncidentTaskStepView(LoginRequiredMixin, View):
    """A step of a responder's task (POST): the SOME of the incident's unit, or the task's
    assignee for starting and finishing it. 404 to whoever cannot see the incident."""

    def post(self, request, pk, task_pk, action):
        incident = get_object_or_404(selectors.incidents_for(request.user), pk=pk)
        task = get_object_or_404(incident.tasks, pk=task_pk)
        if action not in services.TASK_STEPS:
            raise Http404
        task.incident = incident
        allowed = action in services.task_actions(request.user, task)
        if not allowed and task.state in services.TASK_STEPS[action][0]:
            raise PermissionDenied
        form = TaskStepForm(request.POST, prefix=f"task{task.pk}")
        form.is_valid()
        try:
            services.change_task(
                user=request.user, task=task, action=action,
                note=form.cleaned_data.get("note", ""),
            )  # fmt: skip
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
        else:
            messages.success(request, _("Saved."))
        return redirect(incident.get_absolute_url() + "#incident-tasks")


class MyIncidentTasksView(LoginRequiredMixin, View):
    """The open incident tasks assigned to me, due first."""

    def get(self, request):
        tasks = selectors.open_tasks_of(request.user)
        return render(
            request,
            "secops/my_tasks.html",
            {"title": _("My incident tasks"), "tasks": tasks, "now": timezone.now()},
        )


class EvidenceDownloadView(LoginRequiredMixin, View):
    """Hand out an evidence file to whoever may see its incident, and log it in custody."""

    def get(self, request, pk, evidence_pk):
        incident = get_object_or_404(selectors.incidents_for(request.user), pk=pk)
        if not (
            get_scope(request.user).has_perm("secops.view_evidence", incident.unit_id)
            or incident.named_people.filter(pk=request.user.pk).exists()
        ):
            raise PermissionDenied
        evidence = get_object_or_404(incident.evidence, pk=evidence_pk)
        services.log_evidence_download(
            user=request.user, evidence=evidence, address=request.META.get("REMOTE_ADDR")
        )
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.filename,
            content_type="application/octet-stream",
        )
        response["X-Content-SHA256"] = evidence.sha256
        return response


class IncidentReportView(LoginRequiredMixin, View):
    """The incident report (PDF, in Turkish) for whoever may see the incident."""

    def get(self, request, pk):
        from biys.secops.pdf import incident_report

        incident = get_object_or_404(
            selectors.incidents_for(request.user).select_related("unit", "ticket"), pk=pk
        )
        response = HttpResponse(incident_report(incident), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{incident.number}.pdf"'
        return response


class EscalateView(LoginRequiredMixin, View):
    """A service-desk ticket (a monitoring alert) becomes an incident."""

    template_name = "secops/incident_escalate.html"

    def check(self):
        if not get_scope(self.request.user).has_perm(services.ADD_INCIDENT):
            raise PermissionDenied

    def render_form(self, form, status=200):
        context = {"form": form, "title": _("Escalate a ticket to an incident")}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        self.check()
        initial = {"ticket_number": request.GET.get("ticket", "")}
        return self.render_form(EscalateForm(initial=initial))

    def post(self, request):
        self.check()
        form = EscalateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = services.escalate_ticket(
                    user=request.user,
                    ticket=form.ticket,
                    unit=data["unit"],
                    classification=data["classification"],
                    severity=data["severity"],
                    personal_data=data["personal_data"],
                )
            except PermissionDenied:
                form.add_error("unit", _("You may not record incidents for that unit."))
                return self.render_form(form, status=403)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request, _("Recorded incident %(number)s.") % {"number": incident.number}
                )
                return redirect(incident.get_absolute_url())
        return self.render_form(form, status=400)


# Notification rules ------------------------------------------------------------------------


class NotificationRuleListView(ObjectListView):
    queryset = NotificationRule.objects.all()
    table_class = tables.NotificationRuleTable
    quick_search = False
    export_formats = ()

    def bulk_edit_url(self) -> str:
        return ""


class NotificationRuleDetailView(ObjectDetailView):
    queryset = NotificationRule.objects.all()
    show_attachments = False
    show_comments = False

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        urls["delete_url"] = ""
        return urls


class NotificationRuleEditView(ObjectEditView):
    queryset = NotificationRule.objects.all()
    form_class = NotificationRuleForm


register_model_views(Incident, list=IncidentListView, detail=IncidentDetailView,
                     add=IncidentEditView, edit=IncidentEditView)  # fmt: skip
register_model_views(
    NotificationRule,
    list=NotificationRuleListView,
    detail=NotificationRuleDetailView,
    edit=NotificationRuleEditView,
    add=False,
)


# Personal-data breaches (KVKK) -------------------------------------------------------------


class BreachListView(ObjectListView):
    queryset = Breach.objects.select_related("incident")
    table_class = tables.BreachTable
    filterset_class = filtersets.BreachFilterSet

    def bulk_edit_url(self) -> str:
        return ""


class BreachDetailView(ObjectDetailView):
    """The breach with what the KVKK contact person needs of its incident: number, title,
    detection and the KVKK clock with what was sent to the Board."""

    queryset = Breach.objects.select_related("incident", "recorded_by")
    template_name = "secops/breach_detail.html"
    detail_fields = (
        "data_categories", "subject_groups", "subjects_affected", "records_affected",
        "consequences", "measures", "late_reason", "subjects_notified_at",
        "subjects_notification", "recorded_by",
    )  # fmt: skip
    show_comments = False

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        urls["delete_url"] = ""
        return urls

    def get_extra_context(self, obj):
        user = self.request.user
        now = timezone.now()
        clock = selectors.board_clock(obj.incident)
        sent = []
        if clock is not None:
            sent = list(
                obj.incident.notifications.filter(rule=clock.rule).select_related("sent_by")
            )
        may_change = get_scope(user).has_perm(services.CHANGE_BREACH, obj.incident.unit_id)
        return {
            "clock": clock,
            "late": clock.is_late(now) if clock else False,
            "left": selectors.duration_text(clock.remaining(now)) if clock else "",
            "board_notifications": sent,
            "may_change": may_change,
            "may_see_incident": selectors.incidents_for(user).filter(pk=obj.incident_id).exists(),
            "board_form": BoardNotificationForm(prefix="board") if may_change else None,
        }


class BreachEditView(ServiceEditView):
    """Edit the breach record; a new one is added from its incident (``BreachAddView``)."""

    queryset = Breach.objects.select_related("incident")
    form_class = BreachForm

    def save_with_service(self, form):
        values = {name: form.cleaned_data.get(name) for name in services.BREACH_FIELDS}
        return services.update_breach(user=self.request.user, breach=form.instance, **values)


class BreachAddView(ServiceEditView):
    """Record the breach of an incident that involves personal data (one per incident)."""

    queryset = Breach.objects.all()
    form_class = BreachForm

    def incident(self):
        incident = get_object_or_404(
            Incident.objects.filter(personal_data=True), pk=self.kwargs["incident"]
        )
        if not services.may_record_breach(self.request.user, incident):
            raise Http404
        if Breach.objects.filter(incident=incident).exists():
            raise Http404
        return incident

    def get_object(self):
        return Breach(incident=self.incident())

    def save_with_service(self, form):
        values = {name: form.cleaned_data.get(name) for name in services.BREACH_FIELDS}
        return services.record_breach(
            user=self.request.user, incident=form.instance.incident, **values
        )


class BreachNotifyBoardView(LoginRequiredMixin, View):
    """Record what was sent to the KVKK Board (POST only)."""

    def post(self, request, pk):
        breach = get_object_or_404(selectors.breaches_for(request.user), pk=pk)
        if not get_scope(request.user).has_perm(services.CHANGE_BREACH, breach.incident.unit_id):
            raise PermissionDenied
        form = BoardNotificationForm(request.POST, prefix="board")
        if form.is_valid():
            try:
                services.notify_board(user=request.user, breach=breach, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The notification to the KVKK Board is recorded."))
                return redirect(breach.get_absolute_url())
        return render(
            request,
            "secops/breach_notify.html",
            {"object": breach, "form": form, "title": str(breach)},
            status=400,
        )


register_model_views(
    Breach, list=BreachListView, detail=BreachDetailView, edit=BreachEditView, add=False
)


# Penetration tests -------------------------------------------------------------------------


class PenTestListView(ObjectListView):
    queryset = PenTest.objects.select_related("unit")
    table_class = tables.PenTestTable
    filterset_class = filtersets.PenTestFilterSet

    def bulk_edit_url(self) -> str:
        return ""


class PenTestDetailView(ObjectDetailView):
    """The test with its report file and its findings; whoever may change the test types in
    its findings here."""

    queryset = PenTest.objects.select_related("unit", "recorded_by")
    template_name = "secops/pentest_detail.html"
    detail_fields = ("title", "unit", "tester", "started_on", "ended_on", "scope",
                     "recorded_by")  # fmt: skip
    show_attachments = False
    show_comments = False

    def get_object_urls(self, obj):
        urls = super().get_object_urls(obj)
        urls["delete_url"] = ""
        return urls

    def get_extra_context(self, obj):
        user = self.request.user
        may_change = get_scope(user).has_perm(services.CHANGE_PENTEST, obj.unit_id)
        findings = selectors.findings_for(user).filter(pentest=obj).select_related("unit")
        return {
            "may_change": may_change,
            "findings": findings.order_by("-severity", "-id")[:200],
            "finding_count": findings.count(),
            "finding_form": PenTestFindingForm(prefix="finding") if may_change else None,
        }


class PenTestEditView(ServiceEditView):
    queryset = PenTest.objects.all()
    form_class = PenTestForm

    def save_with_service(self, form):
        data = form.cleaned_data
        values = {name: data.get(name) for name in services.PENTEST_FIELDS}
        report = data.get("report_file")
        file_values = {"report": report, "report_filename": report.name if report else ""}
        if form.instance.pk is None:
            return services.create_pentest(
                user=self.request.user, unit=data["unit"], **file_values, **values
            )
        return services.update_pentest(
            user=self.request.user, pentest=form.instance, unit=data["unit"], **file_values,
            **values,
        )  # fmt: skip


class PenTestReportView(LoginRequiredMixin, View):
    """The tester's report file, to whoever may see the test."""

    def get(self, request, pk):
        pentest = get_object_or_404(selectors.pentests_for(request.user), pk=pk)
        if not pentest.report:
            raise Http404
        response = FileResponse(
            pentest.report.open("rb"),
            as_attachment=True,
            filename=pentest.report_filename or "report",
            content_type="application/octet-stream",
        )
        response["X-Content-SHA256"] = pentest.report_sha256
        return response


class PenTestFindingAddView(LoginRequiredMixin, View):
    """Type in one finding of the test (POST). 404 to whoever cannot see the test, 403 to one
    who may not change it; a refused entry comes back with its errors (400)."""

    def post(self, request, pk):
        pentest = get_object_or_404(selectors.pentests_for(request.user), pk=pk)
        if not get_scope(request.user).has_perm(services.CHANGE_PENTEST, pentest.unit_id):
            raise PermissionDenied
        form = PenTestFindingForm(request.POST, prefix="finding")
        if form.is_valid():
            values = {
                name: value
                for name, value in form.cleaned_data.items()
                if name in services.PENTEST_FINDING_FIELDS
            }
            try:
                _finding, outcome = services.add_pentest_finding(
                    user=request.user, pentest=pentest, **values
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                done = {
                    "created": _("Finding added."),
                    "updated": _("This finding was already known: it is updated."),
                    "reopened": _("This finding had been fixed: it is reopened."),
                }[outcome]
                messages.success(request, done)
                return redirect(pentest.get_absolute_url())
        return render(
            request,
            "secops/pentest_finding_add.html",
            {"object": pentest, "form": form, "title": str(pentest)},
            status=400,
        )


register_model_views(
    PenTest, list=PenTestListView, detail=PenTestDetailView, add=PenTestEditView,
    edit=PenTestEditView,
)  # fmt: skip


# USOM's malicious address list -------------------------------------------------------------

VIEW_USOM = "secops.view_usomaddress"


class UsomListImportListView(ObjectListView):
    queryset = UsomListImport.objects.select_related("imported_by")
    table_class = tables.UsomListImportTable
    filterset_class = filtersets.UsomListImportFilterSet
    template_name = "secops/usom_import_list.html"

    def bulk_edit_url(self) -> str:
        return ""

    def get_extra_context(self):
        may_import = get_scope(self.request.user).has_perm(services.IMPORT_USOM)
        return {"upload_url": reverse("secops:usom_upload") if may_import else ""}


class UsomListImportDetailView(ObjectDetailView):
    queryset = UsomListImport.objects.select_related("imported_by")
    detail_fields = (
        "filename", "format", "source", "status", "complete", "size", "total", "added_count",
        "known_count", "delisted_count", "skipped_count", "match_count", "new_match_count",
        "error", "imported_by", "started_at", "finished_at",
    )  # fmt: skip
    show_attachments = False
    show_comments = False

    def get_object_urls(self, obj):
        return {"edit_url": "", "delete_url": ""}


class UsomAddressListView(ObjectListView):
    """Every address of USOM's list ever imported; pages by cursor (half a million rows)."""

    queryset = UsomAddress.objects.all()
    table_class = tables.UsomAddressTable
    filterset_class = filtersets.UsomAddressFilterSet
    keyset_pagination = True

    def bulk_edit_url(self) -> str:
        return ""


class UsomUploadView(LoginRequiredMixin, View):
    """Upload USOM's list by hand (the schedule fetches it daily when it may reach USOM)."""

    template_name = "secops/usom_upload.html"

    def check(self):
        if not get_scope(self.request.user).has_perm(services.IMPORT_USOM):
            raise PermissionDenied

    def render_form(self, form, status=200):
        context = {"form": form, "title": _("Import USOM's malicious address list")}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        self.check()
        return self.render_form(UsomListForm())

    def post(self, request):
        self.check()
        form = UsomListForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            record = services.import_usom_list(
                user=request.user, file=form.cleaned_data["file"],
                filename=form.cleaned_data["file"].name,
            )  # fmt: skip
        except ValidationError as error:
            _form_errors(form, error)
            return self.render_form(form, status=400)
        if record.status == ImportStatus.DONE:
            messages.success(
                request,
                _(
                    "Imported USOM's list: %(added)s new, %(known)s already listed, %(delisted)s"
                    " delisted; %(matches)s indicators on it (%(new)s new)."
                )
                % {
                    "added": record.added_count, "known": record.known_count,
                    "delisted": record.delisted_count, "matches": record.match_count,
                    "new": record.new_match_count,
                },
            )  # fmt: skip
        else:
            messages.info(request, _("The file is being imported in the background."))
        return redirect(record.get_absolute_url())


class UsomMatchesView(LoginRequiredMixin, View):
    """The indicators of the incidents the user may see that are on USOM's list."""

    template_name = "secops/usom_matches.html"
    limit = 500

    def get(self, request):
        scope = get_scope(request.user)
        if not (scope.has_perm(VIEW_USOM) and scope.has_perm("secops.view_incident")):
            raise PermissionDenied
        matches = list(selectors.usom_matches(request.user)[: self.limit])
        incidents = selectors.visible_incidents_of(request.user, matches)
        rows = [{"indicator": item, "incidents": incidents.get(item.pk, [])} for item in matches]
        latest = UsomListImport.objects.filter(status=ImportStatus.DONE).order_by("-id").first()
        return render(
            request,
            self.template_name,
            {"title": _("Indicators on USOM's list"), "rows": rows, "latest": latest},
        )


class UsomAccessView(LoginRequiredMixin, View):
    """Who reached an address on USOM's list, from the internet access logs (5651): the records
    to whoever may read them (the log officer, the auditor), their number to the rest of the
    SOME (``biys.core.access_records``). The log officer reaches it without a SOME role: the
    rows are the records of their own units."""

    template_name = "secops/usom_access.html"
    limit = 100

    def get(self, request):
        if not selectors.may_see_usom_access(request.user):
            raise PermissionDenied
        matches = selectors.usom_access_matches(request.user, limit=self.limit)
        latest = UsomListImport.objects.filter(status=ImportStatus.DONE).order_by("-id").first()
        context = {
            "title": _("Access records reaching USOM's list"),
            "matches": matches,
            "latest": latest,
            "limit": self.limit,
        }
        return render(request, self.template_name, context)


register_model_views(UsomListImport, list=UsomListImportListView, detail=UsomListImportDetailView)
register_model_views(UsomAddress, list=UsomAddressListView)


# Yearly statistics -------------------------------------------------------------------------

STAT_GROUPS = {
    "classification": gettext_lazy("Classification"),
    "severity": gettext_lazy("Severity"),
    "source": gettext_lazy("Detected by"),
}


def _months() -> list[str]:
    from django.utils.dates import MONTHS_3

    from biys.core.text import capfirst

    return [capfirst(str(MONTHS_3[n])) for n in range(1, 13)]


class IncidentStatisticsView(LoginRequiredMixin, View):
    """The year's incidents for the activity report (faaliyet raporu): per month by
    classification, severity and detection source, the notification clocks, the durations and
    the findings; ``?export=csv`` for Turkish Excel (``;``, UTF-8 with BOM)."""

    def get(self, request):
        if not get_scope(request.user).has_perm("secops.view_incident"):
            raise PermissionDenied
        this_year = selectors.today().year
        try:
            year = int(request.GET.get("year", this_year))
        except ValueError:
            year = this_year
        if not 2000 <= year <= this_year + 1:
            year = this_year
        stats = selectors.year_statistics(request.user, year)
        if request.GET.get("export") == "csv":
            return self.csv(stats)
        groups = []
        for key, label in STAT_GROUPS.items():
            groups.append({"label": label, "rows": [r for r in stats.rows if r.group == key]})
        return render(
            request,
            "secops/incident_statistics.html",
            {
                "title": _("Incident statistics %(year)s") % {"year": year},
                "stats": stats,
                "groups": groups,
                "months": _months(),
                "years": list(range(this_year, this_year - 6, -1)),
                "severities": [
                    (label, stats.findings_new[int(value)])
                    for value, label in reversed(Severity.choices)
                ],
            },
        )

    def csv(self, stats):
        import csv

        from django.http import StreamingHttpResponse

        from biys.core.export import attachment_header, csv_delimiter

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo(), delimiter=csv_delimiter())
        turkish = csv_delimiter() == ";"

        def number(value):
            if value is None:
                return ""
            return str(value).replace(".", ",") if turkish else str(value)

        def lines():
            yield "\ufeff"
            yield writer.writerow([_("Group"), _("Value"), *_months(), _("Total")])
            for row in stats.rows:
                yield writer.writerow([STAT_GROUPS[row.group], row.label, *row.months, row.total])
            yield writer.writerow([_("Total"), "", *stats.month_totals, stats.incidents])
            yield writer.writerow([])
            yield writer.writerow([
                pgettext("notification", "Authority"), _("Notification"),
                pgettext("statistics", "Due"), pgettext("statistics", "Sent on time"),
                pgettext("statistics", "Late"), pgettext("statistics", "Not sent"),
            ])  # fmt: skip
            for clock in stats.clocks:
                yield writer.writerow([clock.authority, clock.name, clock.due, clock.on_time,
                                       clock.late, clock.not_sent])  # fmt: skip
            yield writer.writerow([])
            for label, value in (
                (_("Incidents"), stats.incidents),
                (_("Personal data involved"), stats.personal_data),
                (_("Personal data breaches"), stats.breaches),
                (_("Closed"), stats.closed),
                (_("Average hours to contain"), number(stats.hours_to_contain)),
                (_("Average hours to close"), number(stats.hours_to_close)),
                (_("New findings"), sum(stats.findings_new.values())),
                (_("Findings fixed"), stats.findings_fixed),
                (_("Findings open at the end of the year"), stats.findings_open_at_end),
            ):
                yield writer.writerow([label, value])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        name = f"siber-olay-istatistikleri-{stats.year}"
        response["Content-Disposition"] = attachment_header(f"{name}.csv")
        return response
