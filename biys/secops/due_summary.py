"""The overdue summary (``FindingDueCount``): active findings counted per unit, severity and
date to fix by, kept as findings change.

A finding waiting for a fix (an active state) with a date to fix by counts once in the cell
``(unit, severity, due_date)``; any other finding counts nowhere. "Overdue" is then the cells
whose date is before today, summed per unit: exact on any day without a nightly job, and the
overdue page reads a few thousand cells (units x severities x days) instead of every overdue
finding (about 570,000 at a million findings).

Every write keeps it right:

- ``Finding.save()`` (every service's single write, the admin) reads the stored row under lock,
  saves, and moves the finding from its old cell to its new one, in the same transaction;
- deleting a finding (one or a queryset) takes it out of its cell (``post_delete``);
- the paths that bypass ``save()`` (the import's ``bulk_create``, ``update()`` and
  ``update_rows``) add the difference they made with ``apply()``, and data loads (the demo,
  the bench) recount the units they wrote with ``rebuild()``.

After a change the application did not make (an ``UPDATE`` typed in SQL, a restore),
``biys findings rebuild-summary`` recounts every cell (``services.rebuild_due_summary``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models.signals import post_delete

from biys.secops.choices import ACTIVE_STATES

Cell = tuple  # (unit_id, severity, due_date)
FIELDS = ("unit_id", "severity", "due_date", "state")


def cell(unit_id, severity, due_date: date | None, state: str) -> Cell | None:
    """The cell a finding counts in, ``None`` when it waits for no fix by a date."""
    if state not in ACTIVE_STATES or due_date is None or unit_id is None:
        return None
    return (unit_id, int(severity), due_date)


def cell_of(finding) -> Cell | None:
    return cell(finding.unit_id, finding.severity, finding.due_date, finding.state)


def stored_cell(finding) -> Cell | None:
    """The cell of ``finding`` as stored, the row locked until the transaction ends."""
    from biys.secops.models import Finding

    row = (
        Finding._base_manager.select_for_update().filter(pk=finding.pk).values_list(*FIELDS).first()
    )
    return cell(*row) if row else None


def change(before: Cell | None, after: Cell | None, delta: Counter | None = None) -> Counter:
    """Add to ``delta`` the move of one finding from ``before`` to ``after``."""
    delta = Counter() if delta is None else delta
    if before != after:
        if before is not None:
            delta[before] -= 1
        if after is not None:
            delta[after] += 1
    return delta


def _upsert_sql(rows: int) -> str:
    from biys.secops.models import FindingDueCount

    table = connection.ops.quote_name(FindingDueCount._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s)"] * rows)
    return (
        f"INSERT INTO {table} (unit_id, severity, due_date, count) VALUES {values} "
        f"ON CONFLICT (unit_id, severity, due_date) DO UPDATE SET count = {table}.count + "
        "excluded.count"
    )


def apply(delta: Counter) -> None:
    """Add ``delta`` to the summary, one statement per 500 cells. The cells go in one fixed
    order, so two transactions changing the same cells wait for each other instead of
    deadlocking. Cells that fall to zero are kept (the reads skip them; ``rebuild`` drops
    them)."""
    items = sorted((key, value) for key, value in delta.items() if value)
    if not items:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            params = []
            for (unit_id, severity, due_date), value in chunk:
                params += [unit_id, severity, due_date, value]
            cursor.execute(_upsert_sql(len(chunk)), params)


@transaction.atomic
def rebuild(unit_ids: Iterable[int] | None = None) -> None:
    """Recount the cells of ``unit_ids`` (every unit when ``None``) from the findings: one
    ``DELETE`` and one ``INSERT … SELECT … GROUP BY``. After a bulk load that bypassed
    ``save()``."""
    from biys.secops.models import Finding, FindingDueCount

    quote = connection.ops.quote_name
    summary = quote(FindingDueCount._meta.db_table)
    findings = quote(Finding._meta.db_table)
    states = list(ACTIVE_STATES)
    where, params = "", []
    if unit_ids is not None:
        unit_ids = sorted(set(unit_ids))
        if not unit_ids:
            return
        where = f" AND unit_id IN ({', '.join(['%s'] * len(unit_ids))})"
        params = unit_ids
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers of findings add to the summary in their own transaction (``apply``):
            # wait for those under way, and hold new ones until this recount is committed, so
            # the recount sees their findings or they add to the recount, never both or
            # neither. (SQLite has one writer at a time already.)
            cursor.execute(f"LOCK TABLE {summary} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {summary} WHERE 1 = 1{where}", params)
        cursor.execute(
            f"INSERT INTO {summary} (unit_id, severity, due_date, count)"
            f" SELECT unit_id, severity, due_date, COUNT(*) FROM {findings}"
            f" WHERE state IN ({', '.join(['%s'] * len(states))}) AND due_date IS NOT NULL"
            f"{where} GROUP BY unit_id, severity, due_date",
            [*states, *params],
        )


def _after_delete(sender, instance, **kwargs):
    before = cell_of(instance)
    if before is not None:
        apply(change(before, None))


def connect() -> None:
    from biys.secops.models import Finding

    post_delete.connect(_after_delete, sender=Finding, dispatch_uid="finding-due-summary-delete")
