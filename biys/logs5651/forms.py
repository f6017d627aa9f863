"""Forms of the 5651 screens."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.logs5651.models import LogSource


class LogSourceForm(forms.ModelForm):
    class Meta:
        model = LogSource
        fields = ["unit", "name", "kind", "parser", "active", "notes"]


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(LogSource.objects.filter(active=True), label=_("Source"))
    day = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the file's lines were written."),
    )
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate() - timedelta(days=1)


class WhoForm(forms.Form):
    ip = forms.GenericIPAddressField(label=_("IP address"))
    at = forms.DateTimeField(
        label=_("Time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=[
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
        ],
    )
    request_number = forms.CharField(
        label=_("Request number"),
        max_length=100,
        help_text=_("The number of the court's or prosecutor's letter (yazı sayısı)."),
    )


class VerifyForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
