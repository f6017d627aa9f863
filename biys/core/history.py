"""How a change record reads in the History tab: field labels, names instead of ids, local time
in the reader's format, and only the fields a person cares about.

The record keeps raw values (ids, ISO times in UTC) so that the hash chain stays verifiable; this
module only translates them for display. Related names are fetched in one query per related
model for a whole page of records.

A model tunes its History tab with ``history_hidden`` (internal fields never shown) and
``history_format(key, value, data, cache)`` (a classmethod returning the text for one stored
value, or None for the default).
"""

from collections import defaultdict
from datetime import date, datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from biys.core.models import ObjectChange
from biys.core.text import capfirst

# Never shown: keys, denormalised search and sort columns, tree bookkeeping, timestamps the
# record carries itself. A model adds its own internal fields with ``history_hidden``.
ALWAYS_HIDDEN = frozenset(
    {"id", "search_text", "sort_name", "path", "depth", "created", "last_updated"}
)
EMPTY = (None, "", [], {})


def shown_repr(value) -> str:
    """A name the log recorded in the writer's language: when it is a message of the catalogue
    (a built-in role's name), the reader's language."""
    value = str(value or "")
    return _(value) if value else value


def hidden_fields(model) -> frozenset[str]:
    return ALWAYS_HIDDEN | frozenset(getattr(model, "history_hidden", ()))


def _fields_by_key(model) -> dict[str, models.Field]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    fields.update({f.name: f for f in model._meta.many_to_many})
    return fields


def _shown_keys(record: ObjectChange, model, fields: dict) -> list[str]:
    before, after = record.prechange_data or {}, record.postchange_data or {}
    # A new or deleted object lists what it had, not the switches left off.
    if record.action == ObjectChange.Action.CREATE:
        keys = [key for key, value in after.items() if not _is_empty(value) and value is not False]
    elif record.action == ObjectChange.Action.DELETE:
        keys = [key for key, value in before.items() if not _is_empty(value) and value is not False]
    else:
        keys = record.changed_fields
    hidden = hidden_fields(model)
    keys = [
        key
        for key in keys
        if key not in hidden
        and getattr(fields.get(key), "name", key) not in hidden
        and not (_is_empty(before.get(key)) and _is_empty(after.get(key)))
    ]
    order = {key: index for index, key in enumerate(fields)}
    return sorted(keys, key=lambda key: (order.get(key, len(order)), key))


def _is_empty(value) -> bool:
    if isinstance(value, dict):
        return all(_is_empty(item) for item in value.values())
    return value in EMPTY


def _is_key(value) -> bool:
    """An id as the log stores it; not an erased value's marker."""
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.isdigit()
    )


def _label_of(obj) -> str:
    """A user is named by their full name (their person's, when linked), anything else by str."""
    full_name = getattr(obj, "get_full_name", None)
    if callable(full_name):
        person = getattr(obj, "person", None)
        return str(person) if person is not None else (full_name() or obj.get_username())
    return str(obj)


def _related_names(entries, fields: dict) -> dict[type, dict[str, str]]:
    """{related model: {str(pk): name}} for every id the records mention, one query a model."""
    wanted: dict[type, set] = defaultdict(set)
    for record, keys in entries:
        for key in keys:
            field = fields.get(key)
            if field is None or not field.is_relation:
                continue
            for data in (record.prechange_data or {}, record.postchange_data or {}):
                value = data.get(key)
                values = value if isinstance(value, list) else [value]
                wanted[field.related_model].update(v for v in values if _is_key(v))
    names = {}
    for related_model, ids in wanted.items():
        if not ids:
            continue
        queryset = related_model._base_manager.filter(pk__in=ids)
        if hasattr(related_model, "get_full_name"):
            queryset = queryset.select_related("person") if _has_person(related_model) else queryset
        names[related_model] = {str(obj.pk): _label_of(obj) for obj in queryset}
    return names


def _has_person(model) -> bool:
    try:
        return model._meta.get_field("person").is_relation
    except Exception:
        return False


def _parsed(parse, value):
    """A stored ISO date or time; anything else (a redaction marker) stays as it is."""
    if not isinstance(value, str):
        return value
    try:
        return parse(value)
    except ValueError:
        return None


def display_value(field, value, names: dict | None = None) -> str:
    """One stored value as a person reads it."""
    if _is_empty(value):
        return ""
    if field is None:
        return str(value)
    if field.is_relation:
        known = (names or {}).get(field.related_model, {})
        values = value if isinstance(value, list) else [value]
        return ", ".join(known.get(str(v)) or (f"#{v}" if _is_key(v) else str(v)) for v in values)
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField):
        moment = _parsed(parse_datetime, value)
        if isinstance(moment, datetime):
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    elif isinstance(field, models.DateField):
        day = _parsed(parse_date, value)
        if isinstance(day, date):
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items() if not _is_empty(item))
    if isinstance(value, float | int) and not isinstance(value, bool):
        return formats.localize(value)
    return str(value)


class _Shower:
    """One stored value as text: the model's own ``history_format`` first, then the default."""

    def __init__(self, formatter, names: dict):
        self.formatter, self.names, self.cache = formatter, names, {}

    def __call__(self, key: str, field, data: dict) -> str:
        value = data.get(key)
        shown = None
        if self.formatter is not None and value:
            shown = self.formatter(key, value, data, self.cache)
        return display_value(field, value, self.names) if shown is None else shown


def describe_changes(records, model=None) -> list[dict]:
    """``[{"record", "changes": [{"field", "before", "after"}]}]`` for records of one model
    (``model``) or of any models (taken from each record)."""
    records = list(records)
    by_model: dict[type, list] = defaultdict(list)
    for record in records:
        record_model = model or record.content_type.model_class()
        by_model[record_model].append(record)
    described = {}
    for record_model, group in by_model.items():
        if record_model is None:
            for record in group:
                described[record.pk] = {"record": record, "changes": []}
            continue
        fields = _fields_by_key(record_model)
        entries = [(record, _shown_keys(record, record_model, fields)) for record in group]
        names = _related_names(entries, fields)
        show = _Shower(getattr(record_model, "history_format", None), names)
        for record, keys in entries:
            before, after = record.prechange_data or {}, record.postchange_data or {}
            rows = []
            for key in keys:
                field = fields.get(key)
                rows.append(
                    {
                        "field": capfirst(field.verbose_name) if field is not None else key,
                        "before": show(key, field, before),
                        "after": show(key, field, after),
                    }
                )
            described[record.pk] = {"record": record, "changes": rows}
    return [described[record.pk] for record in records]


def describe_change(record: ObjectChange, model=None) -> dict:
    return describe_changes([record], model)[0]
