"""Base table of every list page, and the change log table."""

import copy
import inspect
import re
import weakref
from collections import OrderedDict
from datetime import date
from decimal import Decimal
from functools import cached_property, partialmethod
from urllib.parse import urlencode

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.templatetags.l10n import localize, unlocalize
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tables2.columns.base import LinkTransform
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import A, AttributeDict, signature

from biys.core.dates import format_value
from biys.core.html import escape as html_escape
from biys.core.html import format_html
from biys.core.models import ObjectChange
from biys.core.redaction import HIDDEN, Redactions, confidential_masks, load_redactions
from biys.core.text import capfirst

SELECTION_COLUMN = "pk"
_DATE_TEMPLATE = re.compile(r'^\{\{ value\|date:"([^"]+)"\|default:default \}\}$')


def _date_format(column, render) -> str | None:
    """The format of a ``DateColumn``/``DateTimeColumn`` left to render itself: django-tables2
    compiles the column's one-line template (``{{ value|date:FORMAT|default:default }}``) anew
    for every cell, a millisecond per row of a list with a date column."""
    if not isinstance(column, tables.DateColumn | tables.DateTimeColumn):
        return None
    if getattr(render, "__func__", None) is not tables.TemplateColumn.render:
        return None  # the table renders it itself (``render_<column>``)
    if column.extra_context:
        return None
    match = _DATE_TEMPLATE.match(column.template_code or "")
    return match.group(1) if match else None


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


def _copy_column(column):
    """A column of one table instance: its own object and ``attrs`` dicts (what a table may
    change per request: visibility, attributes), its labels, accessors and link rules shared."""
    clone = copy.copy(column)
    clone.attrs = {
        key: dict(value) if isinstance(value, dict) else value
        for key, value in column.attrs.items()
    }
    return clone


class ShallowCopiedColumns(OrderedDict):
    """A table class's ``base_columns``. django-tables2 deep-copies them for every table it
    builds, which cloned each column's lazy labels, link rules and nested attributes: 2 ms of
    CPU for the ticket queue's table on every request. Each column is copied by
    ``_copy_column`` instead."""

    def __deepcopy__(self, memo):
        return OrderedDict((name, _copy_column(column)) for name, column in self.items())


class BiysTable(tables.Table):
    """A table whose first column selects rows when the list offers bulk editing. Its rows are
    rendered by ``render_rows``; a ``cell_<column>(record)`` method, where a table has one,
    gives that column's cell straight from the record (``None``: the column's default) instead
    of django-tables2's accessor, choices and ``render_<column>`` machinery."""

    pk = SelectionColumn()
    # Headers, their attributes and which columns sort depend on the class, the columns shown,
    # the order and the language only (``render_header`` keeps them); a table whose headers
    # depend on the instance sets this to False.
    static_header = True

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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.base_columns = ShallowCopiedColumns(cls.base_columns)

    class Meta:
        template_name = "core/table.html"
        empty_text = _("No objects found.")


_MISSING = object()
CELL_ARGUMENTS = frozenset(("value", "record", "column", "bound_column", "bound_row", "table"))


# ``_arguments`` by function (a bound method by its function: the signature without ``self``).
_arguments_of = weakref.WeakKeyDictionary()


def _arguments(function):
    """What django-tables2's ``call_with_appropriate`` decides from the signature on every
    call: ``None`` passes every argument, ``False`` never calls, else the names to pass.
    Worked out once per function (``inspect.signature`` costs more than rendering a cell)."""
    underlying = getattr(function, "__func__", None)
    key = (underlying or function, underlying is not None)
    try:
        known = _arguments_of.get(key[0])
    except TypeError:  # not weakly referenceable (a builtin): not cached
        return _signature_arguments(function)
    if known is not None and key[1] in known:
        return known[key[1]]
    arguments = _signature_arguments(function)
    _arguments_of.setdefault(key[0], {})[key[1]] = arguments
    return arguments


def _signature_arguments(function):
    arguments, catch_all = signature(function)
    if catch_all:
        return None
    if any(name not in CELL_ARGUMENTS for name in arguments):
        return False
    return arguments


def _call_with(function, arguments, kwargs):
    if arguments is None:
        return function(**kwargs)
    if arguments is False:
        return None
    return function(**{name: kwargs[name] for name in arguments})


def _has_callable(value) -> bool:
    if callable(value):
        return True
    if isinstance(value, dict):
        return any(_has_callable(item) for item in value.values())
    return False


# The ``<td>`` attributes of a column without callables, as HTML, by their items: a list page
# builds the same few for its columns on every request.
_td_html: dict = {}
_TD_HTML_KEPT = 1024


