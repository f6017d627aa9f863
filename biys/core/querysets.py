import functools

from django.core.exceptions import EmptyResultSet
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
    """The queryset's objects for reading only, fetched as plain rows and built the way
    unpickling builds a model instance (no ``__init__``, no ``from_db`` hook), which is about
    half the cost of the ORM's instances on a list page.

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

    The columns' SQL is written once per model, ``exclude`` and ``related``
    (``_RowShape``): each call compiles only what the queryset itself says (its filters,
    order and slice, selecting the primary key) and puts the kept column list in place of
    that one column. A query this cannot be done for (``DISTINCT``, grouping, a combinator, a
    model whose columns span tables) is read through ``values()`` as Django writes it.
    """
    shape = _row_shape(queryset.model, tuple(exclude), _frozen(related), queryset.db)
    if shape is not None:
        rows = shape.fetch(queryset)
        if rows is not None:
            return shape.build(rows)
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


def built_rows(values_queryset, *, exclude=(), related=None) -> list:
    """The objects of a ``rows_query`` (built with the same ``exclude`` and ``related``)."""
    model = values_queryset.model
    builder = _builder(model, tuple(exclude), _frozen(related), values_queryset.db)
    names = builder.names
    return builder.build([tuple(row[name] for name in names) for row in values_queryset])


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


def _frozen(related) -> tuple:
    return tuple((name, tuple(fields)) for name, fields in (related or {}).items())


class _Builder:
    """Builds read-only instances from rows whose columns are ``names``: the model's own
    columns, then each related object's, as ``rows_query`` names them."""

    def __init__(self, model, exclude: tuple, related: tuple, database: str):
        own = _own_columns(model, exclude)
        joined = _joined(model, dict(related))
        self.names = own + tuple(alias for _n, _p, aliases in joined for _i, alias in aliases)
        self.model, self.database = model, database
        self.own = tuple(enumerate(own))
        position = {name: index for index, name in enumerate(self.names)}
        self.joined = []  # (name, field, parent name or None, key position, [(item, position)])
        for name, path, aliases in joined:
            field = path[-1]
            if len(path) == 1:
                parent, key = None, position[field.attname]
            else:
                parent, key = name.rpartition("__")[0], position[aliases[-1][1]]
                aliases = aliases[:-1]
                if parent not in {entry[0] for entry in self.joined}:
                    raise ValueError(f"read_rows: {name!r} needs {parent!r} read before it")
            items = tuple((item, position[alias]) for item, alias in aliases)
            self.joined.append((name, field, parent, key, items))

    def build(self, rows) -> list:
        database = self.database
        own, joined = self.own, self.joined
        new_state = models.base.ModelState

        def built(cls, values):
            instance = cls.__new__(cls)
            instance.__dict__.update(values)
            state = instance._state = new_state()
            state.adding, state.db = False, database
            return instance

        model = self.model
        objects = []
        for row in rows:
            instance = built(model, {name: row[index] for index, name in own})
            read = {}
            for name, field, parent, key, items in joined:
                holder = instance if parent is None else read[parent]
                pk = row[key]
                if holder is None or pk is None:
                    if holder is not None and parent is not None:
                        holder.__dict__[field.attname] = None  # known empty: no query for it
                    read[name] = None
                    continue
                values = {field.target_field.attname: pk}
                values.update((item, row[index]) for item, index in items)
                if parent is not None:
                    holder.__dict__[field.attname] = pk
                read[name] = holder._state.fields_cache[field.name] = built(
                    field.related_model, values
                )
            objects.append(instance)
        return objects


@functools.cache
def _builder(model, exclude: tuple, related: tuple, database: str) -> _Builder:
    return _Builder(model, exclude, related, database)


class _RowShape:
    """The SQL of ``rows_query``'s columns for one model, ``exclude``, ``related`` and
    database, with their converters, compiled once (``_row_shape``)."""

    def __init__(self, builder: _Builder, select: str, prefix: str, converters: dict):
        self.builder, self.select, self.prefix = builder, select, prefix
        self.converters = tuple(converters.items())

    def fetch(self, queryset) -> list | None:
        """The rows of ``queryset`` with the kept columns, or ``None`` when its SQL is not
        the plain shape the columns can be put into."""
        query = queryset.query
        if (
            query.distinct
            or query.combinator
            or query.group_by is not None
            or query.extra
            or query.select_for_update
            or query.values_select
        ):
            return None
        compiler = _keys_only(query).get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return []
        if (
            len(compiler.select) != 1
            or compiler.has_extra_select
            or not sql.startswith(self.prefix)
        ):
            return None
        connection = connections[queryset.db]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {self.select}{sql[len(self.prefix) - 6 :]}", params)
            rows = cursor.fetchall()
        if self.converters:
            converters = self.converters
            converted = []
            for row in rows:
                row = list(row)
                for index, (functions, expression) in converters:
                    value = row[index]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[index] = value
                converted.append(row)
            rows = converted
        return rows

    def build(self, rows) -> list:
        return self.builder.build(rows)


def _keys_only(query):
    """A copy of ``query`` selecting its model's primary key alone."""
    keys = query.chain()
    keys.select_related = False
    keys.set_values([keys.model._meta.pk.attname])
    return keys


@functools.cache
def _row_shape(model, exclude: tuple, related: tuple, database: str) -> _RowShape | None:
    """``None`` when the columns' SQL is not one plain select list over the model's table
    (a model whose columns span tables, say): such a model is read through ``values()``."""
    builder = _builder(model, exclude, related, database)
    if not builder.own or builder.own[0][1] != model._meta.pk.attname:
        return None  # "ORDER BY 1" must still name the primary key
    table = f" FROM {connections[database].ops.quote_name(model._meta.db_table)}"
    every = model._base_manager.using(database).order_by()
    values = rows_query(every, exclude=exclude, related=dict(related))
    compiler = values.query.get_compiler(using=database)
    sql, params = compiler.as_sql()
    key_sql, key_params = _keys_only(every.query).get_compiler(using=database).as_sql()
    if (
        params
        or key_params
        or not sql.startswith("SELECT ")
        or not sql.endswith(table)
        or not key_sql.endswith(table)
        or [alias for _e, _s, alias in compiler.select] != list(builder.names)
    ):
        return None
    converters = compiler.get_converters([expression for expression, _s, _a in compiler.select])
    return _RowShape(builder, sql[len("SELECT ") : -len(table)], key_sql[: -len(table)] + " FROM ",
                     converters)  # fmt: skip


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
