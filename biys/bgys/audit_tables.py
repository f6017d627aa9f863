"""Tables of the internal audit lists (their columns are the CSV and Excel exports too)."""

from functools import cached_property

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.bgys import cells
from biys.bgys.audit_models import (
    Audit,
    AuditPlan,
    ChecklistItem,
    CorrectiveAction,
    CorrectiveState,
    Finding,
    FindingKind,
    ManagementReview,
    ReviewAction,
)
from biys.core.html import ChoiceBadges
from biys.core.tables import BiysTable

RESULT_COLOURS = {"conforming": "green", "nonconforming": "red", "not_applicable": "secondary"}
KIND_COLOURS = {"major": "red", "minor": "orange", "observation": "azure", "opportunity": "teal"}
STATE_COLOURS = {"open": "orange", "implemented": "azure", "verified": "teal", "closed": "green"}


def badge(colour: str, text) -> str:
    return format_html('<span class="badge bg-{}-lt">{}</span>', colour, text)


# A list shows one of each per row: the same few badges, built once per value and language.
_KIND_BADGES = ChoiceBadges(FindingKind, KIND_COLOURS)
_STATE_BADGES = ChoiceBadges(CorrectiveState, STATE_COLOURS)


def kind_badge(finding):
    return _KIND_BADGES(finding.kind)


def state_badge(action):
    return _STATE_BADGES(action.state)


class AuditPlanTable(BiysTable):
    title = tables.Column(verbose_name=pgettext_lazy("bgys", "Title"), linkify=True)
    year = tables.Column(verbose_name=_("Year"))

    class Meta(BiysTable.Meta):
        model = AuditPlan
        fields = ("year", "title", "unit")


class AuditTable(BiysTable):
    title = tables.Column(verbose_name=pgettext_lazy("bgys", "Title"), linkify=True)
    state = tables.Column(verbose_name=_("State"))
    planned_start = tables.Column(verbose_name=_("Planned start"))
    planned_end = tables.Column(verbose_name=_("Planned end"))
    lead_auditor = tables.Column(
        verbose_name=_("Lead auditor"), order_by=("lead_auditor__sort_name",)
    )

    class Meta(BiysTable.Meta):
        model = Audit
        fields = ("title", "unit", "plan", "planned_start", "planned_end", "lead_auditor", "state")

    def value_state(self, value, record):
        return record.get_state_display()

    # The rows' cells (``biys.core.tables.render_rows``): the text the columns above render.
    @cached_property
    def urls(self):
        return cells.object_urls(Audit)

    @cached_property
    def state_labels(self) -> dict:
        return cells.labels(Audit, "state")

    def cell_title(self, record):
        title = record.title
        return None if title in cells.EMPTY else cells.linked(self.urls(record.pk), title)

    def cell_unit(self, record):
        return cells.related(record.unit)

    def cell_plan(self, record):
        return cells.related(record.plan)

    def cell_planned_start(self, record):
        return cells.day(record.planned_start)

    def cell_planned_end(self, record):
        return cells.day(record.planned_end)

    def cell_lead_auditor(self, record):
        return cells.related(record.lead_auditor)

    def cell_state(self, record):
        return cells.label(self.state_labels, record.state)


class ChecklistItemTable(BiysTable):
    measure = tables.Column(
        verbose_name=_("Measure"),
        accessor="measure__number",
        linkify=lambda record: record.get_absolute_url(),
        order_by=("audit", "position"),
    )
    title = tables.Column(
        verbose_name=pgettext_lazy("bgys", "Title"), accessor="measure__title", orderable=False
    )
    level = tables.Column(verbose_name=pgettext_lazy("bgys", "Level"), accessor="measure__level")
    audit = tables.Column(verbose_name=_("Internal audit"), order_by=("audit__title",))
    result = tables.Column(verbose_name=_("Result"))
    notes = tables.Column(verbose_name=_("Notes"), orderable=False)

    class Meta(BiysTable.Meta):
        model = ChecklistItem
        fields = ("measure", "title", "level", "audit", "result", "notes")

    def render_result(self, value, record):
        if not record.result:
            return badge("secondary", record.get_result_display())
        return badge(RESULT_COLOURS.get(record.result, "secondary"), record.get_result_display())

    def value_result(self, value, record):
        return record.get_result_display()


