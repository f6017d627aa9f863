"""The duties a regulation draft gives its units, read off the draft as the review screen left it.

One rule, used by the review screen, its checks, the CLI and the confirmation alike, so that the
confirmation creates exactly the duties the screen shows:

- an item is a duty of its own unit, else of its paragraph's, else of its article's;
- a paragraph without items is a duty when a unit is set on it, or when its article has a unit
  and lists its duties as numbered paragraphs (no paragraph of the article has items);
- anything repealed ('(Mülga: ...)'), or marked "not a duty" on the review screen, is not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class DraftDuty:
    article: int  # index of the article in the draft
    paragraph: int
    item: int | None  # None: the paragraph itself is the duty
    article_number: str  # '7', 'GEÇİCİ 1'
    paragraph_number: int | None
    label: str
    text: str
    unit: str
    position: str | None = None

    @property
    def reference(self) -> str:
        parts = [f"MADDE {self.article_number}"]
        if self.paragraph_number:
            parts.append(f"({self.paragraph_number})")
        if self.label:
            parts.append(self.label)
        return " ".join(parts)

    def to_dict(self) -> dict:
        return {**asdict(self), "reference": self.reference}


def article_label(article: dict) -> str:
    prefix = "GEÇİCİ " if article.get("temporary") else ""
    return f"{prefix}{article['number']}"


def item_text(item: dict) -> str:
    """The item's text, followed by its sub-items ('1) ...') when it has any."""
    parts = [item.get("text", "")]
    for sub in item.get("subitems", []):
        label = f"{sub['label']}) " if sub.get("label") else "- "
        parts.append(label + sub.get("text", ""))
    return "\n".join(part for part in parts if part)


def draft_duties(data: dict) -> list[DraftDuty]:
    duties = []
    for a, article in enumerate(data.get("articles", [])):
        if article.get("repealed") or article.get("duty") is False:
            continue
        paragraphs = article.get("paragraphs", [])
        lists_items = any(paragraph.get("items") for paragraph in paragraphs)
        for p, paragraph in enumerate(paragraphs):
            if paragraph.get("repealed") or paragraph.get("duty") is False:
                continue
            common = {
                "article": a,
                "paragraph": p,
                "article_number": article_label(article),
                "paragraph_number": paragraph.get("number"),
                "position": article.get("position"),
            }
            items = paragraph.get("items") or []
            if not items:
                unit = paragraph.get("unit") or (None if lists_items else article.get("unit"))
                if unit and paragraph.get("text", "").strip():
                    duties.append(
                        DraftDuty(item=None, label="", text=paragraph["text"], unit=unit, **common)
                    )
                continue
            for i, item in enumerate(items):
                if item.get("repealed") or item.get("duty") is False:
                    continue
                unit = item.get("unit") or paragraph.get("unit") or article.get("unit")
                if unit:
                    duties.append(
                        DraftDuty(
                            item=i,
                            label=item.get("label", ""),
                            text=item_text(item),
                            unit=unit,
                            **common,
                        )
                    )
    return duties


def duties_by_unit(data: dict) -> dict[str, list[DraftDuty]]:
    """Every unit of the draft, in the draft's order, with its duties (none for some)."""
    result: dict[str, list[DraftDuty]] = {unit["name"]: [] for unit in data.get("units", [])}
    for duty in draft_duties(data):
        result.setdefault(duty.unit, []).append(duty)
    return result
