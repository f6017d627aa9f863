"""The statistics summary (``TicketStat``): counts per day and month, kept as tickets change.

Each ticket contributes a fixed set of counters to a few summary cells, computed from its own
fields alone (``cells``). Whenever a ticket is saved, the cells of the ticket as it was read are
taken away and those of the ticket as saved are added, in one upsert statement; so the summary
always equals what a count over the tickets would give, whichever service (or admin page)
changed the ticket. Paths that bypass ``save()`` (``bulk_create``, ``update()``: data loads, the
bench) call ``rebuild()`` afterwards (``biys stats rebuild``).
"""

from __future__ import annotations

import functools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from biys.servicedesk.choices import TicketState

STATE_FIELDS = (
    "created",
    "resolved_at",
    "closed_at",
    "first_responded_at",
    "first_response_due",
    "resolution_due",
    "state",
    "rating",
    "round_the_clock",
    "responsible_unit_id",
    "requesting_unit_id",
    "catalog_item_id",
    "asset_reference",
)
# Inputs of the durations (mean times): when unchanged, they need no calendar.
DURATION_FIELDS = ("created", "first_responded_at", "resolved_at", "round_the_clock")
COUNTERS = (
    "opened",
    "resolved",
    "backlog_in",
    "backlog_out",
    "late_in",
    "late_out",
    "resolution_measured",
    "resolution_met",
    "response_answered",
    "response_met",
    "rated",
    "rating_sum",
    "rating_1",
    "rating_2",
    "rating_3",
    "rating_4",
    "rating_5",
    "response_us",
    "response_count",
    "resolution_us",
    "resolution_count",
)
KEY_COLUMNS = ("grain", "day", "responsible_unit_id", "pending", "facet", "facet_key")
FACETS = ("all", "item", "req", "asset")
ONE_MICROSECOND = timedelta(microseconds=1)

Cell = tuple  # (grain, day, responsible_unit_id, pending, facet, facet_key)


def asset_group(reference: str) -> str:
    """The device group of ``asset_reference`` (see ``stats.asset_model_expression``)."""
    reference = reference or ""
    return reference.split("-", 1)[0] if "-" in reference else reference


def state_of(ticket) -> tuple | None:
    """What the summary needs of a ticket; ``None`` when a field was not loaded (``only()``)."""
    values = ticket.__dict__
    if any(name not in values for name in STATE_FIELDS):
        return None
    return tuple(values[name] for name in STATE_FIELDS)


def remember(ticket) -> None:
    ticket._stats_state = state_of(ticket)


def _local_day(value: datetime) -> date:
    return timezone.localtime(value, timezone.get_default_timezone()).date()


