import copy
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# The query parameter by which a list page answers with the options of one of its filters.
OPTIONS_PARAM = "_options"
OPTION = '<option value="{}">{}</option>'
SELECTED_OPTION = '<option value="{}" selected>{}</option>'


class BootstrapFormRenderer(TemplatesSetting):
    """Renders every form with Tabler/Bootstrap markup: label, input, translated error, help."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


def selected_choices(choices, values) -> list:
    """The choices of a model choice field narrowed to the selected ``values`` (and the empty
    and null choices the field offers): one query for the few rows selected, not the table."""
    field = choices.field
    null_value = getattr(field, "null_value", None)
    wanted = [value for value in values if value not in ("", None, null_value)]
    narrowed = copy.copy(choices)
    try:
        key = field.to_field_name or "pk"
        narrowed.queryset = (
            choices.queryset.filter(**{f"{key}__in": wanted}) if wanted else choices.queryset.none()
        )
    except (ValueError, TypeError, ValidationError):  # not a valid key: nothing is selected
        narrowed.queryset = choices.queryset.none()
    return list(narrowed)


class LazyChoicesMixin:
    """A select over a model's rows (units, titles, people) that renders only its selected
    options; the page loads the others from ``options_url`` with HTMX once it is shown
    (``ObjectListView`` answers ``?_options=<field>``). A filter over hundreds of units then
    costs the page nothing, and the selection is kept: the request carries the select's value.
    """

    lazy = True

    def optgroups(self, name, value, attrs=None):
        if not isinstance(self.choices, ModelChoiceIterator):
            return super().optgroups(name, value, attrs)
        every = self.choices
        self.choices = selected_choices(every, value)
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = every


class LazySelect(LazyChoicesMixin, forms.Select):
    pass


class LazySelectMultiple(LazyChoicesMixin, forms.SelectMultiple):
    pass


def make_lazy(form_field, name: str, options_url: str) -> None:
    """Render ``form_field`` (a model choice field shown as a select) lazily."""
    widget = form_field.widget
    lazy_class = LazySelectMultiple if widget.allow_multiple_selected else LazySelect
    lazy = lazy_class(attrs=dict(widget.attrs))
    lazy.choices = widget.choices
    lazy.attrs.update(
        {
            "hx-get": f"{options_url}?{urlencode({OPTIONS_PARAM: name})}",
            "hx-trigger": "load",
            "hx-target": "this",
            "hx-swap": "innerHTML",
            "hx-push-url": "false",
            "data-lazy-options": name,
        }
    )
    form_field.widget = lazy


def options_html(choices, values, *, multiple: bool) -> SafeString:
    """Every ``<option>`` of a select, as Django's select widget renders them (the selected
    ones marked), written out in Python rather than with a template per option."""
    values = {str(value) for value in values}
    options, has_selected = [], False
    for option_value, label in choices:
        shown = str(option_value)
        selected = (multiple or not has_selected) and shown in values
        has_selected |= selected
        options.append((SELECTED_OPTION if selected else OPTION, shown, label))
    return format_html_join("\n", "{}", ((format_html(*option),) for option in options))
