"""Deleting the register's reference data through the API: item models, locations, stores,
software titles and licences go through the delete pages' services (one rule for both), in one
transaction. One that other records hold is a 409 problem naming them in ``held_by``, and
nothing is deleted; only the inventory officer of the record's unit deletes."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from biys.core.api.problems import PROBLEM_CONTENT_TYPE
from biys.core.models import ObjectChange
from biys.inventory.models import (
    ItemModel,
    Licence,
    LicenceExpiryAlert,
    Location,
    SoftwareTitle,
    Store,
)
from biys.inventory.tests.factories import (
    make_asset,
    make_installation,
    make_item_model,
    make_licence,
    make_location,
    make_network_device,
    make_stock_item,
    make_store,
    make_title,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/inventory"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def held(response) -> dict:
    """{model: (count, [display, ...])} of a 409 problem's ``held_by``."""
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = response.json()
    assert body["status"] == 409 and body["type"].endswith("/conflict") and body["detail"]
    return {
        group["model"]: (group["count"], [row["display"] for row in group["objects"]])
        for group in body["held_by"]
    }


def test_an_item_model_in_use_is_refused_with_its_assets_an_unused_one_deleted(inv):
    used = make_item_model(inv.unit, name="Latitude 5440")
    asset = make_asset(inv.unit, item_model=used)
    api = api_for(inv.officer)
    changes = ObjectChange.objects.count()

    response = api.delete(f"{API}/item-models/{used.pk}/")
    assert held(response) == {"inventory.asset": (1, [str(asset)])}
    body = response.json()
    assert body["held_by"][0]["objects"][0]["id"] == asset.pk
    assert body["detail"].startswith("Başka kayıtlar hâlâ buna bağlı: 1 ")  # Turkish
    assert ItemModel.objects.filter(pk=used.pk).exists()
    assert ObjectChange.objects.count() == changes  # nothing written

    unused = make_item_model(inv.unit, name="Latitude 7440")
    assert api.delete(f"{API}/item-models/{unused.pk}/").status_code == 204
    assert not ItemModel.objects.filter(pk=unused.pk).exists()
    assert ObjectChange.objects.filter(
        object_repr__contains="Latitude 7440", action="delete"
    ).exists()


def test_a_location_with_an_asset_and_a_device_is_kept(inv):
    room = make_location(inv.unit, room="101")
    make_asset(inv.unit, location=room)
    make_network_device(inv.unit, name="sw-101", location=room)
    api = api_for(inv.officer)
    holders = held(api.delete(f"{API}/locations/{room.pk}/"))
    assert holders["inventory.asset"][0] == 1
    assert holders["inventory.networkdevice"] == (1, ["sw-101"])
    assert Location.objects.filter(pk=room.pk).exists()

    empty = make_location(inv.unit, room="102")
    assert api.delete(f"{API}/locations/{empty.pk}/").status_code == 204
    assert not Location.objects.filter(pk=empty.pk).exists()


def test_a_store_with_stock_is_kept_an_unused_one_deleted(inv):
    stock = make_stock_item(inv.unit)
    api = api_for(inv.officer)
    holders = held(api.delete(f"{API}/stores/{stock.store_id}/"))
    assert holders["inventory.stockitem"][0] == 1
    assert Store.objects.filter(pk=stock.store_id).exists()

    unused = make_store(inv.unit, name="Yedek ambar")
    assert api.delete(f"{API}/stores/{unused.pk}/").status_code == 204
    assert not Store.objects.filter(pk=unused.pk).exists()


def test_a_title_goes_after_its_licences_and_installations(inv):
    title = make_title(inv.unit, name="Ofis Paketi")
    licence = make_licence(inv.unit, title=title)
    installation = make_installation(inv.unit, title=title)
    LicenceExpiryAlert.objects.create(
        licence=licence, days=30, expires_on=licence.expires_on, sent_at=timezone.now()
    )
    api = api_for(inv.officer)
    holders = held(api.delete(f"{API}/software/{title.pk}/"))
    assert holders == {
        "inventory.installation": (1, [str(installation)]),
        "inventory.licence": (1, [str(licence)]),
    }

    assert api.delete(f"{API}/licences/{licence.pk}/").status_code == 204
    assert not Licence.objects.filter(pk=licence.pk).exists()
    assert not LicenceExpiryAlert.objects.exists()  # its alerts go with it
    assert held(api.delete(f"{API}/software/{title.pk}/")) == {
        "inventory.installation": (1, [str(installation)])
    }
    installation.delete()
    assert api.delete(f"{API}/software/{title.pk}/").status_code == 204
    assert not SoftwareTitle.objects.filter(pk=title.pk).exists()


def test_only_the_officer_of_the_unit_deletes(inv, make_user):
    ours = make_location(inv.unit, room="201")
    theirs = make_location(inv.other_unit, room="301")  # every unit sees the locations
    their_licence = make_licence(inv.other_unit)  # seen only in its unit
    controller = make_user("inventory_controller", inv.unit)  # no delete permission
    assert api_for(controller).delete(f"{API}/locations/{ours.pk}/").status_code == 403
    officer = api_for(inv.officer)
    response = officer.delete(f"{API}/locations/{theirs.pk}/")
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert officer.delete(f"{API}/licences/{their_licence.pk}/").status_code == 404
    assert Location.objects.filter(pk__in=[ours.pk, theirs.pk]).count() == 2
    assert Licence.objects.filter(pk=their_licence.pk).exists()
