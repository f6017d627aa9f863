"""What modules put on the home page: each registers a function returning count cards.

A card is a dict with ``label``, ``icon``, ``count`` and ``url``; a function returns the cards the
signed-in user may see (an empty list hides them). Core renders them and knows no module.
"""

from collections.abc import Callable

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
