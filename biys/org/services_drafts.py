"""Regulation drafts on their way from a text file into the organisation.

The importer (``biys.org.importer``) drafts a regulation; an administrator reviews the draft on
screen (``biys.org.importer_views``), and ``confirm_regulation_draft`` saves it through
``biys.org.services_import.confirm_draft``. Nothing reaches the organisation before that.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from biys.accounts.scope import ALL, get_scope
from biys.org.importer import parse_regulation
from biys.org.models import Duty, Paragraph, Regulation, RegulationDraft, Unit
from biys.org.services_import import TEMPORARY_ARTICLE_OFFSET, confirm_draft, duty_text

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


def item_unit(article: dict, paragraph: dict, item: dict) -> str | None:
    """The unit an item becomes a duty of: its own, else its paragraph's, else its article's."""
    return item.get("unit") or paragraph.get("unit") or article.get("unit")


def summarise(data: dict) -> DraftSummary:
    articles = data.get("articles", [])
    paragraphs = [p for a in articles for p in a.get("paragraphs", [])]
    duties = sum(
        1
        for a in articles
        for p in a.get("paragraphs", [])
        for item in p.get("items", [])
        if item_unit(a, p, item)
    )
    return DraftSummary(
        articles=len(articles),
        paragraphs=len(paragraphs),
        items=sum(len(p.get("items", [])) for p in paragraphs),
        duties=duties,
        units=len(data.get("units", [])),
    )


def draft_warnings(data: dict) -> list[str]:
    """What an administrator should look at before confirming, in the draft's order."""
    warnings = []
    articles = data.get("articles", [])
    duty_counts = {unit["name"]: 0 for unit in data.get("units", [])}
    for article in articles:
        orphans = 0
        for paragraph in article.get("paragraphs", []):
            for item in paragraph.get("items", []):
                name = item_unit(article, paragraph, item)
                if name:
                    duty_counts[name] = duty_counts.get(name, 0) + 1
                else:
                    orphans += 1
        if orphans:
            warnings.append(
                _(
                    "MADDE %(number)s has %(count)s items without a responsible unit; "
                    "they will be kept in the article text only."
                )
                % {"number": article_label(article), "count": orphans}
            )
    children = {unit.get("parent") for unit in data.get("units", [])}
    for name, count in duty_counts.items():
        if not count and name not in children:
            warnings.append(_("Unit %(unit)s has no duties.") % {"unit": name})
    numbers = sorted(int(a["number"]) for a in articles if not a.get("temporary"))
    missing = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers)) if numbers else []
    if missing:
        warnings.append(
            _("Article numbers are missing: %(numbers)s.")
            % {"numbers": ", ".join(str(number) for number in missing)}
        )
    return warnings


def article_label(article: dict) -> str:
    prefix = "GEÇİCİ " if article.get("temporary") else ""
    return f"{prefix}{article['number']}"


# --------------------------------------------------------------------------- services


def create_draft(*, text: str, user, unit: Unit | None, title: str = "") -> RegulationDraft:
    """Draft a regulation from its text. Raises ValidationError when no article is found."""
    parsed = parse_regulation(text)
    if not parsed.articles:
        raise ValidationError(
            _("No article (a line beginning with MADDE) was found in this text."), code="empty"
        )
    data = parsed.to_dict()
    if title:
        data["title"] = title
    data["title"] = (data["title"] or _("Untitled regulation"))[:300]
    return RegulationDraft.objects.create(
        title=data["title"], unit=unit, created_by=user, source_text=text, data=data
    )


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


def confirm_regulation_draft(*, draft: RegulationDraft, user) -> ConfirmResult:
    """Save the reviewed draft into the organisation, all or nothing."""
    _require_open(draft)
    with transaction.atomic():
        units_before = Unit.objects.count()
        regulation = confirm_draft({**draft.data, "source_text": draft.source_text}, user=user)
        _apply_item_units(regulation, draft.data)
        draft.status = RegulationDraft.Status.CONFIRMED
        draft.confirmed_regulation = regulation
        draft.save()
        return ConfirmResult(
            regulation=regulation,
            units_created=Unit.objects.count() - units_before,
            duties_created=Duty.objects.filter(paragraph__article__regulation=regulation).count(),
        )


def discard_draft(*, draft: RegulationDraft) -> RegulationDraft:
    _require_open(draft)
    draft.status = RegulationDraft.Status.DISCARDED
    draft.save()
    return draft


def _require_open(draft: RegulationDraft) -> None:
    if not draft.is_open:
        raise ValidationError(_("This draft is no longer open: it was confirmed or discarded."))


def _apply_item_units(regulation: Regulation, data: dict) -> None:
    """Give items with their own unit that unit (``confirm_draft`` knows only article and
    paragraph units). Duties are found by the order ``confirm_draft`` numbers them in."""
    units = _draft_units(data)
    for article in data.get("articles", []):
        number = int(article["number"]) + (
            TEMPORARY_ARTICLE_OFFSET if article.get("temporary") else 0
        )
        for order, paragraph_row in enumerate(article.get("paragraphs", []), start=1):
            overrides = {
                index: item["unit"]
                for index, item in enumerate(paragraph_row.get("items", []), start=1)
                if item.get("unit")
            }
            if overrides:
                paragraph = Paragraph.objects.get(
                    article__regulation=regulation, article__number=number, order=order
                )
                _set_duty_units(paragraph, paragraph_row["items"], overrides, units)


def _draft_units(data: dict) -> dict[str, Unit]:
    """The saved unit of every draft unit, found as ``confirm_draft`` found or made it."""
    units: dict[str, Unit] = {}
    for row in data.get("units", []):
        parent = units.get(row.get("parent"))
        unit = Unit.objects.filter(name=row["name"], parent=parent).first()
        if unit is not None:
            units[row["name"]] = unit
    return units


def _set_duty_units(
    paragraph: Paragraph, items: list[dict], overrides: dict[int, str], units: dict[str, Unit]
) -> None:
    duties = {duty.order: duty for duty in paragraph.duties.all()}
    for order, name in overrides.items():
        unit = units[name]
        duty = duties.get(order)
        if duty is None:
            item = items[order - 1]
            Duty.objects.create(
                paragraph=paragraph,
                label=item.get("label", "")[:10],
                text=duty_text(item),
                unit=unit,
                order=order,
            )
        elif duty.unit_id != unit.pk:
            duty.unit = unit
            duty.save()
