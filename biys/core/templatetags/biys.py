"""Template helpers of the UI shell: form widgets with Bootstrap classes, safe includes,
Turkish-aware highlighting and generic display of model fields."""

import re
from datetime import date, datetime
from urllib.parse import urlencode

from django import forms, template
from django.db.models import Model, prefetch_related_objects
from django.template import defaulttags
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.http import urlencode as http_urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tables2.templatetags import django_tables2 as django_tables2_tags

from biys.core.access import viewable
from biys.core.dates import format_datetime
from biys.core.html import join_html
from biys.core.text import capfirst, fold, search_terms, turkish_upper
from biys.core.urlcache import cached_reverse, number_url

register = template.Library()


@register.simple_tag
def template_exists(name: str) -> bool:
    """``{% template_exists "notifications/navbar.html" as has_it %}``: include only what exists."""
    try:
        get_template(name)
    except template.TemplateDoesNotExist:
        return False
    return True


class CachedURLNode(defaulttags.URLNode):
    """Django's ``{% url %}`` with the reversal cached (``biys.core.urlcache.number_url``): a
    page holds dozens of links and ``reverse()`` walks the URL resolver for each. BİYS mounts
    each application once, so the current application namespace Django's tag passes on has
    nothing to choose between and is left out."""

    def render(self, context):
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        url = ""
        try:
            url = number_url(self.view_name.resolve(context), args, kwargs)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag(name="url")
def cached_url(parser, token):
    """``{% url %}`` in every template that loads ``biys``, same syntax and answers."""
    node = defaulttags.url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


class KeptQuerystringNode(django_tables2_tags.QuerystringNode):
    """django-tables2's ``{% querystring %}`` with the request's own parameters encoded once
    per request: a list page links its export formats and next page with every filter of the
    request (eight states ticked: eight ``quote_plus`` of key and value per link)."""

    def render(self, context):
        request = context.get("request")
        if request is None:
            return super().render(context)
        encoded = getattr(request, "_biys_encoded_query", None)
        if encoded is None:
            encoded = request._biys_encoded_query = {
                key: http_urlencode({key: values}, doseq=True)
                for key, values in request.GET.lists()
            }
        updates = {}
        for key, value in self.updates.items():
            if not isinstance(key, str):
                key, value = key.resolve(context), value.resolve(context)
                if key in ("", None):
                    continue
            updates[key] = value
        removed = {removal.resolve(context) for removal in self.removals}
        parts = [
            http_urlencode({key: updates[key]}, doseq=True) if key in updates else text
            for key, text in encoded.items()
            if key not in removed
        ]
        parts.extend(
            http_urlencode({key: value}, doseq=True)
            for key, value in updates.items()
            if key not in encoded and key not in removed
        )
        value = escape("?" + "&".join(part for part in parts if part))
        if self.asvar:
            context[str(self.asvar)] = value
            return ""
        return value


@register.tag(name="querystring")
def kept_querystring(parser, token):
    """``{% querystring %}`` in every template that loads ``biys`` after ``django_tables2``,
    same syntax and answers."""
    node = django_tables2_tags.querystring(parser, token)
    return KeptQuerystringNode(node.updates, node.removals, asvar=node.asvar)


@register.simple_tag
def url_or_empty(name: str, *args, **kwargs) -> str:
    """A URL that may not be wired yet: an empty string instead of NoReverseMatch."""
    try:
        if not args and not kwargs:
            return cached_reverse(name)
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def widget_css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    if isinstance(widget, forms.FileInput):
        return "form-control"
    if isinstance(widget, forms.HiddenInput):
        return ""
    return "form-control"