def static_td_html(table, bound_column) -> str:
    """``bound_column.attrs["td"].as_html()`` for attributes without callables: the ``td``
    attributes alone (the property builds the ``th`` and ``tf`` ones too), their HTML kept
    by value."""
    attrs = {**table.attrs, **bound_column.column.attrs}
    td = AttributeDict(attrs.get("td", attrs.get("cell", {})))
    td["class"] = bound_column.get_td_class(td)
    try:
        key = tuple(td.items())
        html = _td_html.get(key)
    except TypeError:  # a value that cannot be a key
        return td.as_html()
    if html is None:
        html = td.as_html()
        if len(_td_html) >= _TD_HTML_KEPT:
            _td_html.clear()
        _td_html[key] = html
    return html


class _CellRenderer:
    """One column's cells, as django-tables2's ``BoundRow.get_cell`` renders them, with what
    does not change from row to row worked out once: the signatures of the render function
    and of a link's URL callable (the library inspects them for every cell), the ``<td>``
    attributes, how a choice's label is found, how the value is shown."""

    def __init__(self, table, bound_column):
        column = bound_column.column
        self.table, self.bound_column, self.column = table, bound_column, column
        # ``cell_<column>(record)`` on the table: the cell's content straight from the record
        # (``None`` for the column's default), for the busiest lists (the ticket queue)
        self.cell = getattr(table, f"cell_{bound_column.name}", None)
        self.render = bound_column.render
        self.arguments = _arguments(self.render)
        # Column.render gives the value back: nothing to call
        self.plain_render = (
            getattr(self.render, "__func__", None) is tables.Column.render
            and getattr(self.render, "__self__", None) is column
        )
        self.date_format = _date_format(column, self.render)
        self.accessor = A(bound_column.accessor)
        path, _, self.remainder = self.accessor.rpartition(A.SEPARATOR)
        self.path = A(path) if path else None
        self.attribute = None if path or self.accessor.callable_args else str(self.accessor)
        self.plain_types = {}  # record type -> reads as attributes (no __getitem__)
        self.display = {}  # (record type, penultimate type) -> how to show a choice
        self.linked_text = isinstance(column, BaseLinkColumn) and column.text is not None
        self.many = isinstance(column, ManyToManyColumn)
        self.localize = bound_column.localize
        # value -> its text on this page (dates, numbers: the same language and time zone for
        # every row of one rendering)
        self.texts = {}
        cell_attrs = {**table.attrs, **column.attrs}
        self.td_static = not _has_callable(cell_attrs.get("td", cell_attrs.get("cell", {})))
        self.td = static_td_html(table, bound_column) if self.td_static else None
        self.link = bound_column.link
        # an <a href> without attributes of its own: LinkTransform.__call__ without its
        # AttributeDict, and a URL callable's signature inspected once
        self.simple_link = type(self.link) is LinkTransform and not self.link.attrs
        self.link_url = self.link_url_arguments = None
        if self.simple_link:
            if self.link.url and callable(self.link.url):
                self.link_url = self.link.url
                self.link_url_arguments = _arguments(self.link.url)
            target = self.link.accessor if self.link.accessor is not None else bound_column.name
            self.link_target = A(target)
            self.link_is_value = str(self.link_target) == str(self.accessor)

    def _date(self, value):
        """``{{ value|date:FORMAT|default:default }}``: the date filter's text without its
        per-call format lookup (``biys.core.dates.format_value``), for a date or datetime; each
        value formatted once per page (a due date shared by many rows)."""
        text = self.texts.get(value)
        if text is None:
            if isinstance(value, date):
                text = format_value(template_localtime(value), self.date_format)
            else:
                text = date_filter(template_localtime(value), self.date_format)
            self.texts[value] = text
        return text or self.bound_column.default

    def _kwargs(self, row, value) -> dict:
        return {
            "value": value,
            "record": row.record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": self.table,
        }

    def _href(self, row, value, resolved, kwargs):
        """``LinkTransform.compose_url``, with the object at hand when it is the cell's value."""
        link, record = self.link, row.record
        if self.link_url is not None:
            return _call_with(self.link_url, self.link_url_arguments, kwargs)
        if link.reverse_args.get("viewname") is not None:
            return link.call_reverse(record=record)
        target = value if resolved and self.link_is_value else self.link_target.resolve(record)
        if not hasattr(target, "get_absolute_url"):
            if not hasattr(record, "get_absolute_url"):
                raise TypeError(f"for linkify=True, '{target}' must have a method get_absolute_url")
            target = record
        return target.get_absolute_url()

    def _call(self, row, value=None, resolved=False):
        """``BoundRow._call_render``: the render function, then the link."""
        if self.arguments is False:
            return None
        kwargs = None
        if self.plain_render:
            content = value
        elif self.date_format is not None:
            # what the column's template does, the local time zone included
            content = self._date(value)
        else:
            kwargs = self._kwargs(row, value)
            content = _call_with(self.render, self.arguments, kwargs)
        if not self.link:
            return content
        if kwargs is None and (self.link_url is not None or not self.simple_link):
            kwargs = self._kwargs(row, value)
        if self.simple_link:
            href = self._href(row, value, resolved, kwargs)
            return content if href is None else format_html('<a href="{}">{}</a>', href, content)
        return self.link(content, **kwargs)

    def _display(self, record, penultimate):
        """How to show a field with choices: ``None`` (not one), ``True`` (call the model's own
        ``get_FOO_display``) or the field's attribute and its labels by value (Django's
        ``get_FOO_display`` rebuilds that dict on every call)."""
        key = (type(record), type(penultimate))
        if key not in self.display:
            name = f"get_{self.remainder}_display"
            try:
                field = self.accessor.get_field(record)
            except FieldDoesNotExist:
                field = None
            display = None
            if getattr(field, "choices", ()) and getattr(penultimate, name, None):
                display = True
                own = inspect.getattr_static(type(penultimate), name, None)
                if isinstance(own, partialmethod) and own.keywords.get("field") is field:
                    # the labels translated once for the page (one renderer per request)
                    labels = {
                        make_hashable(key): force_str(label, strings_only=True)
                        for key, label in field.flatchoices
                    }
                    display = (field.attname, labels)
            self.display[key] = display
        return self.display[key]

    def _resolve(self, record):
        """``Accessor.resolve``: for one attribute of a model instance, a plain ``getattr``
        (the accessor tries ``record[name]`` first and a model answers with an exception)."""
        if self.attribute is not None:
            kind = type(record)
            plain = self.plain_types.get(kind)
            if plain is None:
                plain = self.plain_types[kind] = issubclass(kind, models.Model) and not hasattr(
                    kind, "__getitem__"
                )
            if plain:
                value = getattr(record, self.attribute, _MISSING)
                if value is not _MISSING and not callable(value):
                    return value
        return self.accessor.resolve(record)

    def value(self, row, record=None):
        """``BoundRow.get_cell``: the choice's label for a field with choices, the column's
        default for an empty value, the column's (or table's) render, then the link
        (``record``: the row's, when the caller has it at hand)."""
        if record is None:
            record = row.record
        if self.cell is not None:
            value = self.cell(record)
            return self.bound_column.default if value is None else value
        penultimate = self.path.resolve(record, quiet=True) if self.path else record
        remainder, value, resolved = self.remainder, None, False
        display = (
            self._display(record, penultimate) if isinstance(penultimate, models.Model) else None
        )
        if display is True:
            value = getattr(penultimate, f"get_{remainder}_display")()
            remainder = None
        elif display is not None:
            attname, labels = display
            raw = getattr(penultimate, attname)
            value = labels.get(make_hashable(raw), raw)
            remainder = None
        if remainder:
            try:
                value, resolved = self._resolve(record), True
            except Exception:
                if self.linked_text:
                    return self._call(row)
        if value in self.column.empty_values or (self.many and not value.exists()):
            return self.bound_column.default
        return self._call(row, value, resolved)

    def td_html(self, row, value) -> str:
        if self.td_static:
            return self.td
        self.bound_column.current_value, self.bound_column.current_record = value, row.record
        return self.bound_column.attrs["td"].as_html()

    def shown(self, value, context) -> str:
        """``{{ cell }}`` (or ``|localize``/``|unlocalize``) in the template."""
        if self.localize is not None:
            value = localize(value) if self.localize else unlocalize(value)
        elif type(value) is str:  # what the template does to text: escape it
            return html_escape(value)
        elif type(value) is SafeString:
            return value
        elif type(value) in _LOCALIZED_TYPES:  # a number localised once per value and page
            key = (type(value), str(value))  # Decimal("7.50") == Decimal("7.5"), shown apart
            text = self.texts.get(key)
            if text is None:
                text = self.texts[key] = render_value_in_context(value, context)
            return text
        return render_value_in_context(value, context)


