"""The change log's list and record pages (a feature view of the audit trail)."""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from biys.core.history import describe_change
from biys.core.models import ChangeLoggedModel, ObjectChange
from biys.core.redaction import load_redactions, redact
from biys.core.tables import ObjectChangeTable
from biys.core.text import capfirst
from biys.core.views.generic.base import ScopedViewMixin
from biys.core.views.generic.objects import ObjectListView


class _ContentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        model = obj.model_class()
        return capfirst(model._meta.verbose_name) if model else obj.model


class ContentTypeFilter(django_filters.ModelChoiceFilter):
    field_class = _ContentTypeChoiceField


def _logged_content_types(request=None):
    ids = [ContentType.objects.get_for_model(model).pk for model in _change_logged_models()]
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")


class ObjectChangeFilterSet(django_filters.FilterSet):
    user_name = django_filters.CharFilter(label=_("User"), method="filter_user_name")
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=ObjectChange.Action.choices, empty_label=_("Any")
    )
    content_type = ContentTypeFilter(
        label=_("Type"), queryset=_logged_content_types, empty_label=_("Any")
    )
    time_after = django_filters.DateFilter(
        label=_("From"),
        field_name="time",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    time_before = django_filters.DateFilter(
        label=_("Until"),
        field_name="time",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    request_id = django_filters.CharFilter(label=_("Request"), lookup_expr="startswith")

    def filter_user_name(self, queryset, name, value):
        # An erased author's name is hidden on their records; it must not find them either.
        erased = load_redactions().authors
        return queryset.filter(user_name__icontains=value).exclude(user_id__in=erased)

    class Meta:
        model = ObjectChange
        fields = ["user_name", "action", "content_type", "time_after", "time_before", "request_id"]


def _change_logged_models():
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, ChangeLoggedModel) and not model._meta.abstract
    ]


class ObjectChangeLogView(ObjectListView):
    """Every change the user may see (holders of core.view_objectchange, within their units)."""

    queryset = ObjectChange.objects.select_related("content_type")
    table_class = ObjectChangeTable
    filterset_class = ObjectChangeFilterSet
    quick_search = False

    def get_extra_context(self):
        return {"title": _("Change log")}


class ObjectChangeDetailView(ScopedViewMixin, View):
    queryset = ObjectChange.objects.select_related("content_type")
    template_name = "core/objectchange_detail.html"

    def get(self, request, *args, **kwargs):
        record = redact([self.get_object()], user=request.user)[0]
        from biys.core.tables import object_url

        context = {
            "title": str(record),
            "record": record,
            "change": describe_change(record) if record.content_type.model_class() else None,
            "object_url": object_url(record),
            "list_url": reverse("core:changelog"),
        }
        return render(request, self.template_name, context)
