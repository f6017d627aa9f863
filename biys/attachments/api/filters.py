import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from biys.attachments.api.serializers import resolve_content_type


class ContentTypeFormField(forms.CharField):
    default_error_messages = {
        "invalid": _("Name an object type as app_label.model, e.g. org.person."),
    }

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        content_type = resolve_content_type(value)
        if content_type is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return content_type


class ContentTypeFilter(django_filters.Filter):
    field_class = ContentTypeFormField


class AttachedToFilterSet(django_filters.FilterSet):
    """``?content_type=org.person&object_id=12``: what hangs on one object."""

    content_type = ContentTypeFilter(label=_("Object type"))
    object_id = django_filters.CharFilter(label=_("Object id"))
