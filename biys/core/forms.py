import copy
from pathlib import Path
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.template import Context, TemplateDoesNotExist
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.functional import cached_property
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import gettext_lazy as _

# The query parameter by which a list page answers with the options of one of its filters.
OPTIONS_PARAM = "_options"
OPTION = '<option value="{}">{}</option>'
SELECTED_OPTION = '<option value="{}" selected>{}</option>'


# Django's widget templates that are written out in Python below, by their exact source (an
# installation that overrides one of them gets its own template: the source differs).
WIDGETS = "django/forms/widgets/"
INPUT_SOURCE = (
    '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
    " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
    '{% include "django/forms/widgets/attrs.html" %}>\n'
)
INCLUDES_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
INCLUDES_INPUT_OPTION = '{% include "django/forms/widgets/input_option.html" %}\n'
INPUT_OPTION_SOURCE = (
    "{% if widget.wrap_label %}<label{% if widget.attrs.id %}"
    ' for="{{ widget.attrs.id }}"{% endif %}>{% endif %}'
    '{% include "django/forms/widgets/input.html" %}'
    "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}\n"
)
ATTRS_SOURCE = (
    "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
    "{% endfor %}"
)
SELECT_SOURCE = (
    '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
    "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
    '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
    "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
    "  </optgroup>{% endif %}{% endfor %}\n</select>\n"
)
TEXTAREA_SOURCE = (
    '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
    "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
)
CLEARABLE_FILE_INPUT_SOURCE = (
    '{% if widget.is_initial %}{{ widget.initial_text }}: <a href="{{ widget.value.url }}">'
    "{{ widget.value }}</a>{% if not widget.required %}\n"
    '<input type="checkbox" name="{{ widget.checkbox_name }}" id="{{ widget.checkbox_id }}"'
    "{% if widget.attrs.disabled %} disabled{% endif %}{% if widget.attrs.checked %} checked"
    "{% endif %}>\n"
    '<label for="{{ widget.checkbox_id }}">{{ widget.clear_checkbox_label }}</label>{% endif %}'
    "<br>\n{{ widget.input_text }}:{% endif %}\n"
    '<input type="{{ widget.type }}" name="{{ widget.name }}"'
    '{% include "django/forms/widgets/attrs.html" %}>\n'
)
SELECT_OPTION_SOURCE = (
    "<option value=\"{{ widget.value|stringformat:'s' }}\""
    '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
)
_CONTEXT = Context(autoescape=True)
_OWN_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _shown(value) -> str:
    """``{{ value }}`` in a template: localized and escaped."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}`` (the filter keeps safe text safe)."""
    text = stringformat(value, "s")
    return text if isinstance(value, SafeData) else escape(text)


def _attrs_html(attrs) -> str:
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input_html(widget) -> str:
    value = f' value="{_formatted(widget["value"])}"' if widget["value"] is not None else ""
    attrs = _attrs_html(widget["attrs"])
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{attrs}>\n'
    )


def _textarea_html(widget) -> str:
    value = _shown(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_shown(widget["name"])}"{_attrs_html(widget["attrs"])}>\n{value}</textarea>\n'


def _file_input_html(widget) -> str | None:
    """A file input with no file yet (a reply's attachments); one showing its current file
    is left to the template."""
    if widget.get("is_initial"):
        return None
    attrs = _attrs_html(widget["attrs"])
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{attrs}>\n'


def _input_option_html(widget) -> str:
    if not widget.get("wrap_label"):
        return _input_html(widget) + "\n"
    label_id = widget["attrs"].get("id")
    label_for = f' for="{_shown(label_id)}"' if label_id else ""
    return f"<label{label_for}>{_input_html(widget)} {_shown(widget['label'])}</label>\n"


def _select_html(widget) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != f"{WIDGETS}select_option.html":
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"'
                f"{_attrs_html(option['attrs'])}>{_shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _field_messages_html(field) -> str:
    """``core/forms/field_messages.html``: the field's errors, then its help text."""
    html = ""
    if field.errors:
        errors = "<br>".join(_shown(error) for error in field.errors)
        html = f'<div class="invalid-feedback d-block" id="{field.auto_id}_error">{errors}</div>\n'
    if field.help_text:
        html += (
            f'<small class="form-hint" id="{field.auto_id}_helptext">'
            f"{_shown(field.help_text)}</small>\n"
        )
    return html


def _field_group_html(field) -> str:
    """``core/forms/field.html``: one field with its label, widget, errors and help text, as
    Tabler lays out a checkbox, a group of radios or checkboxes, and any other input."""
    from biys.core.templatetags.biys import choice_input, form_widget

    widget = field.field.widget
    required = " required" if field.field.required else ""
    label = _shown(field.label)
    messages = _field_messages_html(field)
    if isinstance(widget, forms.CheckboxInput):
        return (
            f'<div class="mb-3">\n  <label class="form-check">\n    {form_widget(field)}\n'
            f'    <span class="form-check-label{required}">{label}</span>\n  </label>\n'
            f"  {messages}</div>"
        )
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        described = f' aria-describedby="{field.auto_id}_helptext"' if field.help_text else ""
        choices = "".join(
            f'<label class="form-check" for="{_shown(choice.id_for_label)}">\n    '
            f"{choice_input(choice)}"
            f'<span class="form-check-label">{_shown(choice.choice_label)}</span>\n  </label>'
            for choice in field
        )
        return (
            f'<fieldset class="mb-3"{described}>\n'
            f'  <legend class="form-label{required}">{label}</legend>\n'
            f"  {choices}\n  {messages}</fieldset>"
        )
    return (
        f'<div class="mb-3">\n  <label class="form-label{required}"'
        f' for="{_shown(field.id_for_label)}">{label}</label>\n  {form_widget(field)}\n'
        f"  {messages}</div>"
    )


