"""Duty categories as tags: the curated set in ``presets/categories.yaml``, the keyword matcher
that suggests them from a duty's text, and bulk tagging of the regulation's duties."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction

from biys.core.text import fold
from biys.org.models import Duty, DutyCategory

CATEGORIES_FILE = Path(__file__).resolve().parent / "presets" / "categories.yaml"

# Turkish noun endings (folded) that may follow a short root given under ``words``: plural,
# possessive, case and derivational suffixes, chained: "ağ" -> "ağlarının", "ağdaki", "ağsal".
_SUFFIX = r"(?:lar|ler|nin|nun|ndan|nden|nda|nde|na|ne|dan|den|tan|ten|da|de|ta|te|ya|ye|yla|yle|la|le|ki|in|un|i|u|a|e|n|sal|sel)"
_WORD_END = rf"{_SUFFIX}{{0,4}}(?!\w)"
_WORD_START = r"(?<!\w)"


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    color: str
    pattern: re.Pattern
    exception: re.Pattern | None = None
    fallback: bool = False

    def matches(self, folded: str) -> bool:
        if self.exception is not None:
            folded = self.exception.sub(" ", folded)
        return self.pattern.search(folded) is not None


def _phrase(keyword: str) -> str:
    """The regex of a folded keyword: words joined by any run of spaces, hyphens or slashes; a
    hyphen inside a word may be left out or written as a space ("e-imza", "e imza", "eimza")."""
    words = fold(str(keyword)).split(" ")
    parts = [r"[\s\-]?".join(re.escape(piece) for piece in word.split("-")) for word in words]
    return r"[\s\-/]+".join(parts)


def _category_pattern(stems: list[str], words: list[str]) -> re.Pattern | None:
    alternatives = [f"{_phrase(stem)}\\w*" for stem in stems]
    alternatives += [f"{_phrase(word)}{_WORD_END}" for word in words]
    if not alternatives:
        return None
    # One look-behind in front of the alternation, not one per keyword: ten times faster.
    return re.compile(f"{_WORD_START}(?:{'|'.join(alternatives)})")


@cache
def category_specs() -> tuple[CategorySpec, ...]:
    """The categories of ``categories.yaml`` with their compiled matchers, in file order."""
    data = yaml.safe_load(CATEGORIES_FILE.read_text(encoding="utf-8"))
    return tuple(
        CategorySpec(
            slug=entry["slug"],
            name=entry["name"],
            color=entry["color"],
            pattern=_category_pattern(entry.get("stems") or [], entry.get("words") or []),
            exception=_category_pattern(entry.get("except") or [], []),
            fallback=bool(entry.get("fallback")),
        )
        for entry in data["categories"]
    )


def suggest_categories(text: str) -> list[str]:
    """Slugs of the categories whose keywords occur in ``text``, in the file's order. A fallback
    category (the general administrative one) is suggested only when no other one is."""
    folded = fold(text)
    matched = [spec for spec in category_specs() if spec.matches(folded)]
    specific = [spec.slug for spec in matched if not spec.fallback]
    return specific or [spec.slug for spec in matched]


@transaction.atomic
def load_categories() -> list[DutyCategory]:
    """Create or update the curated categories, matched by slug. Running it again writes nothing;
    categories an administrator added by hand are left alone."""
    by_slug, by_name = {}, {}
    for category in DutyCategory.objects.all():
        by_slug[category.slug], by_name[category.name] = category, category
    categories = []
    for spec in category_specs():
        # A hand-made category of the same name is adopted rather than duplicated (names are
        # unique too).
        category = by_slug.get(spec.slug) or by_name.get(spec.name) or DutyCategory()
        wanted = (spec.slug, spec.name, spec.color)
        if category.pk is None or (category.slug, category.name, category.color) != wanted:
            category.slug, category.name, category.color = wanted
            category.save()
        categories.append(category)
    return categories


@transaction.atomic
def tag_duties(queryset=None, *, replace: bool = False) -> int:
    """Tag duties (all, or those of ``queryset``) with the categories their text suggests;
    returns how many links were added.

    By default only duties that have no category yet are tagged, so a reload never overrides
    what an administrator chose for a duty (adding or removing tags). ``replace`` re-derives the
    curated categories of every given duty; tags of hand-made categories are kept.

    The links are written in bulk through the M2M through table (a handful of queries for
    thousands of duties), so they bypass the change log: the tagging is derived, reproducible
    data, not an edit of a duty. Tag changes made on a duty's page are logged as usual.
    """
    categories = {category.slug: category for category in load_categories()}
    duties = list((queryset if queryset is not None else Duty.objects.all()).only("pk", "text"))
    through = Duty.categories.through
    duty_ids = [duty.pk for duty in duties]
    if replace:
        curated = [category.pk for category in categories.values()]
        for chunk in _chunks(duty_ids):
            through.objects.filter(duty_id__in=chunk, dutycategory_id__in=curated).delete()
    tagged = set()
    for chunk in _chunks(duty_ids):
        tagged.update(through.objects.filter(duty_id__in=chunk).values_list("duty_id", flat=True))
    links = [
        through(duty_id=duty.pk, dutycategory_id=categories[slug].pk)
        for duty in duties
        if replace or duty.pk not in tagged
        for slug in suggest_categories(duty.text)
    ]
    through.objects.bulk_create(links, batch_size=500)
    return len(links)


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]
