"""Forms of the awareness training screens. They check input; the rules live in
``training_services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from biys.bgys.training_models import TrainingAttendance, TrainingSession
from biys.org.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrainingSessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["title", "unit", "held_on", "duration_minutes", "trainer", "location", "topic"]
        widgets = {"held_on": DATE, "topic": forms.Textarea(attrs={"rows": 3})}


class TrainingAttendanceForm(forms.ModelForm):
    class Meta:
        model = TrainingAttendance
        fields = ["session", "person", "quiz_score"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["session"].disabled = True
            self.fields["person"].disabled = True


class AttendeesForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.all(), label=_("Attendees"), required=True
    )
