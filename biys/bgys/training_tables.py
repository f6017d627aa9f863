"""Tables of the awareness training lists (their columns are the CSV and Excel exports too)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.bgys.training_models import TrainingAttendance, TrainingSession
from biys.core.tables import BiysTable


class TrainingSessionTable(BiysTable):
    title = tables.Column(verbose_name=pgettext_lazy("bgys", "Title"), linkify=True)
    held_on = tables.Column(verbose_name=_("Held on"))
    trainer = tables.Column(verbose_name=_("Trainer"))

    class Meta(BiysTable.Meta):
        model = TrainingSession
        fields = ("title", "held_on", "trainer", "unit")


class TrainingAttendanceTable(BiysTable):
    person = tables.Column(
        verbose_name=_("Person"), linkify=lambda record: record.get_absolute_url(),
        order_by=("person__sort_name",),
    )  # fmt: skip
    session = tables.Column(verbose_name=_("Session"), order_by=("session__held_on",))
    quiz_score = tables.Column(verbose_name=_("Quiz score"))

    class Meta(BiysTable.Meta):
        model = TrainingAttendance
        fields = ("person", "session", "quiz_score")


class UntrainedTable(tables.Table):
    """The staff not trained in the last twelve months (the CSV)."""

    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name")
    person = tables.Column(verbose_name=_("Person"), accessor="pk", empty_values=())
    sicil_no = tables.Column(verbose_name=pgettext_lazy("person", "Registry number"))
    last_trained_on = tables.Column(verbose_name=_("Last trained on"))

    class Meta:
        fields = ("unit", "person", "sicil_no", "last_trained_on")

    def value_person(self, value, record):
        return str(record)
