"""Official numbers: unique, per year where wanted, never duplicated and never skipped.

The counter row is incremented with an UPDATE inside the caller's transaction, so concurrent
writers queue on the row lock, and a rolled-back transaction gives its number back.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
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


@transaction.atomic(savepoint=False)
def next_number(name: str, *, at: datetime | None = None, template: str = "", **extra) -> str:
    """The next number of the sequence ``name``; with ``template`` the sequence is created on
    first use. Two queries once the year's counter exists: lock it, store the new value."""
    moment = timezone.localtime(at or timezone.now())
    counter = (
        SequenceCounter.objects.select_for_update()
        .select_related("sequence")
        .filter(sequence__name=name)
        .filter(Q(sequence__yearly=True, year=moment.year) | Q(sequence__yearly=False, year=0))
        .first()
    )
    if counter is None:
        if template:
            sequence = ensure_sequence(name=name, template=template)
        else:
            sequence = Sequence.objects.get(name=name)
        created = _counter_for(sequence, moment.year if sequence.yearly else 0)
        counter = SequenceCounter.objects.select_for_update().select_related("sequence")
        counter = counter.get(pk=created.pk)
    # The row lock is held until the caller's transaction ends, so the value read is current.
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.sequence.template.format(year=moment.year, seq=counter.value, **extra)
