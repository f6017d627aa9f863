"""Official numbers: unique, per year where wanted, never duplicated and never skipped.

The counter row is incremented with an UPDATE inside the caller's transaction, so concurrent
writers queue on the row lock, and a rolled-back transaction gives its number back. That row (one
per sequence and year) is the only lock numbering takes.
"""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from biys.core.models import Sequence, SequenceCounter


def ensure_sequence(*, name: str, template: str, yearly: bool = True) -> Sequence:
    sequence, _ = Sequence.objects.get_or_create(
        name=name, defaults={"template": template, "yearly": yearly}
    )
    return sequence


def _counter_for(sequence: Sequence, year: int) -> SequenceCounter:
    counter = SequenceCounter.objects.filter(sequence=sequence, year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            return SequenceCounter.objects.create(sequence=sequence, year=year, value=0)
    except IntegrityError:  # another writer created it first
        return SequenceCounter.objects.get(sequence=sequence, year=year)


def _take(name: str, year: int, count: int = 1) -> tuple[int, str] | None:
    """Move the counter of ``name`` for ``year`` (its never-restarting counter, year 0, for
    a sequence that is not yearly) on by ``count`` in one statement: the UPDATE takes the row
    lock, RETURNING gives the new value (the last one taken). ``None`` when the counter row
    does not exist yet."""
    counter, sequence = SequenceCounter._meta.db_table, Sequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{counter}" SET "value" = "value" + %s '
            f'WHERE "id" = (SELECT c."id" FROM "{counter}" c JOIN "{sequence}" s '
            f'ON s."id" = c."sequence_id" WHERE s."name" = %s '
            f'AND c."year" = CASE WHEN s."yearly" THEN %s ELSE 0 END) '
            f'RETURNING "value", (SELECT "template" FROM "{sequence}" s '
            f'WHERE s."id" = "{counter}"."sequence_id")',
            [count, name, year],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


@transaction.atomic(savepoint=False)
def next_number(name: str, *, at: datetime | None = None, template: str = "", **extra) -> str:
    """The next number of the sequence ``name``; with ``template`` the sequence is created on
    first use. One statement once the year's counter exists (an UPDATE ... RETURNING); its row
    lock is held until the caller's transaction ends, so concurrent writers queue on it and a
    rolled-back transaction gives its number back. Take it as late in the transaction as the
    caller can: every writer of the sequence waits for the holder's commit."""
    return next_numbers(name, 1, at=at, template=template, **extra)[0]


@transaction.atomic(savepoint=False)
def next_numbers(
    name: str, count: int, *, at: datetime | None = None, template: str = "", **extra
) -> list[str]:
    """``count`` consecutive numbers of the sequence ``name`` taken in one statement (a bulk
    registration), with the same lock and give-back on rollback as ``next_number``."""
    if count < 1:
        return []
    moment = timezone.localtime(at or timezone.now())
    taken = _take(name, moment.year, count)
    if taken is None:
        if template:
            sequence = ensure_sequence(name=name, template=template)
        else:
            sequence = Sequence.objects.get(name=name)
        _counter_for(sequence, moment.year if sequence.yearly else 0)
        taken = _take(name, moment.year, count)
    last, template_text = taken
    return [
        template_text.format(year=moment.year, seq=value, **extra)
        for value in range(last - count + 1, last + 1)
    ]