@register.simple_tag
def form_widget(field, **attrs):
    """Render a bound field's widget with its Bootstrap class, error state and ARIA links."""
    widget = field.field.widget
    classes = [
        widget.attrs.get("class", ""),
        widget_css_class(widget),
        attrs.pop("extra_class", ""),
    ]
    if field.errors:
        classes.append("is-invalid")
    final = {"class": " ".join(c for c in classes if c).strip()}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        final["aria-invalid"] = "true"
    if described_by:
        final["aria-describedby"] = " ".join(described_by)
    final.update(attrs)
    return field.as_widget(attrs=final)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_multiple_choice(field) -> bool:
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character."""
    folded, positions = [], []
    for index, char in enumerate(text):
        piece = " " if char.isspace() else fold(char)
        folded.append(piece)
        positions.extend([index] * len(piece))
    return "".join(folded), positions


@register.filter(needs_autoescape=True)
def highlight(text, query, autoescape=True):
    """Wrap the words of ``query`` found in ``text`` in <mark>, matching the way search does
    (Turkish case folding: 'PARMAK İZİ' matches 'parmak izi'), up to the end of the word."""
    text = "" if text is None else str(text)
    terms = search_terms(query or "")
    if not terms or not text:
        return conditional_escape(text) if autoescape else text
    folded, positions = _folded_with_positions(text)
    marked = [False] * len(text)
    for term in terms:
        for match in re.finditer(re.escape(term), folded):
            start, end = positions[match.start()], positions[match.end() - 1] + 1
            while end < len(text) and text[end].isalnum():  # the rest of the word: suffixes
                end += 1
            for index in range(start, end):
                marked[index] = True
    parts, start = [], 0
    while start < len(text):
        end = start
        while end < len(text) and marked[end] == marked[start]:
            end += 1
        chunk = conditional_escape(text[start:end])
        parts.append(f"<mark>{chunk}</mark>" if marked[start] else str(chunk))
        start = end
    return mark_safe("".join(parts))


def _linked(item, openable):
    """The related object's name, linked to its page when the reader may open it (``openable``:
    the ``(type, pk)`` of those, ``biys.core.access.viewable``): a unit's VLAN, say, named on
    the page of a subnet the reader sees, may belong to a unit whose pages they may not open,
    and its link would lead them to a 404."""
    if (type(item), item.pk) not in openable or not hasattr(item, "get_absolute_url"):
        return item
    url = item.get_absolute_url()
    return format_html('<a href="{}">{}</a>', url, item) if url else item


def _related(obj, field) -> list:
    """The related objects ``field_display`` shows for ``field`` of ``obj``: a many-to-many
    field's objects are read here once (prefetched onto ``obj``, where its display reads them)."""
    if getattr(field, "many_to_many", False):
        if not obj.pk:
            return []
        if field.name not in getattr(obj, "_prefetched_objects_cache", {}):
            prefetch_related_objects([obj], field.name)
        return list(getattr(obj, field.name).all())
    if not field.is_relation or field.choices:
        return []
    value = getattr(obj, field.name, None)
    return [value] if isinstance(value, Model) else []


def _openable(context, obj, field) -> set:
    """The related objects the page's reader may open, among those of ``obj``'s fields: asked
    once per rendering for every field the page shows (``detail_fields``), in one query at
    most (``viewable``), then for a field outside them on its own."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    asked = context.render_context.setdefault("biys_openable", {}).setdefault(
        id(obj), {"fields": set(), "openable": set()}
    )
    if field.name not in asked["fields"]:
        fields = [field]
        if not asked["fields"] and context.get("object") is obj:
            fields += list(context.get("detail_fields") or ())
        related = [item for each in fields for item in _related(obj, each)]
        asked["openable"] |= viewable(user, related)
        asked["fields"].update(each.name for each in fields)
    return asked["openable"]


@register.simple_tag(takes_context=True, name="field_display")
def field_display_tag(context, obj, field):
    """``{% field_display object field %}``: the field as ``field_display`` shows it, related
    objects linked only for a reader who may open them."""
    return field_display(obj, field, _openable(context, obj, field))


def field_display(obj, field, openable=frozenset()):
    """A model field's value as people read it: choice labels, Yes/No, related objects by name,
    linked to their page when in ``openable`` (the ``(type, pk)`` the reader may open)."""
    if getattr(field, "many_to_many", False):
        items = list(getattr(obj, field.name).all()) if obj.pk else []
        if not items:
            return mark_safe('<span class="text-secondary">—</span>')
        return format_html_join(", ", "{}", ((_linked(item, openable),) for item in items))
    if field.choices:
        value = getattr(obj, f"get_{field.name}_display")()
    else:
        value = getattr(obj, field.name, None)
    if value is None or value == "":
        return mark_safe('<span class="text-secondary">—</span>')
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    # A simple tag's result is escaped as a string, never localised: dates are written here.
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_datetime(value, "SHORT_DATE_FORMAT")
    if field.is_relation and isinstance(value, Model):
        return _linked(value, openable)
    return value


@register.filter
def tr_capfirst(value) -> str:
    """``capfirst`` with the active language's case rules: 'ilk yanıt' -> 'İlk yanıt'."""
    return capfirst(value)


