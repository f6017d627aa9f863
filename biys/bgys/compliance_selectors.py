"""Reads of the compliance dashboard: for one framework (the national guide by default), the
Statement of Applicability counted per asset group and measure level and per unit, with the
information assets per asset group and the open corrective actions (DÖF) per unit.

Every figure is a ``GROUP BY`` over the rows the user may see: the number of queries does not
depend on how many entries, assets, audits or units there are."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from biys.bgys.frameworks import GUIDE_SLUG
from biys.bgys.models import (
    ApplicabilityEntry,
    AssetGroup,
    CorrectiveAction,
    CorrectiveState,
    Framework,
    ImplementationState,
    InformationAsset,
)
from biys.core.access import get_scope

VIEW = "bgys.view_applicabilityentry"
LEVELS = (1, 2, 3, None)

_APPLICABLE = Q(applicable=True)
# Annotated as n_*: an annotation named like the field ``applicable`` would shadow it.
COUNTS = {
    "n_applicable": Count("pk", filter=_APPLICABLE),
    "n_fully": Count("pk", filter=_APPLICABLE & Q(state=ImplementationState.FULLY)),
    "n_partly": Count(
        "pk",
        filter=_APPLICABLE & Q(state__in=[ImplementationState.MOSTLY, ImplementationState.PARTLY]),
    ),
    "n_none": Count("pk", filter=_APPLICABLE & Q(state=ImplementationState.NONE)),
    "n_not_applicable": Count("pk", filter=Q(applicable=False)),
}
OPEN_DOF = [CorrectiveState.OPEN, CorrectiveState.IMPLEMENTED]


def may_see(user) -> bool:
    return get_scope(user).has_perm(VIEW)


@dataclass
class Tally:
    """SoA entries of a cell: applicable ones by implementation state, and those not
    applicable. ``rate`` is the share of the applicable ones fully implemented."""

    applicable: int = 0
    fully: int = 0
    partly: int = 0
    none: int = 0
    not_applicable: int = 0

    @property
    def not_assessed(self) -> int:
        return self.applicable - self.fully - self.partly - self.none

    @property
    def rate(self) -> int | None:
        return round(100 * self.fully / self.applicable) if self.applicable else None

    def add(self, other: "Tally") -> None:
        for name in ("applicable", "fully", "partly", "none", "not_applicable"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            "applicable": self.applicable,
            "fully": self.fully,
            "partly": self.partly,
            "none": self.none,
            "not_assessed": self.not_assessed,
            "not_applicable": self.not_applicable,
            "rate": self.rate,
        }


def _tally(row: dict) -> Tally:
    return Tally(**{name.removeprefix("n_"): row[name] for name in COUNTS})


@dataclass
class GroupRow:
    """An asset group heading of the framework (``group_id`` None: entries for a whole unit),
    its information assets and its entries per measure level."""

    group_id: int | None
    name: str
    assets: int = 0
    levels: dict = field(default_factory=dict)  # level -> Tally
    total: Tally = field(default_factory=Tally)


@dataclass
class UnitRow:
    unit_id: int
    name: str
    path: str
    tally: Tally = field(default_factory=Tally)
    open_actions: int = 0
    overdue_actions: int = 0


def default_framework(frameworks: list[Framework]) -> Framework | None:
    """The national guide (its latest version) when it is loaded, else the first framework."""
    guides = [f for f in frameworks if f.slug == GUIDE_SLUG]
    if guides:
        return max(guides, key=lambda f: f.loaded_at)
    return frameworks[0] if frameworks else None


def compliance(user, framework: Framework, today: date | None = None) -> dict:
    """The dashboard's figures for ``framework`` over what ``user`` may see, in five queries:
    the entries per asset group and level, per unit (with the unit's name), the framework's
    asset groups, the information assets per asset group, the corrective actions per unit."""
    today = today or timezone.localdate()
    entries = (
        ApplicabilityEntry.objects.restrict(user, "view")
        .filter(measure__framework=framework)
        .order_by()
    )
    cells = list(entries.values("assessment__asset_group", "measure__level").annotate(**COUNTS))
    per_unit = list(entries.values("unit", "unit__name", "unit__path").annotate(**COUNTS))
    groups = {
        pk: GroupRow(pk, name)
        for pk, name in AssetGroup.objects.filter(framework=framework)
        .order_by("number")
        .values_list("pk", "name")
    }
    assets = (
        InformationAsset.objects.restrict(user, "view")
        .filter(asset_group__framework=framework)
        .order_by()
        .values_list("asset_group")
        .annotate(n=Count("pk"))
    )
    for group_id, n in assets:
        groups[group_id].assets = n
    whole_unit = GroupRow(None, "")
    for row in cells:
        group = groups.get(row["assessment__asset_group"], whole_unit)
        tally = _tally(row)
        group.levels.setdefault(row["measure__level"], Tally()).add(tally)
        group.total.add(tally)
    group_rows = list(groups.values())
    if whole_unit.total.applicable or whole_unit.total.not_applicable:
        group_rows.append(whole_unit)
    for group in group_rows:
        group.levels = {level: group.levels[level] for level in LEVELS if level in group.levels}
    total = Tally()
    units: dict[int, UnitRow] = {}
    for row in per_unit:
        unit = units[row["unit"]] = UnitRow(row["unit"], row["unit__name"], row["unit__path"])
        unit.tally = _tally(row)
        total.add(unit.tally)
    actions = (
        CorrectiveAction.objects.restrict(user, "view")
        .filter(state__in=OPEN_DOF)
        .order_by()
        .values("unit", "unit__name", "unit__path")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    )
    for row in actions:
        unit = units.get(row["unit"])
        if unit is None:
            unit = units[row["unit"]] = UnitRow(row["unit"], row["unit__name"], row["unit__path"])
        unit.open_actions, unit.overdue_actions = row["n"], row["overdue"]
    unit_rows = sorted(units.values(), key=lambda unit: unit.path)
    return {
        "framework": framework,
        "groups": group_rows,
        "units": unit_rows,
        "total": total,
        "assets": sum(group.assets for group in group_rows),
        "open_actions": sum(unit.open_actions for unit in unit_rows),
        "overdue_actions": sum(unit.overdue_actions for unit in unit_rows),
        "levels": [level for level in LEVELS if any(level in g.levels for g in group_rows)],
    }


def as_json(figures: dict) -> dict:
    """The dashboard's figures for the API."""
    framework = figures["framework"]
    return {
        "framework": framework.pk,
        "framework_name": str(framework),
        "total": figures["total"].as_dict(),
        "information_assets": figures["assets"],
        "open_corrective_actions": figures["open_actions"],
        "overdue_corrective_actions": figures["overdue_actions"],
        "asset_groups": [
            {
                "asset_group": group.group_id,
                "name": group.name,
                "information_assets": group.assets,
                "levels": [
                    {"level": level, **tally.as_dict()} for level, tally in group.levels.items()
                ],
                "total": group.total.as_dict(),
            }
            for group in figures["groups"]
        ],
        "units": [
            {
                "unit": unit.unit_id,
                "unit_name": unit.name,
                **unit.tally.as_dict(),
                "open_corrective_actions": unit.open_actions,
                "overdue_corrective_actions": unit.overdue_actions,
            }
            for unit in figures["units"]
        ],
    }
