"""Pages that cost the same at any depth, and counts that stop counting.

Keyset ("seek") pagination: the next page is the rows after the last one shown in the list's
own order, ``WHERE (a, b, id) > (..)`` spelled out as OR-ed conditions, so page 1,000 reads
as few rows as page 1 (OFFSET reads and throws away every earlier row). The order always ends
with the primary key, which makes it total; a nullable column counts NULL as the largest value
on both databases (PostgreSQL's default; SQLite is told explicitly). An order the seek cannot
follow (a related column, an expression) falls back to an offset kept in the same opaque cursor.

Counts are exact up to ``COUNT_LIMIT`` rows; beyond it PostgreSQL's planner estimate is shown
(``~``) and SQLite shows ``1.000+``, never a full scan per request. A thousand is where an exact
figure stops helping anyone read a list, and counting to it costs a few milliseconds whatever the
filter; the statistics pages give exact figures from their summary tables. The process keeps
an estimate for ``ESTIMATE_KEPT_SECONDS`` per query and parameters: the planner's figure moves
only when the table's statistics do (autovacuum's ``ANALYZE``), and a technician reloading a
list would otherwise pay the planner again for the same "about" figure.
"""

import base64
import binascii
import json
import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.db import connections, models
from django.db.models import F, OrderBy, Q
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

COUNT_LIMIT = 1_000
ESTIMATE_KEPT_SECONDS = 60
_ESTIMATES_KEPT = 1_024
_estimates: dict = {}


# --------------------------------------------------------------------------- counts


@dataclass(frozen=True)
class Count:
    value: int
    exact: bool
    estimated: bool = False  # a planner estimate rather than the cap

    def __str__(self) -> str:
        shown = number_format(self.value, force_grouping=True)
        if self.exact:
            return shown
        return f"~{shown}" if self.estimated else f"{shown}+"

    def __int__(self) -> int:
        return self.value


def planner_estimate(queryset) -> int | None:
    """PostgreSQL's row estimate for the query (``EXPLAIN``), without running it."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    return _estimate(connection, queryset.order_by().values("pk"))


def _estimate(connection, matching) -> int:
    sql, params = matching.query.get_compiler(connection=connection).as_sql()
    return _estimate_sql(connection, sql, params)


def _estimate_sql(connection, sql: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _kept_estimate(connection, sql: str, params) -> int:
    try:
        key = (connection.alias, connection.settings_dict["NAME"], sql, tuple(params))
        kept = _estimates.get(key)
    except TypeError:  # a parameter that cannot be a key (a list for an array column)
        return _estimate_sql(connection, sql, params)
    now = time.monotonic()
    if kept is not None and now - kept[1] < ESTIMATE_KEPT_SECONDS:
        return kept[0]
    estimate = _estimate_sql(connection, sql, params)
    if len(_estimates) >= _ESTIMATES_KEPT:
        _estimates.clear()
    _estimates[key] = (estimate, now)
    return estimate


def forget_estimates() -> None:
    """Drop the kept estimates (tests: one test's rows must not be another's "about" figure)."""
    _estimates.clear()


def capped_count(queryset, limit: int | None = None) -> Count:
    """Exact up to ``limit``; beyond, the planner's estimate (PostgreSQL) or ``limit+``.

    The matching rows' SQL is compiled once, for the capped count and the estimate alike
    (the ORM's ``count()`` of a sliced query builds and compiles a subquery of its own)."""
    limit = COUNT_LIMIT if limit is None else limit
    connection = connections[queryset.db]
    matching = queryset.order_by().values("pk")
    try:
        sql, params = matching.query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:
        return Count(0, exact=True)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql} LIMIT {int(limit) + 1}) capped", params)
        counted = cursor.fetchone()[0]
    if counted <= limit:
        return Count(counted, exact=True)
    estimate = (
        _kept_estimate(connection, sql, params) if connection.vendor == "postgresql" else None
    )
    if estimate is not None and estimate > limit:
        return Count(estimate, exact=False, estimated=True)
    return Count(limit, exact=False)


def window_count(queryset, window, *, first: bool) -> Count:
    """The count of a list shown in ``window``: on the first page (``first``: no cursor, no
    page past the first) with no page after it, the window holds every row and the count is
    its length, without asking; else ``capped_count``."""
    if first and window.next_cursor is None and window.previous_cursor is None:
        return Count(len(window.rows), exact=True)
    return capped_count(queryset)


# --------------------------------------------------------------------------- cursors


class InvalidCursor(ValidationError):
    def __init__(self):
        super().__init__(_("This page link is not valid any more; start from the first page."))


