"""Access scope: which units a role assignment covers, and what each built-in role may do."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from biys.accounts.models import Role, RoleAssignment
from biys.accounts.scope import ALL, build_scope, can, can_add, get_scope
from biys.core.models import ObjectChange
from biys.org.models import Person, Unit


def ids(*units):
    return frozenset(unit.pk for unit in units)


def test_technician_of_a_branch_sees_its_section_but_not_another_branch(make_user, org_tree):
    technician = make_user("technician", org_tree["network"])
    scope = get_scope(technician)
    assert scope.units_for("org.view_person") == ids(org_tree["network"], org_tree["helpdesk"])
    assert scope.has_perm("org.view_person", org_tree["helpdesk"].pk)
    assert not scope.has_perm("org.view_person", org_tree["software"].pk)
    assert not scope.has_perm("org.change_person", org_tree["network"].pk)
    assert not scope.has_perm("accounts.view_user")


def test_assignment_without_subtree_covers_the_unit_only(make_user, org_tree):
    technician = make_user("technician", org_tree["network"], include_subtree=False)
    assert get_scope(technician).units_for("org.view_person") == ids(org_tree["network"])


def test_chief_changes_inside_their_units_only(make_user, org_tree):
    chief = make_user("chief", org_tree["network"])
    assert set(Unit.objects.restrict(chief, "change")) == {
        org_tree["network"],
        org_tree["helpdesk"],
    }
    assert can(chief, "change", org_tree["helpdesk"])
    assert not can(chief, "change", org_tree["software"])
    assert can_add(chief, Person, org_tree["helpdesk"].pk)
    assert not can_add(chief, Person, org_tree["roads"].pk)
    assert not can(chief, "delete", org_tree["network"])  # chiefs do not delete


def test_department_head_reads_the_change_log_of_the_department(make_user, org_tree):
    head = make_user("department_head", org_tree["dept"])
    scope = get_scope(head)
    assert scope.has_perm("core.view_objectchange", org_tree["software"].pk)
    assert not scope.has_perm("core.view_objectchange", org_tree["roads"].pk)
    assert not scope.has_perm("accounts.change_user")


def test_administrator_over_the_department(make_user, org_tree):
    admin = make_user("administrator", org_tree["dept"])
    scope = get_scope(admin)
    inside = ids(org_tree["dept"], org_tree["network"], org_tree["helpdesk"], org_tree["software"])
    assert scope.units_for("accounts.change_user") == inside
    assert scope.units_for("org.delete_unit") == inside
    assert not scope.has_perm("org.change_person", org_tree["roads"].pk)
    assert not scope.has_perm("core.change_objectchange")  # nobody edits the change log
    assert not scope.has_perm("core.delete_objectchange")


def test_superuser_holds_everything(make_user, db):
    root = make_user(superuser=True)
    scope = get_scope(root)
    assert scope.units_for("org.delete_unit") is ALL
    assert scope.units_for("anything.at_all") is ALL


def test_user_without_roles_holds_nothing(make_user, org_tree):
    nobody = make_user(None, org_tree["roads"])
    assert get_scope(nobody).perms == set()
    assert list(RoleAssignment.objects.restrict(nobody)) == []


def test_scope_is_resolved_once_per_user_object(make_user, org_tree):
    technician = make_user("technician", org_tree["network"])
    get_scope(technician)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            get_scope(technician).has_perm("org.view_person", org_tree["network"].pk)
    assert len(queries) == 0


def test_scope_is_two_queries_whatever_the_roles(make_user, org_tree):
    technician = make_user("technician", org_tree["network"])
    for slug, unit, subtree in (
        ("chief", org_tree["dept"], True),
        ("requester", org_tree["roads"], False),
        ("auditor", org_tree["software"], True),
    ):
        RoleAssignment.objects.create(
            user=technician, role=Role.objects.get(slug=slug), unit=unit, include_subtree=subtree
        )
    with CaptureQueriesContext(connection) as queries:
        scope = build_scope(technician)
    assert len(queries) == 2
    # The same as reading each assignment's role, its permissions and the unit's subtree.
    expected: dict[str, set[int]] = {}
    for assignment in RoleAssignment.objects.filter(user=technician):
        units = (
            Unit.objects.filter(path__startswith=assignment.unit.path)
            if assignment.include_subtree
            else Unit.objects.filter(pk=assignment.unit_id)
        )
        for permission in assignment.role.permissions.all():
            name = f"{permission.content_type.app_label}.{permission.codename}"
            expected.setdefault(name, set()).update(units.values_list("pk", flat=True))
    assert scope.unit_ids_by_perm == {name: frozenset(ids) for name, ids in expected.items()}
    everywhere = set(Unit.objects.values_list("pk", flat=True))
    assert scope.global_perms == {name for name, ids in expected.items() if ids >= everywhere}
    assert scope.has_perm("servicedesk.change_ticket", org_tree["helpdesk"].pk)
    assert not scope.has_perm("servicedesk.change_ticket", org_tree["roads"].pk)


def test_inactive_user_holds_nothing(make_user, org_tree):
    technician = make_user("technician", org_tree["network"])
    technician.is_active = False
    assert get_scope(technician).perms == set()


@pytest.fixture
def auditor(make_user, org_tree):
    """The auditor is assigned over every root unit: reading holds in every unit."""
    user = make_user("auditor", org_tree["dept"])
    RoleAssignment.objects.create(
        user=user, role=Role.objects.get(slug="auditor"), unit=org_tree["roads"]
    )
    return user


def test_auditor_reads_everything_including_the_change_log(auditor, org_tree):
    scope = get_scope(auditor)
    assert scope.units_for("core.view_objectchange") is ALL
    assert scope.units_for("accounts.view_user") is ALL
    assert scope.units_for("org.view_person") is ALL
    assert ObjectChange.objects.restrict(auditor).count() == ObjectChange.objects.count() > 0
    assert not any(
        perm.split(".")[1].startswith(("add_", "change_", "delete_")) for perm in scope.perms
    )


def test_every_write_of_the_auditor_is_refused(auditor, org_tree, admin_user):
    api = APIClient()
    api.force_authenticate(auditor)
    assert api.get("/api/v1/org/units/").status_code == 200
    assert api.get("/api/v1/accounts/users/").status_code == 200
    unit = org_tree["software"]
    writes = [
        api.post("/api/v1/org/units/", {"name": "Yeni", "kind": "birim", "parent": unit.pk}),
        api.patch(f"/api/v1/org/units/{unit.pk}/", {"name": "Değişti"}),
        api.delete(f"/api/v1/org/units/{unit.pk}/"),
        api.post(
            "/api/v1/accounts/role-assignments/",
            {"user": admin_user.pk, "role": Role.objects.get(slug="auditor").pk, "unit": unit.pk},
        ),
        api.patch(f"/api/v1/accounts/users/{admin_user.pk}/", {"first_name": "X"}),
        api.post("/api/v1/accounts/roles/", {"slug": "yeni", "name": "Yeni"}),
    ]
    assert [response.status_code for response in writes] == [403] * len(writes)
    unit.refresh_from_db()
    assert unit.name == "Yazılım Şube Müdürlüğü"
