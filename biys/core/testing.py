"""Shared test helpers. Each app registers a factory per model so cross-module tests (the
permission matrix, the schema run) can create one object of any registered model in a unit."""

import re
from collections.abc import Callable

from django.template import Context
from django.template.base import render_value_in_context

FACTORIES: dict[type, Callable] = {}


def register_factory(model):
    """Decorator: ``@register_factory(Person)`` over a callable ``(unit) -> instance``."""

    def decorator(func):
        FACTORIES[model] = func
        return func

    return decorator


def slow_rows(table) -> list:
    """A table's cells as django-tables2 renders them (what ``core/table.html`` rendered per
    cell), row by row: what a list's own row rendering is compared with."""
    context = Context(autoescape=True)
    return [
        [render_value_in_context(cell, context) for _column, cell in row.items()]
        for row in table.paginated_rows
    ]


def fast_rows(table) -> list:
    """The same cells as ``biys.core.tables.render_rows`` writes them, row by row."""
    from biys.core.tables import render_rows

    html = str(render_rows(table, Context(autoescape=True)))
    return [
        [cell.removesuffix("</td>") for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in html.split("<tr ")[1:]
    ]
