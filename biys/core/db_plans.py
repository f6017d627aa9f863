"""Pattern searches are planned for their own pattern, never by a prepared statement's
generic plan.

With server-side binding (``BIYS_DB_PREPARED_STATEMENTS``, config/settings.py) psycopg prepares
a statement once a connection has run it ``prepare_threshold`` times, and after five runs of a
prepared statement PostgreSQL may keep one plan for every parameter (a generic plan) when its
estimate is no worse than the plans made for the parameters seen. For a pattern match
(``search_text LIKE $1``) that estimate cannot see the pattern, so it assumes a common one: at
1,000,000 assets the search for one serial number then walked the register in date order and
filtered all million rows (2.2 s a request behind gunicorn), where the plan made for the
pattern reads the trigram index (9 ms). A statement that matches a pattern (``LIKE``,
``ILIKE``, ``SIMILAR TO``, a regular expression, full-text ``@@``) is therefore sent with
``prepare=False``: still bound on the server, planned each time with its pattern. Every other
statement keeps its prepared plan (planning a page's lookups cost more than running them).
"""

import re

from django.db.backends.signals import connection_created

PATTERN_MATCH = re.compile(r"\b(?:I?LIKE|SIMILAR\s+TO)\b|@@|\s!?~\*?\s", re.IGNORECASE)

_CURSORS: dict[type, type] = {}


def _planned_per_pattern(base: type) -> type:
    """``base`` (Django's server-binding cursor) that never prepares a pattern search."""
    cursor = _CURSORS.get(base)
    if cursor is None:

        class PatternPlannedCursor(base):
            def execute(self, query, params=None, *, prepare=None, binary=None):
                if prepare is None and isinstance(query, str) and PATTERN_MATCH.search(query):
                    prepare = False
                return super().execute(query, params, prepare=prepare, binary=binary)

        cursor = _CURSORS[base] = PatternPlannedCursor
    return cursor


def plan_patterns_per_search(sender, connection, **kwargs) -> None:
    if connection.vendor != "postgresql":
        return
    if connection.settings_dict["OPTIONS"].get("server_side_binding") is not True:
        return  # client-side binding: nothing is prepared
    raw = connection.connection
    if raw.cursor_factory not in _CURSORS.values():
        raw.cursor_factory = _planned_per_pattern(raw.cursor_factory)


def install() -> None:
    connection_created.connect(plan_patterns_per_search, dispatch_uid="biys_pattern_plans")