class FindingTable(BiysTable):
    number = tables.Column(verbose_name=_("Number"), linkify=True, order_by=("audit", "number"))
    kind = tables.Column(verbose_name=_("Kind"))
    measure = tables.Column(
        verbose_name=_("Measure"), accessor="measure__number", order_by=("measure__position",)
    )
    audit = tables.Column(verbose_name=_("Internal audit"), order_by=("audit__title",))
    description = tables.Column(verbose_name=_("Description"), orderable=False)

    class Meta(BiysTable.Meta):
        model = Finding
        fields = ("number", "audit", "kind", "measure", "unit", "description")

    def render_kind(self, value, record):
        return kind_badge(record)

    def value_kind(self, value, record):
        return record.get_kind_display()

    # The rows' cells (``biys.core.tables.render_rows``): the text the columns above render.
    @cached_property
    def urls(self):
        return cells.object_urls(Finding)

    def cell_number(self, record):
        number = record.number
        return None if number in cells.EMPTY else cells.linked(self.urls(record.pk), number)

    def cell_audit(self, record):
        return cells.related(record.audit)

    def cell_kind(self, record):
        return None if record.kind in cells.EMPTY else kind_badge(record)

    def cell_measure(self, record):
        return cells.text(record.measure.number)

    def cell_unit(self, record):
        return cells.related(record.unit)

    def cell_description(self, record):
        return cells.text(record.description)


class CorrectiveActionTable(BiysTable):
    id = tables.Column(
        verbose_name=_("Corrective action"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("id",),
    )
    finding = tables.Column(
        verbose_name=_("Finding"), accessor="finding__description", orderable=False
    )
    audit = tables.Column(
        verbose_name=_("Internal audit"),
        accessor="finding__audit",
        order_by=("finding__audit__title",),
    )
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__sort_name",))
    due_date = tables.Column(verbose_name=_("Due date"))
    state = tables.Column(verbose_name=_("State"))

    class Meta(BiysTable.Meta):
        model = CorrectiveAction
        fields = ("id", "finding", "audit", "unit", "owner", "due_date", "state")

    def render_id(self, value, record):
        return str(record)

    @cached_property
    def today(self):
        return timezone.localdate()

    def render_due_date(self, value, record):
        from biys.core.dates import format_datetime

        text = format_datetime(record.due_date, "SHORT_DATE_FORMAT")
        overdue = (
            record.state in (CorrectiveState.OPEN, CorrectiveState.IMPLEMENTED)
            and record.due_date < self.today
        )
        return cells.badge("red", text) if overdue else text

    def render_state(self, value, record):
        return state_badge(record)

    # The rows' cells (``biys.core.tables.render_rows``): the text the columns above render.
    @cached_property
    def urls(self):
        return cells.object_urls(CorrectiveAction)

    @cached_property
    def id_text(self) -> str:
        """``CorrectiveAction.__str__``'s text, translated once for the page."""
        return str(_("Corrective action %(number)s"))

    @cached_property
    def due_cells(self) -> dict:
        """(due date, overdue) -> the cell, for this page."""
        return {}

    def cell_id(self, record):
        if record.id is None:
            return None
        return cells.linked(self.urls(record.pk), self.id_text % {"number": record.pk})

    def cell_finding(self, record):
        return cells.text(record.finding.description)

    def cell_audit(self, record):
        return cells.related(record.finding.audit)

    def cell_unit(self, record):
        return cells.related(record.unit)

    def cell_owner(self, record):
        return cells.related(record.owner)

    def cell_due_date(self, record):
        due = record.due_date
        if due is None:
            return None
        key = (due, record.state in (CorrectiveState.OPEN, CorrectiveState.IMPLEMENTED))
        text = self.due_cells.get(key)
        if text is None:
            text = self.due_cells[key] = self.render_due_date(None, record)
        return text

    def cell_state(self, record):
        return None if record.state in cells.EMPTY else state_badge(record)

    def value_state(self, value, record):
        return record.get_state_display()


class ManagementReviewTable(BiysTable):
    title = tables.Column(verbose_name=pgettext_lazy("bgys", "Title"), linkify=True)
    held_on = tables.Column(verbose_name=_("Date"))

    class Meta(BiysTable.Meta):
        model = ManagementReview
        fields = ("title", "held_on", "unit")


class ReviewActionTable(BiysTable):
    description = tables.Column(verbose_name=_("Description"), linkify=True, orderable=False)
    review = tables.Column(verbose_name=_("Management review"), order_by=("review__held_on",))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__sort_name",))
    due_date = tables.Column(verbose_name=_("Due date"))
    done_on = tables.Column(verbose_name=_("Done on"))

    class Meta(BiysTable.Meta):
        model = ReviewAction
        fields = ("description", "review", "owner", "due_date", "done_on")
