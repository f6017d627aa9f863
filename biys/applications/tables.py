"""Tables of the application lists. The deadline clock is computed on the working calendar
the view hands over (one per request), never one query per row."""

import django_tables2 as tables
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from biys.applications import selectors
from biys.applications.models import Application, ApplicationType
from biys.core.models import choice_labels
from biys.core.tables import BiysTable
from biys.core.urlcache import pk_urls


def clock_label(clock) -> str:
    if clock.state == "late":
        if not clock.late_by:
            return gettext("Late")
        return ngettext("%(n)s working day late", "%(n)s working days late", clock.late_by) % {
            "n": clock.late_by
        }
    if clock.state == "today":
        return gettext("Due today")
    if clock.state in ("soon", "ok"):
        return ngettext("%(n)s working day left", "%(n)s working days left", clock.left) % {
            "n": clock.left
        }
    if clock.state == "done_late":
        return gettext("Answered late")
    return gettext("Answered on time")


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
        # The deadline clock next to the number, so it shows on a narrow screen too.
        fields = ("number", "due_date", "subject", "type", "responsible_unit", "state",
                  "received_on", "channel", "applicant_name")  # fmt: skip

    def __init__(self, *args, calendar=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar, self.today = calendar, today

    def render_due_date(self, value, record):
        if self.calendar is None:
            return value.strftime("%d.%m.%Y")
        return clock_badge(selectors.clock(record, calendar=self.calendar, day=self.today))

    def value_due_date(self, value, record):
        return value

    def value_state(self, value, record):
        return record.get_state_display()

    # The rows' cells (``biys.core.tables.render_rows``): the text the columns above render,
    # built straight from the record (``None``: the column's default; plain text is escaped by
    # the row renderer), the list reading its page as plain rows (``read_rows``).
    @cached_property
    def urls(self):
        return pk_urls("applications:application")

    @cached_property
    def state_labels(self) -> dict:
        return choice_labels(Application._meta.get_field("state"))

    @cached_property
    def channel_labels(self) -> dict:
        return choice_labels(Application._meta.get_field("channel"))

    @cached_property
    def clocks(self) -> dict:
        """(state, due date, answered on) -> the clock's badge, for this page."""
        return {}

    def cell_number(self, record):
        number = record.number
        return (
            None
            if number in EMPTY
            else format_html('<a href="{}">{}</a>', self.urls(record.pk), number)
        )

    def cell_due_date(self, record):
        due = record.due_date
        if due is None:
            return None
        key = (record.state, due, record.answered_on)
        badge = self.clocks.get(key)
        if badge is None:
            badge = self.clocks[key] = self.render_due_date(due, record)
        return badge

    def cell_subject(self, record):
        return None if record.subject in EMPTY else record.subject

    def cell_type(self, record):
        kind = record.type
        return None if kind is None else str(kind)

    def cell_responsible_unit(self, record):
        unit = record.responsible_unit
        return None if unit is None else str(unit)

    def cell_state(self, record):
        shown = self.state_labels.get(record.state, record.state)
        return None if shown in EMPTY else shown

    def cell_channel(self, record):
        shown = self.channel_labels.get(record.channel, record.channel)
        return None if shown in EMPTY else shown

    def cell_applicant_name(self, record):
        return None if record.applicant_name in EMPTY else record.applicant_name


EMPTY = (None, "")
