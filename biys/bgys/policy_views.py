"""The policy screens: policies and their versions (write, approve, publish), a version's
acknowledgement compliance per unit with its CSV, the compliance overview, and the page where
a member of staff reads a published version and acknowledges it. Every write goes through
``policy_services`` (the acknowledgement itself through ``biys.acknowledgements``)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from biys.acknowledgements import selectors as acknowledgements
from biys.acknowledgements.models import Acknowledgement
from biys.acknowledgements.services import DEFAULT_STATEMENT
from biys.bgys import policy_filtersets as filtersets
from biys.bgys import policy_services as services
from biys.bgys import policy_tables as tables
from biys.bgys.policy_forms import PolicyForm, PolicyVersionForm
from biys.bgys.policy_models import Policy, PolicyVersion, VersionState
from biys.core.access import can, can_add, get_scope
from biys.core.export import csv_response
from biys.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    Tab,
    register_model_views,
)


def _refusal(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


class PolicyListView(ObjectListView):
    queryset = Policy.objects.select_related("unit")
    table_class = tables.PolicyTable
    filterset_class = filtersets.PolicyFilterSet


class PolicyDetailView(ObjectDetailView):
    queryset = Policy.objects.select_related("unit")
    detail_fields = (
        "code", "title", "kind", "unit", "description", "audience_units", "audience_roles",
        "ack_working_days",
    )  # fmt: skip
    show_comments = False

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            Tab(
                "versions",
                _("Versions"),
                template_name="bgys/policies/policy_versions.html",
                context=lambda: {
                    "versions": list(
                        PolicyVersion.objects.restrict(user, "view")
                        .filter(policy=obj)
                        .select_related("approved_by", "published_by")
                    ),
                    "add_version_url": reverse("bgys:policyversion_add") + f"?policy={obj.pk}"
                    if can_add(user, PolicyVersion, obj.unit_id)
                    else "",
                },
            )
        ]


class PolicyEditView(ServiceEditView):
    queryset = Policy.objects.all()
    form_class = PolicyForm

    def save_with_service(self, form):
        return services.save_policy(
            policy=form.instance,
            user=self.request.user,
            audience_units=form.cleaned_data.get("audience_units"),
            audience_roles=form.cleaned_data.get("audience_roles"),
        )


class PolicyVersionListView(ObjectListView):
    queryset = PolicyVersion.objects.select_related("policy")
    table_class = tables.PolicyVersionTable
    filterset_class = filtersets.PolicyVersionFilterSet


class PolicyVersionDetailView(ObjectDetailView):
    queryset = PolicyVersion.objects.select_related("policy__unit", "approved_by", "published_by")
    template_name = "bgys/policies/version_detail.html"
    detail_fields = (
        "policy", "number", "state", "change_summary", "approved_by", "approved_at",
        "published_by", "published_on", "superseded_on", "text",
    )  # fmt: skip
    show_comments = False

    def get_extra_tabs(self, obj):
        if obj.state not in (VersionState.PUBLISHED, VersionState.SUPERSEDED):
            return []
        return [
            Tab(
                "acknowledgements",
                _("Acknowledgements"),
                template_name="bgys/policies/version_acknowledgements.html",
                context=lambda: _compliance_context(self.request, obj),
            )
        ]

    def get_object_urls(self, obj):
        """Only a draft is edited or deleted: the buttons are not offered for the others."""
        urls = super().get_object_urls(obj)
        if obj.state != VersionState.DRAFT:
            urls["edit_url"] = urls["delete_url"] = ""
        return urls

    def get_extra_context(self, obj):
        user = self.request.user
        approves = services.may_approve(user, obj)
        return {
            "may_approve": approves and obj.state == VersionState.DRAFT,
            "may_publish": approves and obj.state == VersionState.APPROVED,
            "may_remind": obj.state == VersionState.PUBLISHED and can(user, "change", obj),
            "read_url": obj.acknowledgement_url(),
        }


def _compliance_context(request, version) -> dict:
    """Per unit, then the people who have not acknowledged (``?unit=`` narrows to one unit)."""
    rows = acknowledgements.for_target(version).filter(acknowledged_at__isnull=True)
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        rows = rows.filter(person__unit_id=int(unit))
    return {
        "per_unit": acknowledgements.per_unit(version),
        "totals": acknowledgements.totals(version),
        "pending_rows": list(rows[:500]),
        "chosen_unit": int(unit) if unit.isdigit() else None,
        "csv_url": reverse("bgys:policyversion_csv", kwargs={"pk": version.pk}),
        "today": timezone.localdate(),
    }


class PolicyVersionEditView(ServiceEditView):
    queryset = PolicyVersion.objects.select_related("policy")
    form_class = PolicyVersionForm

    def add_unit_id(self, instance):
        return instance.policy.unit_id if instance.policy_id else None

    def post(self, request, *args, **kwargs):
        policy_id = request.POST.get("policy", "")
        if "pk" not in self.kwargs and policy_id.isdigit():
            unit_id = (
                Policy.objects.filter(pk=int(policy_id)).values_list("unit_id", flat=True).first()
            )
            if unit_id is not None and not can_add(request.user, PolicyVersion, unit_id):
                raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def save_with_service(self, form):
        return services.save_version(version=form.instance, user=self.request.user)


class PolicyVersionDeleteView(ObjectDeleteView):
    queryset = PolicyVersion.objects.select_related("policy")

    def delete_object(self, obj) -> None:
        services.delete_version(version=obj, user=self.request.user)

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError as error:
            _refusal(request, error)
            return redirect(self.get_object().get_absolute_url())


class PolicyVersionActionView(LoginRequiredMixin, View):
    """Approve, publish, remind (POST only)."""

    def post(self, request, pk, action):
        version = get_object_or_404(
            PolicyVersion.objects.restrict(request.user, "view").select_related("policy"), pk=pk
        )
        try:
            if action == "approve":
                services.approve_version(version=version, user=request.user)
                done = _("The version is approved.")
            elif action == "publish":
                services.publish_version(version=version, user=request.user)
                done = _("The version is published: its audience is asked to acknowledge it.")
            elif action == "remind":
                told = services.remind_pending(version=version, user=request.user)
                done = _("%(count)s people were reminded.") % {"count": told}
            else:
                raise PermissionDenied
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, str(done))
        return redirect(version.get_absolute_url())


class PolicyVersionCsvView(LoginRequiredMixin, View):
    """Everyone asked to acknowledge a version, with their state, for Turkish Excel (';' and a
    byte order mark)."""

    def get(self, request, pk):
        version = get_object_or_404(
            PolicyVersion.objects.restrict(request.user, "view").select_related("policy"), pk=pk
        )
        rows = acknowledgements.for_target(version)
        filename = f"{version.policy.code}-v{version.number}-onaylar"
        return csv_response(tables.AcknowledgementStatusTable([]), rows, filename, delimiter=";")


class PolicyReadView(LoginRequiredMixin, View):
    """A version as staff read it, with their "read and accepted" box when they are asked:
    open to whoever is asked to acknowledge it and to whoever may view it."""

    def get(self, request, pk):
        version = get_object_or_404(PolicyVersion.objects.select_related("policy"), pk=pk)
        row = None
        if request.user.person_id:
            row = Acknowledgement.objects.of(version).filter(person_id=request.user.person_id)
            row = row.first()
        if row is None and not can(request.user, "view", version):
            raise Http404
        context = {
            "version": version,
            "policy": version.policy,
            "acknowledgement": row if row is not None else None,
            "statement": _(DEFAULT_STATEMENT),
            "superseded": version.state == VersionState.SUPERSEDED,
            "manage_url": version.get_absolute_url() if can(request.user, "view", version) else "",
        }
        return render(request, "bgys/policies/read.html", context)


class ComplianceView(LoginRequiredMixin, View):
    """The BGYS manager's view: each published version they may see, how many of its audience
    have acknowledged it, how many are late."""

    def get(self, request):
        if not get_scope(request.user).has_perm("bgys.view_policyversion"):
            raise PermissionDenied
        versions = list(
            PolicyVersion.objects.restrict(request.user, "view")
            .filter(state=VersionState.PUBLISHED)
            .select_related("policy")
            .order_by("policy__code")
        )
        summary = acknowledgements.totals_by_target(versions)
        rows = [(version, summary.get(version.pk, {})) for version in versions]
        return render(
            request,
            "bgys/policies/compliance.html",
            {"rows": rows, "title": _("Policy acknowledgement compliance")},
        )


register_model_views(
    Policy, list=PolicyListView, detail=PolicyDetailView, edit=PolicyEditView,
    delete=ObjectDeleteView,
)  # fmt: skip
register_model_views(
    PolicyVersion,
    list=PolicyVersionListView,
    detail=PolicyVersionDetailView,
    edit=PolicyVersionEditView,
    delete=PolicyVersionDeleteView,
)
