"""A small inventory: the code list's computers code, a model, a location, an officer over the
network branch and two people of it."""

from types import SimpleNamespace

import pytest


@pytest.fixture
def inv(org_tree, make_user, system_context):
    from biys.inventory.tests.factories import computers_code, make_item_model, make_location
    from biys.org.tests.factories import PersonFactory

    unit = org_tree["network"]
    code = computers_code()
    return SimpleNamespace(
        unit=unit,
        other_unit=org_tree["roads"],
        code=code,
        model=make_item_model(unit, brand="Dell", name="OptiPlex 7010", tasinir_code=code),
        location=make_location(unit),
        officer=make_user("inventory_officer", unit),
        alice=PersonFactory(unit=unit, first_name="Ayşe", last_name="Yılmaz"),
        bob=PersonFactory(unit=unit, first_name="Burak", last_name="Çelik"),
    )
