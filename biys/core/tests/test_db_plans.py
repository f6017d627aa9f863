"""Pattern searches are never prepared (``biys.core.db_plans``): each is planned for its own
pattern, while the other statements a connection repeats are prepared as before."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from biys.core.db_plans import PATTERN_MATCH


@pytest.mark.parametrize(
    ("sql", "matches"),
    [
        ('SELECT 1 FROM t WHERE "t"."search_text"::text LIKE %s', True),
        ('SELECT 1 FROM t WHERE UPPER("t"."name"::text) LIKE UPPER(%s)', True),
        ('SELECT 1 FROM t WHERE "t"."name"::text ILIKE %s', True),
        ('SELECT 1 FROM t WHERE "t"."name"::text ~* %s', True),
        ('SELECT 1 FROM t WHERE "t"."name" SIMILAR TO %s', True),
        ("SELECT 1 FROM t WHERE t.document @@ plainto_tsquery(%s)", True),
        ('SELECT 1 FROM t WHERE "t"."id" = %s AND "t"."state" IN (%s, %s)', False),
        ('SELECT "t"."like_count", "t"."dislike" FROM t WHERE "t"."id" = %s', False),
    ],
)
def test_what_counts_as_a_pattern_search(sql, matches):
    assert bool(PATTERN_MATCH.search(sql)) is matches


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_a_pattern_search_is_never_prepared_and_a_lookup_is():
    if connection.settings_dict["OPTIONS"].get("server_side_binding") is not True:
        pytest.skip("prepared statements are switched off")
    threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold", 5)
    for n in range(threshold + 10):  # past the threshold and PostgreSQL's five custom plans
        list(ContentType.objects.filter(model__contains=f"ticket{n}"))
        list(ContentType.objects.filter(model=f"ticket{n}"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"django_content_type"."model" = $1' in text for text in prepared), prepared
    assert not any("LIKE" in text for text in prepared), prepared
