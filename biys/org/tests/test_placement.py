"""One placement rule for a unit, whatever the path: the UI edit, the bulk edit and the API
refuse to move a unit under one outside the user's scope; a unit under itself is a field error."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from biys.calendar.views import DeclaredDayDeleteView
from biys.core.views.generic import ObjectDeleteView
from biys.org.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(make_user, org_tree):
    return make_user("chief", org_tree["network"])


def unit_form(unit, **changes):
    data = {
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent_id or "",
        "is_it_department": "on" if unit.is_it_department else "",
        "is_active": "on" if unit.is_active else "",
        "order": unit.order,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_a_chief_cannot_move_their_unit_out_of_their_scope(client, chief, org_tree):
    network, roads = org_tree["network"], org_tree["roads"]
    client.force_login(chief)

    response = client.post(
        reverse("org:unit_edit", args=[network.pk]), unit_form(network, parent=roads.pk)
    )
    assert response.status_code == 403, response.context["form"].errors
    response = client.post(
        reverse("org:unit_bulk_edit"), {"pk": [network.pk], "_apply": "1", "parent": roads.pk}
    )
    assert response.status_code == 403
    api = APIClient()
    api.force_authenticate(chief)
    response = api.patch(f"/api/v1/org/units/{network.pk}/", {"parent": roads.pk}, format="json")
    assert response.status_code in (400, 403)
    network.refresh_from_db()
    assert network.parent_id == org_tree["dept"].pk and network.path.startswith(
        org_tree["dept"].path
    )

    # Editing without moving, and moving inside the scope, still work.
    response = client.post(
        reverse("org:unit_edit", args=[network.pk]), unit_form(network, name="Ağ Şube Müdürlüğü")
    )
    assert response.status_code == 302
    helpdesk = org_tree["helpdesk"]
    client.post(reverse("org:unit_edit", args=[helpdesk.pk]), unit_form(helpdesk))
    assert Unit.objects.get(pk=network.pk).name == "Ağ Şube Müdürlüğü"


def test_a_unit_under_itself_in_bulk_edit_is_a_field_error(client, make_user, org_tree):
    client.force_login(make_user("administrator", org_tree["dept"]))
    network, helpdesk = org_tree["network"], org_tree["helpdesk"]
    url = reverse("org:unit_bulk_edit")
    for parent in (network, helpdesk):
        response = client.post(url, {"pk": [network.pk], "_apply": "1", "parent": parent.pk})
        assert response.status_code == 200
        assert response.context["form"].errors.get("parent"), parent
    network.refresh_from_db()
    assert network.parent_id == org_tree["dept"].pk


def test_generic_deletes_of_declared_days_go_through_the_service():
    assert DeclaredDayDeleteView.delete_object is not ObjectDeleteView.delete_object
