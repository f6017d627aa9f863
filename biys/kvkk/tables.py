"""Tables of the KVKK lists (their columns are the CSV and Excel exports too)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.tables import BiysTable
from biys.kvkk import selectors
from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest

STATE_COLOURS = {"received": "blue", "in_progress": "orange", "answered": "green"}


class ListItemTable(BiysTable):
    name = tables.Column(verbose_name=pgettext_lazy("list item", "Name"), linkify=True)

    class Meta(BiysTable.Meta):
        model = ListItem
        fields = ("kind", "code", "name", "special", "position", "active")


class ProcessingActivityTable(BiysTable):
    name = tables.Column(verbose_name=_("Processing activity"), linkify=True)
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__name",))
    categories = tables.Column(verbose_name=_("Data categories"), accessor="pk", orderable=False)

    class Meta(BiysTable.Meta):
        model = ProcessingActivity
        fields = ("name", "unit", "categories", "retention_period", "transfer_abroad", "active")

    def _names(self, record) -> str:
        return ", ".join(item.name for item in record.data_categories.all())

    def render_categories(self, value, record):
        special = [item for item in record.data_categories.all() if item.special]
        text = self._names(record)
        if special:
            return format_html(
                '{} <span class="badge bg-red-lt">{}</span>', text, _("special category")
            )
        return text

    def value_categories(self, value, record):
        return self._names(record)


class SubjectRequestTable(BiysTable):
    number = tables.Column(verbose_name=pgettext_lazy("kvkk", "Request number"), linkify=True)
    right = tables.Column(verbose_name=pgettext_lazy("kvkk", "Request"))
    state = tables.Column(verbose_name=_("Request state"))
    received_on = tables.DateColumn(verbose_name=_("Received on"), format="d.m.Y")
    due_date = tables.DateColumn(verbose_name=_("Answer by"), format="d.m.Y")
    unit = tables.Column(verbose_name=_("Assigned unit"), order_by=("unit__name",))
    applicant_name = tables.Column(verbose_name=_("Applicant"))

    class Meta(BiysTable.Meta):
        model = SubjectRequest
        fields = ("number", "right", "applicant_name", "state", "received_on", "due_date",
                  "unit", "assignee")  # fmt: skip

    def render_state(self, value, record):
        return format_html(
            '<span class="badge bg-{}-lt">{}</span>',
            STATE_COLOURS.get(record.state, "secondary"),
            record.get_state_display(),
        )

    def value_state(self, value, record):
        return record.get_state_display()

    def render_due_date(self, value, record):
        left = selectors.days_left(record)
        text = value.strftime("%d.%m.%Y")
        if left is None:
            return text
        colour = "red" if left < 0 else ("orange" if left <= 7 else "secondary")
        label = (
            _("%(days)s days late") % {"days": -left}
            if left < 0
            else (_("%(days)s days left") % {"days": left})
        )
        return format_html('{} <span class="badge bg-{}-lt">{}</span>', text, colour, label)

    def value_due_date(self, value, record):
        return value
