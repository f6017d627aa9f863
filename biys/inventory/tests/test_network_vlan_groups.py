"""VLAN groups of the network inventory: a name once in its unit, a range of VLAN IDs (lowest
first, holding the group's VLANs); a VLAN's VLAN ID once in its group and within its range (two
groups, or a group and the unit's group-less VLANs, may number alike); a group of another unit is
refused; a group still holding VLANs is kept (409 with what holds it); the pages, filters and
API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from biys.inventory import network_services
from biys.inventory.models import VLAN, VLANGroup
from biys.inventory.tests.factories import make_vlan, make_vlan_group

pytestmark = pytest.mark.django_db

API = "/api/v1/inventory"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_group_has_its_name_once_in_its_unit_and_a_range_lowest_first(inv):
    make_vlan_group(inv.unit, name="Hizmet Binası")
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            make_vlan_group(inv.unit, name=" Hizmet Binası ")
        assert "name" in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:
            make_vlan_group(inv.unit, name="Ters", min_vid=200, max_vid=100)
        assert "below the lowest" in refused.value.message_dict["max_vid"][0]
        with pytest.raises(ValidationError) as refused:
            make_vlan_group(inv.unit, name="Taşan", min_vid=0, max_vid=5000)
        assert {"min_vid", "max_vid"} <= set(refused.value.message_dict)
    # another unit names its own groups
    assert make_vlan_group(inv.other_unit, name="Hizmet Binası").pk


def test_a_vlan_id_is_once_in_its_group_and_within_its_range(inv):
    campus = make_vlan_group(inv.unit, name="Kampüs", min_vid=100, max_vid=199)
    depot = make_vlan_group(inv.unit, name="Garaj", min_vid=100, max_vid=199)
    make_vlan(inv.unit, vid=110, name="KAMERA", group=campus)
    with pytest.raises(ValidationError) as refused:
        make_vlan(inv.unit, vid=110, name="BAŞKA", group=campus)
    assert "KAMERA" in refused.value.message_dict["vid"][0]
    # another group, and the unit's group-less VLANs, number alike
    assert make_vlan(inv.unit, vid=110, group=depot).pk
    assert make_vlan(inv.unit, vid=110).pk
    with pytest.raises(ValidationError) as refused:
        make_vlan(inv.unit, vid=110)
    assert "vid" in refused.value.message_dict
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        make_vlan(inv.unit, vid=300, group=campus)
    assert "100 to 199" in refused.value.message_dict["vid"][0]
    assert VLAN.objects.filter(group=campus).count() == 1
    # the range cannot leave a VLAN of the group outside it
    campus.min_vid = 120
    with pytest.raises(ValidationError) as refused:
        network_services.save_vlan_group(group=campus, user=inv.officer)
    assert "110" in refused.value.message_dict["min_vid"][0]


def test_a_group_of_another_unit_is_refused_and_not_the_officers_to_write(inv):
    theirs = make_vlan_group(inv.other_unit, name="Yol")
    vlan = VLAN(unit=inv.unit, vid=20, name="PDKS", group=theirs)
    with pytest.raises(ValidationError) as refused:
        network_services.save_vlan(vlan=vlan, user=inv.officer)
    assert "group" in refused.value.message_dict
    theirs.description = "değişti"
    with pytest.raises(PermissionDenied):
        network_services.save_vlan_group(group=theirs, user=inv.officer)


def test_the_pages_and_api(inv, make_user):
    campus = make_vlan_group(inv.unit, name="Kampüs", min_vid=10, max_vid=99)
    make_vlan_group(inv.other_unit, name="Yol")
    vlan = make_vlan(inv.unit, vid=30, name="KAMERA", group=campus)
    client = Client()
    client.force_login(inv.officer)
    listed = client.get(reverse("inventory:vlangroup_list"))
    assert [row.name for row in listed.context["table"].data] == ["Kampüs"]
    page = client.get(campus.get_absolute_url(), {"tab": "vlans"}).content.decode()
    assert "KAMERA" in page and vlan.get_absolute_url() in page
    listed = client.get(reverse("inventory:vlan_list"), {"group": campus.pk})
    assert [row.name for row in listed.context["table"].data] == ["KAMERA"]
    options = client.get(reverse("inventory:vlan_list"), {"_options": "group"}).content.decode()
    assert "Kampüs" in options and "Yol" not in options
    response = client.post(
        reverse("inventory:vlangroup_add"),
        {"unit": inv.unit.pk, "name": "Garaj", "min_vid": 200, "max_vid": 100},
    )
    assert response.status_code == 400 and "max_vid" in response.context["form"].errors
    response = client.post(
        reverse("inventory:vlan_add"),
        {"unit": inv.unit.pk, "group": campus.pk, "vid": 30, "name": "İKİZ", "status": "active"},
    )
    assert response.status_code == 400 and "vid" in response.context["form"].errors

    api = api_for(inv.officer)
    response = api.post(
        f"{API}/vlan-groups/",
        {"unit": inv.unit.pk, "name": "Garaj", "min_vid": 100, "max_vid": 199},
        format="json",
    )
    assert response.status_code == 201, response.content
    garage = response.json()["id"]
    response = api.post(
        f"{API}/vlan-groups/", {"unit": inv.unit.pk, "name": "Garaj"}, format="json"
    )
    assert response.status_code == 400 and "name" in response.json()["errors"]
    response = api.post(
        f"{API}/vlans/",
        {"unit": inv.unit.pk, "group": campus.pk, "vid": 30, "name": "İKİZ"},
        format="json",
    )
    assert response.status_code == 400 and "vid" in response.json()["errors"]
    response = api.post(
        f"{API}/vlans/",
        {"unit": inv.unit.pk, "group": garage, "vid": 5, "name": "DIŞARIDA"},
        format="json",
    )
    assert response.status_code == 400 and "vid" in str(response.content)
    response = api.delete(f"{API}/vlan-groups/{campus.pk}/")
    assert response.status_code == 409, response.content
    held = {group["model"]: group["count"] for group in response.json()["held_by"]}
    assert held == {"inventory.vlan": 1}
    assert api.delete(f"{API}/vlan-groups/{garage}/").status_code == 204
    assert not VLANGroup.objects.filter(pk=garage).exists()
    controller = api_for(make_user("inventory_controller", inv.unit))
    assert controller.get(f"{API}/vlan-groups/").json()["count"] == 1
    response = controller.post(
        f"{API}/vlan-groups/", {"unit": inv.unit.pk, "name": "X"}, format="json"
    )
    assert response.status_code == 403


def test_a_group_names_its_site_on_the_form_list_filter_and_api(inv):
    from biys.inventory.tests.factories import make_location

    annex = make_location(inv.unit, building="Ek Hizmet Binası", floor="1", room="101")
    campus = make_vlan_group(inv.unit, name="Kampüs", location=inv.location)
    make_vlan_group(inv.unit, name="Ek Bina", location=annex)
    make_vlan_group(inv.unit, name="Sitesiz")
    client = Client()
    client.force_login(inv.officer)
    form = client.get(reverse("inventory:vlangroup_edit", args=[campus.pk]))
    assert form.context["form"]["location"].value() == inv.location.pk
    response = client.post(
        reverse("inventory:vlangroup_edit", args=[campus.pk]),
        {
            "unit": inv.unit.pk,
            "name": "Kampüs",
            "location": annex.pk,
            "min_vid": 200,
            "max_vid": 100,
        },
    )
    assert response.status_code == 400  # a range upside down: nothing saved
    campus.refresh_from_db()
    assert campus.location == inv.location
    response = client.post(
        reverse("inventory:vlangroup_edit", args=[campus.pk]),
        {
            "unit": inv.unit.pk,
            "name": "Kampüs",
            "location": annex.pk,
            "min_vid": 1,
            "max_vid": 4094,
        },
    )
    assert response.status_code == 302
    campus.refresh_from_db()
    assert campus.location == annex
    listed = client.get(reverse("inventory:vlangroup_list"), {"location": annex.pk})
    table = listed.context["table"]
    assert sorted(row.name for row in table.data) == ["Ek Bina", "Kampüs"]
    assert "location" in [column.name for column in table.columns]
    assert "Ek Hizmet Binası" in listed.content.decode()
    page = client.get(campus.get_absolute_url()).content.decode()
    assert "Ek Hizmet Binası" in page

    api = api_for(inv.officer)
    rows = api.get(f"{API}/vlan-groups/", {"location": inv.location.pk}).json()["results"]
    assert rows == []
    rows = api.get(f"{API}/vlan-groups/", {"location": annex.pk}).json()["results"]
    assert {row["name"] for row in rows} == {"Ek Bina", "Kampüs"}
    assert {row["location"] for row in rows} == {annex.pk}
    response = api.patch(
        f"{API}/vlan-groups/{campus.pk}/", {"location": inv.location.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["location"] == inv.location.pk
    response = api.patch(f"{API}/vlan-groups/{campus.pk}/", {"location": 999999}, format="json")
    assert response.status_code == 400 and "location" in response.json()["errors"]
    campus.refresh_from_db()
    assert campus.location == inv.location


def test_the_group_list_is_in_turkish_alphabetical_order(inv):
    for name in ["Zabıta", "İtfaiye", "Işıklar", "Çarşı", "Cami", "Ilgaz", "ikinci"]:
        make_vlan_group(inv.unit, name=name)
    expected = ["Cami", "Çarşı", "Ilgaz", "Işıklar", "ikinci", "İtfaiye", "Zabıta"]
    client = Client()
    client.force_login(inv.officer)
    listed = client.get(reverse("inventory:vlangroup_list"))
    assert [row.name for row in listed.context["table"].data] == expected
    listed = client.get(reverse("inventory:vlangroup_list"), {"sort": "-name"})
    assert [row.name for row in listed.context["table"].data] == expected[::-1]
    rows = api_for(inv.officer).get(f"{API}/vlan-groups/").json()["results"]
    assert [row["name"] for row in rows] == expected
    # a renamed group moves to its new place
    group = VLANGroup.objects.get(name="Zabıta")
    group.name = "Avcılar"
    network_services.save_vlan_group(group=group, user=inv.officer)
    assert VLANGroup.objects.values_list("name", flat=True).first() == "Avcılar"


def test_the_vlans_unit_says_what_it_scopes_in_turkish():
    field = VLAN._meta.get_field("unit")
    with translation.override("en"):
        english = str(field.help_text)
    with translation.override("tr"):
        turkish = str(field.help_text)
    assert "roles cover this unit" in english
    assert turkish != english and "birim" in turkish.lower()
