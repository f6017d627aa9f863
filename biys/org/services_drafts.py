"""Regulation drafts on their way from a text file into the organisation.

The importer (``biys.org.importer``) drafts a regulation; an administrator reviews the draft on
screen (``biys.org.importer_views``), and ``confirm_regulation_draft`` saves it through
``biys.org.services_import.confirm_draft``. Nothing reaches the organisation before that.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from biys.accounts.scope import ALL, get_scope
from biys.core import changelog
from biys.core.placement import may_place
from biys.org.importer import parse_regulation
from biys.org.importer_duties import article_label, draft_duties, duties_by_unit
from biys.org.models import Duty, Regulation, RegulationDraft, Unit
from biys.org.services_import import confirm_draft, draft_unit_parent, existing_unit
from biys.org.services_reimport import ReimportPlan, apply_reimport, plan_reimport

IMPORT_PERMISSION = "org.import_regulation"


# --------------------------------------------------------------------------- selectors


def may_import(user) -> bool:
    return get_scope(user).has_perm(IMPORT_PERMISSION)


def import_units(user):
    """The units over which the user may import a regulation (they own the drafts)."""
    units = get_scope(user).units_for(IMPORT_PERMISSION)
    queryset = Unit.objects.order_by("path")
    return queryset if units is ALL else queryset.filter(pk__in=units)


def drafts_for(user):
    """Drafts the user may review: those of units where they hold the import permission."""
    units = get_scope(user).units_for(IMPORT_PERMISSION)
    queryset = RegulationDraft.objects.select_related("unit", "created_by", "confirmed_regulation")
    return queryset if units is ALL else queryset.filter(unit__in=units)


@dataclass
class DraftSummary:
    articles: int
    paragraphs: int
    items: int
    duties: int
    units: int


def summarise(data: dict) -> DraftSummary:
    articles = data.get("articles", [])
    paragraphs = [p for a in articles for p in a.get("paragraphs", [])]
    return DraftSummary(
        articles=len(articles),
        paragraphs=len(paragraphs),
        items=sum(len(p.get("items", [])) for p in paragraphs),
        duties=len(draft_duties(data)),
        units=len(data.get("units", [])),
    )


def draft_warnings(data: dict) -> list[str]:
    """What an administrator should look at before confirming, in the draft's order: items of
    duty articles that no unit holds, units without duties, gaps in the article numbers."""
    warnings = []
    articles = data.get("articles", [])
    held = {(duty.article, duty.paragraph, duty.item) for duty in draft_duties(data)}
    for a, article in enumerate(articles):
        if article.get("repealed") or article.get("duty") is False:
            continue
        orphans = [
            (p, i)
            for p, paragraph in enumerate(article.get("paragraphs", []))
            for i, item in enumerate(paragraph.get("items", []))
            if (a, p, i) not in held
            and not item.get("repealed")
            and item.get("duty") is not False
            and not paragraph.get("repealed")
            and paragraph.get("duty") is not False
        ]
        if orphans:
            warnings.append(
                _(
                    "MADDE %(number)s has %(count)s items without a responsible unit; "
                    "they will be kept in the article text only."
                )
                % {"number": article_label(article), "count": len(orphans)}
            )
    children = {unit.get("parent") for unit in data.get("units", [])}
    for name, duties in duties_by_unit(data).items():
        if not duties and name not in children:
            warnings.append(_("Unit %(unit)s has no duties.") % {"unit": name})
    if not held:
        warnings.append(_("No duty is assigned to a unit yet."))
    numbers = sorted(int(a["number"]) for a in articles if not a.get("temporary"))
    missing = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers)) if numbers else []
    if missing:
        warnings.append(
            _("Article numbers are missing: %(numbers)s.")
            % {"numbers": ", ".join(str(number) for number in missing)}
        )
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        warnings.append(
            _("Article numbers appear more than once: %(numbers)s")
            % {"numbers": ", ".join(str(number) for number in repeated)}
        )
    return warnings


# --------------------------------------------------------------------------- services


def create_draft(
    *,
    text: str,
    user,
    unit: Unit | None,
    title: str = "",
    source_file=None,
    amends: Regulation | None = None,
) -> RegulationDraft:
    """Draft a regulation from its text (extracted from ``source_file`` when one was uploaded;
    the file is kept). Raises ValidationError when no article is found."""
    parsed = parse_regulation(text)
    if not parsed.articles:
        raise ValidationError(
            _("No article (a line beginning with MADDE) was found in this text."), code="empty"
        )
    data = parsed.to_dict()
    if title:
        data["title"] = title
    data["title"] = (data["title"] or _("Untitled regulation"))[:300]
    if amends is not None:
        data["amends"] = amends.pk  # confirming applies the differences to that regulation
    if unit is not None and not may_place_unit(user, None):
        # Someone who may not add root units starts with the new top units under the unit
        # they import for; the review screen can move them under any unit they administer.
        for row in data["units"]:
            if not row.get("parent") and existing_unit(row, None) is None:
                row["parent_unit"] = unit.pk
    draft = RegulationDraft(
        title=data["title"], unit=unit, created_by=user, source_text=text, data=data
    )
    if source_file is not None:
        draft.source_filename = source_file.name[-255:]
        draft.source_file.save(source_file.name, source_file, save=False)
    draft.save()
    return draft


def save_review(*, draft: RegulationDraft, data: dict) -> RegulationDraft:
    _require_open(draft)
    draft.data = data
    draft.title = (data.get("title") or draft.title)[:300]
    draft.save()
    return draft


@dataclass
class ConfirmResult:
    regulation: Regulation
    units_created: int
    duties_created: int
    plan: ReimportPlan | None = None


def may_place_unit(user, parent: Unit | None) -> bool:
    """May the user create a unit under ``parent`` (a root unit when None)? The organisation's
    placement rule with the import permission: over the parent, or over the whole municipality
    for a root unit."""
    return may_place(user, Unit(parent=parent), perm=IMPORT_PERMISSION)


def check_placements(*, data: dict, user) -> None:
    """Refuse a draft that would create a unit where the user may not place one. Units created
    under a unit the draft creates are placed by placing that unit."""
    created: dict[str, Unit | None] = {}
    for row in data.get("units", []):
        if row.get("parent") in created:
            created[row["name"]] = None
            continue
        parent = draft_unit_parent(row, {})
        if row.get("parent") and parent is None:
            parent = Unit.objects.filter(name=row["parent"]).first()
        if existing_unit(row, parent) is not None:
            continue
        if not may_place_unit(user, parent):
            raise ValidationError(
                _(
                    "You may not create the unit %(unit)s there: choose a parent unit you administer."
                )
                % {"unit": row["name"]}
            )
        created[row["name"]] = parent


def _last_pk(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def check_duty_units(*, user, after_unit: int, after_duty: int) -> None:
    """After the save, in its transaction: the duties this confirmation created went to units
    the user holds the import permission over, or to units it created (placed by
    ``check_placements``). A draft naming an existing unit elsewhere is refused whole."""
    units = get_scope(user).units_for(IMPORT_PERMISSION)
    if units is ALL:
        return
    outside = (
        Duty.objects.filter(pk__gt=after_duty, unit__isnull=False, unit__pk__lte=after_unit)
        .exclude(unit__in=units)
        .select_related("unit")
        .first()
    )
    if outside is not None:
        raise ValidationError(
            _("You may not give duties to %(unit)s: choose a unit you administer.")
            % {"unit": outside.unit}
        )


def confirm_regulation_draft(*, draft: RegulationDraft, user) -> ConfirmResult:
    """Save the reviewed draft into the organisation, all or nothing."""
    _require_open(draft)
    check_placements(data=draft.data, user=user)
    with changelog.batch():  # one transaction; change records sealed in batches
        units_before = Unit.objects.count()
        last_unit, last_duty = _last_pk(Unit), _last_pk(Duty)
        data = {**draft.data, "source_text": draft.source_text}
        amended = amended_regulation(draft.data)
        if amended is not None:
            plan = apply_reimport(regulation=amended, data=data, user=user)
            regulation = amended
        else:
            plan = None
            regulation = confirm_draft(data, user=user)
        if draft.source_file:
            regulation.source_file = draft.source_file.name  # the same stored original
            regulation.source_filename = draft.source_filename
            regulation.save()
        check_duty_units(user=user, after_unit=last_unit, after_duty=last_duty)
        draft.status = RegulationDraft.Status.CONFIRMED
        draft.confirmed_regulation = regulation
        draft.save()
        return ConfirmResult(
            regulation=regulation,
            units_created=Unit.objects.count() - units_before,
            duties_created=Duty.objects.filter(paragraph__article__regulation=regulation).count(),
            plan=plan,
        )


def amended_regulation(data: dict) -> Regulation | None:
    """The loaded regulation a draft amends, when it was uploaded as its new version."""
    return Regulation.objects.filter(pk=data["amends"]).first() if data.get("amends") else None


def reimport_plan(data: dict) -> ReimportPlan | None:
    regulation = amended_regulation(data)
    return plan_reimport(regulation, data) if regulation is not None else None


def discard_draft(*, draft: RegulationDraft) -> RegulationDraft:
    _require_open(draft)
    draft.status = RegulationDraft.Status.DISCARDED
    draft.save()
    return draft


def _require_open(draft: RegulationDraft) -> None:
    if not draft.is_open:
        raise ValidationError(_("This draft is no longer open: it was confirmed or discarded."))
