"""A list's filter panel: its fields as HTML, built once per list, language and submitted
values wherever nothing in it comes from the database.

Building a filter form and rendering its widgets (a checkbox per ticket state, a template per
option) cost the ticket queue 5 ms of CPU on every request, more than its rows. Most of a
panel does not depend on the database: choices from code, yes/no selects, dates, and the
selects over a model's rows, which render only their selected options and load the rest
lazily (``biys.core.forms.make_lazy``). Such a panel is the same HTML for the same list,
language and submitted values, so it is kept by those. A request that submits a value for a
filter over a model's rows (whose selected option shows the row's name), or a filter set whose
choices come from a function, renders its panel afresh.
"""

import threading

from django.core.signals import setting_changed
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

MAX_ENTRIES = 2048

_panels: dict = {}
_lock = threading.Lock()


def _reads_rows(item) -> bool:
    """A filter whose choices (or selected option) come from the database."""
    return hasattr(item, "queryset") or callable(item.extra.get("choices"))


def _names(key: str, name: str) -> bool:
    return key == name or key.startswith(f"{name}_")


class FilterPanel:
    """The panel of one list request. ``html`` is what the filter card shows (every visible
    field but the search box, which the card draws itself); ``form`` is the tidied filter form,
    built only when the HTML is not kept or a caller asks for it."""

    def __init__(self, view, filterset):
        self.view, self.filterset = view, filterset

    @cached_property
    def form(self):
        return self.view.get_filter_form(self.filterset)

    def cache_key(self) -> tuple | None:
        filterset, request = self.filterset, self.view.request
        shown = self.view.panel_fields(filterset)
        submitted = []
        for key in sorted(request.GET):
            for name in shown:
                if _names(key, name):
                    if _reads_rows(filterset.filters[name]):
                        return None
                    submitted.append((key, tuple(request.GET.getlist(key))))
                    break
        if any(callable(filterset.filters[name].extra.get("choices")) for name in shown):
            return None
        return (
            type(self.view),
            type(filterset),
            get_language(),
            request.path,
            shown,
            tuple(submitted),
        )

    def render(self) -> SafeString:
        fields = [field for field in self.form.visible_fields() if field.name != "q"]
        return format_html_join("", "{}", ((field.as_field_group(),) for field in fields))

    @cached_property
    def html(self) -> SafeString:
        key = self.cache_key()
        if key is None:
            return self.render()
        html = _panels.get(key)
        if html is None:
            html = self.render()
            with _lock:
                if len(_panels) >= MAX_ENTRIES:
                    _panels.clear()
                _panels[key] = html
        return html

    def __bool__(self) -> bool:
        return True


def clear(**kwargs) -> None:
    with _lock:
        _panels.clear()


# Templates, languages and renderers are settings: a test that changes one starts afresh.
setting_changed.connect(clear, dispatch_uid="biys.core.views.generic.filter_panel.clear")