# Values whose text depends only on the value and the page's language (not bool: an int).
_LOCALIZED_TYPES = frozenset((int, float, Decimal))


def render_rows(table, context) -> SafeString:
    """The ``<tr>`` of the table's current page, as ``core/table.html`` used to render them
    cell by cell in the template (the same markup, without a template node per cell)."""
    cells = [_CellRenderer(table, bound_column) for bound_column in table.columns]
    plain_rows = not table.row_attrs  # BoundRow.attrs: just the even/odd class
    html = []
    for row in table.paginated_rows:
        if type(row) is not BoundRow:  # pinned rows: the library's own way
            items = [
                (c, value, c.bound_column.attrs["td"].as_html())
                for c, value in ((c, row.get_cell(c.bound_column.name)) for c in cells)
            ]
        else:
            items = []
            record = row.record  # a property: read once per row
            for cell in cells:
                value = cell.value(row, record)
                items.append((cell, value, cell.td_html(row, value)))
        if plain_rows and type(row) is BoundRow:
            html.append('<tr class="odd">' if row.row_counter % 2 else '<tr class="even">')
        else:
            html.append(f"<tr {row.attrs.as_html()}>")
        for cell, value, td in items:
            # joined with + (an f-string calls SafeString.__str__, a Python call per cell)
            html.append("<td " + td + ">" + cell.shown(value, context) + "</td>")
        html.append("</tr>")
    return mark_safe("\n".join(html))


