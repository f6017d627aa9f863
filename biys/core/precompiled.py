"""One object by its primary key, from a query whose SQL is compiled once per shape.

Django builds a query's SQL anew each time it runs: for a page showing one object with four
joined relations under the user's visibility rule, compiling costs more than the database
takes to answer. ``PrecompiledLookup`` compiles such a query once per *key* (the caller's word
for everything the query depends on but the primary key: the user, the generation of their
access, ...) and runs the same SQL again with another primary key, through Django's own
iterable, so the objects, their ``select_related`` relations and ``prefetch_related``
lookups come out exactly as from the queryset.

The primary key's place among the parameters is found, not assumed: the query is compiled for
two marker keys, and kept only if the two SQL texts are equal and the parameters differ at
exactly one place holding the markers. Any other query is simply run as Django runs it.

``PrecompiledQuery`` keeps a whole query (no key of its own to put in: a list's first page as
it opens, say) and ``PrecompiledRows`` the line queries of a page's rows. The caller's key is
the contract: it must name everything the SQL depends on. Tests hold every caller to it:
with ``CHECK`` set (the root ``conftest.py`` sets it), each cached run compiles its query anew
too and refuses SQL or parameters that differ from the cached ones.
"""

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db import models
from django.db.models.expressions import ColPairs

# Set by the tests: each cached run compiles its query anew and compares (``KeyTooNarrow``).
CHECK = False


class KeyTooNarrow(AssertionError):
    """A cached query's SQL differs from the query's own: its key did not name everything the
    query depends on."""


def _sql_of(queryset) -> tuple:
    """The SQL and parameters of ``queryset`` (``(None, ())`` when it can match nothing)."""
    from django.core.exceptions import EmptyResultSet

    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None, ()
    return sql, tuple(params)


def _check(sql, params, queryset) -> None:
    fresh = _sql_of(queryset)
    if fresh != (sql, tuple(params)):
        raise KeyTooNarrow(f"cached: {sql} {params}\nfresh: {fresh[0]} {fresh[1]}")


# Primary keys no table holds, told apart from every other parameter of a query.
_MARKERS = (-9_876_543_210_123, -9_876_543_210_124)


@dataclass(frozen=True)
class _Compiled:
    queryset: models.QuerySet  # filtered by the first marker; cloned for each run
    sql: str
    params: tuple
    index: int | None  # the primary key's place among ``params`` (None: no key put in)
    select: list
    klass_info: dict
    annotation_col_map: dict
    col_count: int
    has_extra_select: bool
    plain_columns: bool  # no composite column (whose parts get converters of their own)
    # The columns' converters per connection (the same select list gives the same ones).
    converters: dict = field(default_factory=dict, compare=False)

    def compiler(self, query, pk, using=None, connection=None, elide_empty=True):
        """A compiler for ``query`` set up as the first one was, its SQL ready."""
        compiler = type(query).get_compiler(query, using, connection, elide_empty)
        compiler.select, compiler.klass_info = self.select, self.klass_info
        compiler.annotation_col_map = self.annotation_col_map
        compiler.col_count, compiler.has_extra_select = self.col_count, self.has_extra_select
        params = self.params
        if self.index is not None:
            params = (*params[: self.index], pk, *params[self.index + 1 :])
        compiler.as_sql = lambda *args, **kwargs: (self.sql, params)
        if self.plain_columns:
            compiler.get_converters = functools.partial(self._converters, compiler)
        return compiler

    def _converters(self, compiler, expressions):
        """``compiler.get_converters`` worked out once per connection for the select list
        (the only list a model query asks converters for, when no column is composite)."""
        if len(expressions) != self.col_count:
            return type(compiler).get_converters(compiler, expressions)
        key = compiler.connection
        converters = self.converters.get(key)
        if converters is None:
            converters = type(compiler).get_converters(compiler, expressions)
            if len(self.converters) >= 64:  # connections of threads long gone
                self.converters.clear()
            self.converters[key] = converters
        return converters


_NOT_PRECOMPILABLE = object()


def _differing(params, other_params) -> list[int]:
    """The places where the parameters of the two marker runs differ."""
    return [
        index
        for index, (first, second) in enumerate(zip(params, other_params, strict=False))
        if first != second
    ]


