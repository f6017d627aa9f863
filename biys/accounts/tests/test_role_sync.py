"""The built-in roles' sync runs after every migrate and every test flush: it must restore what
a role grants and write nothing when nothing differs."""

import pytest
from django.contrib.auth.models import Permission

from biys.accounts.models import Role
from biys.accounts.roles import RoleSpec, builtin_roles
from biys.accounts.services import sync_builtin_roles
from biys.core.models import ObjectChange


def _granted(role: Role) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in role.permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_sync_restores_each_role_to_its_patterns():
    sync_builtin_roles()
    technician = Role.objects.get(slug="technician")
    spec = next(spec for spec in builtin_roles() if spec.slug == "technician")
    expected = _granted(technician)
    assert expected and all(spec.matches(name) for name in expected)

    stray = Permission.objects.get(content_type__app_label="accounts", codename="delete_user")
    technician.permissions.add(stray)
    technician.permissions.remove(*technician.permissions.all()[:3])
    technician.name = "renamed"
    technician.save()

    sync_builtin_roles()
    technician.refresh_from_db()
    assert _granted(technician) == expected
    assert technician.name == str(spec.name)


@pytest.mark.django_db
def test_sync_writes_nothing_when_nothing_differs(django_assert_max_num_queries):
    sync_builtin_roles()
    changes = ObjectChange.objects.count()
    with django_assert_max_num_queries(5):  # permissions, roles, their grants, a savepoint
        sync_builtin_roles()
    assert ObjectChange.objects.count() == changes


def test_patterns_match_as_shell_wildcards_with_exclusions():
    spec = RoleSpec("x", "x", "x", include=["inventory.*", "core.view_*"], exclude=["*.delete_*"])
    assert spec.matches("inventory.change_asset")
    assert spec.matches("core.view_objectchange")
    assert not spec.matches("inventory.delete_asset")
    assert not spec.matches("core.change_objectchange")
    assert not spec.matches("xinventory.change_asset")
    assert not RoleSpec("y", "y", "y").matches("inventory.change_asset")
