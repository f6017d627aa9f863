import pytest


@pytest.fixture
def calendar_admin(make_user, org_tree):
    """An administrator over every root unit, so the role holds municipality-wide (declared days
    belong to no unit)."""
    from biys.accounts.models import Role, RoleAssignment

    user = make_user("administrator", org_tree["dept"], username="takvim_yonetici")
    RoleAssignment.objects.create(
        user=user, role=Role.objects.get(slug="administrator"), unit=org_tree["roads"]
    )
    return user
