"""Units, people and duties in the global search box (imported from biys/org/urls.py), and the
ranked duty search behind "who is responsible for …?"."""

from math import ceil

from django.db.models import Case, ExpressionWrapper, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from biys.core.search import register
from biys.core.text import search_terms
from biys.org.models import Duty, Person, Unit

register(Unit, label=_("Units"), order_by=("sort_name",))
register(Person, label=_("People"), order_by=("sort_name",))
register(
    Duty, label=_("Duties"), order_by=("paragraph__article__number", "paragraph__order", "order")
)

STEM_LENGTH = 5


def stems(query: str) -> list[str]:
    """Folded word beginnings: Turkish adds suffixes ('parmak izli', 'sistemlerinin'), so a word
    matches on its first letters, as a reader skimming the regulation would."""
    return list(dict.fromkeys(term[:STEM_LENGTH] for term in search_terms(query)))


def _starts_a_word(stem: str) -> Q:
    return Q(search_text__startswith=stem) | Q(search_text__contains=f" {stem}")


def rank_duties(queryset, query: str):
    """Duties matching at least half of the query's words, the best matches first."""
    words = stems(query)
    if not words:
        return queryset
    score = sum(
        (Case(When(_starts_a_word(stem), then=Value(1)), default=Value(0)) for stem in words),
        Value(0),
    )
    needed = max(1, ceil(len(words) / 2))
    return (
        queryset.annotate(search_score=ExpressionWrapper(score, output_field=IntegerField()))
        .filter(search_score__gte=needed)
        .order_by("-search_score", "paragraph__article__number", "paragraph__order", "order")
    )
