import functools

from django.db import connections, models
from django.db.models.expressions import RawSQL


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what a user may see or change.

    ``restrict(user, "view")`` applies the user's access scope (the policy plugged in by the
    ``BIYS_ACCESS_POLICY`` setting, see ``biys.core.access``), which is resolved once and cached
    on the user object for the rest of the request.
    """

    def restrict(self, user, action: str = "view"):
        from biys.core.access import restrict_queryset

        return restrict_queryset(self, user, action)


def read_rows(queryset, *, exclude=(), related=None) -> list:
    """The queryset's objects for reading only, fetched as plain rows (``values()``) and built
    the way unpickling builds a model instance (no ``__init__``, no ``from_db`` hook), which is
    about half the cost of the ORM's instances on a list page.

    Every concrete column is read but those in ``exclude``; ``related`` maps a forward foreign
    key to the fields of the related object to read (what its ``__str__`` shows, say), cached
    on the instance as ``select_related`` would; a path (``"finding__audit"``) reads a relation
    of a related object read too (``"finding"`` named before it), cached on that object. They
    are read by a correlated subquery each
    (``(SELECT name FROM org_unit WHERE id = t.responsible_unit_id)``) rather than joined: the
    database evaluates them for the page's rows alone, and PostgreSQL plans a one-table query
    with subplans in a fraction of the time it spends ordering five joins (0.5 ms against
    14 ms for the ticket queue). A field left out is loaded on first access, one query per
    object, as with ``only()``. The objects are for reading: a model whose ``from_db``
    remembers what was read (to compare on save) remembers nothing here.
    """
    return built_rows(
        rows_query(queryset, exclude=exclude, related=related), exclude=exclude, related=related
    )


def rows_query(queryset, *, exclude=(), related=None):
    """The ``values()`` queryset ``read_rows`` reads: a caller that asks the same question
    often may build it once and narrow a copy (``.filter(pk=...)``) for each request, then read
    it with ``built_rows``."""
    own = _own_columns(queryset.model, tuple(exclude))
    subqueries = {
        alias: _related_column(queryset.model, name, item, queryset.db)
        for name, _path, aliases in _joined(queryset.model, related)
        for item, alias in aliases
    }
    return queryset.select_related(None).values(*own, **subqueries)


def _joined(model, related) -> list:
    """(name, path, [(field, alias)]) per entry of ``related``: ``path`` is the foreign keys
    from ``model`` to the related object; a nested one also reads its object's primary key
    (``_read_<n>_pk``), which its parent does not hold."""
    joined = []
    for position, (name, fields) in enumerate((related or {}).items()):
        path = _path(model, name)
        aliases = [(item, f"_read_{position}_{item}") for item in fields]
        if len(path) > 1:
            aliases.append((_PK, f"_read_{position}_pk"))
        joined.append((name, path, aliases))
    return joined


_PK = "pk"


def _path(model, name: str) -> tuple:
    path = []
    for part in name.split("__"):
        field = model._meta.get_field(part)
        path.append(field)
        model = field.related_model
    return tuple(path)


def built_rows(values_queryset, *, exclude=(), related=None) -> list:
    """The objects of a ``rows_query`` (built with the same ``exclude`` and ``related``)."""
    model = values_queryset.model
    database = values_queryset.db
    own = _own_columns(model, tuple(exclude))
    joined = _joined(model, related)

    def built(cls, values):
        instance = cls.__new__(cls)
        instance.__dict__.update(values)
        state = instance._state = models.base.ModelState()
        state.adding, state.db = False, database
        return instance

    objects = []
    for row in values_queryset:
        instance = built(model, {name: row[name] for name in own})
        read = {}
        for name, path, aliases in joined:
            field = path[-1]
            if len(path) == 1:
                holder, pk = instance, row[field.attname]
            else:
                parent = name.rpartition("__")[0]
                if parent not in read:
                    raise ValueError(f"read_rows: {name!r} needs {parent!r} read before it")
                holder, pk = read[parent], row[aliases[-1][1]]
                aliases = aliases[:-1]
            if holder is None or pk is None:
                read[name] = None
                continue
            values = {field.target_field.attname: pk}
            values.update((item, row[alias]) for item, alias in aliases)
            if holder is not instance:
                holder.__dict__[field.attname] = pk
            read[name] = holder._state.fields_cache[field.name] = built(field.related_model, values)
        objects.append(instance)
    return objects


@functools.cache
def _own_columns(model, exclude: tuple) -> tuple[str, ...]:
    return tuple(
        field.attname for field in model._meta.concrete_fields if field.name not in exclude
    )


@functools.cache
def _related_column(model, name: str, item: str, database: str) -> RawSQL:
    """``SELECT item FROM <related table> WHERE pk = <model table>.<foreign key>``, built once
    per process (an expression is copied, never changed, when a query uses it): Django's
    ``Subquery(... OuterRef ...)`` costs about 0.2 ms to resolve and compile per column and
    page, which the ticket queue's eight columns made 2-4 ms, and a ``RawSQL`` without its
    output field builds a ``Field()`` each time. The outer table is named as the ORM names a
    query's base table (by its table name). A path's foreign keys are followed by subqueries
    nested the same way (``WHERE pk = (SELECT audit_id FROM ... WHERE pk = <table>.<key>)``)."""
    quote = connections[database].ops.quote_name
    path = _path(model, name)
    key = f"{quote(model._meta.db_table)}.{quote(path[0].column)}"
    for depth, field in enumerate(path[:-1], start=1):
        inner = field.related_model._meta
        key = (
            f"(SELECT U{depth}.{quote(path[depth].column)} FROM {quote(inner.db_table)} U{depth}"
            f" WHERE U{depth}.{quote(field.target_field.column)} = {key})"
        )
    field = path[-1]
    if item == _PK:  # a nested object's key: its parent's foreign key
        return RawSQL(key[1:-1], (), output_field=field.target_field)
    related = field.related_model._meta
    target = related.get_field(item)
    sql = (
        f"SELECT U0.{quote(target.column)} FROM {quote(related.db_table)} U0"
        f" WHERE U0.{quote(field.target_field.column)} = {key}"
    )
    return RawSQL(sql, (), output_field=target)
