"""What modules put on the home page: each registers a function returning count cards, or a
panel (a template and a function giving its context).

A card is a dict with ``label``, ``icon``, ``count`` and ``url``; a function returns the cards the
signed-in user may see (an empty list hides them). Core renders them and knows no module.
"""

from collections.abc import Callable
from dataclasses import dataclass

CountCards = Callable[[object], list[dict]]

_count_providers: list[tuple[int, CountCards]] = []


def register_counts(provider: CountCards, *, order: int = 100) -> CountCards:
    if all(existing is not provider for _, existing in _count_providers):
        _count_providers.append((order, provider))
        _count_providers.sort(key=lambda entry: entry[0])
    return provider


def count_cards(user) -> list[dict]:
    cards = []
    for _, provider in _count_providers:
        cards.extend(provider(user))
    return cards


@dataclass
class HomePanel:
    """A card a module adds to the home page; ``context(request)`` returns None to hide it."""

    template_name: str
    context: Callable
    order: int = 100


_home_panels: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if all(existing.template_name != panel.template_name for existing in _home_panels):
        _home_panels.append(panel)
        _home_panels.sort(key=lambda p: p.order)


def home_panels_for(request) -> list[dict]:
    panels = []
    for panel in _home_panels:
        context = panel.context(request)
        if context is not None:
            panels.append({"template_name": panel.template_name, "context": context})
    return panels
