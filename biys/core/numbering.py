"""Official numbers: unique, per year where wanted, never duplicated and never skipped.

The counter row is incremented with an UPDATE inside the caller's transaction, so concurrent
writers queue on the row lock, and a rolled-back transaction gives its number back.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
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


@transaction.atomic
def next_number(name: str, *, at: datetime | None = None, **extra) -> str:
    sequence = Sequence.objects.get(name=name)
    year = timezone.localtime(at or timezone.now()).year if sequence.yearly else 0
    counter = _counter_for(sequence, year)
    SequenceCounter.objects.filter(pk=counter.pk).update(value=F("value") + 1)
    value = SequenceCounter.objects.values_list("value", flat=True).get(pk=counter.pk)
    return sequence.template.format(
        year=year or timezone.localtime(at or timezone.now()).year, seq=value, **extra
    )