def _compile(build: Callable[[], models.QuerySet]):
    runs = []
    for marker in _MARKERS:
        queryset = build().filter(pk=marker)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        runs.append((queryset, compiler, sql, tuple(params)))
    (queryset, compiler, sql, params), (_, _, other_sql, other_params) = runs
    differing = _differing(params, other_params)
    if (
        sql != other_sql
        or len(params) != len(other_params)
        or len(differing) != 1
        or (params[differing[0]], other_params[differing[0]]) != _MARKERS
        or queryset._fields is not None  # values(): rows, not model instances
    ):
        return _NOT_PRECOMPILABLE
    return _compiled(queryset, compiler, sql, params, differing[0])


def _compiled(queryset, compiler, sql: str, params: tuple, index: int | None) -> _Compiled:
    return _Compiled(
        queryset=queryset,
        sql=sql,
        params=params,
        index=index,
        select=compiler.select,
        klass_info=compiler.klass_info,
        annotation_col_map=compiler.annotation_col_map,
        col_count=compiler.col_count,
        has_extra_select=compiler.has_extra_select,
        plain_columns=not any(isinstance(column[0], ColPairs) for column in compiler.select),
    )


def _run(compiled: _Compiled, queryset, pk=None) -> list:
    """The objects of ``queryset`` (a copy of the query ``compiled`` was compiled from, or of
    a query with the same SQL), through Django's iterable with ``compiled``'s SQL."""
    queryset = queryset._chain()
    query = queryset.query

    def get_compiler(using=None, connection=None, elide_empty=True):
        return compiled.compiler(query, pk, using, connection, elide_empty)

    query.get_compiler = get_compiler
    return list(queryset)


class PrecompiledLookup:
    """``get(key, build, pk)``: the object ``pk`` of ``build()`` (a queryset of model
    instances), or ``None``. ``key`` must name everything ``build()`` depends on; ``None``
    as key runs ``build()`` uncached."""

    def __init__(self, *, maxsize: int = 1024):
        self.maxsize = maxsize
        self._entries: dict = {}
        self._lock = threading.Lock()

    def get(self, key, build: Callable[[], models.QuerySet], pk):
        if key is None or type(pk) is not int:
            return build().filter(pk=pk).first()
        compiled = self._entries.get(key)
        if compiled is None:
            compiled = _compile(build)
            with self._lock:
                if len(self._entries) >= self.maxsize:
                    self._entries.clear()
                self._entries[key] = compiled
        if compiled is _NOT_PRECOMPILABLE:
            return build().filter(pk=pk).first()
        if CHECK:
            params = list(compiled.params)
            params[compiled.index] = pk
            _check(compiled.sql, params, build().filter(pk=pk))
        rows = _run(compiled, compiled.queryset, pk)
        return rows[0] if rows else None

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _compile_with_values(queryset, values):
    """``(compiled, places)``: ``queryset`` compiled, with the place of each of ``values``
    among its parameters; ``_NOT_PRECOMPILABLE`` when it matches nothing or a value is not
    found at exactly one place."""
    from django.core.exceptions import EmptyResultSet

    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _NOT_PRECOMPILABLE
    params = tuple(params)
    places = []
    for value in values:
        found = [index for index, param in enumerate(params) if param == value]
        if len(found) != 1 or found[0] in places:
            return _NOT_PRECOMPILABLE
        places.append(found[0])
    return _compiled(None, compiler, sql, params, None), tuple(places)


