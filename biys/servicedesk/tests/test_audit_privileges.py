"""On PostgreSQL the application's role may append to the change log but never rewrite it
(docs/audit.md): with those grants the product still works, and ``audit verify
--check-privileges`` tells a locked-down role from one that could rewrite history."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from biys.core.auditprivileges import change_log_privilege_problems
from biys.core.changelog import verify_chain
from biys.core.context import change_context
from biys.org.models import Unit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="database roles and grants need PostgreSQL"
    ),
]

# The grants docs/audit.md tells an operator to run after `biys migrate`.
APP_GRANTS = """
GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
REVOKE UPDATE, DELETE, TRUNCATE ON core_objectchange FROM {role};
REVOKE DELETE, TRUNCATE ON core_auditchainhead FROM {role};
"""


@pytest.fixture
def app_role():
    """Act as a role holding only the documented grants, for the rest of the test."""
    role = "biys_app_" + hashlib.md5(connection.settings_dict["NAME"].encode()).hexdigest()[:8]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")  # rolled back with the test's transaction
        for statement in APP_GRANTS.format(role=role).strip().splitlines():
            cursor.execute(statement)
        cursor.execute(f"SET ROLE {role}")
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def test_the_superuser_connection_is_reported(org_tree):
    problems = change_log_privilege_problems()
    assert any("superuser" in problem for problem in problems)
    with pytest.raises(CommandError, match="rewrite the change log"):
        call_command("audit", "verify", "--check-privileges")


def test_the_product_works_with_append_only_grants(desk, make_user, app_role, capsys):
    from biys.accounts.erasure import erase_user
    from biys.servicedesk import services

    assert change_log_privilege_problems() == []
    ticket = services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title="Yazıcı çalışmıyor",
        created_by=desk.requester,
    )
    services.take_ticket(ticket=ticket, user=desk.technician)
    with change_context(user=desk.technician):
        unit = Unit.objects.create(name="Geçici", kind="seflik", parent=desk.helpdesk)
        unit.delete()
    leaver = make_user(username="ayrilan")
    erase_user(actor=None, user=leaver, reason="KVKK 2026/1")
    make_user(username="silinen").delete()

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_objectchange SET object_repr = 'forged'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_objectchange")
    assert verify_chain().ok
    call_command("audit", "verify", "--check-privileges")
    assert "append-only" in capsys.readouterr().out
