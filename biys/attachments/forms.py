from django import forms
from django.utils.translation import gettext_lazy as _


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=False)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    is_internal = forms.BooleanField(
        label=_("Internal (only for those who may change the object)"), required=False
    )
