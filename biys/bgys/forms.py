"""Forms of the BGYS screens. They check input; the rules live in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from biys.bgys.models import (
    ApplicabilityEntry,
    Assessment,
    AssetGroup,
    Framework,
    InformationAsset,
    Measure,
    MeasureMapping,
    Methodology,
    Risk,
    Section,
    Threat,
    Vulnerability,
)
from biys.org.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def questionnaire_framework(instance: Assessment | None) -> Framework | None:
    """The framework whose questionnaire a form asks: the assessment's own, else the most
    recently loaded framework that has one."""
    if instance is not None and instance.asset_group_id:
        return instance.asset_group.framework
    return Framework.objects.filter(questions__isnull=False).order_by("-loaded_at").first()


class AssessmentForm(forms.ModelForm):
    """The asset group and the guide's questions, one answer each (``q<number>``)."""

    class Meta:
        model = Assessment
        fields = ["unit", "asset_group", "name", "assessed_on", "notes"]
        widgets = {"assessed_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = questionnaire_framework(self.instance)
        self.questions = (
            list(self.framework.questions.prefetch_related("options")) if self.framework else []
        )
        self.fields["asset_group"].queryset = AssetGroup.objects.filter(framework=self.framework)
        answers = self.instance.answers or {}
        for question in self.questions:
            name = f"q{question.number}"
            self.fields[name] = forms.ChoiceField(
                label=f"{question.number}. {question.text}",
                help_text=question.dimension,
                choices=[
                    (choice.letter, f"{choice.letter}) {choice.text} ({choice.score})")
                    for choice in question.options.all()
                ],
                widget=forms.RadioSelect,
                initial=answers.get(str(question.number)),
            )

    def answers(self) -> dict:
        return {str(q.number): self.cleaned_data.get(f"q{q.number}") for q in self.questions}


class ApplicabilityEntryForm(forms.ModelForm):
    class Meta:
        model = ApplicabilityEntry
        fields = ["applicable", "reason", "state", "owner", "evidence_links", "notes"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 2}),
            "evidence_links": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class MeasureTextForm(forms.ModelForm):
    """The title and text of a measure of a framework shipped as identifiers only."""

    class Meta:
        model = Measure
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


class FrameworkLoadForm(forms.Form):
    slug = forms.ChoiceField(label=_("Framework"))

    def __init__(self, *args, **kwargs):
        from biys.bgys.frameworks import SHIPPED

        super().__init__(*args, **kwargs)
        self.fields["slug"].choices = [(slug, item.description) for slug, item in SHIPPED.items()]


class AddToSoaForm(forms.Form):
    """Measures of a framework onto a unit's SoA for the whole unit: one measure, a section
    (with its sub-sections) or, with neither, every measure of the framework."""

    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("Unit"))
    section = forms.ModelChoiceField(
        Section.objects.none(),
        label=_("Section"),
        required=False,
        help_text=_("Empty: every measure of the framework."),
    )
    measure = forms.ModelChoiceField(
        Measure.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, framework: Framework, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["section"].queryset = Section.objects.filter(framework=framework)
        self.fields["measure"].queryset = Measure.objects.filter(framework=framework)


class MeasureMappingForm(forms.ModelForm):
    class Meta:
        model = MeasureMapping
        fields = ["source", "target", "reference", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        measures = Measure.objects.select_related("framework").order_by("framework", "position")
        self.fields["source"].queryset = measures
        self.fields["target"].queryset = measures


class InformationAssetForm(forms.ModelForm):
    class Meta:
        model = InformationAsset
        fields = [
            "name", "kind", "unit", "asset_group", "owner", "confidentiality", "integrity",
            "availability", "description", "platform_references",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "platform_references": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset_group"].queryset = AssetGroup.objects.select_related("framework")


class MethodologyForm(forms.ModelForm):
    class Meta:
        model = Methodology
        fields = [
            "name", "likelihood_labels", "impact_labels", "appetite", "is_default", "description",
        ]  # fmt: skip
        widgets = {
            "likelihood_labels": forms.Textarea(attrs={"rows": 5}),
            "impact_labels": forms.Textarea(attrs={"rows": 5}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }


class ThreatForm(forms.ModelForm):
    class Meta:
        model = Threat
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class VulnerabilityForm(forms.ModelForm):
    class Meta:
        model = Vulnerability
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RiskForm(forms.ModelForm):
    """A risk: the scales offered are those of its methodology (the default one for a new
    risk); the SoA measures offered are the entries of the asset's unit."""

    class Meta:
        model = Risk
        fields = [
            "asset", "methodology", "threat", "vulnerability", "description", "likelihood",
            "impact", "treatment", "treatment_plan", "owner", "due_date", "residual_likelihood",
            "residual_impact", "measures",
        ]  # fmt: skip
        widgets = {
            "due_date": DATE,
            "description": forms.Textarea(attrs={"rows": 2}),
            "treatment_plan": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        from biys.bgys.services import default_methodology

        super().__init__(*args, **kwargs)
        methodology = (
            self.instance.methodology if self.instance.methodology_id else default_methodology()
        )
        self.fields["methodology"].initial = methodology.pk
        for name, scale in (
            ("likelihood", methodology.likelihood_scale),
            ("impact", methodology.impact_scale),
            ("residual_likelihood", methodology.likelihood_scale),
            ("residual_impact", methodology.impact_scale),
        ):
            # The labels alone, lowest first (the value is the position): they are data.
            choices = list(enumerate(scale, 1))
            required = name in ("likelihood", "impact")
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label,
                choices=([] if required else [("", "—")]) + choices,
                coerce=int,
                empty_value=None,
                required=required,
                initial=getattr(self.instance, name),
            )
        entries = ApplicabilityEntry.objects.select_related("measure").filter(applicable=True)
        unit_id = self.instance.asset.unit_id if self.instance.asset_id else None
        if unit_id is not None:
            entries = entries.filter(unit_id=unit_id)
        self.fields["measures"].queryset = entries.order_by("measure__position")
        self.fields["measures"].required = False
