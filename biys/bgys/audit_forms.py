"""Forms of the internal audit screens. They check input; the rules live in
``audit_services``."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.bgys.audit_models import (
    Audit,
    AuditPlan,
    AuditState,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    ManagementReview,
    ReviewAction,
)
from biys.bgys.models import LEVEL_CHOICES, AssetGroup, Measure, Section

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditPlanForm(forms.ModelForm):
    class Meta:
        model = AuditPlan
        fields = ["unit", "year", "title", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class AuditForm(forms.ModelForm):
    class Meta:
        model = Audit
        fields = [
            "title", "plan", "unit", "framework", "scope", "audited_units", "lead_auditor",
            "auditors", "planned_start", "planned_end", "method", "conclusion",
        ]  # fmt: skip
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 3}),
            "method": forms.Textarea(attrs={"rows": 3}),
            "conclusion": forms.Textarea(attrs={"rows": 4}),
            "planned_start": DATE,
            "planned_end": DATE,
        }


class ChecklistDrawForm(forms.Form):
    """Which measures of the audit's framework go on its checklist: a section (with its
    sub-sections), an asset group's section, up to a level; empty: every measure."""

    section = forms.ModelChoiceField(Section.objects.none(), label=_("Section"), required=False)
    asset_group = forms.ModelChoiceField(
        AssetGroup.objects.none(), label=_("Asset group heading"), required=False
    )
    level = forms.TypedChoiceField(
        label=_("Up to level"),
        choices=[("", "—"), *LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(framework=audit.framework_id)
        self.fields["asset_group"].queryset = AssetGroup.objects.filter(
            framework=audit.framework_id
        )


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["result", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


def _audit_of(form, data) -> Audit | None:
    if form.instance.audit_id:
        return form.instance.audit
    value = (data or {}).get("audit") or form.initial.get("audit")
    if value and str(value).isdigit():
        return Audit.objects.filter(pk=int(value)).first()
    return None


class FindingForm(forms.ModelForm):
    """A finding of an audit in progress: the measures offered are the audit's framework's,
    the checklist items the audit's own."""

    class Meta:
        model = Finding
        fields = ["audit", "kind", "checklist_item", "measure", "unit", "description", "evidence"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        audit = _audit_of(self, self.data)
        self.fields["audit"].queryset = Audit.objects.filter(state=AuditState.IN_PROGRESS)
        self.fields["measure"].required = False
        self.fields["measure"].help_text = _("Empty: the checklist item's measure.")
        if self.instance.pk:
            self.fields["audit"].disabled = True
            self.fields["audit"].queryset = Audit.objects.filter(pk=self.instance.audit_id)
        if audit is not None:
            self.fields["measure"].queryset = Measure.objects.filter(
                framework=audit.framework_id
            ).order_by("position")
            self.fields["checklist_item"].queryset = ChecklistItem.objects.filter(
                audit=audit
            ).select_related("measure")
        else:
            self.fields["measure"].queryset = Measure.objects.order_by("framework", "position")
            self.fields["checklist_item"].queryset = ChecklistItem.objects.select_related("measure")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("measure") and not cleaned.get("checklist_item"):
            self.add_error("measure", _("Choose the measure or the checklist item."))
        elif not cleaned.get("measure"):
            cleaned["measure"] = cleaned["checklist_item"].measure
            self.instance.measure = cleaned["measure"]
        return cleaned


class CorrectiveActionForm(forms.ModelForm):
    class Meta:
        model = CorrectiveAction
        fields = ["unit", "owner", "root_cause", "actions", "due_working_days"]
        widgets = {
            "root_cause": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 4}),
        }


class CompleteForm(forms.Form):
    root_cause = forms.CharField(
        label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    actions = forms.CharField(
        label=pgettext_lazy("dof", "Actions"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    notes = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class VerifyForm(forms.Form):
    effective = forms.TypedChoiceField(
        label=_("Effective?"),
        choices=[("yes", pgettext_lazy("dof", "Effective")), ("no", _("Not effective"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("How the effectiveness was checked"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class ManagementReviewForm(forms.ModelForm):
    class Meta:
        model = ManagementReview
        fields = [
            "title", "unit", "held_on", "participants", "other_participants", "inputs",
            "decisions", "notes",
        ]  # fmt: skip
        widgets = {
            "held_on": DATE,
            "other_participants": forms.Textarea(attrs={"rows": 2}),
            "inputs": forms.Textarea(attrs={"rows": 5}),
            "decisions": forms.Textarea(attrs={"rows": 5}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ReviewActionForm(forms.ModelForm):
    class Meta:
        model = ReviewAction
        fields = ["review", "description", "owner", "due_date", "done_on", "notes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "due_date": DATE,
            "done_on": DATE,
        }
