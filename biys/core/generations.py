"""Process-wide caches of small tables that every request reads, kept exact by the database.

A page needs the user's access scope (role assignments, roles, their permissions, the unit
tree), the working calendar and the SLA targets. They change a few times a year, yet reading
them cost five queries per request. Instead each such set of tables is *watched* under a name:
triggers installed by ``post_migrate`` give that name's row of ``core_generation`` a new
random value whenever a row of a watched table is inserted, updated or deleted (a queryset
``update()``, a bulk load or SQL typed into ``psql`` included: the database notices, not the
ORM's signals). Random rather than counted: a rolled-back transaction or a restored backup
takes the value back with the rows it stood for, and a count would then hand the same value
to different rows. A request reads every generation in one query, and a process-wide cache
(``GenerationCache``) keeps each value for the generation it was built at.

Reads are ordered so that a cache never serves older data than its generation promises: the
generation is read first, the data after it. An entry is also dropped after ``ttl`` seconds,
a bound for what no trigger sees (a database restored under running workers).

Without a generation row (a database emptied by a test's flush) nothing is cached.

The price: two transactions writing to tables of the same watch (two administrators saving
units, say) take turns on its generation row until the first commits. Watch only tables
written a few times a year, never a table of the daily work (tickets, people, comments). A
table with one busy column and otherwise quiet ones (a login's time on the user, a queue's
round-robin pointer) is watched *ignoring* that column: an update that sets only ignored
columns renews nothing.
"""

import contextvars
import random
import threading
import time
from collections.abc import Callable, Iterable

from django.db import connections

TABLE = "core_generation"

# name -> the tables whose writes bump it (registered by each app's ``ready()``)
_watched: dict[str, set[str]] = {}
# name -> table -> columns whose updates alone do not bump it
_ignored: dict[str, dict[str, frozenset[str]]] = {}

# The generations read by the current request, per database alias; None outside a request:
# every read then asks the database.
_request_generations: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "biys_generations", default=None
)


def watch(
    name: str, tables: Iterable[str], *, ignoring: dict[str, Iterable[str]] | None = None
) -> None:
    """Renew the generation ``name`` on every write to any of ``tables``, except an update
    that sets only columns ``ignoring`` names for its table."""
    tables = set(tables)
    _watched.setdefault(name, set()).update(tables)
    for table, columns in (ignoring or {}).items():
        if table not in tables:
            raise ValueError(f"{table} is not watched under {name}")
        _ignored.setdefault(name, {})[table] = frozenset(columns)


def watched() -> dict[str, frozenset[str]]:
    return {name: frozenset(tables) for name, tables in _watched.items()}


def _read(using: str) -> dict[str, int]:
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT name, value FROM {connections[using].ops.quote_name(TABLE)}")
        return dict(cursor.fetchall())


def current(name: str, using: str = "default") -> int | None:
    """The generation of ``name``: read once per request (all names in one query), on every
    call outside a request."""
    memo = _request_generations.get()
    if memo is None:
        return _read(using).get(name)
    values = memo.get(using)
    if values is None:
        values = memo[using] = _read(using)
    return values.get(name)


class request_scope:
    """Context manager around one request: its generations are read at most once."""

    def __enter__(self):
        self._token = _request_generations.set({})
        return self

    def __exit__(self, *exc):
        _request_generations.reset(self._token)
        return False


class GenerationCache:
    """Values built from the tables watched under ``name``, kept while its generation holds.

    ``get(key, build)`` returns the value cached for ``key`` at the current generation, or
    builds it. ``build`` must read the database itself (after the generation was read)."""

    def __init__(self, name: str, *, maxsize: int = 2048, ttl: float = 300.0):
        self.name, self.maxsize, self.ttl = name, maxsize, ttl
        self._entries: dict = {}
        self._lock = threading.Lock()

    def get(self, key, build: Callable, using: str = "default", *, keep: Callable | None = None):
        """The value kept for ``key`` at the current generation, else ``build()``'s, kept
        unless ``keep(value)`` is false."""
        generation = current(self.name, using)
        if generation is None:
            return build()
        full_key = (using, key)
        entry = self._entries.get(full_key)
        now = time.monotonic()
        if entry is not None and entry[0] == generation and now - entry[1] < self.ttl:
            return entry[2]
        value = build()
        if keep is not None and not keep(value):
            return value
        with self._lock:
            if len(self._entries) >= self.maxsize:
                self._entries.clear()
            self._entries[full_key] = (generation, now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# --- the triggers -------------------------------------------------------------------------------

_POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION biys_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {TABLE} SET value = floor(random() * 4611686018427387903)::bigint
    WHERE name = TG_ARGV[0];
    RETURN NULL;
END
$$
"""


def trigger_statements(
    vendor: str, name: str, table: str, updated_columns: Iterable[str] | None = None
) -> list[str]:
    """The statements that make a write to ``table`` renew the generation ``name``;
    ``updated_columns``: only an update setting one of these renews it (all: ``None``)."""
    if vendor == "postgresql":
        bump = f"FOR EACH STATEMENT EXECUTE FUNCTION biys_bump_generation('{name}')"
        if updated_columns is None:
            return [
                f'CREATE OR REPLACE TRIGGER "biys_generation_{name}" '
                f'AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" {bump}'
            ]
        columns = ", ".join(f'"{column}"' for column in sorted(updated_columns))
        return [
            f'CREATE OR REPLACE TRIGGER "biys_generation_{name}" '
            f'AFTER INSERT OR DELETE OR TRUNCATE ON "{table}" {bump}',
            f'CREATE OR REPLACE TRIGGER "biys_generation_{name}_update" '
            f'AFTER UPDATE OF {columns} ON "{table}" {bump}',
        ]
    if vendor == "sqlite":
        statements = []
        for operation in ("insert", "update", "delete"):
            trigger = f'"biys_generation_{name}_{table}_{operation}"'
            event = operation.upper()
            if operation == "update" and updated_columns is not None:
                event += " OF " + ", ".join(f'"{column}"' for column in sorted(updated_columns))
                # the column list follows the table: written anew after every migration
                statements.append(f"DROP TRIGGER IF EXISTS {trigger}")
            statements.append(
                f'CREATE TRIGGER IF NOT EXISTS {trigger} AFTER {event} ON "{table}" BEGIN '
                f"UPDATE {TABLE} SET value = random() WHERE name = '{name}'; END"
            )
        return statements
    return []


def _updated_columns(connection, cursor, name: str, table: str) -> list[str] | None:
    ignored = _ignored.get(name, {}).get(table)
    if not ignored:
        return None
    columns = [
        column.name for column in connection.introspection.get_table_description(cursor, table)
    ]
    return [column for column in columns if column not in ignored]


def install_triggers(using: str = "default") -> None:
    """Every watched name's row and triggers (idempotent: ``post_migrate`` runs it after each
    ``migrate``, and SQLite drops a table's triggers when a migration rebuilds the table)."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    existing = set(connection.introspection.table_names())
    if TABLE not in existing:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTION)
        for name, tables in sorted(_watched.items()):
            cursor.execute(
                f"INSERT INTO {TABLE} (name, value) VALUES (%s, %s) ON CONFLICT (name) DO NOTHING",
                [name, random.getrandbits(62)],
            )
            for table in sorted(tables & existing):
                updated = _updated_columns(connection, cursor, name, table)
                for statement in trigger_statements(connection.vendor, name, table, updated):
                    cursor.execute(statement)


def install_triggers_after_migrate(sender, using="default", **kwargs) -> None:
    install_triggers(using)
