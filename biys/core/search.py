"""One search box across every registered model.

A model joins by subclassing ``SearchableModel`` (which keeps a folded ``search_text`` column
current) and calling ``register`` with how its results should be labelled.
"""

from dataclasses import dataclass

from django.db import models
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
    model: type
    label: str
    order_by: tuple[str, ...] = ()


_registry: dict[str, SearchTarget] = {}


def register(model, *, label=None, order_by: tuple[str, ...] = ()) -> None:
    _registry[model._meta.label_lower] = SearchTarget(
        model, label or model._meta.verbose_name_plural, order_by
    )


def registered_targets() -> list[SearchTarget]:
    return list(_registry.values())


def filter_by_terms(queryset, query: str):
    """Every folded word of ``query`` is a substring of the row's ``search_text`` (through the
    search index where the model has one, see ``biys.core.search_index``)."""
    return filter_indexed(queryset, search_terms(query))


def search(user, query: str, *, limit: int = 10) -> list[tuple[SearchTarget, list]]:
    """Results per registered model, already narrowed to what the user may view."""
    if not search_terms(query):
        return []
    results = []
    for target in registered_targets():
        queryset = filter_by_terms(target.model.objects.restrict(user, "view"), query)
        if target.order_by:
            queryset = queryset.order_by(*target.order_by)
        hits = list(queryset[:limit])
        if hits:
            results.append((target, hits))
    return results
