"""Confirm a reviewed regulation draft (see ``biys.org.importer``) into the organisation."""

from collections import Counter
from contextlib import nullcontext
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from biys.core import changelog
from biys.core.context import change_context
from biys.org.importer_duties import draft_duties, item_text
from biys.org.models import Article, Duty, Paragraph, Position, Regulation, Unit

TEMPORARY_ARTICLE_OFFSET = 1000  # GEÇİCİ MADDE n is stored as number 1000 + n


def confirm_draft(draft: dict, *, user=None) -> Regulation:
    """Create the regulation, its articles and paragraphs, the units tree, the positions that
    role headings name, and the duties ``importer_duties.draft_duties`` reads off the draft.

    Text that is no duty stays in the paragraph and article text. Units that already exist under
    the same name and parent are reused.
    """
    validate_draft(draft)
    context = change_context(user=user) if user is not None else nullcontext()
    with context, changelog.batch():  # one transaction; change records sealed in batches
        units = _create_units(draft.get("units", []))
        _create_positions(draft.get("positions", []), units)
        regulation = _create_regulation(draft)
        paragraphs = {}
        for a, article in enumerate(draft["articles"]):
            for p, paragraph in enumerate(_create_article(regulation, article)):
                paragraphs[a, p] = paragraph
        for duty in draft_duties(draft):
            Duty.objects.create(
                paragraph=paragraphs[duty.article, duty.paragraph],
                label=duty.label[:10],
                text=duty.text,
                unit=units[duty.unit],
                order=0 if duty.item is None else duty.item + 1,
            )
    return regulation


def validate_draft(draft: dict) -> None:
    """Refuse a draft that cannot be saved as it is: the admin fixes it on the review screen."""
    numbers = Counter(_article_number(article) for article in draft.get("articles", []))
    repeated = sorted(number for number, count in numbers.items() if count > 1)
    if repeated:
        raise ValidationError(
            _("Article numbers appear more than once: %(numbers)s")
            % {"numbers": ", ".join(str(number) for number in repeated)}
        )
    known = {unit["name"] for unit in draft.get("units", [])}
    for unit in draft.get("units", []):
        if unit.get("parent") and unit["parent"] not in known:
            raise ValidationError(
                _("Unit %(unit)s has an unknown parent %(parent)s.")
                % {"unit": unit["name"], "parent": unit["parent"]}
            )
    for article in draft.get("articles", []):
        for name in _unit_names(article):
            if name not in known:
                raise ValidationError(
                    _("MADDE %(number)s names an unknown unit %(unit)s.")
                    % {"number": article["number"], "unit": name}
                )


def _article_number(article: dict) -> int:
    offset = TEMPORARY_ARTICLE_OFFSET if article.get("temporary") else 0
    return offset + int(article["number"])


def _unit_names(article: dict) -> set[str]:
    paragraphs = article.get("paragraphs", [])
    names = {article.get("unit")} | {p.get("unit") for p in paragraphs}
    names |= {item.get("unit") for p in paragraphs for item in p.get("items", [])}
    return {name for name in names if name}


def _create_positions(rows: list[dict], units: dict[str, Unit]) -> None:
    for row in rows:
        unit = units.get(row.get("unit"))
        if unit is not None and not unit.positions.filter(name=row["name"]).exists():
            Position.objects.create(unit=unit, name=row["name"][:150])


def draft_unit_parent(row: dict, units: dict[str, Unit]) -> Unit | None:
    """The saved parent of a draft unit: a unit of the draft, or one of the organisation."""
    if row.get("parent"):
        return units.get(row["parent"])
    if row.get("parent_unit"):
        return Unit.objects.filter(pk=row["parent_unit"]).first()
    return None


def existing_unit(row: dict, parent: Unit | None) -> Unit | None:
    """The unit of the organisation a draft unit is: the same name under the same parent, or,
    for a draft's top unit, the one unit of that name anywhere ('Bilgi İşlem Müdürlüğü' that
    already sits under the municipality)."""
    unit = Unit.objects.filter(name=row["name"], parent=parent).first()
    if unit is None and parent is None and not row.get("parent_unit"):
        named = list(Unit.objects.filter(name=row["name"])[:2])
        unit = named[0] if len(named) == 1 else None
    return unit


def _create_units(rows: list[dict]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for order, row in enumerate(rows):
        parent = draft_unit_parent(row, units)
        unit = existing_unit(row, parent)
        if unit is None:
            unit = Unit.objects.create(
                name=row["name"],
                kind=row["kind"],
                parent=parent,
                is_it_department=True,
                order=order,
            )
        units[row["name"]] = unit
    return units


def _create_regulation(draft: dict) -> Regulation:
    decision_date = draft.get("council_decision_date")
    return Regulation.objects.create(
        title=draft["title"][:300],
        council_decision_no=draft.get("council_decision_no", "")[:50],
        council_decision_date=date.fromisoformat(decision_date) if decision_date else None,
        source_text=draft.get("source_text", ""),
    )


def _create_article(regulation: Regulation, row: dict) -> list[Paragraph]:
    heading = row.get("heading", "")
    if row.get("temporary"):
        heading = f"GEÇİCİ MADDE {row['number']}" + (f" — {heading}" if heading else "")
    article = Article.objects.create(
        regulation=regulation,
        number=_article_number(row),
        heading=heading[:300],
        part=row.get("part", "")[:200],
        text=row.get("text", ""),
    )
    return [
        Paragraph.objects.create(
            article=article,
            number=paragraph_row.get("number"),
            text=paragraph_row.get("text", ""),
            order=order,
        )
        for order, paragraph_row in enumerate(row.get("paragraphs", []), start=1)
    ]


duty_text = item_text  # the name other modules know it by
