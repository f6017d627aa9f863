"""Re-import of an amended regulation: the differences against the loaded one, article by article
and duty by duty, and applying them without breaking what already points at its duties.

Duties keep their identity wherever the amendment lets us recognise them: the same place with
the same text, the same text elsewhere (the items were relettered), or the same place with a new
text (the item was amended). A duty the amended text no longer contains is retired, not deleted.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date

from biys.core import changelog
from biys.core.context import change_context
from biys.core.text import fold
from biys.org.importer_duties import DraftDuty, draft_duties
from biys.org.models import Article, Duty, Paragraph, Regulation
from biys.org.services_import import (
    _article_number,
    _create_positions,
    _create_units,
    validate_draft,
)

ADDED, CHANGED, MOVED, RETIRED, UNCHANGED = "added", "changed", "moved", "retired", "unchanged"


@dataclass
class ArticleChange:
    kind: str  # added, changed, removed
    number: int
    heading: str


@dataclass
class DutyChange:
    kind: str
    reference: str
    old_text: str = ""
    new_text: str = ""
    old_unit: str = ""
    new_unit: str = ""
    duty: Duty | None = None
    draft: DraftDuty | None = None


@dataclass
class ReimportPlan:
    regulation: Regulation
    articles: list[ArticleChange] = field(default_factory=list)
    duties: list[DutyChange] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.duties if change.kind == kind)

    @property
    def changed_duties(self) -> list[DutyChange]:
        return [change for change in self.duties if change.kind != UNCHANGED]


def _same(first: str, second: str) -> bool:
    return fold(first) == fold(second)


def _draft_key(data: dict, duty: DraftDuty) -> tuple:
    return (_article_number(data["articles"][duty.article]), duty.paragraph + 1, duty.label)


def _duty_key(duty: Duty) -> tuple:
    return (duty.paragraph.article.number, duty.paragraph.order, duty.label)


def plan_reimport(regulation: Regulation, data: dict) -> ReimportPlan:
    """What applying ``data`` (a reviewed draft) to ``regulation`` would change."""
    plan = ReimportPlan(regulation=regulation)
    old_articles = {article.number: article for article in regulation.articles.all()}
    new_numbers = set()
    for article in data.get("articles", []):
        number = _article_number(article)
        new_numbers.add(number)
        old = old_articles.get(number)
        if old is None:
            plan.articles.append(ArticleChange(ADDED, number, article.get("heading", "")))
        elif not _same(old.text, article.get("text", "")) or old.heading != article.get(
            "heading", ""
        ):
            plan.articles.append(ArticleChange(CHANGED, number, article.get("heading", "")))
    for number, old in old_articles.items():
        if number not in new_numbers:
            plan.articles.append(ArticleChange("removed", number, old.heading))
    plan.articles.sort(key=lambda change: change.number)
    plan.duties = _match_duties(regulation, data)
    return plan


def _match_duties(regulation: Regulation, data: dict) -> list[DutyChange]:
    old = list(
        Duty.objects.filter(
            paragraph__article__regulation=regulation, status=Duty.Status.ACTIVE
        ).select_related("paragraph__article", "unit")
    )
    new = draft_duties(data)
    matched: dict[int, Duty] = {}  # index in new -> old duty
    free = {duty.pk: duty for duty in old}
    by_key = {_duty_key(duty): duty for duty in old}
    # the same place and text; then the same text elsewhere (relettered); then the same place
    # with a new text (amended)
    rules = (
        (True, lambda n, o: _same(n.text, o.text)),
        (False, lambda n, o: _same(n.text, o.text)),
        (True, lambda n, o: True),
    )
    for by_place, rule in rules:
        for index, duty in enumerate(new):
            if index in matched:
                continue
            keyed = by_key.get(_draft_key(data, duty))
            candidates = [keyed] if by_place else list(free.values())
            for candidate in candidates:
                if candidate is not None and candidate.pk in free and rule(duty, candidate):
                    matched[index] = free.pop(candidate.pk)
                    break
    changes = []
    for index, duty in enumerate(new):
        old_duty = matched.get(index)
        if old_duty is None:
            changes.append(
                DutyChange(
                    ADDED, duty.reference, new_text=duty.text, new_unit=duty.unit, draft=duty
                )
            )
            continue
        if _draft_key(data, duty) != _duty_key(old_duty):
            kind = MOVED
        elif not _same(duty.text, old_duty.text) or old_duty.unit.name != duty.unit:
            kind = CHANGED
        else:
            kind = UNCHANGED
        changes.append(
            DutyChange(
                kind,
                duty.reference,
                old_text=old_duty.text,
                new_text=duty.text,
                old_unit=old_duty.unit.name,
                new_unit=duty.unit,
                duty=old_duty,
                draft=duty,
            )
        )
    changes += [
        DutyChange(RETIRED, duty.reference, old_text=duty.text, old_unit=duty.unit.name, duty=duty)
        for duty in free.values()
    ]
    return changes


def apply_reimport(*, regulation: Regulation, data: dict, user=None) -> ReimportPlan:
    """Bring ``regulation`` to the amended text of ``data``, all or nothing."""
    validate_draft(data)
    context = change_context(user=user) if user is not None else nullcontext()
    with context, changelog.batch():  # one transaction; change records sealed in batches
        plan = plan_reimport(regulation, data)
        units = _create_units(data.get("units", []))
        _create_positions(data.get("positions", []), units)
        _update_regulation(regulation, data)
        paragraphs = _update_articles(regulation, data)
        for change in plan.duties:
            _apply(change, paragraphs, units)
        _drop_empty_leftovers(regulation, data)
    return plan


def _update_regulation(regulation: Regulation, data: dict) -> None:
    regulation.title = data["title"][:300]
    regulation.council_decision_no = data.get("council_decision_no", "")[:50]
    decision_date = data.get("council_decision_date")
    regulation.council_decision_date = date.fromisoformat(decision_date) if decision_date else None
    if data.get("source_text"):
        regulation.source_text = data["source_text"]
    regulation.save()


def _update_articles(regulation: Regulation, data: dict) -> dict[tuple[int, int], Paragraph]:
    paragraphs = {}
    for a, row in enumerate(data["articles"]):
        heading = row.get("heading", "")
        if row.get("temporary"):
            heading = f"GEÇİCİ MADDE {row['number']}" + (f" — {heading}" if heading else "")
        article, _created = Article.objects.update_or_create(
            regulation=regulation,
            number=_article_number(row),
            defaults={
                "heading": heading[:300],
                "part": row.get("part", "")[:200],
                "text": row.get("text", ""),
            },
        )
        for p, paragraph_row in enumerate(row.get("paragraphs", [])):
            paragraph = article.paragraphs.filter(order=p + 1).first() or Paragraph(
                article=article, order=p + 1
            )
            paragraph.number = paragraph_row.get("number")
            paragraph.text = paragraph_row.get("text", "")
            paragraph.save()
            paragraphs[a, p] = paragraph
    return paragraphs


def _apply(change: DutyChange, paragraphs: dict, units: dict) -> None:
    if change.kind == RETIRED:
        change.duty.status = Duty.Status.RETIRED
        change.duty.save()
        return
    new = change.draft
    duty = change.duty or Duty()
    duty.paragraph = paragraphs[new.article, new.paragraph]
    duty.label = new.label[:10]
    duty.text = new.text
    duty.unit = units[new.unit]
    duty.order = 0 if new.item is None else new.item + 1
    duty.status = Duty.Status.ACTIVE
    duty.save()


def _drop_empty_leftovers(regulation: Regulation, data: dict) -> None:
    """Articles and paragraphs the amended text no longer has go, unless a duty (now retired)
    still hangs on them."""
    numbers = {_article_number(row): row for row in data["articles"]}
    for article in regulation.articles.all():
        row = numbers.get(article.number)
        kept = len(row.get("paragraphs", [])) if row else 0
        for paragraph in article.paragraphs.filter(order__gt=kept):
            if not paragraph.duties.exists():
                paragraph.delete()
        if row is None and not article.paragraphs.exists():
            article.delete()
