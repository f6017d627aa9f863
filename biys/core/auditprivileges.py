"""Whether the application's database user could rewrite the change log.

In production the tables belong to a separate owner role that runs the migrations, and the role
the application connects as may only SELECT and INSERT change records (docs/audit.md has the SQL).
Then even a compromised application cannot edit or delete history, only append to it.
"""

from django.db import connections

from biys.core.models import AuditChainHead, ObjectChange

FORBIDDEN = ("UPDATE", "DELETE", "TRUNCATE")


def change_log_privilege_problems(using: str = "default") -> list[str]:
    """What the connected user may do to the change log that it should not; [] when locked down.

    Raises NotImplementedError on databases without roles (SQLite)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise NotImplementedError(connection.vendor)
    table = ObjectChange._meta.db_table
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, pg_get_userbyid(c.relowner), r.rolsuper"
            " FROM pg_class c, pg_roles r"
            " WHERE c.oid = %s::regclass AND r.rolname = current_user",
            [table],
        )
        user, owner, superuser = cursor.fetchone()
        if superuser:
            problems.append(f"{user} is a superuser")
        if user == owner:
            problems.append(f"{user} owns {table} and can grant itself anything")
        for privilege in FORBIDDEN:
            cursor.execute("SELECT has_table_privilege(%s, %s)", [table, privilege])
            if cursor.fetchone()[0]:
                problems.append(f"{user} may {privilege} {table}")
        head_table = AuditChainHead._meta.db_table
        cursor.execute("SELECT has_table_privilege(%s, 'DELETE')", [head_table])
        if cursor.fetchone()[0]:
            problems.append(f"{user} may DELETE {head_table}")
    return problems
