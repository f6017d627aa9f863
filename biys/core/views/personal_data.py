"""The KVKK report of personal data seen unmasked: for one person (by their TC kimlik no), one
user, one kind of record and a period, every module's views in one list, exported to CSV for a
data subject's application or the KVKK contact person's own checks."""

import django_filters
import django_tables2 as tables
from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.core.models import PersonalDataView
from biys.core.personal_data import subject_digest
from biys.core.tables import BiysTable
from biys.core.text import capfirst
from biys.core.views.generic.changelog import ContentTypeFilter
from biys.core.views.generic.objects import ObjectListView


def _models_with_personal_data():
    return [model for model in apps.get_models() if getattr(model, "personal_subject_field", "")]


def _personal_content_types(request=None):
    ids = [ContentType.objects.get_for_model(model).pk for model in _models_with_personal_data()]
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")


@extend_schema_field(OpenApiTypes.INT)
class RecordTypeFilter(ContentTypeFilter):
    """A kind of record by its content type id."""


class IdentityNumberField(forms.CharField):
    def clean(self, value):
        value = "".join((super().clean(value) or "").split())
        if value and (not value.isdigit() or len(value) != 11):
            raise forms.ValidationError(_("A TC kimlik number has 11 digits."))
        return value


class IdentityNumberFilter(django_filters.CharFilter):
    field_class = IdentityNumberField


class PersonalDataViewFilterSet(django_filters.FilterSet):
    subject = IdentityNumberFilter(
        label=_("TC kimlik number of the person"), method="filter_subject"
    )
    subject_key = django_filters.CharFilter(
        label=_("Person (keyed)"), method="filter_subject_key", widget=forms.HiddenInput
    )
    user = django_filters.CharFilter(
        label=_("User"), field_name="user__username", lookup_expr="iexact"
    )
    content_type = RecordTypeFilter(
        label=_("Record"), queryset=_personal_content_types, empty_label=_("Any")
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

    class Meta:
        model = PersonalDataView
        fields = ["subject", "subject_key", "user", "content_type", "time_after", "time_before"]

    def filter_subject(self, queryset, name, value):
        return queryset.filter(subject=subject_digest(value))

    def filter_subject_key(self, queryset, name, value):
        return queryset.filter(subject=value)


class PersonalDataViewTable(BiysTable):
    time = tables.DateTimeColumn(
        verbose_name=_("Time"),
        format="SHORT_DATETIME_FORMAT",
        attrs={"td": {"class": "text-nowrap"}},
    )
    user = tables.Column(verbose_name=_("User"), accessor="user__username")
    content_type = tables.Column(verbose_name=_("Record type"), orderable=False)
    object_repr = tables.Column(verbose_name=_("Record"))
    fields = tables.Column(verbose_name=_("Fields seen"), orderable=False)
    reason = tables.Column(verbose_name=_("Reason"), orderable=False)
    request_id = tables.Column(verbose_name=_("Request"), orderable=False)

    class Meta(BiysTable.Meta):
        model = PersonalDataView
        fields = ("time", "user", "content_type", "object_repr", "fields", "reason", "request_id")
        order_by = ("-time",)

    def render_content_type(self, value):
        model = value.model_class()
        return capfirst(model._meta.verbose_name) if model else value.model

    def value_content_type(self, value):
        return str(self.render_content_type(value))

    def render_fields(self, value, record):
        names = []
        model = record.content_type.model_class()
        for name in value.split(","):
            try:
                names.append(str(model._meta.get_field(name).verbose_name))
            except Exception:  # a field the model no longer has
                names.append(name)
        return ", ".join(names)

    def value_fields(self, value, record):
        return self.render_fields(value, record)


class PersonalDataViewListView(ObjectListView):
    """Within the user's units, like the change log (holders of core.view_personaldataview:
    the KVKK contact person, the department head, auditors).

    A TC kimlik number never travels in the page's address (it would land in the browser's
    history and the web server's access log): the filter panel posts, and the page redirects to
    itself with the number's keyed digest (``subject_key``) in its place."""

    queryset = PersonalDataView.objects.select_related("content_type", "user")
    table_class = PersonalDataViewTable
    filterset_class = PersonalDataViewFilterSet
    quick_search = False

    def get(self, request, *args, **kwargs):
        if "subject" in request.GET:
            return self._redirect_keyed(request.GET)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._redirect_keyed(request.POST)

    def _redirect_keyed(self, data):
        query = data.copy()
        query.pop("csrfmiddlewaretoken", None)
        number = "".join(query.pop("subject", [""])[-1].split())
        if number:
            try:
                IdentityNumberField().clean(number)
            except forms.ValidationError as error:
                messages.error(self.request, error.messages[0])
            else:
                query["subject_key"] = subject_digest(number)
        return HttpResponseRedirect(f"{self.request.path}?{query.urlencode()}", status=303)

    def get_extra_context(self):
        return {"title": _("Personal data seen"), "filter_posts": True}
