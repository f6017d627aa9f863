from django.db import models
from django.utils.translation import gettext_lazy as _


class DeclaredDayKind(models.TextChoices):
    FULL_DAY = "full_day", _("Non-working day")
    HALF_DAY = "half_day", _("Half day")
    WORKING_DAY = "working_day", _("Extra working day")


class DayKind(models.TextChoices):
    """How one calendar day is worked, after every rule has been applied."""

    WORKING = "working", _("Working day")
    HALF_DAY = "half_day", _("Half day")
    WEEKEND = "weekend", _("Weekend")
    HOLIDAY = "holiday", _("Public holiday")
    DECLARED = "declared", _("Declared non-working day")


class CalendarMode(models.TextChoices):
    """How a duration is measured: the service desk chooses per SLA."""

    OFFICE_HOURS = "office_hours", _("Office hours")
    ROUND_THE_CLOCK = "round_the_clock", _("Round the clock (24/7)")