def encode_cursor(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise InvalidCursor() from error
    if not isinstance(data, dict):
        raise InvalidCursor()
    return data


@dataclass(frozen=True)
class Key:
    """One column of the order: its field, direction and whether it may be NULL."""

    field: models.Field
    descending: bool

    @property
    def name(self) -> str:
        return self.field.attname

    def expression(self, reverse: bool = False) -> OrderBy:
        descending = self.descending != reverse
        if not self.field.null:
            return F(self.name).desc() if descending else F(self.name).asc()
        # NULL is the largest value: last going up, first going down.
        if descending:
            return F(self.name).desc(nulls_first=True)
        return F(self.name).asc(nulls_last=True)

    def after(self, value, reverse: bool = False) -> Q:
        """Rows strictly after ``value`` in this column's direction."""
        descending = self.descending != reverse
        if value is None:
            return Q(**{f"{self.name}__isnull": False}) if descending else Q(pk__in=[])
        if descending:
            return Q(**{f"{self.name}__lt": value})
        after = Q(**{f"{self.name}__gt": value})
        return after | Q(**{f"{self.name}__isnull": True}) if self.field.null else after

    def equal(self, value) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def dump(self, instance):
        value = getattr(instance, self.name)
        if isinstance(value, datetime | date | Decimal):
            return value.isoformat() if not isinstance(value, Decimal) else str(value)
        return value

    def load(self, value):
        if value is None:
            return None
        try:
            return self.field.to_python(value)
        except ValidationError as error:
            raise InvalidCursor() from error


def keyset_order(queryset) -> list[Key] | None:
    """The queryset's order as seekable columns ending with the primary key, or ``None`` when
    the order cannot be followed by a seek (it then pages by offset)."""
    model = queryset.model
    ordering = list(queryset.query.order_by) or list(model._meta.ordering or [])
    keys: list[Key] = []
    for item in ordering:
        if not isinstance(item, str) or "__" in item or item.startswith("?"):
            return None
        descending = item.startswith("-")
        name = item.lstrip("-+")
        try:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not getattr(field, "concrete", False) or field.many_to_many or field.one_to_many:
            return None
        if field.is_relation and name != field.attname:
            return None  # ordering by a relation sorts by the related model's own order
        keys.append(Key(field, descending))
        if field.primary_key:
            return keys
    return [*keys, Key(model._meta.pk, keys[-1].descending if keys else False)]


# --------------------------------------------------------------------------- pages


@dataclass
class Window:
    """One page: its rows and the cursors of its neighbours (``None``: there is none)."""

    rows: list
    next_cursor: str | None
    previous_cursor: str | None
    offset: int | None = None  # the first row's position when paging by offset


def _seek(keys: list[Key], values: list, reverse: bool):
    directions = {key.descending != reverse for key in keys}
    if len(keys) > 1 and len(directions) == 1 and not any(key.field.null for key in keys):
        # One direction, no NULLs: a row comparison ``(a, b) > (x, y)``, which an index on
        # (a, b) answers directly (the spelled-out OR below makes PostgreSQL scan).
        lookup = TupleLessThan if directions.pop() else TupleGreaterThan
        return lookup(Tuple(*(F(key.name) for key in keys)), list(values))
    condition = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        condition |= equal & key.after(value, reverse)
        equal &= key.equal(value)
    return condition


def paginate(
    queryset, per_page: int, cursor: str | None = None, *, page: int | None = None, fetch=list
):
    """The page of ``queryset`` the cursor points at (the first page without one): fetches
    ``per_page + 1`` rows, whatever the depth, with ``fetch`` (``list`` of the sliced queryset
    unless told otherwise, e.g. ``querysets.read_rows``)."""
    data = decode_cursor(cursor) if cursor else {}
    keys = keyset_order(queryset)
    if keys is None or "o" in data or page:
        return _paginate_offset(queryset, per_page, data, page, fetch)
    reverse = bool(data.get("r"))
    ordered = queryset.order_by(*(key.expression(reverse) for key in keys))
    if "k" in data:
        values = data["k"]
        if not isinstance(values, list) or len(values) != len(keys):
            raise InvalidCursor()
        loaded = [key.load(value) for key, value in zip(keys, values, strict=True)]
        ordered = ordered.filter(_seek(keys, loaded, reverse))
    rows = fetch(_page_rows(ordered, per_page + 1, joined=fetch is list))
    more = len(rows) > per_page
    rows = rows[:per_page]
    if reverse:
        rows.reverse()

    def at(row, backwards):
        return encode_cursor({"k": [key.dump(row) for key in keys], "r": int(backwards)})

    if not rows:
        return Window(rows, None, None)
    has_next = more if not reverse else True
    has_previous = ("k" in data) if not reverse else more
    return Window(
        rows,
        at(rows[-1], False) if has_next else None,
        at(rows[0], True) if has_previous else None,
    )


def _page_rows(ordered, limit: int, *, joined: bool = True):
    """The first ``limit`` rows of ``ordered``. When the rows are fetched as model instances
    with joined relations (select_related), the page is picked first by primary key in a
    subquery and only its rows are joined: otherwise PostgreSQL joins every matching row
    (thousands of open tickets) before it sorts and cuts. A ``fetch`` that reads relations its
    own way (``querysets.read_rows``) takes the plain slice."""
    if not joined or not ordered.query.select_related:
        return ordered[:limit]
    return ordered.filter(pk__in=ordered.values("pk")[:limit])[:limit]


# Beyond any table's rows, and within what a database's OFFSET holds (PostgreSQL's bigint): a
# page past it is empty without asking (the database would refuse the number, and on PostgreSQL
# leave the request's transaction aborted).
MAX_OFFSET = 2**53


def _paginate_offset(queryset, per_page: int, data: dict, page: int | None, fetch) -> Window:
    if page:
        offset = (page - 1) * per_page
    else:
        offset = data.get("o", 0)
        if not isinstance(offset, int) or offset < 0:
            raise InvalidCursor()
    if offset > MAX_OFFSET:
        return Window([], None, encode_cursor({"o": max(0, offset - per_page)}), offset=offset)
    rows = fetch(queryset[offset : offset + per_page + 1])
    more = len(rows) > per_page
    return Window(
        rows[:per_page],
        encode_cursor({"o": offset + per_page}) if more else None,
        encode_cursor({"o": max(0, offset - per_page)}) if offset else None,
        offset=offset,
    )
