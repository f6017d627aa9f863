"""The indexed search (pg_trgm on PostgreSQL, FTS5 trigram on SQLite) finds exactly what the
plain ``LIKE '%word%'`` over the folded text finds, Turkish folding included, and stays in step
with inserts, updates and deletes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from biys.core.search import filter_by_terms
from biys.core.text import search_terms
from biys.org.models import Person
from biys.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NAMES = [
    ("İsmail", "Işık"),
    ("Ismail", "Isik"),
    ("ılgaz", "IŞIKLAR"),
    ("Şule", "Çağlayan"),
    ("Gülşen", "Öztürk"),
    ("Ümit", "İnce"),
    ("Oğuz", "Doğan"),
    ("Zeynep", "Sığırcı"),
    ("Ali", "Ak"),
]
QUERIES = [
    "ışık",
    "IŞIK",
    "isik",
    "İSMAİL",
    "ismail işık",
    "ık",
    "i",
    "çağ",
    "CAGLAYAN",
    "öztürk gül",
    "ak",
    "ali ak",
    "sığır",
    "SIĞIRCI zeynep",
    "oğuz doğ",
    "yok",
    'a"b',
    "10%",
]


def like_semantics(rows, query):
    terms = search_terms(query)
    return {row.pk for row in rows if all(term in row.search_text for term in terms)}


@pytest.fixture
def people():
    return [PersonFactory(first_name=first, last_name=last) for first, last in NAMES]


def test_indexed_search_equals_substring_semantics(people):
    rows = list(Person.objects.all())
    for query in QUERIES:
        found = set(filter_by_terms(Person.objects.all(), query).values_list("pk", flat=True))
        assert found == like_semantics(rows, query), query
    assert len(like_semantics(rows, "ışık")) == 3  # İsmail Işık, Ismail Isik, ılgaz IŞIKLAR


def test_the_index_answers_long_words_and_like_the_short_ones(people):
    with CaptureQueriesContext(connection) as captured:
        list(filter_by_terms(Person.objects.all(), "işık ak"))
    sql = captured.captured_queries[-1]["sql"]
    if connection.vendor == "sqlite":
        assert "MATCH" in sql and "org_person_fts" in sql
        assert "LIKE" in sql  # "ak": two letters, no trigram
    else:
        assert "LIKE" in sql and "MATCH" not in sql
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM org_person WHERE search_text LIKE %s", ["%isik%"]
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "org_person_search_trgm" in plan


def test_the_index_follows_inserts_updates_and_deletes(people):
    def found(query):
        return set(filter_by_terms(Person.objects.all(), query).values_list("pk", flat=True))

    person = people[0]
    assert person.pk in found("işık")
    person.last_name = "Karadağ"
    person.save()
    assert person.pk not in found("işık")
    assert found("karadağ") == {person.pk}
    Person.objects.filter(pk=person.pk).update(search_text="toplu guncelleme")
    assert found("guncel") == {person.pk}
    assert not found("karadag")
    person.delete()
    assert not found("guncel")
    newcomer = PersonFactory(first_name="Çiğdem", last_name="Ilıcalı")
    assert found("ILICA") == {newcomer.pk}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 triggers")
def test_the_index_comes_back_after_a_migration_rebuilt_the_table(people):
    """SQLite alters a table by rebuilding it, which drops its triggers; the ``post_migrate``
    pass (``create_search_index`` for each indexed table) puts them back and reads the rows
    written in between."""
    from biys.core.search_index import create_search_index, fts_table

    class Editor:  # what the function uses of a schema editor (none runs inside a test's atomic)
        def __init__(self):
            self.connection = connection

        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    fts = fts_table(Person._meta.db_table)
    with connection.cursor() as cursor:
        for suffix in ("insert", "delete", "update"):
            cursor.execute(f'DROP TRIGGER "{fts}_{suffix}"')
    written_meanwhile = PersonFactory(first_name="Çiğdem", last_name="Ilıcalı")
    create_search_index(Editor(), Person._meta.db_table)

    def found(query):
        return set(filter_by_terms(Person.objects.all(), query).values_list("pk", flat=True))

    assert found("ılıca") == {written_meanwhile.pk}
    later = PersonFactory(first_name="Nazlı", last_name="Gökdere")
    assert found("gökdere") == {later.pk}
