"""One search box across every registered model.

A model joins by subclassing ``SearchableModel`` (which keeps a folded ``search_text`` column
current) and its module calling ``register`` (from the app's ``search.py``, loaded by the app's
``ready``) with how its hits are labelled, rendered and narrowed to what a user may find.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from biys.core.search_index import filter_indexed
from biys.core.text import fold, search_terms


class SearchableModel(models.Model):
    search_fields: tuple[str, ...] = ()
    search_index = False  # True: a trigram index / FTS5 table serves the search (search_index.py)

    search_text = models.TextField(_("search text"), blank=True, editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        values = []
        for path in self.search_fields:
            value = self
            for part in path.split("__"):
                value = getattr(value, part, None) if value is not None else None
            if value:
                values.append(str(value))
        return fold(" ".join(values))


@dataclass(frozen=True)
class SearchTarget:
    """What one module wants found.

    ``visible(user)`` is the queryset the user may find (default: the model's
    ``restrict(user, "view")``); ``exact(query)`` an optional condition for a hit on an
    identifier (a ticket number), listed first; ``template_name`` renders one hit with
    ``hit``, ``query`` and ``url`` in its context; ``url(hit)`` where a hit leads (default: its
    ``get_absolute_url``).
    """

    model: type
    label: str
    order_by: tuple[str, ...] = ()
    visible: Callable[[Any], QuerySet] | None = None
    exact: Callable[[str], Q | None] | None = None
    template_name: str = "core/search/hit.html"
    url: Callable[[Any], str] | None = None
    select_related: tuple[str, ...] = ()

    def queryset(self, user) -> QuerySet:
        if self.visible is not None:
            return self.visible(user)
        return self.model._default_manager.restrict(user, "view")

    def find(self, user, query: str, *, limit: int) -> list:
        visible = self.queryset(user)
        queryset = filter_by_terms(visible, query)
        exact = self.exact(query) if self.exact else None
        if exact is not None:
            queryset = queryset | visible.filter(exact)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        ordering = list(self.order_by or self.model._meta.ordering or ("pk",))
        if exact is not None:
            first = Case(When(exact, then=Value(0)), default=Value(1))
            queryset = queryset.annotate(search_exact=first)
            ordering.insert(0, "search_exact")
        return list(queryset.order_by(*ordering)[:limit])

    def hit_url(self, hit) -> str:
        if self.url is not None:
            return self.url(hit)
        get_url = getattr(hit, "get_absolute_url", None)
        return get_url() if get_url else ""


_registry: dict[str, SearchTarget] = {}


def register(
    model,
    *,
    label=None,
    order_by: tuple[str, ...] = (),
    visible: Callable[[Any], QuerySet] | None = None,
    exact: Callable[[str], Q | None] | None = None,
    template_name: str = "core/search/hit.html",
    url: Callable[[Any], str] | None = None,
    select_related: tuple[str, ...] = (),
) -> None:
    """Make ``model`` (a ``SearchableModel``) findable from the search box of the top bar."""
    _registry[model._meta.label_lower] = SearchTarget(
        model=model,
        label=label or model._meta.verbose_name_plural,
        order_by=order_by,
        visible=visible,
        exact=exact,
        template_name=template_name,
        url=url,
        select_related=select_related,
    )


def registered_targets() -> list[SearchTarget]:
    return list(_registry.values())


def filter_by_terms(queryset, query: str):
    """Every folded word of ``query`` is a substring of the row's ``search_text`` (through the
    search index where the model has one, see ``biys.core.search_index``)."""
    return filter_indexed(queryset, search_terms(query))


def search(user, query: str, *, limit: int = 10) -> list[tuple[SearchTarget, list]]:
    """Results per registered model, already narrowed to what the user may find."""
    if not search_terms(query):
        return []
    results = []
    for target in registered_targets():
        hits = target.find(user, query, limit=limit)
        if hits:
            results.append((target, hits))
    return results
