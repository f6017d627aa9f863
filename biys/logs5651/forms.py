"""Forms of the 5651 screens."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from biys.core import assets
from biys.logs5651 import services
from biys.logs5651.models import LogSource


class LogSourceForm(forms.ModelForm):
    """A source, with the device of the network inventory that writes its logs (one of the
    user's units, through ``biys.core.assets``) when the inventory is installed."""

    class Meta:
        model = LogSource
        fields = ["unit", "name", "kind", "parser", "network_device", "active", "notes"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not assets.network_devices_installed():
            del self.fields["network_device"]
            return
        current = self.instance.network_device
        model_field = LogSource._meta.get_field("network_device")
        self.fields["network_device"] = forms.TypedChoiceField(
            label=capfirst(model_field.verbose_name),
            help_text=model_field.help_text,
            required=False,
            coerce=int,
            empty_value=None,
            choices=[
                ("", "—"),
                *(
                    (device.pk, str(device))
                    for device in services.device_choices(user, current=current)
                ),
            ],
        )

    def clean_network_device(self):
        device_id = self.cleaned_data.get("network_device")
        try:
            services.check_network_device(
                user=self.user, device_id=device_id, current=self.instance.network_device
            )
        except ValidationError as error:
            raise ValidationError(error.message_dict["network_device"]) from error
        return device_id


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
