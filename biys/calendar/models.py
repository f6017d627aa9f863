from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from biys.calendar.choices import DeclaredDayKind
from biys.core.models import ChangeLoggedModel


class DeclaredDay(ChangeLoggedModel):
    """A day the government declared off (idari izin, bridge day), a half day, or a weekend day
    declared a working day to make up for a bridge day."""

    date = models.DateField(
        _("date"),
        unique=True,
        error_messages={"unique": _("This date has already been declared.")},
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=DeclaredDayKind.choices, default=DeclaredDayKind.FULL_DAY
    )
    description = models.CharField(
        _("description"), max_length=200, help_text=_("e.g. Ramazan Bayramı bridge day.")
    )
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=200,
        help_text=_("The government decision, e.g. Presidential Circular 2026/5."),
        error_messages={"blank": _("Enter the reference of the government decision.")},
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    visible_to_all_staff = True

    class Meta:
        ordering = ["date"]
        verbose_name = _("declared day")
        verbose_name_plural = _("declared days")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.description}"

    def clean(self):
        super().clean()
        if self.date is None or not self.kind:
            return
        from biys.calendar.public_holidays import public_holiday_name

        off_anyway = self.date.weekday() >= 5 or public_holiday_name(self.date) is not None
        if self.kind == DeclaredDayKind.WORKING_DAY and not off_anyway:
            raise ValidationError(
                {"date": _("Only a weekend day or a public holiday can be declared a working day.")}
            )
        if self.kind != DeclaredDayKind.WORKING_DAY and off_anyway:
            raise ValidationError(
                {"date": _("This day is already a weekend day or a public holiday.")}
            )
