"""Every list page and every API list reads in a number of queries that does not grow with its
page size, on the demo installation (the modules' demo data gives most lists several rows).

The lists are found from the URL configuration, so a new list joins this test by existing: an
HTML page built on ``ObjectListView`` or an API view set's ``list`` action at a URL without
parameters. A list is compared at 2 and at 100 rows a page; one that shows fewer than three rows
in the demo proves nothing here and is only counted, and the test fails if too few lists are
actually compared (the demo lost its data, or the walk lost the lists)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from biys.accounts.models import User
from biys.core.views.generic import ObjectListView
from biys.demo.builder import build_demo

pytestmark = pytest.mark.django_db

# Parts of a route that name a parameter (``<int:pk>``, ``(?P<pk>…)``) or a format suffix.
PARAMETER = re.compile(r"<|\(|\\|\[|\*|\+")


def _route(pattern) -> str:
    text = str(pattern.pattern)
    return text.removeprefix("^").removesuffix("$")


def parameterless_views(resolvers=None, prefix: str = ""):
    """(path, callback) for every URL pattern without parameters, depth first."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + _route(entry)
        if PARAMETER.search(route):
            continue
        if isinstance(entry, URLResolver):
            yield from parameterless_views(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route, entry.callback


def list_pages() -> list[tuple[str, str]]:
    """("html" or "api", path) of every list at a URL without parameters."""
    found = {}
    for path, callback in parameterless_views():
        view_class = getattr(callback, "view_class", None)
        actions = getattr(callback, "actions", None) or {}
        if view_class is not None and issubclass(view_class, ObjectListView):
            found[path] = "html"
        elif actions.get("get") == "list":
            found[path] = "api"
    return sorted((kind, path) for path, kind in found.items())


def _rows(kind: str, response) -> int:
    if response.streaming:
        return 0  # a download (an export at a list's URL), not a page of rows
    if kind == "api":
        body = response.json()
        return len(body["results"]) if isinstance(body, dict) and "results" in body else 0
    match = re.search(rb"<tbody[^>]*>(.*?)</tbody>", response.content, re.S)
    return match.group(1).count(b"<tr") if match else 0


def _read(client, kind: str, path: str, per_page: int):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"per_page": per_page})
    return response, len(queries.captured_queries)


def test_every_list_reads_in_queries_that_do_not_grow_with_its_page(client):
    build_demo(preset="odunpazari")
    admin = User.objects.create_superuser("liste-denetim", "liste@ornek.bel.tr", "x")
    client.force_login(admin)
    pages = list_pages()
    assert len([page for page in pages if page[0] == "html"]) >= 40, pages
    assert len([page for page in pages if page[0] == "api"]) >= 40, pages

    compared, growing, failing = [], [], []
    for kind, path in pages:
        client.get(path)  # warm: per-process caches (menus, scopes, plans) are not the point
        small, small_count = _read(client, kind, path, 2)
        large, large_count = _read(client, kind, path, 100)
        if small.status_code != 200 or large.status_code != 200:
            failing.append((path, small.status_code, large.status_code))
            continue
        if _rows(kind, large) <= _rows(kind, small):
            continue  # the demo has too few rows here to tell
        compared.append(path)
        if large_count > small_count:
            # Once more: a per-process cache whose time ran out (``GenerationCache``'s five
            # minutes, in a run that long) adds a query to whichever read comes first.
            _small, small_count = _read(client, kind, path, 2)
            _large, large_count = _read(client, kind, path, 100)
        if large_count > small_count:
            growing.append((path, small_count, large_count))

    assert not failing, failing
    assert not growing, f"queries grow with the page (path, at 2 rows, at 100 rows): {growing}"
    assert len(compared) >= 40, f"only {len(compared)} lists had enough demo rows: {compared}"
