"""A query compiled once per key answers as the queryset it was compiled from, for any pk."""

import pytest
from django.db import connection
from django.db.models import Prefetch, Q
from django.test.utils import CaptureQueriesContext

from biys.core import precompiled
from biys.core.precompiled import (
    KeyTooNarrow,
    PrecompiledLookup,
    PrecompiledQuery,
    PrecompiledRows,
)
from biys.org.models import Person, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org_tree):
    roads, network = org_tree["roads"], org_tree["network"]
    return [
        Person.objects.create(first_name="Ayşe", last_name="Yılmaz", unit=roads),
        Person.objects.create(first_name="İsmail", last_name="Işık", unit=network),
        Person.objects.create(first_name="Çağla", last_name="Öztürk", unit=roads),
    ]


def _visible_in(unit_ids):
    """A visibility rule with parameters of its own before and after the pk's place."""
    return (
        Person.objects.filter(Q(unit__in=unit_ids) | Q(last_name="Işık"))
        .exclude(first_name="Kimse")
        .select_related("unit", "unit__parent")
        .prefetch_related(Prefetch("unit__children", queryset=Unit.objects.order_by("pk")))
    )


def _same(found, expected):
    if expected is None:
        return found is None
    return (
        found is not None
        and [getattr(found, f.attname) for f in Person._meta.concrete_fields]
        == [getattr(expected, f.attname) for f in Person._meta.concrete_fields]
        and found.unit.name == expected.unit.name
        and getattr(found.unit.parent, "pk", None) == getattr(expected.unit.parent, "pk", None)
        and list(found.unit.children.all()) == list(expected.unit.children.all())
    )


def test_every_pk_as_the_queryset_answers_it_compiled_once(people, org_tree, monkeypatch):
    monkeypatch.setattr(precompiled, "CHECK", False)  # which builds each query anew
    lookup, builds = PrecompiledLookup(), []

    def build():
        builds.append(1)
        return _visible_in([org_tree["roads"].pk])

    for person in [*people, Person(pk=10**9)]:
        expected = _visible_in([org_tree["roads"].pk]).filter(pk=person.pk).first()
        with CaptureQueriesContext(connection) as queries:
            found = lookup.get(("roads",), build, person.pk)
        assert _same(found, expected), person
        # the person with their unit and its parent, then the unit's children
        assert len(queries) == (2 if found is not None else 1)
    assert len(builds) == 2  # two markers at the first call, none after


def test_a_key_per_shape_and_none_for_no_cache(people, org_tree):
    lookup = PrecompiledLookup()
    roads, network = org_tree["roads"].pk, org_tree["network"].pk
    wide = lookup.get(("both",), lambda: _visible_in([roads, network]), people[1].pk)
    assert wide is not None
    narrow = lookup.get(("roads",), lambda: _visible_in([roads]), people[2].pk)
    assert narrow.pk == people[2].pk
    assert lookup.get(None, lambda: _visible_in([]), people[0].pk) is None
    assert lookup.get(None, lambda: _visible_in([roads]), people[0].pk).pk == people[0].pk


def test_a_queryset_of_values_is_run_as_django_runs_it(people):
    lookup = PrecompiledLookup()
    row = lookup.get(("values",), lambda: Person.objects.values("pk", "first_name"), people[1].pk)
    assert row == {"pk": people[1].pk, "first_name": "İsmail"}
    assert lookup.get(("values",), lambda: Person.objects.values("pk"), people[2].pk) == {
        "pk": people[2].pk
    }


def test_the_pk_given_twice_is_still_found_in_its_place(people):
    lookup = PrecompiledLookup()

    def build():  # the first marker also stands in the query itself
        return Person.objects.filter(Q(pk=-9_876_543_210_123) | Q(first_name__isnull=False))

    for person in people:
        assert lookup.get(("twice",), build, person.pk).pk == person.pk


def test_a_string_pk_is_never_precompiled(people):
    lookup = PrecompiledLookup()
    assert lookup.get(("s",), Person.objects.all, str(people[0].pk)).pk == people[0].pk
    assert lookup._entries == {}


def test_the_columns_converters_are_worked_out_once(people, monkeypatch):
    """The converters of a kept query's columns (a time read back from SQLite, for one) are
    worked out at its first run on a connection, then reused: the objects stay the same."""
    from django.db.models.sql.compiler import SQLCompiler

    lookups = PrecompiledLookup()

    def build():
        return Person.objects.select_related("unit")

    assert _same(lookups.get("people", build, people[0].pk), build().get(pk=people[0].pk))
    worked_out = []
    original = SQLCompiler.get_converters
    monkeypatch.setattr(
        SQLCompiler,
        "get_converters",
        lambda self, expressions: worked_out.append(1) or original(self, expressions),
    )
    found = [lookups.get("people", build, person.pk) for person in people]
    assert worked_out == []
    monkeypatch.undo()
    for person, one in zip(people, found, strict=True):
        assert _same(one, build().get(pk=person.pk))
        assert one.unit == person.unit and one.created == person.created


def _lines(ids):
    """Rows with a parameter of their own, a join, a converted column and an order."""
    return (
        Person.objects.filter(unit_id__in=ids)
        .exclude(first_name="Kimse")
        .order_by("last_name")
        .values_list("unit_id", "unit__name", "created", "last_name")
    )