class PrecompiledQuery:
    """``fetch(key, queryset)``: the objects of ``queryset`` (model instances, with their
    ``select_related`` relations, annotations and ``prefetch_related`` lookups as Django
    gives them), its SQL compiled once per ``key``: for a page many requests ask in the same
    shape (a register's first page as it opens, for one user at one scope), whose SQL took
    longer to compile than to run. ``key`` must name everything the SQL depends on; ``None``
    runs the queryset as Django does."""

    def __init__(self, *, maxsize: int = 1024):
        self.maxsize = maxsize
        self._entries: dict = {}
        self._lock = threading.Lock()

    def queryset(self, key, build: Callable[[], models.QuerySet]) -> models.QuerySet:
        """``build()``, kept under ``key`` and copied for each call: a page's queryset before
        its filters and order, whose building (a visibility rule's subqueries resolved) cost
        about as much as compiling it. Under ``CHECK`` also built anew, and refused when the
        two compile differently."""
        if key is None:
            return build()
        key = ("queryset", key)
        built = self._entries.get(key)
        if built is None:
            built = build()
            with self._lock:
                if len(self._entries) >= self.maxsize:
                    self._entries.clear()
                self._entries[key] = built
        elif CHECK:
            _check(*_sql_of(built), build())
        return built._chain()

    def fetch(self, key, queryset, values=()) -> list:
        """The objects of ``queryset``. ``values``: parameters of its SQL that change between
        calls under the same ``key`` (a number searched for), each found at the first call as
        the one parameter equal to it, and put there at the next ones."""
        if key is None or queryset._fields is not None:
            return list(queryset)
        key = (key, queryset.db, len(values))
        compiled = self._entries.get(key)
        if compiled is None:
            compiled = _compile_with_values(queryset, values)
            with self._lock:
                if len(self._entries) >= self.maxsize:
                    self._entries.clear()
                self._entries[key] = compiled
        if compiled is _NOT_PRECOMPILABLE:
            return list(queryset)
        compiled, places = compiled
        params = list(compiled.params)
        for place, value in zip(places, values, strict=True):
            params[place] = value
        if CHECK:
            _check(compiled.sql, params, queryset)
        return _run(replace(compiled, params=tuple(params)), queryset)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _row_names(query) -> list:
    return [*query.extra_select, *query.values_select, *query.annotation_select]


def _compile_rows(build: Callable[[list], models.QuerySet], count: int, connection):
    """``build(keys)`` for ``count`` marker keys, twice over: kept when the SQL texts are equal
    and the parameters differ exactly at ``count`` places holding the markers, in order."""
    runs = []
    for marker in _MARKERS:
        keys = [marker - 2 * index for index in range(count)]  # the two runs never share one
        queryset = build(keys)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        runs.append((queryset, compiler, sql, tuple(params), keys))
    (queryset, compiler, sql, params, keys), (_, _, other_sql, other_params, other_keys) = runs
    places = _differing(params, other_params)
    if (
        sql != other_sql
        or len(params) != len(other_params)
        or [params[index] for index in places] != keys
        or [other_params[index] for index in places] != other_keys
        or queryset._fields is None  # model instances: PrecompiledLookup's business
        or list(queryset._fields) != _row_names(queryset.query)  # reordered: run as Django runs it
    ):
        return _NOT_PRECOMPILABLE
    return compiler, sql, params, places


class PrecompiledRows:
    """``rows(key, build, keys)``: the tuples of ``build(keys)``, a ``values_list`` query
    filtered by ``keys`` (``document_id__in=keys``: the lines of a page's rows), with its SQL
    compiled once per ``key``, number of keys and connection, then run again with other keys
    and Django's converters applied as ``values_list`` applies them. ``key`` must name
    everything ``build`` depends on but the keys."""

    def __init__(self, *, maxsize: int = 1024):
        self.maxsize = maxsize
        self._entries: dict = {}
        self._lock = threading.Lock()

    def rows(
        self, key, build: Callable[[list], models.QuerySet], keys, *, using: str = "default"
    ) -> list[tuple]:
        from django.db import connections

        keys = list(keys)
        if not keys or len(set(keys)) != len(keys) or any(type(k) is not int for k in keys):
            return list(build(keys))
        connection = connections[using]
        entry_key = (key, len(keys), connection)
        compiled = self._entries.get(entry_key)
        if compiled is None:
            compiled = _compile_rows(build, len(keys), connection)
            with self._lock:
                if len(self._entries) >= self.maxsize:
                    self._entries.clear()
                self._entries[entry_key] = compiled
        if compiled is _NOT_PRECOMPILABLE:
            return list(build(keys))
        compiler, sql, params, places = compiled
        params = list(params)
        for place, value in zip(places, keys, strict=True):
            params[place] = value
        if CHECK:
            _check(sql, params, build(keys))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return list(compiler.results_iter(results=[fetched], tuple_expected=True))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