def cells(state: tuple | None, elapsed: Callable | None) -> dict[Cell, dict[str, int]]:
    """The counters ``state`` adds to the summary. ``elapsed(start, end, round_the_clock)`` gives
    a duration (office hours); without it the duration counters are left out."""
    if state is None:
        return {}
    t = dict(zip(STATE_FIELDS, state, strict=True))
    created = t["created"]
    if created is None:
        return {}
    events: list[tuple[date, dict]] = []
    created_day = _local_day(created)
    responded, resolved = t["first_responded_at"], t["resolved_at"]
    response_due, resolution_due = t["first_response_due"], t["resolution_due"]

    opening = {"opened": 1}
    if response_due is not None and responded is not None:
        opening["response_answered"] = 1
        if responded <= response_due:
            opening["response_met"] = 1
    events.append((created_day, opening))

    # Backlog at the end of a day E: filed before E, neither resolved nor closed before E;
    # cancelled tickets (no closing time) never count. Late: also due before E.
    if not (t["state"] == TicketState.CANCELLED and t["closed_at"] is None):
        exits = [value for value in (resolved, t["closed_at"]) if value is not None]
        out_day = _local_day(max(min(exits), created)) if exits else None
        events.append((created_day, {"backlog_in": 1}))
        if out_day is not None:
            events.append((out_day, {"backlog_out": 1}))
        if resolution_due is not None:
            late_day = _local_day(max(resolution_due, created))
            if out_day is None or late_day < out_day:
                events.append((late_day, {"late_in": 1}))
                if out_day is not None:
                    events.append((out_day, {"late_out": 1}))

    if resolved is not None:
        resolution = {"resolved": 1}
        if resolution_due is not None:
            resolution["resolution_measured"] = 1
            if resolved <= resolution_due:
                resolution["resolution_met"] = 1
        if t["rating"] is not None:
            resolution.update({"rated": 1, "rating_sum": t["rating"], f"rating_{t['rating']}": 1})
        if elapsed is not None and resolved >= created:
            duration = elapsed(created, resolved, t["round_the_clock"])
            resolution.update(resolution_us=duration // ONE_MICROSECOND, resolution_count=1)
        events.append((_local_day(resolved), resolution))
    if elapsed is not None and responded is not None and responded >= created:
        duration = elapsed(created, responded, t["round_the_clock"])
        events.append(
            (
                _local_day(responded),
                {"response_us": duration // ONE_MICROSECOND, "response_count": 1},
            )
        )

    pending = t["state"] == TicketState.PENDING_APPROVAL
    keys = (
        ("all", ""),
        ("item", str(t["catalog_item_id"])),
        ("req", str(t["requesting_unit_id"])),
        ("asset", asset_group(t["asset_reference"])),
    )
    # Plain dicts added up by hand: every save of a ticket runs this (Counter.update cost a
    # filing more than the rest of the summary's work).
    result: dict[Cell, dict[str, int]] = {}
    unit = t["responsible_unit_id"]
    for day, counters in events:
        for grain, cell_day in (("d", day), ("m", day.replace(day=1))):
            for facet, key in keys:
                cell = (grain, cell_day, unit, pending, facet, key)
                held = result.get(cell)
                if held is None:
                    result[cell] = dict(counters)
                    continue
                for name, value in counters.items():
                    held[name] = held.get(name, 0) + value
    return result


def calendar_elapsed(calendar=None) -> Callable:
    """Office time between two instants (elapsed time for round-the-clock tickets), with one
    calendar built when first needed."""
    holder = [calendar]

    def elapsed(start: datetime, end: datetime, round_the_clock: bool) -> timedelta:
        if round_the_clock:
            return end - start
        if holder[0] is None:
            from biys.calendar.selectors import get_calendar

            holder[0] = get_calendar()
        return holder[0].office_hours_between(start, end)

    return elapsed


def _pending(state: tuple) -> bool:
    return state[STATE_FIELDS.index("state")] == TicketState.PENDING_APPROVAL


def difference(before: tuple | None, after: tuple | None) -> dict[Cell, dict[str, int]]:
    """Cells of ``after`` less those of ``before`` (only the cells that change)."""
    same_durations = (
        before is not None
        and after is not None
        and all(
            before[STATE_FIELDS.index(name)] == after[STATE_FIELDS.index(name)]
            for name in DURATION_FIELDS
        )
        and before[9:] == after[9:]  # same units, item and device group
        and _pending(before) == _pending(after)
    )
    elapsed = None if same_durations else calendar_elapsed()
    delta = cells(after, elapsed)  # a fresh dict of fresh dicts: subtracted from in place
    for cell, counters in cells(before, elapsed).items():
        held = delta.get(cell)
        if held is None:
            delta[cell] = {name: -value for name, value in counters.items()}
            continue
        for name, value in counters.items():
            held[name] = held.get(name, 0) - value
    return {cell: counters for cell, counters in delta.items() if any(counters.values())}


@functools.lru_cache(maxsize=64)
def _upsert_sql(rows: int, vendor: str = "") -> str:
    from biys.servicedesk.models import TicketStat

    table = connection.ops.quote_name(TicketStat._meta.db_table)
    columns = KEY_COLUMNS + COUNTERS
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in COUNTERS)
    if rows == 0:
        # PostgreSQL: the cells as one JSON document of objects (a counter left out is 0), so
        # the statement is short and the same for any number of cells, and the driver sends
        # one text instead of adapting a value per column and cell in Python.
        by_column = {field.column: field for field in TicketStat._meta.concrete_fields}
        record = ", ".join(f"{name} {by_column[name].db_type(connection)}" for name in columns)
        values = ", ".join([*KEY_COLUMNS, *(f"coalesce({name}, 0)" for name in COUNTERS)])
        source = f"SELECT {values} FROM jsonb_to_recordset(%s::jsonb) AS cell({record})"
    else:
        row = "(" + ", ".join(["%s"] * len(columns)) + ")"
        source = f"VALUES {', '.join([row] * rows)}"
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) {source} "
        f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO UPDATE SET {updates}"
    )


