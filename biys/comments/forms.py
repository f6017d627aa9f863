from django import forms
from django.utils.translation import gettext_lazy as _


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=10000, widget=forms.Textarea)
    is_internal = forms.BooleanField(label=_("Internal note"), required=False)
