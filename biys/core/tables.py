"""Base table of every list page, and the change log table."""

from functools import cached_property

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from biys.core.models import ObjectChange
from biys.core.redaction import HIDDEN, Redactions, load_redactions
from biys.core.text import capfirst

SELECTION_COLUMN = "pk"


class SelectionColumn(tables.CheckBoxColumn):
    """Row checkboxes for bulk actions, labelled for screen readers."""

    def __init__(self, **kwargs):
        attrs = {
            "th__input": {"class": "form-check-input", "aria-label": _("Select all rows")},
            "td__input": {"class": "form-check-input"},
            "th": {"class": "w-1"},
        }
        super().__init__(accessor="pk", attrs=attrs, exclude_from_export=True, **kwargs)

    def render(self, value, bound_column, record):
        return format_html(
            '<input type="checkbox" name="pk" value="{}" class="form-check-input" aria-label="{}">',
            value,
            _("Select %(object)s") % {"object": record},
        )


class BiysTable(tables.Table):
    """A table whose first column selects rows when the list offers bulk editing."""

    pk = SelectionColumn()

    def __init__(self, *args, selectable: bool = False, **kwargs):
        exclude = list(kwargs.pop("exclude", None) or ())
        if not selectable:
            exclude.append(SELECTION_COLUMN)
        kwargs.setdefault("sequence", (SELECTION_COLUMN, "..."))
        # Not configured from the request here: django-tables2 would paginate at once (an exact
        # COUNT over the whole list); the list view configures ordering and pages itself.
        request = kwargs.pop("request", None)
        super().__init__(*args, exclude=exclude, **kwargs)
        self.request = request
        self.selectable = selectable

    class Meta:
        template_name = "core/table.html"
        empty_text = _("No objects found.")


class ObjectChangeTable(BiysTable):
    time = tables.DateTimeColumn(
        verbose_name=_("Time"),
        format="SHORT_DATETIME_FORMAT",
        linkify=lambda record: reverse("core:objectchange", args=[record.pk]),
        attrs={"td": {"class": "text-nowrap"}},
    )
    user_name = tables.Column(verbose_name=_("User"))
    action = tables.Column(verbose_name=_("Action"))
    content_type = tables.Column(verbose_name=_("Type"), accessor="content_type", orderable=False)
    object_repr = tables.Column(verbose_name=_("Object"))
    request_id = tables.Column(verbose_name=_("Request"), orderable=False)

    class Meta(BiysTable.Meta):
        model = ObjectChange
        fields = ("time", "user_name", "action", "content_type", "object_repr", "request_id")
        order_by = ("-time",)

    @cached_property
    def redactions(self) -> Redactions:
        return load_redactions()

    def _redacted_object(self, record) -> bool:
        return (record.content_type_id, str(record.object_id)) in self.redactions.objects

    def render_user_name(self, value, record):
        return HIDDEN if record.user_id in self.redactions.authors else value

    def value_user_name(self, value, record):
        return str(self.render_user_name(value, record))

    def render_content_type(self, value):
        model = value.model_class()
        return capfirst(model._meta.verbose_name) if model else value.model

    def value_content_type(self, value):
        return self.render_content_type(value)

    def render_object_repr(self, value, record):
        from biys.core.history import shown_repr

        value = HIDDEN if self._redacted_object(record) else shown_repr(value)
        url = object_url(record)
        return format_html('<a href="{}">{}</a>', url, value) if url else value

    def value_object_repr(self, value, record):
        from biys.core.history import shown_repr

        return str(HIDDEN) if self._redacted_object(record) else shown_repr(value)

    def render_request_id(self, value):
        return format_html('<code class="small">{}</code>', value[:8]) if value else "—"

    def value_request_id(self, value):
        return value


def object_url(change: ObjectChange) -> str:
    """The changed object's page, if it still exists and has one."""
    if change.action == ObjectChange.Action.DELETE:
        return ""
    model = change.content_type.model_class()
    if model is None or not hasattr(model, "get_absolute_url"):
        return ""
    instance = model(pk=change.object_id)
    try:
        return instance.get_absolute_url()
    except Exception:  # a model whose URL needs more than its pk
        return ""
