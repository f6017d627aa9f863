"""A query compiled once per key answers as the queryset it was compiled from, for any pk."""

import pytest
from django.db import connection
from django.db.models import Prefetch, Q
from django.test.utils import CaptureQueriesContext

from biys.core.precompiled import PrecompiledLookup, PrecompiledRows
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


def test_every_pk_as_the_queryset_answers_it_compiled_once(people, org_tree):
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
