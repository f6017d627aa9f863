"""The register's rules: numbering, serials, status moves, custody, refusals at the field."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from biys.core.models import ObjectChange
from biys.inventory import services
from biys.inventory.models import AssetStatus, Custody, ItemModel
from biys.inventory.tests.factories import make_asset

pytestmark = pytest.mark.django_db
ISTANBUL = ZoneInfo("Europe/Istanbul")


def register(inv, **extra):
    values = {
        "unit": inv.unit,
        "item_model": inv.model,
        "acquired_on": date(2025, 5, 2),
        "value": Decimal("31000.00"),
        **extra,
    }
    return services.register_asset(user=inv.officer, **values)


def test_inventory_numbers_follow_the_code_and_restart_every_year(inv, settings):
    first = register(inv, serial_number="A1")
    second = register(inv, serial_number="A2")
    year = first.created.astimezone(ISTANBUL).year
    assert first.inventory_number == f"253.02.01.01-{year}-00001"
    assert second.inventory_number == f"253.02.01.01-{year}-00002"
    assert first.tasinir_code == inv.code
    next_year = datetime(year + 1, 1, 2, 9, tzinfo=ISTANBUL)
    settings.BIYS_INVENTORY_NUMBER_FORMAT = "{code}/{year}/{seq}"
    third = services.register_asset(
        user=inv.officer, at=next_year, unit=inv.unit, item_model=inv.model,
        acquired_on=date(2025, 5, 2),
    )  # fmt: skip
    assert third.inventory_number == f"253.02.01.01/{year + 1}/1"


def test_a_serial_is_unique_when_given_and_blank_is_none(inv):
    register(inv, serial_number="CZC1234")
    with pytest.raises(ValidationError) as error:
        register(inv, serial_number="CZC1234")
    assert "serial_number" in error.value.message_dict
    assert register(inv, serial_number="  ").serial_number is None
    assert register(inv, serial_number="").serial_number is None


def test_registering_refuses_with_field_errors(inv):
    consumable = ItemModel(
        unit=inv.unit, brand="HP", name="CF259A", category="supply", tasinir_code=inv.code
    )
    consumable.kind = "consumable"
    consumable.save()
    with pytest.raises(ValidationError) as error:
        register(inv, item_model=consumable)
    assert "item_model" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        register(inv, acquired_on=date(2099, 1, 1), warranty_end=date(2020, 1, 1))
    assert {"acquired_on", "warranty_end"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        register(inv, value=Decimal("-1"))
    assert "value" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.register_asset(user=inv.officer, unit=inv.unit)
    assert {"item_model", "acquired_on"} <= set(error.value.message_dict)


def test_registering_needs_the_add_permission_over_the_unit(inv, make_user):
    with pytest.raises(PermissionDenied):
        register(inv, unit=inv.other_unit)
    technician = make_user("technician", inv.unit)
    with pytest.raises(PermissionDenied):
        services.register_asset(
            user=technician, unit=inv.unit, item_model=inv.model, acquired_on=date(2025, 1, 1)
        )


def test_hand_over_take_back_and_transfer(inv):
    asset = register(inv, serial_number="S1")
    custody = services.hand_over(asset=asset, person=inv.alice, user=inv.officer)
    asset.refresh_from_db()
    assert (asset.status, asset.custodian) == (AssetStatus.IN_CUSTODY, inv.alice)
    assert custody.number.startswith("ZF-") and custody.is_open and custody.unit == inv.unit

    moved = services.transfer(asset=asset, person=inv.bob, user=inv.officer)
    custody.refresh_from_db()
    asset.refresh_from_db()
    assert custody.end_reason == "transferred" and custody.ended_at is not None
    assert asset.custodian == inv.bob and moved.person == inv.bob and moved.number != custody.number

    services.take_back(asset=asset, user=inv.officer, notes="Emekli oldu")
    asset.refresh_from_db()
    moved.refresh_from_db()
    assert (asset.status, asset.custodian) == (AssetStatus.IN_STORE, None)
    assert moved.end_reason == "returned" and "Emekli" in moved.notes
    assert list(Custody.objects.filter(asset=asset).values_list("person", flat=True)) == [
        inv.bob.pk,
        inv.alice.pk,
    ]


def test_custody_refusals_name_the_field(inv):
    asset = register(inv)
    with pytest.raises(ValidationError) as error:
        services.take_back(asset=asset, user=inv.officer)
    assert "asset" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.transfer(asset=asset, person=inv.bob, user=inv.officer)
    assert "asset" in error.value.message_dict
    services.hand_over(asset=asset, person=inv.alice, user=inv.officer)
    with pytest.raises(ValidationError) as error:
        services.hand_over(asset=asset, person=inv.bob, user=inv.officer)
    assert "person" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.transfer(asset=asset, person=inv.alice, user=inv.officer)
    assert "person" in error.value.message_dict
    inv.bob.status = "left"
    inv.bob.save()
    with pytest.raises(ValidationError) as error:
        services.transfer(asset=asset, person=inv.bob, user=inv.officer)
    assert "person" in error.value.message_dict


def test_custody_actions_need_the_change_permission(inv, make_user):
    asset = register(inv)
    for role, unit in (("technician", inv.unit), ("inventory_officer", inv.other_unit)):
        with pytest.raises(PermissionDenied):
            services.hand_over(asset=asset, person=inv.alice, user=make_user(role, unit))
    assert not Custody.objects.exists()


def test_status_moves(inv):
    asset = register(inv)
    with pytest.raises(ValidationError) as error:
        services.set_status(asset=asset, status=services.IN_SERVICE, user=inv.officer)
    assert "status" in error.value.message_dict
    services.hand_over(asset=asset, person=inv.alice, user=inv.officer)
    asset = services.set_status(asset=asset, status="faulty", user=inv.officer, notes="Açılmıyor")
    assert asset.status == "faulty" and "Açılmıyor" in asset.notes
    with pytest.raises(ValidationError) as error:  # still in Ayşe's custody
        services.hand_over(asset=asset, person=inv.bob, user=inv.officer)
    assert "person" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # still in custody
        services.set_status(asset=asset, status="scrapped", user=inv.officer, notes="Karar 12")
    assert "status" in error.value.message_dict
    asset = services.set_status(asset=asset, status="at_repair", user=inv.officer)
    asset = services.set_status(asset=asset, status=services.IN_SERVICE, user=inv.officer)
    assert asset.status == AssetStatus.IN_CUSTODY  # back to its custodian
    services.take_back(asset=asset, user=inv.officer)
    asset = services.set_status(asset=asset, status="faulty", user=inv.officer)
    with pytest.raises(ValidationError) as error:  # a faulty asset is handed to nobody
        services.hand_over(asset=asset, person=inv.bob, user=inv.officer)
    assert "asset" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.set_status(asset=asset, status="scrapped", user=inv.officer)
    assert "notes" in error.value.message_dict
    asset = services.set_status(
        asset=asset, status="scrapped", user=inv.officer, notes="Komisyon kararı 2026/4"
    )
    assert asset.is_final
    with pytest.raises(ValidationError):
        services.set_status(asset=asset, status="faulty", user=inv.officer)
    with pytest.raises(ValidationError):
        services.update_asset(asset=asset, user=inv.officer, notes="x")


def test_acknowledgement_is_the_custodians_own(inv, make_user):
    asset = register(inv)
    custody = services.hand_over(asset=asset, person=inv.alice, user=inv.officer)
    with pytest.raises(PermissionDenied):
        services.acknowledge(custody=custody, user=inv.officer)
    alice = make_user(username="ayse")
    alice.person = inv.alice
    alice.save()
    custody = services.acknowledge(custody=custody, user=alice)
    assert custody.acknowledged_at is not None
    services.take_back(asset=asset, user=inv.officer)
    with pytest.raises(ValidationError):
        services.acknowledge(custody=custody, user=alice)


def test_every_custody_action_is_in_the_change_log(inv):
    asset = make_asset(inv.unit, item_model=inv.model)
    custody = services.hand_over(asset=asset, person=inv.alice, user=inv.officer)
    services.take_back(asset=asset, user=inv.officer)
    records = ObjectChange.objects.filter(object_id__in=[str(asset.pk), str(custody.pk)])
    actions = sorted((record.content_type.model, record.action) for record in records)
    assert actions.count(("asset", "update")) == 2
    assert ("custody", "create") in actions and ("custody", "update") in actions
    after = records.filter(content_type__model="asset").order_by("-id").first().postchange_data
    assert after["status"] == "in_store" and after["custodian_id"] is None


def test_editing_keeps_the_number_and_refuses_status_fields(inv):
    asset = register(inv, serial_number="E1")
    number = asset.inventory_number
    asset = services.update_asset(asset=asset, user=inv.officer, supplier="Yeni Tedarikçi Ltd.")
    assert asset.inventory_number == number and asset.supplier == "Yeni Tedarikçi Ltd."
    with pytest.raises(ValidationError) as error:
        services.update_asset(asset=asset, user=inv.officer, status="scrapped")
    assert "status" in error.value.message_dict
