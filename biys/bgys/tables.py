"""Tables of the BGYS lists (their columns are the CSV and Excel exports too)."""

from functools import cached_property

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.bgys import cells
from biys.bgys.models import (
    ApplicabilityEntry,
    Assessment,
    Framework,
    ImplementationState,
    InformationAsset,
    Measure,
    MeasureMapping,
    Methodology,
    Risk,
    Threat,
    Vulnerability,
)
from biys.core.html import ChoiceBadges
from biys.core.tables import BiysTable

STATE_COLOURS = {"fully": "green", "mostly": "teal", "partly": "orange", "none": "red"}
# A list shows one per row: the same few badges, built once per value and language.
_STATE_BADGES = ChoiceBadges(ImplementationState, STATE_COLOURS)


def state_badge(entry):
    """An SoA entry's implementation state ("—" when not assessed)."""
    if not entry.state:
        return "—"
    return _STATE_BADGES(entry.state)


# BooleanColumn's cells (``<span class="true">✔</span>``), built once.
APPLICABLE_CELLS = {
    True: format_html('<span class="{}">{}</span>', "true", "✔"),
    False: format_html('<span class="{}">{}</span>', "false", "✘"),
}


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
        return state_badge(record)

    def value_state(self, value, record):
        return record.get_state_display()

    # The rows' cells (``biys.core.tables.render_rows``): the text the columns above render.
    @cached_property
    def urls(self):
        return cells.object_urls(ApplicabilityEntry)

    @cached_property
    def level_labels(self) -> dict:
        return cells.labels(Measure, "level")

    def cell_measure(self, record):
        number = record.measure.number
        return None if number in cells.EMPTY else cells.linked(self.urls(record.pk), number)

    def cell_title(self, record):
        return cells.text(record.measure.title)

    def cell_level(self, record):
        return cells.label(self.level_labels, record.measure.level)

    def cell_unit(self, record):
        return cells.related(record.unit)

    def cell_assessment(self, record):
        return cells.related(record.assessment)

    def cell_applicable(self, record):
        return APPLICABLE_CELLS[bool(record.applicable)]

    def cell_reason(self, record):
        return cells.text(record.reason)

    def cell_state(self, record):
        return state_badge(record)

    def cell_owner(self, record):
        return cells.related(record.owner)


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


class InformationAssetTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    asset_group = tables.Column(verbose_name=_("Asset group heading"))
    confidentiality = tables.Column(
        verbose_name=pgettext_lazy("bgys", "C"), attrs={"th": {"title": _("Confidentiality")}}
    )
    integrity = tables.Column(
        verbose_name=pgettext_lazy("bgys", "I"), attrs={"th": {"title": _("Integrity")}}
    )
    availability = tables.Column(
        verbose_name=pgettext_lazy("bgys", "A"), attrs={"th": {"title": _("Availability")}}
    )
    owner = tables.Column(verbose_name=_("Asset owner"), order_by=("owner__sort_name",))

    class Meta(BiysTable.Meta):
        model = InformationAsset
        fields = (
            "name", "kind", "unit", "asset_group", "confidentiality", "integrity", "availability",
            "owner",
        )  # fmt: skip

    def render_confidentiality(self, value, record):
        return record.confidentiality

    def render_integrity(self, value, record):
        return record.integrity

    def render_availability(self, value, record):
        return record.availability

    # The rows' cells (``biys.core.tables.render_rows``): the text the columns above render
    # (a rating is 1-5: its number as the template shows it).
    @cached_property
    def urls(self):
        return cells.object_urls(InformationAsset)

    @cached_property
    def kind_labels(self) -> dict:
        return cells.labels(InformationAsset, "kind")

    def cell_name(self, record):
        name = record.name
        return None if name in cells.EMPTY else cells.linked(self.urls(record.pk), name)

    def cell_kind(self, record):
        return cells.label(self.kind_labels, record.kind)

    def cell_unit(self, record):
        return cells.related(record.unit)

    def cell_asset_group(self, record):
        return cells.related(record.asset_group)

    def cell_confidentiality(self, record):
        return str(record.confidentiality)

    def cell_integrity(self, record):
        return str(record.integrity)

    def cell_availability(self, record):
        return str(record.availability)

    def cell_owner(self, record):
        return cells.related(record.owner)


class CatalogueTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    description = tables.Column(verbose_name=_("Description"), orderable=False)


class ThreatTable(CatalogueTable):
    class Meta(BiysTable.Meta):
        model = Threat
        fields = ("name", "description")


class VulnerabilityTable(CatalogueTable):
    class Meta(BiysTable.Meta):
        model = Vulnerability
        fields = ("name", "description")


class MethodologyTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    appetite = tables.Column(verbose_name=_("Risk appetite"))
    is_default = tables.BooleanColumn(verbose_name=_("Default"))

    class Meta(BiysTable.Meta):
        model = Methodology
        fields = ("name", "appetite", "is_default")


def score_badge(score, above: bool):
    if score is None:
        return "—"
    colour = "red" if above else "green"
    return format_html('<span class="badge bg-{}-lt">{}</span>', colour, score)


class RiskTable(BiysTable):
    asset = tables.Column(
        verbose_name=_("Information asset"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("asset__name",),
    )
    unit = tables.Column(verbose_name=_("Unit"), accessor="asset__unit", orderable=False)
    threat = tables.Column(verbose_name=_("Threat"), order_by=("threat__name",))
    vulnerability = tables.Column(
        verbose_name=_("Vulnerability"), order_by=("vulnerability__name",)
    )
    likelihood = tables.Column(verbose_name=_("Likelihood"), visible=False)
    impact = tables.Column(verbose_name=_("Impact"), visible=False)
    inherent_score = tables.Column(verbose_name=_("Inherent score"))
    treatment = tables.Column(verbose_name=_("Treatment"))
    owner = tables.Column(verbose_name=_("Risk owner"), order_by=("owner__sort_name",))
    due_date = tables.Column(verbose_name=_("Due date"))
    residual_likelihood = tables.Column(verbose_name=_("Residual likelihood"), visible=False)
    residual_impact = tables.Column(verbose_name=_("Residual impact"), visible=False)
    residual_score = tables.Column(verbose_name=_("Residual score"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta(BiysTable.Meta):
        model = Risk
        fields = (
            "asset", "unit", "threat", "vulnerability", "likelihood", "impact", "inherent_score",
            "treatment", "owner", "due_date", "residual_likelihood", "residual_impact",
            "residual_score", "status",
        )  # fmt: skip

    def render_inherent_score(self, value, record):
        return score_badge(record.inherent_score, record.above_appetite)

    def value_inherent_score(self, value, record):
        return record.inherent_score

    def render_residual_score(self, value, record):
        return score_badge(record.residual_score, record.residual_above_appetite)

    def value_residual_score(self, value, record):
        return "" if record.residual_score is None else record.residual_score

    def value_treatment(self, value, record):
        return record.get_treatment_display()

    def value_status(self, value, record):
        return record.get_status_display()
