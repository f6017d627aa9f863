"""Forms of the BGYS screens. They check input; the rules live in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from biys.bgys.models import (
    ApplicabilityEntry,
    Assessment,
    AssetGroup,
    Framework,
    Measure,
    MeasureMapping,
    Section,
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
