"""Tables of the BGYS lists (their columns are the CSV and Excel exports too)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.bgys.models import ApplicabilityEntry, Assessment, Framework, Measure, MeasureMapping
from biys.core.tables import BiysTable

STATE_COLOURS = {"fully": "green", "mostly": "teal", "partly": "orange", "none": "red"}


class FrameworkTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    measure_count = tables.Column(verbose_name=_("Measures"), orderable=False)

    class Meta(BiysTable.Meta):
        model = Framework
        fields = ("name", "version", "publisher", "licence", "measure_count", "loaded_at")


class MeasureTable(BiysTable):
    number = tables.Column(
        verbose_name=_("Number"), linkify=True, order_by=("framework", "position")
    )
    level = tables.Column(verbose_name=pgettext_lazy("bgys", "Level"))
    title = tables.Column(verbose_name=pgettext_lazy("bgys", "Title"), linkify=True)
    section = tables.Column(verbose_name=_("Section"), order_by=("section__position",))

    class Meta(BiysTable.Meta):
        model = Measure
        fields = ("number", "level", "title", "section", "framework")


class AssessmentTable(BiysTable):
    name = tables.Column(verbose_name=_("Asset group"), linkify=True)
    asset_group = tables.Column(verbose_name=_("Asset group heading"))
    score = tables.Column(verbose_name=_("Score"))
    level = tables.Column(verbose_name=_("Criticality level"))

    class Meta(BiysTable.Meta):
        model = Assessment
        fields = ("name", "asset_group", "unit", "score", "level", "assessed_on")


class ApplicabilityEntryTable(BiysTable):
    measure = tables.Column(
        verbose_name=_("Measure"),
        accessor="measure__number",
        linkify=lambda record: record.get_absolute_url(),
        order_by=("measure__framework", "measure__position"),
    )
    title = tables.Column(
        verbose_name=pgettext_lazy("bgys", "Title"), accessor="measure__title", orderable=False
    )
    level = tables.Column(verbose_name=pgettext_lazy("bgys", "Level"), accessor="measure__level")
    framework = tables.Column(
        verbose_name=_("Framework"), accessor="measure__framework", visible=False
    )
    applicable = tables.BooleanColumn(verbose_name=_("Applicable"))
    reason = tables.Column(verbose_name=_("Reason"), orderable=False)
    state = tables.Column(verbose_name=_("Implementation state"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__sort_name",))
    assessment = tables.Column(verbose_name=_("Asset group"))
    evidence_links = tables.Column(verbose_name=_("Evidence links"), orderable=False, visible=False)

    class Meta(BiysTable.Meta):
        model = ApplicabilityEntry
        fields = (
            "measure", "title", "level", "framework", "unit", "assessment", "applicable", "reason",
            "state", "owner", "evidence_links",
        )  # fmt: skip

    def render_state(self, value, record):
        if not record.state:
            return "—"
        colour = STATE_COLOURS.get(record.state, "secondary")
        return format_html(
            '<span class="badge bg-{}-lt">{}</span>', colour, record.get_state_display()
        )

    def value_state(self, value, record):
        return record.get_state_display()


class MeasureMappingTable(BiysTable):
    source = tables.Column(
        verbose_name=_("Measure"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("source__position",),
    )
    target = tables.Column(
        verbose_name=_("Corresponding measure"), linkify=True, order_by=("target__position",)
    )
    verified = tables.Column(verbose_name=_("Verified"), accessor="reference", orderable=False)

    class Meta(BiysTable.Meta):
        model = MeasureMapping
        fields = ("source", "target", "verified", "reference")

    def render_verified(self, value, record):
        if record.verified:
            return format_html('<span class="badge bg-green-lt">{}</span>', _("Verified"))
        return format_html('<span class="badge bg-orange-lt">{}</span>', _("Unverified"))

    def value_verified(self, value, record):
        return str(_("Verified") if record.verified else _("Unverified"))