def _cells_json(chunk) -> str:
    """The cells as the JSON array ``jsonb_to_recordset`` reads: keys and the counters that
    are not 0."""
    cells = []
    for (grain, day, unit, pending, facet, key), counters in chunk:
        cell = {name: value for name, value in counters.items() if value}
        cell.update(
            grain=grain,
            day=day.isoformat(),
            responsible_unit_id=unit,
            pending=pending,
            facet=facet,
            facet_key=key,
        )
        cells.append(cell)
    return json.dumps(cells, separators=(",", ":"))


def apply(delta: dict[Cell, dict[str, int]]) -> None:
    """Add ``delta`` to the summary in one statement (per 200 cells). The cells go in one fixed
    order, so two transactions upserting overlapping cells lock them in the same order and wait
    for each other instead of deadlocking."""
    items = sorted(delta.items(), key=lambda item: tuple(map(str, item[0])))
    with connection.cursor() as cursor:
        for start in range(0, len(items), 200):
            chunk = items[start : start + 200]
            if connection.vendor == "postgresql":
                cursor.execute(_upsert_sql(0, connection.vendor), [_cells_json(chunk)])
                continue
            rows = [
                (*cell, *(counters.get(name, 0) for name in COUNTERS)) for cell, counters in chunk
            ]
            sql = _upsert_sql(len(rows), connection.vendor)
            cursor.execute(sql, [value for row in rows for value in row])


def record(ticket, before: tuple | None) -> None:
    after = state_of(ticket)
    if after is None:  # saved with deferred fields: read what was stored
        from biys.servicedesk.models import Ticket

        stored = Ticket._base_manager.filter(pk=ticket.pk).values_list(*STATE_FIELDS).first()
        after = tuple(stored) if stored else None
    if before != after:
        apply(difference(before, after))
    ticket._stats_state = after


# Signals: every save of a ticket, whoever makes it. -------------------------------------------

_MISSING = object()


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._stats_state = None
        return
    if getattr(instance, "_stats_state", None) is None:
        stored = sender._base_manager.filter(pk=instance.pk).values_list(*STATE_FIELDS).first()
        instance._stats_state = tuple(stored) if stored else None


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    record(instance, None if created else getattr(instance, "_stats_state", None))


def _after_delete(sender, instance, **kwargs):
    before = getattr(instance, "_stats_state", None) or state_of(instance)
    if before is not None:
        apply(difference(before, None))


def connect() -> None:
    from biys.servicedesk.models import Ticket

    pre_save.connect(_before_save, sender=Ticket, dispatch_uid="ticket-stats-before")
    post_save.connect(_after_save, sender=Ticket, dispatch_uid="ticket-stats-after")
    post_delete.connect(_after_delete, sender=Ticket, dispatch_uid="ticket-stats-delete")


# Rebuild ------------------------------------------------------------------------------------


def summarise(states: Iterable[tuple], calendar=None) -> dict[Cell, Counter]:
    total: dict[Cell, Counter] = defaultdict(Counter)
    elapsed = calendar_elapsed(calendar)
    for state in states:
        for cell, counters in cells(state, elapsed).items():
            total[cell].update(counters)
    return total


@transaction.atomic
def rebuild(*, chunk_size: int = 5000) -> int:
    """Recount the summary from every ticket (after bulk loads or a calendar change in the
    past); returns the number of tickets read."""
    from biys.servicedesk.models import Ticket, TicketStat

    TicketStat.objects.all().delete()
    states = Ticket._base_manager.values_list(*STATE_FIELDS).iterator(chunk_size=chunk_size)
    count = 0

    def counted():
        nonlocal count
        for state in states:
            count += 1
            yield tuple(state)

    total = summarise(counted())
    TicketStat.objects.bulk_create(
        (
            TicketStat(
                **dict(zip(KEY_COLUMNS, cell, strict=True)),
                **{name: counters.get(name, 0) for name in COUNTERS},
            )
            for cell, counters in total.items()
        ),
        batch_size=1000,
    )
    return count
