"""Shared test helpers. Each app registers a factory per model so cross-module tests (the
permission matrix, the schema run) can create one object of any registered model in a unit."""

from collections.abc import Callable

FACTORIES: dict[type, Callable] = {}


def register_factory(model):
    """Decorator: ``@register_factory(Person)`` over a callable ``(unit) -> instance``."""

    def decorator(func):
        FACTORIES[model] = func
        return func

    return decorator
