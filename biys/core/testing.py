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


def page_rows_answers(api, urls, viewset, monkeypatch) -> list:
    """Each URL's JSON as the API view set answers it with its own ``page_rows`` (plain rows),
    after checking that Django's default fetch (the ORM's instances) answers the same JSON in
    the same number of queries. ``api``: a signed-in DRF test client."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def answers():
        found = []
        for url in urls:
            api.get(url)  # warm: per-process caches
            with CaptureQueriesContext(connection) as queries:
                response = api.get(url)
            assert response.status_code == 200, (url, response.status_code)
            found.append((response.json(), len(queries)))
        return found

    light = answers()
    monkeypatch.delattr(viewset, "page_rows")
    orm = answers()
    assert [body for body, _count in light] == [body for body, _count in orm]
    assert [count for _body, count in light] == [count for _body, count in orm]
    return [body for body, _count in light]
