"""Deleting the register's reference data through its services: an item model, a location, a
store, a software title or a licence nothing holds yet is deleted by the inventory officer of
its unit; one that others hold is refused on the delete page with the list of what holds it
(409), and nothing is deleted."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from biys.core.models import ObjectChange
from biys.inventory import licence_services, services
from biys.inventory.models import ItemModel, Licence, Location, SoftwareTitle, Store
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


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def delete(user, obj):
    url = reverse(f"inventory:{obj._meta.model_name}_delete", args=[obj.pk])
    return client_for(user).post(url)


def refused(response) -> str:
    assert response.status_code == 409, response.status_code
    return response.content.decode()


def test_an_item_model_in_use_is_kept_an_unused_one_deleted(inv):
    used = make_item_model(inv.unit, name="Latitude 5440")
    asset = make_asset(inv.unit, item_model=used)
    page = refused(delete(inv.officer, used))
    assert asset.inventory_number in page
    assert ItemModel.objects.filter(pk=used.pk).exists()
    with pytest.raises(ProtectedError):
        services.delete_item_model(item_model=used, user=inv.officer)

    unused = make_item_model(inv.unit, name="Latitude 7440")
    response = delete(inv.officer, unused)
    assert response.status_code == 302 and not ItemModel.objects.filter(pk=unused.pk).exists()
    assert ObjectChange.objects.filter(
        object_repr__contains="Latitude 7440", action="delete"
    ).exists()


def test_a_location_with_assets_or_devices_is_kept(inv):
    room = make_location(inv.unit, room="101")
    make_asset(inv.unit, location=room)
    make_network_device(inv.unit, name="sw-101", location=room)
    page = refused(delete(inv.officer, room))
    assert "sw-101" in page
    assert Location.objects.filter(pk=room.pk).exists()
    empty = make_location(inv.unit, room="102")
    assert delete(inv.officer, empty).status_code == 302
    assert not Location.objects.filter(pk=empty.pk).exists()


def test_a_store_with_stock_is_kept_an_unused_one_deleted(inv):
    stock = make_stock_item(inv.unit)
    refused(delete(inv.officer, stock.store))
    assert Store.objects.filter(pk=stock.store_id).exists()
    unused = make_store(inv.unit, name="Yedek ambar")
    assert delete(inv.officer, unused).status_code == 302
    assert not Store.objects.filter(pk=unused.pk).exists()


def test_a_title_goes_after_its_licences_and_installations(inv):
    title = make_title(inv.unit, name="Ofis Paketi")
    licence = make_licence(inv.unit, title=title)
    installation = make_installation(inv.unit, title=title)
    page = refused(delete(inv.officer, title))
    assert licence.get_absolute_url() in page
    assert SoftwareTitle.objects.filter(pk=title.pk).exists()

    assert delete(inv.officer, licence).status_code == 302
    assert not Licence.objects.filter(pk=licence.pk).exists()
    refused(delete(inv.officer, title))  # the installation still names it
    installation.delete()
    assert delete(inv.officer, title).status_code == 302
    assert not SoftwareTitle.objects.filter(pk=title.pk).exists()


def test_only_the_officer_of_the_unit_deletes(inv, make_user):
    ours = make_location(inv.unit, room="201")
    theirs = make_location(inv.other_unit, room="301")  # every unit sees the locations
    controller = make_user("inventory_controller", inv.unit)
    # the delete page is offered only on what the user may delete
    assert delete(controller, ours).status_code in (403, 404)
    assert delete(inv.officer, theirs).status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        services.delete_location(location=theirs, user=inv.officer)
    title = make_title(inv.other_unit)
    with pytest.raises(PermissionDenied):
        licence_services.delete_title(title=title, user=inv.officer)
    assert Location.objects.filter(pk__in=[ours.pk, theirs.pk]).count() == 2


def test_the_detail_page_offers_the_delete(inv):
    item_model = make_item_model(inv.unit)
    page = client_for(inv.officer).get(item_model.get_absolute_url()).content.decode()
    assert reverse("inventory:itemmodel_delete", args=[item_model.pk]) in page
