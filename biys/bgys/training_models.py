"""Awareness training of the BGYS (kocaeli MADDE 4 (y): every member of staff at least once a
year): the sessions held, with their topic, trainer and materials (attachments), and who
attended. Who has not been trained in the last twelve months is read in ``training_selectors``;
every write is in ``training_services``."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.models import ChangeLoggedModel


class TrainingSession(ChangeLoggedModel):
    """One awareness training session: when, on what, by whom; its materials are attachments."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit whose BGYS team keeps the record; it decides who changes it."),
    )
    title = models.CharField(pgettext_lazy("bgys", "title"), max_length=200)
    topic = models.TextField(_("topics"), blank=True)
    held_on = models.DateField(_("held on"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)

    scope_path = "unit"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("awareness training session")
        verbose_name_plural = _("awareness training sessions")

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y} {self.title}"

    def clean(self):
        super().clean()
        if self.duration_minutes is not None and not 5 <= self.duration_minutes <= 1440:
            raise ValidationError({"duration_minutes": _("Give from 5 to 1440 minutes.")})


class TrainingAttendance(ChangeLoggedModel):
    """A member of staff who attended a session, with their quiz score when one was given."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("awareness training session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    person = models.ForeignKey(
        "org.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    quiz_score = models.PositiveSmallIntegerField(
        _("quiz score"), null=True, blank=True, help_text=_("Out of 100, when a quiz was given.")
    )

    scope_path = "session__unit"

    class Meta:
        ordering = ["session", "person__sort_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="bgys_training_once")
        ]
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")

    def __str__(self) -> str:
        return f"{self.person} — {self.session}"

    def clean(self):
        super().clean()
        if self.quiz_score is not None and self.quiz_score > 100:
            raise ValidationError({"quiz_score": _("Give a score from 0 to 100.")})
