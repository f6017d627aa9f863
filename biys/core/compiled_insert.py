"""An INSERT's SQL written once per model, column list and database, not at every save.

Django compiles the INSERT of every ``save()`` anew (quoting each column, building the
placeholders and the ``RETURNING`` clause, converters for what comes back), and for the rows the
daily work writes that cost more than running the statement: a filing inserts a ticket and its
responsibility row. ``CompiledInsertModel`` keeps the SQL and computes only the values, with
the calls Django makes for them: each field's ``pre_save`` (``auto_now``, a file committed to
storage) and ``get_db_prep_save``. Whatever this cannot write exactly as Django would takes
Django's own path: a value that is an expression (``F()``, a database default), a field with a
placeholder of its own, a returned column that needs a converter, a raw save, a backend that
cannot return columns from an INSERT. ``test_compiled_insert.py`` compares the SQL with
Django's for every concrete model that uses it.
"""

from django.db import connections, models

# (alias, model, inserted fields' ids, returned fields' ids) -> (sql, returning params) or None:
# None = Django's own path for this shape
_statements: dict[tuple, tuple[str, tuple] | None] = {}


def insert_sql(connection, model, fields, returning_fields) -> tuple[str, tuple] | None:
    """The SQL Django writes to insert one ``model`` row of ``fields`` returning
    ``returning_fields``; None when it would write more than placeholders."""
    ops, features = connection.ops, connection.features
    if not fields or any(hasattr(field, "get_placeholder") for field in fields):
        return None
    if returning_fields:
        if not features.can_return_columns_from_insert:
            return None
        for field in returning_fields:
            column = field.get_col(model._meta.db_table)
            if ops.get_db_converters(column) + column.get_db_converters(connection):
                return None
    quote = ops.quote_name
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"{ops.insert_statement(on_conflict=None)} {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) VALUES ({placeholders})"
    )
    returning_params: tuple = ()
    if returning_fields:
        returning, returning_params = ops.return_insert_columns(returning_fields)
        if returning:
            sql = f"{sql} {returning}"
    return sql, tuple(returning_params)


def compiled_insert(instance, using: str, fields, returning_fields, raw: bool):
    """Insert ``instance`` with the kept SQL and return the returned rows as Django's
    ``_do_insert`` does; None when Django's own path must do it (nothing was written; a field's
    ``pre_save`` may have run, and runs again there as on any save: it sets a time, or commits
    a file once)."""
    if raw:
        return None
    returning_fields = returning_fields or ()
    # fields are the model's own Field objects, alive as long as the process
    key = (using, type(instance), tuple(map(id, fields)), tuple(map(id, returning_fields)))
    try:
        statement = _statements[key]
    except KeyError:
        statement = _statements[key] = insert_sql(
            connections[using], type(instance), fields, returning_fields
        )
    if statement is None:
        return None
    connection = connections[using]
    params = []
    for field in fields:
        value = field.pre_save(instance, True)
        if hasattr(value, "resolve_expression"):
            return None
        value = field.get_db_prep_save(value, connection=connection)
        if hasattr(value, "as_sql"):
            return None
        params.append(value)
    sql, returning_params = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if not returning_fields:
            return []
        return [connection.ops.fetch_returned_insert_columns(cursor, returning_params)]


class CompiledInsertModel(models.Model):
    """A model whose INSERT is written once per shape (see the module's docstring)."""

    class Meta:
        abstract = True

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        rows = compiled_insert(self, using, fields, returning_fields, raw)
        if rows is None:
            return super()._do_insert(manager, using, fields, returning_fields, raw)
        return rows
