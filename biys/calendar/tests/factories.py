from datetime import date, timedelta
from itertools import count

import factory

from biys.calendar.choices import DeclaredDayKind
from biys.calendar.models import DeclaredDay
from biys.calendar.public_holidays import holidays_of_year
from biys.core.testing import register_factory

_offsets = count()


def _free_weekday() -> date:
    """A weekday far in the future that is no holiday and not yet declared."""
    while True:
        day = date(2040, 1, 2) + timedelta(days=next(_offsets))
        if (
            day.weekday() < 5
            and day not in holidays_of_year(day.year)
            and not DeclaredDay.objects.filter(date=day).exists()
        ):
            return day


class DeclaredDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeclaredDay

    date = factory.LazyFunction(_free_weekday)
    kind = DeclaredDayKind.FULL_DAY
    description = factory.Sequence(lambda n: f"İdari izin {n}")
    decision_reference = factory.Sequence(lambda n: f"Cumhurbaşkanlığı Genelgesi 2040/{n + 1}")


@register_factory(DeclaredDay)
def make_declared_day(unit=None) -> DeclaredDay:
    """Declared days belong to the whole municipality: the unit is ignored."""
    return DeclaredDayFactory()
