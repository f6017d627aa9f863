"""What every filter set of the installation shares."""

import copy

import django_filters
from django import forms
from django.http import QueryDict
from django_filters.filters import FilterMethod


def _copy_filter(item, *, model, parent):
    """A filter of one filter set instance: its own ``extra`` and method binding, the rest
    (labels, querysets, choices: never changed per request) shared with the class's filter.
    ``copy.deepcopy`` of every filter, django-filter's way, cloned every queryset and lazy
    label of the ticket filters on each request: 1-3 ms of a list page."""
    clone = copy.copy(item)
    clone.__dict__.pop("_field", None)
    clone.extra = dict(item.extra)
    if isinstance(item.__dict__.get("filter"), FilterMethod):
        clone.filter = FilterMethod(clone)
    clone.model = model
    clone.parent = parent
    return clone


class CheapFilterCopiesMixin:
    """``BaseFilterSet.__init__`` with each filter copied by ``_copy_filter``."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {
            name: _copy_filter(item, model=queryset.model, parent=self)
            for name, item in self.base_filters.items()
        }


class NamedFiltersFormMixin:
    """A bound filter set's form holds the fields of the filters its data names, not one per
    filter: the ticket filter set has nineteen and a request names one or two. A filter the
    data does not name would filter nothing anyway (an empty value leaves the queryset as it
    is); one whose data key carries a suffix (``price_min``, ``created_after``) is named by its
    prefix. A page's filter panel widens it with ``panel_form(names)``.

    The form takes the filters' own fields rather than deep copies of them in a form class made
    for the request: each filter set instance builds its own fields (django-filter builds a
    filter's field on first use, per instance), so nothing is shared between requests."""

    def named_filters(self) -> list[str]:
        keys = list(self.data.keys()) if self.is_bound else []
        return [
            name
            for name in self.filters
            if any(key == name or key.startswith(f"{name}_") for key in keys)
        ]

    @property
    def form(self):
        if not hasattr(self, "_form"):
            if self.is_bound:
                form = self._meta.form(self.data, prefix=self.form_prefix)
            else:
                form = self._meta.form(prefix=self.form_prefix)
            names = set(self.named_filters()) if self.is_bound else set(self.filters)
            form.fields.update(
                (name, item.field) for name, item in self.filters.items() if name in names
            )
            self._form = form
        return self._form

    def panel_form(self, names) -> forms.Form:
        """The form holding the fields of ``names``, in that order, and no other: a page's
        filter panel. It is the filter set's own form, widened: what the data named keeps its
        validation (a selected row is looked up once), and a field the data did not name has
        nothing to validate."""
        form = self.form
        own = form.fields
        form.fields = {
            name: own[name] if name in own else self.filters[name].field
            for name in names
            if name in self.filters
        }
        return form


class ColumnChoicesFilter(django_filters.MultipleChoiceFilter):
    """A multi-choice filter on one column of the listed model's own table: rows never repeat,
    so no DISTINCT, and ticking every choice filters nothing. "Every state" is how a user asks
    for closed tickets too; django-filter would send an OR of all eight states, which the
    planner cannot see through (PostgreSQL estimates and plans the search with it, and SQLite
    tests it row by row)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def is_noop(self, qs, value):
        every = {str(key) for key, _label in self.field.choices if key not in ("", None)}
        return bool(every) and every <= {str(item) for item in value}


class YearFilter(django_filters.NumberFilter):
    """A calendar year (``?year=2026``): 1 to 9999, so a year no date can have is a 400 at the
    field rather than a 500 from the database lookup (``date(year, 1, 1)`` fails beyond them)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        kwargs.setdefault("step_size", 1)
        super().__init__(*args, **kwargs)
