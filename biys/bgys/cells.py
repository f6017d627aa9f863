"""The cells of the BGYS lists' busiest rows, built straight from the record: the tables'
``cell_<column>`` methods (``biys.core.tables.render_rows``) give the same text as the
columns' accessors, choices, ``render_<column>`` and links, without django-tables2's work per
cell. ``None`` is the column's default ("—"); plain text is escaped by the row renderer."""

from django.utils.safestring import SafeString

from biys.core.dates import format_value
from biys.core.html import format_html
from biys.core.models import choice_labels
from biys.core.urlcache import pk_urls

EMPTY = (None, "")


def linked(url, text) -> SafeString:
    """A linked column's cell: ``<a href="url">text</a>``, both escaped."""
    return format_html('<a href="{}">{}</a>', url, text)


def text(value):
    """A column's plain value: the default when empty."""
    return None if value in EMPTY else value


def related(obj):
    """A foreign key's cell: its object's ``__str__`` (the default when there is none)."""
    return None if obj is None else str(obj)


def object_urls(model):
    """``get_absolute_url()`` of the page's objects of ``model`` by primary key (the business
    models' own: their detail page), the URL's parts read once for the page."""
    meta = model._meta
    return pk_urls(f"{meta.app_label}:{meta.model_name}")


def labels(model, name: str) -> dict:
    """A field's choice labels in the active language (a table keeps them for its page)."""
    return choice_labels(model._meta.get_field(name))


def label(labels_by_value: dict, raw):
    """A field's choice label (the default when empty), as the column shows it."""
    shown = labels_by_value.get(raw, raw)
    return None if shown in EMPTY else shown


def day(value):
    """A date as the template shows it (``DATE_FORMAT`` of the active language)."""
    return None if value is None else format_value(value, "DATE_FORMAT")


def badge(colour: str, label_text) -> SafeString:
    """``<span class="badge bg-COLOUR-lt">label</span>`` (the tables keep the ones they show,
    per value and language: a list shows the same few on every row)."""
    return format_html('<span class="badge bg-{}-lt">{}</span>', colour, label_text)