def test_rows_of_any_keys_as_values_list_answers_them_compiled_once(people, org_tree):
    rows = PrecompiledRows()
    units = [org_tree["roads"].pk, org_tree["network"].pk]
    for keys in (units, units[::-1], [org_tree["roads"].pk], [org_tree["dept"].pk]):
        assert rows.rows("lines", _lines, keys) == list(_lines(keys))
    assert len(rows._entries) == 2  # one per number of keys
    with CaptureQueriesContext(connection) as queries:
        found = rows.rows("lines", _lines, units)
    assert len(queries) == 1 and found and all(row[2].tzinfo for row in found)
    # no key, a key given twice, a key not an integer: run as Django runs it
    assert rows.rows("lines", _lines, []) == []
    twice = [units[0], units[0]]
    assert rows.rows("lines", _lines, twice) == list(_lines(twice))
    assert len(rows._entries) == 2


def test_rows_reordered_by_values_list_are_run_as_django_runs_them(people, org_tree):
    rows = PrecompiledRows()

    def reordered(ids):  # an annotation named before a column: Django reorders the row
        from django.db.models import F

        return (
            Person.objects.filter(unit_id__in=ids)
            .annotate(u=F("unit_id"))
            .values_list("u", "last_name")
        )

    keys = [org_tree["roads"].pk]
    assert rows.rows("reordered", reordered, keys) == list(reordered(keys))


@pytest.fixture
def compiles(monkeypatch):
    """The SQL compilations of model queries from here on (the precompiled runs' own
    compilers answer without compiling)."""
    from django.db.models.sql.compiler import SQLCompiler

    monkeypatch.setattr(precompiled, "CHECK", False)
    counted = []
    original = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        counted.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    return counted


def _page(unit_ids):
    """A page as a list reads it: a visibility rule, an annotation, a join, a prefetch, an
    order and a slice."""
    from django.db.models import Exists, OuterRef

    return (
        _visible_in(unit_ids)
        .annotate(
            has_colleague=Exists(
                Person.objects.filter(unit=OuterRef("unit")).exclude(pk=OuterRef("pk"))
            )
        )
        .order_by("last_name", "pk")[:2]
    )


def _described(people):
    return [
        (p.pk, p.first_name, p.unit.name, getattr(p.unit.parent, "pk", None),
         [c.pk for c in p.unit.children.all()], p.has_colleague)
        for p in people
    ]  # fmt: skip


def test_a_whole_query_compiled_once_answers_as_the_queryset(people, org_tree, compiles):
    pages, roads = PrecompiledQuery(), [org_tree["roads"].pk]
    expected = _described(list(_page(roads)))
    assert len(expected) == 2 and {row[-1] for row in expected} == {True, False}
    first = pages.fetch(("roads",), _page(roads))
    del compiles[:]
    with CaptureQueriesContext(connection) as queries:
        again = pages.fetch(("roads",), _page(roads))
    assert _described(first) == _described(again) == expected
    assert len(queries) == 2  # the page with its joins, then the prefetched children
    assert compiles == [Unit]  # the prefetch's own query only
    # no key: compiled as Django compiles it, every time
    assert _described(pages.fetch(None, _page(roads))) == expected
    assert Person in compiles


def test_a_kept_queryset_is_built_once_and_copied(people, org_tree, compiles):
    pages, builds = PrecompiledQuery(), []

    def build():
        builds.append(1)
        return _visible_in([org_tree["roads"].pk])

    narrowed = pages.queryset(("roads",), build).filter(first_name="Ayşe")
    whole = pages.queryset(("roads",), build)
    assert len(builds) == 1
    assert [p.pk for p in narrowed] == [people[0].pk]
    assert sorted(p.pk for p in whole) == sorted(p.pk for p in _visible_in([org_tree["roads"].pk]))
    pages.queryset(None, build)
    assert len(builds) == 2


def test_checked_a_key_that_names_too_little_is_refused(people, org_tree):
    """With ``CHECK`` (every test), a key that leaves out what the query depends on fails
    the test that reaches it, whichever of the four ways keeps the query."""
    assert precompiled.CHECK
    roads, network = [org_tree["roads"].pk], [org_tree["network"].pk]
    pages = PrecompiledQuery()
    pages.fetch(("units",), _page(roads))
    with pytest.raises(KeyTooNarrow):
        pages.fetch(("units",), _page(network))
    pages.queryset(("units",), lambda: _visible_in(roads))
    with pytest.raises(KeyTooNarrow):
        pages.queryset(("units",), lambda: _visible_in(network))
    lookup = PrecompiledLookup()
    lookup.get(("units",), lambda: _visible_in(roads), people[0].pk)
    with pytest.raises(KeyTooNarrow):
        lookup.get(("units",), lambda: _visible_in(network), people[0].pk)
    rows = PrecompiledRows()
    rows.rows(("lines",), _lines, roads)
    with pytest.raises(KeyTooNarrow):
        rows.rows(("lines",), lambda ids: _lines(ids).exclude(last_name="Işık"), network)
    # keys that name what differs keep both
    assert pages.fetch(("units", *network), _page(network)) is not None
