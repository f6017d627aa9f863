"""The process keeps each user's access scope while no role, assignment, permission or unit
changes (``biys.core.generations``): every such change, however it is written, is seen by the
next request, and an unchanged scope costs a request no query of its own."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from biys.accounts.models import Role, RoleAssignment
from biys.core import generations
from biys.org.models import Unit
from biys.servicedesk.tests.factories import make_ticket_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen(client, make_user, org_tree):
    """A technician of the help desk, signed in, and a ticket of that unit they may open."""
    technician = make_user("technician", org_tree["helpdesk"])
    ticket = make_ticket_in(org_tree["helpdesk"], title="Yazıcı çalışmıyor")
    client.force_login(technician)
    url = f"/api/v1/servicedesk/tickets/{ticket.pk}/"
    assert client.get(url).status_code == 200  # the process now keeps the scope
    return technician, url


def test_an_unchanged_scope_costs_a_request_one_query_for_every_cache(client, seen):
    _, url = seen
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sqls = [query["sql"] for query in queries]
    assert sum('"core_generation"' in sql for sql in sqls) == 1
    assert not [sql for sql in sqls if "accounts_roleassignment" in sql], sqls


def test_a_revoked_assignment_is_seen_by_the_next_request(client, seen):
    technician, url = seen
    RoleAssignment.objects.filter(user=technician).delete()
    assert client.get(url).status_code == 404


def test_a_permission_taken_from_the_role_is_seen_by_the_next_request(client, seen):
    _, url = seen
    view = Permission.objects.get(codename="view_ticket", content_type__app_label="servicedesk")
    Role.objects.get(slug="technician").permissions.remove(view)
    assert client.get(url).status_code == 404


def test_an_assignment_moved_in_sql_is_seen_by_the_next_request(client, seen, org_tree):
    technician, url = seen
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_roleassignment SET unit_id = %s WHERE user_id = %s",
            [org_tree["software"].pk, technician.pk],
        )
    assert client.get(url).status_code == 404


def test_a_unit_moved_out_of_the_subtree_is_seen_by_the_next_request(client, seen, org_tree):
    technician, url = seen
    RoleAssignment.objects.filter(user=technician).update(unit=org_tree["software"])
    assert client.get(url).status_code == 404
    # the help desk moves under the software unit: the assignment's subtree now holds it
    software = org_tree["software"]
    Unit.objects.filter(pk=org_tree["helpdesk"].pk).update(path=f"{software.path}99/")
    assert client.get(url).status_code == 200


def test_a_role_that_now_requires_two_factor_is_seen_by_the_next_request(client, seen):
    _, url = seen
    Role.objects.filter(slug="technician").update(requires_two_factor=True)
    response = client.get(url)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_rolled_back_change_never_hands_its_generation_to_other_rows(seen):
    technician, _ = seen
    before = generations.current("access")
    with pytest.raises(RuntimeError), transaction.atomic():
        RoleAssignment.objects.filter(user=technician).delete()
        rolled_back = generations.current("access")
        raise RuntimeError
    assert generations.current("access") == before  # the rows and their generation came back
    RoleAssignment.objects.filter(user=technician).update(include_subtree=False)
    assert generations.current("access") not in (before, rolled_back)


def test_without_a_generation_row_nothing_is_kept(client, seen):
    _, url = seen
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_generation")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert any("accounts_roleassignment" in query["sql"] for query in queries)


def test_every_watched_table_has_its_triggers():
    """A table added to a watch gets its triggers from ``post_migrate``; one without them would
    leave a cache stale."""
    assert {"access", "calendar", "sla_targets"} <= set(generations.watched())
    for name, tables in generations.watched().items():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s",
                    [f"biys_generation_{name}"],
                )
            else:
                cursor.execute(
                    "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                    [f"biys_generation_{name}_%"],
                )
            triggered = {row[0].strip('"') for row in cursor.fetchall()}
        assert triggered == set(tables), name