def render_header(table, request) -> SafeString:
    """The header row of ``core/table.html``: each column's name, a link that sorts by it (the
    page's query string with the column's next order, back to the first page, without a
    cursor) and its ``aria-sort``; built here rather than by a template node per column and a
    ``{% querystring %}`` per link.

    A table class with ``static_header = True`` (its headers, their attributes and which
    columns sort do not depend on the rows or the instance) has its header kept per columns
    shown, order, language and query string: a technician reloading the queue gets it back."""
    params = dict(request.GET) if request is not None else {}
    params.pop("cursor", None)
    key = None
    if getattr(table, "static_header", False):
        key = (
            type(table),
            tuple(column.name for column in table.columns),
            tuple(table.order_by or ()),
            table.orderable,
            table.prefixed_order_by_field,
            table.prefixed_page_field,
            get_language(),
            tuple(sorted((name, tuple(values)) for name, values in params.items())),
        )
        header = _headers.get(key)
        if header is not None:
            return header
    header = _render_header(table, params)
    if key is not None:
        if len(_headers) >= _HEADERS_KEPT:
            _headers.clear()
        _headers[key] = header
    return header


_headers: dict = {}
_HEADERS_KEPT = 512


def _render_header(table, params) -> SafeString:
    order_field, page_field = table.prefixed_order_by_field, table.prefixed_page_field
    html = []
    for column in table.columns:
        ordered = column.is_ordered
        alias = column.order_by_alias if ordered or column.orderable else None
        descending = ordered and alias.is_descending
        sort = ""
        if ordered:
            direction = "descending" if descending else "ascending"
            sort = f' aria-sort="{direction}"'
        header = conditional_escape(column.header)
        if column.orderable:
            query = urlencode({**params, order_field: alias.next, page_field: 1}, doseq=True)
            indicator = ""
            if ordered:
                arrow = "\u25bc" if descending else "\u25b2"
                indicator = f'<span class="sort-indicator" aria-hidden="true">{arrow}</span>'
            header = f'<a href="{html_escape("?" + query)}">{header}{indicator}</a>'
        html.append(f'<th {column.attrs["th"].as_html()} scope="col"{sort}>{header}</th>')
    return mark_safe("\n".join(html))


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

    def _confidential(self, record) -> str | None:
        """The text a confidential object the reader may not read is shown as, else None.
        Worked out for the whole page of rows at the first row (one query or two per model of
        confidential objects), so a page costs the same however many rows it has."""
        masks = self.__dict__.setdefault("_confidential_masks", {})
        if record.pk not in masks:
            page = getattr(self, "page", None)
            rows = list(page.object_list) if page is not None else list(self.data.data)
            rows = [getattr(row, "record", row) for row in rows]
            if not any(row.pk == record.pk for row in rows):
                rows = [record]
            user = getattr(self.request, "user", None)
            found = confidential_masks(user, rows)
            masks.update({row.pk: None for row in rows})
            masks.update({pk: text for pk, (text, _shown) in found.items()})
        return masks[record.pk]

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

        confidential = self._confidential(record)
        if confidential is not None:
            return confidential
        value = HIDDEN if self._redacted_object(record) else shown_repr(value)
        url = object_url(record)
        return format_html('<a href="{}">{}</a>', url, value) if url else value

    def value_object_repr(self, value, record):
        from biys.core.history import shown_repr

        confidential = self._confidential(record)
        if confidential is not None:
            return confidential
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