class BootstrapFormRenderer(TemplatesSetting):
    """Renders every form with Tabler/Bootstrap markup: label, input, translated error, help.

    The plainest widgets (inputs, checkboxes of a multiple choice, selects and their options)
    are written out in Python with the markup of Django's own templates: a filter panel or an
    edit form renders dozens of them, each a template with two includes."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    @cached_property
    def _python_widgets(self) -> dict:
        def source(name):
            try:
                return self.get_template(name).template.source
            except (TemplateDoesNotExist, AttributeError):
                return None

        if source(f"{WIDGETS}attrs.html") != ATTRS_SOURCE:
            return {}
        known = {}
        if source(f"{WIDGETS}input.html") == INPUT_SOURCE:
            known[f"{WIDGETS}input.html"] = _input_html
            for name in INPUT_WIDGETS:
                if source(f"{WIDGETS}{name}") == INCLUDES_INPUT:
                    known[f"{WIDGETS}{name}"] = _input_html
            if source(f"{WIDGETS}input_option.html") == INPUT_OPTION_SOURCE:
                for name in ("checkbox_option.html", "radio_option.html"):
                    if source(f"{WIDGETS}{name}") == INCLUDES_INPUT_OPTION:
                        known[f"{WIDGETS}{name}"] = _input_option_html
        if source(f"{WIDGETS}textarea.html") == TEXTAREA_SOURCE:
            known[f"{WIDGETS}textarea.html"] = _textarea_html
        if source(f"{WIDGETS}clearable_file_input.html") == CLEARABLE_FILE_INPUT_SOURCE:
            known[f"{WIDGETS}clearable_file_input.html"] = _file_input_html
        if (
            source(f"{WIDGETS}select.html") == SELECT_SOURCE
            and source(f"{WIDGETS}select_option.html") == SELECT_OPTION_SOURCE
        ):
            known[f"{WIDGETS}select.html"] = _select_html
        if self._own_template(self.field_template_name) and self._own_template(
            "core/forms/field_messages.html"
        ):
            known[self.field_template_name] = lambda context: _field_group_html(context["field"])
        return known

    def _own_template(self, name: str) -> bool:
        """The template is BİYS's own file, not one an installation put in its place."""
        try:
            origin = self.get_template(name).origin.name
        except (TemplateDoesNotExist, AttributeError):
            return False
        return str(origin) == str(_OWN_TEMPLATES / name)

    def render(self, template_name, context, request=None):
        python = self._python_widgets.get(template_name)
        if python is not None and template_name == self.field_template_name:
            return python(context)
        if python is not None and request is None:
            html = python(context["widget"])
            if html is not None:
                return html.strip()
        return super().render(template_name, context, request=request)


INPUT_WIDGETS = (
    "checkbox.html",
    "color.html",
    "date.html",
    "datetime.html",
    "email.html",
    "hidden.html",
    "number.html",
    "password.html",
    "search.html",
    "tel.html",
    "text.html",
    "time.html",
    "url.html",
)


class _NoRows:
    """An empty queryset as ModelChoiceIterator reads one, without compiling any SQL."""

    _prefetch_related_lookups = ()

    def iterator(self):
        return iter(())


_NO_ROWS = _NoRows()


def selected_choices(choices, values) -> list:
    """The choices of a model choice field narrowed to the selected ``values`` (and the empty
    and null choices the field offers): one query for the few rows selected, not the table."""
    field = choices.field
    null_value = getattr(field, "null_value", None)
    wanted = [value for value in values if value not in ("", None, null_value)]
    narrowed = copy.copy(choices)
    narrowed.queryset = _NO_ROWS
    if wanted:
        try:
            key = field.to_field_name or "pk"
            narrowed.queryset = choices.queryset.filter(**{f"{key}__in": wanted})
        except (ValueError, TypeError, ValidationError):  # not a valid key: nothing selected
            pass
    return [choice for choice in narrowed]  # list() would ask len(): a COUNT query


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


class MailboxPasswordForm(forms.ModelForm):
    """The admin form of an IMAP mailbox (``biys.core.models.ImapMailbox``): the stored password
    is never sent back to the browser, and leaving it blank keeps it."""

    password = forms.CharField(
        label=_("password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        required=False,
        help_text=_("Leave blank to keep the current password."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["password"] = ""
        if not self.instance.pk:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if not password and self.instance.pk:
            stored = type(self.instance)._default_manager.values_list("password", flat=True)
            return stored.get(pk=self.instance.pk)
        return password
