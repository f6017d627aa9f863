"""Tables of the application lists. The deadline clock is computed on the working calendar
the view hands over (one per request), never one query per row."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from biys.applications import selectors
from biys.applications.models import Application, ApplicationType
from biys.core.tables import BiysTable


def clock_label(clock) -> str:
    if clock.state == "late":
        return _g("%(n)s working days late") % {"n": clock.late_by} if clock.late_by else _g("Late")
    if clock.state == "today":
        return _g("Due today")
    if clock.state in ("soon", "ok"):
        return _g("%(n)s working days left") % {"n": clock.left}
    if clock.state == "done_late":
        return _g("Answered late")
    return _g("Answered on time")


def clock_badge(clock) -> str:
    return format_html(
        '<span class="badge bg-{}-lt" title="{}">{} · {}</span>',
        clock.colour,
        clock.due.strftime("%d.%m.%Y"),
        clock.due.strftime("%d.%m.%Y"),
        clock_label(clock),
    )


class ApplicationTypeTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    unit = tables.Column(verbose_name=_("Responsible unit"))

    class Meta(BiysTable.Meta):
        model = ApplicationType
        fields = ("name", "code", "law", "legal_article", "period", "period_unit",
                  "extended_period", "unit", "citations", "active")  # fmt: skip


class ApplicationTable(BiysTable):
    number = tables.Column(verbose_name=_("Number"), linkify=True)
    subject = tables.Column(verbose_name=_("Subject"))
    type = tables.Column(verbose_name=_("Type"), order_by=("type__name",))
    responsible_unit = tables.Column(
        verbose_name=_("Responsible unit"), order_by=("responsible_unit__name",)
    )
    due_date = tables.Column(verbose_name=_("Legal deadline"))
    state = tables.Column(verbose_name=_("State"))

    class Meta(BiysTable.Meta):
        model = Application
        fields = ("number", "received_on", "channel", "applicant_name", "subject", "type",
                  "responsible_unit", "due_date", "state")  # fmt: skip

    def __init__(self, *args, calendar=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar, self.today = calendar, today

    def render_due_date(self, value, record):
        if self.calendar is None:
            return value.strftime("%d.%m.%Y")
        return clock_badge(selectors.clock(record, calendar=self.calendar, day=self.today))

    def value_due_date(self, value, record):
        return value

    def render_state(self, value, record):
        return record.get_state_display()

    def value_state(self, value, record):
        return record.get_state_display()
