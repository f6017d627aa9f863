"""Indexes behind the substring search on ``search_text`` (the folded text of a model).

The search keeps one meaning on both databases: every folded word is a substring of the
folded text. Only the index differs:

- PostgreSQL: a pg_trgm GIN index on ``search_text``; the ``LIKE '%word%'`` the ORM writes
  uses it as it is.
- SQLite: an external-content FTS5 table with the trigram tokenizer, kept in step with the
  model's table by triggers. Words of three characters or more are looked up with ``MATCH``
  (a trigram ``MATCH`` is a substring match); shorter ones have no trigram and stay ``LIKE``.

A model opts in with ``search_index = True``; its migration calls ``create_search_index`` and
``post_migrate`` does it again for databases built without migrations (idempotent).
"""

from django.db import connections
from django.db.models.expressions import RawSQL

TRIGRAM = 3


def fts_table(table: str) -> str:
    return f"{table}_fts"


def create_search_index(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_search_trgm" '
            f'ON "{table}" USING gin ("search_text" gin_trgm_ops)'
        )
    elif vendor == "sqlite":
        fts = fts_table(table)
        if fts in schema_editor.connection.introspection.table_names() and _triggers_in_place(
            schema_editor.connection, table
        ):
            return  # built already; the triggers keep it current
        # Built from scratch, or again after a migration rebuilt the table: SQLite rebuilds a
        # table to alter it (a copy renamed over the old one), which drops its triggers, and
        # the index then missed every later write.
        for statement in (
            f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5(search_text, '
            f"content='{table}', content_rowid='id', tokenize='trigram')",
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_insert" AFTER INSERT ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text); END',
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_delete" AFTER DELETE ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"("{fts}", rowid, search_text) '
            f"VALUES ('delete', old.id, old.search_text); END",
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_update" AFTER UPDATE OF search_text '
            f'ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"("{fts}", rowid, search_text) '
            f"VALUES ('delete', old.id, old.search_text); "
            f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text); END',
            f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')',
        ):
            schema_editor.execute(statement)


_TRIGGERS = ("insert", "delete", "update")


def _triggers_in_place(connection, table: str) -> bool:
    fts = fts_table(table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
        )
        names = {row[0] for row in cursor.fetchall()}
    return all(f"{fts}_{suffix}" in names for suffix in _TRIGGERS)


def drop_search_index(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search_trgm"')
    elif vendor == "sqlite":
        fts = fts_table(table)
        for suffix in _TRIGGERS:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{fts}_{suffix}"')
        schema_editor.execute(f'DROP TABLE IF EXISTS "{fts}"')


def migration_operations(table: str) -> list:
    """The operations of a model's "add the search index" migration."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        create_search_index(schema_editor, table)

    def backwards(apps, schema_editor):
        drop_search_index(schema_editor, table)

    return [migrations.RunPython(forwards, backwards, elidable=False)]


def ensure_search_indexes(using="default", **kwargs) -> None:
    """``post_migrate``: the indexes of every opted-in model (a syncdb'd database has none)."""
    from django.apps import apps

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    with connection.schema_editor(atomic=False, collect_sql=False) as editor:
        for model in apps.get_models():
            table = model._meta.db_table
            if getattr(model, "search_index", False) and table in tables:
                create_search_index(editor, table)


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def filter_indexed(queryset, terms: list[str]):
    """Narrow ``queryset`` to rows whose folded text holds every (folded) term."""
    connection = connections[queryset.db]
    model = queryset.model
    use_fts = connection.vendor == "sqlite" and getattr(model, "search_index", False)
    long_terms = [term for term in terms if len(term) >= TRIGRAM] if use_fts else []
    if long_terms:
        fts = fts_table(model._meta.db_table)
        queryset = queryset.filter(
            pk__in=RawSQL(
                f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s',
                [" AND ".join(_fts_phrase(term) for term in long_terms)],
            )
        )
    for term in terms:
        if term not in long_terms:
            queryset = queryset.filter(search_text__contains=term)
    return queryset