@register.filter
def tr_upper(value) -> str:
    """``upper`` that keeps Turkish dotted and dotless i apart in the Turkish UI."""
    from biys.core.text import uses_turkish_case

    value = "" if value is None else str(value)
    return turkish_upper(value) if uses_turkish_case() else value.upper()


@register.filter
def shown_repr(value) -> str:
    """A change record's object name in the reader's language where the catalogue has it."""
    from biys.core.history import shown_repr as translate_repr

    return translate_repr(value)


@register.filter
def initials(user) -> str:
    """Avatar letters from the person's name ('Ayşe İnce' -> 'Aİ'), else the user's own name,
    else the first letters of the user name."""
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    first = getattr(person, "first_name", "") or getattr(user, "first_name", "")
    last = getattr(person, "last_name", "") or getattr(user, "last_name", "")
    if first or last:
        letters = (first.split() or [""])[0][:1] + (last.split() or [""])[-1][:1]
    else:
        letters = (user.get_username() if hasattr(user, "get_username") else str(user))[:2]
    return turkish_upper(letters)


@register.filter
def verbose_name(obj) -> str:
    return obj._meta.verbose_name


@register.filter
def verbose_name_plural(obj) -> str:
    return obj._meta.verbose_name_plural


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def choice_input(choice):
    """One radio or checkbox of a multiple-choice field, with Bootstrap's class."""
    attrs = {**choice.data["attrs"], "class": "form-check-input"}
    context = {"widget": {**choice.data, "attrs": attrs, "wrap_label": False}}
    return choice.parent_widget._render(choice.template_name, context, choice.renderer)


@register.simple_tag(takes_context=True)
def side_menu(context):
    """The side menu (``core/base.html``), rendered in Python from ``nav_menu``."""
    from biys.core.navigation import render_menu

    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return render_menu(
        context.get("nav_menu") or [],
        home_url=cached_reverse("core:home"),
        home_active=match is not None and match.view_name == "core:home",
    )


@register.simple_tag(takes_context=True)
def table_header(context, table):
    """The header cells of a list table (``core/table.html``), rendered in Python."""
    from biys.core.tables import render_header

    return render_header(table, context.get("request"))


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    """The rows of a list table's page (``core/table.html``), rendered in Python: a template
    node per cell costs more than the rest of the page."""
    from biys.core.tables import render_rows

    return render_rows(table, context)


class FrameMemoNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        from biys.core.frame import render_part

        key = tuple(value.resolve(context) for value in self.key)
        where = (self.origin.template_name, self.token.lineno, self.token.position)
        return render_part(where, key, self.nodelist, context)


@register.tag("frame_memo")
def frame_memo(parser, token):
    """``{% frame_memo KEY… %}…{% endframe_memo %}``: a part of the frame rendered once per
    language and key (``biys.core.frame``)."""
    key = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endframe_memo",))
    parser.delete_first_token()
    return FrameMemoNode(nodelist, key)


_per_page_buttons: dict = {}


@register.simple_tag(takes_context=True)
def per_page_buttons(context):
    """The "rows per page" buttons of a list (``core/partials/object_list.html``): each a link
    to the page's query string with its size, the first page and no cursor. Kept per query
    string, size, choices and language: a reloaded list gets them back."""
    request = context.get("request")
    params = dict(request.GET) if request is not None else {}
    options = tuple(context.get("per_page_options") or ())
    per_page = context.get("per_page")
    key = (
        tuple(sorted((name, tuple(values)) for name, values in params.items())),
        options,
        per_page,
        get_language(),
    )
    html = _per_page_buttons.get(key)
    if html is not None:
        return html
    params.pop("cursor", None)
    buttons = []
    for option in options:
        query = urlencode({**params, "per_page": option, "page": 1}, doseq=True)
        title = _("%(option)s rows per page") % {"option": option}
        if option == per_page:
            shape = (
                '<a href="?{}" class="btn btn-primary active" aria-current="true" title="{}">{}</a>'
            )
        else:
            shape = '<a href="?{}" class="btn btn-outline-secondary" title="{}">{}</a>'
        buttons.append(format_html(shape, query, title, option))
    html = join_html(buttons, "\n")
    if len(_per_page_buttons) >= 512:
        _per_page_buttons.clear()
    _per_page_buttons[key] = html
    return html
