"""The year-end count and taking items off the register: what a count expects, recording labels
(idempotent; an asset of elsewhere is a surplus with a note; an unknown code is an unknown item),
consumable differences, closing into a count-surplus fişi and a write-off proposal, the spending
authority's approval issuing the write-off fişi, and scrapping by a commission's decision."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from biys.inventory import count_services, services
from biys.inventory.models import (
    Asset,
    AssetStatus,
    CountState,
    Disposal,
    DisposalKind,
    DisposalState,
    SlipKind,
    SlipState,
    StockItem,
)
from biys.inventory.tests.factories import (
    make_asset,
    make_consumable,
    make_stock_item,
    make_store,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ct(inv, make_user):
    inv.store = make_store(inv.unit, name="Bilgi İşlem Ambarı")
    inv.toner = make_consumable(inv.unit, brand="HP", name="CF259A Toner")
    make_stock_item(inv.unit, store=inv.store, item_model=inv.toner, quantity=10)
    inv.a1 = make_asset(inv.unit, item_model=inv.model, value=Decimal("20000"))
    inv.a2 = make_asset(inv.unit, item_model=inv.model, value=Decimal("21000"))
    inv.held = make_asset(inv.unit, item_model=inv.model)
    services.hand_over(asset=inv.held, person=inv.alice)
    inv.elsewhere = make_asset(inv.other_unit)
    inv.authority = make_user("spending_authority", inv.unit)
    inv.controller = make_user("inventory_controller", inv.unit)
    return inv


def open_(ct, **kwargs):
    kwargs.setdefault("members", [ct.alice, ct.bob])
    return count_services.open_count(store=ct.store, user=ct.officer, **kwargs)


def test_a_store_count_expects_the_assets_in_the_store_and_the_stock(ct):
    count = open_(ct)
    assert count.number.startswith("SAY-")
    result = count_services.count_result(count)
    assert {row.asset for row in result.shortages} == {ct.a1, ct.a2}
    assert [(line.item_model, line.expected_quantity) for line in result.lines] == [(ct.toner, 10)]
    assert set(count.members.all()) == {ct.alice, ct.bob}


def test_a_unit_count_expects_assets_in_custody_too(ct):
    count = open_(ct, scope="unit")
    expected = {row.asset for row in count_services.count_result(count).shortages}
    assert expected == {ct.a1, ct.a2, ct.held}


def test_one_count_of_a_store_at_a_time_and_a_commission_is_required(ct):
    with pytest.raises(ValidationError) as error:
        open_(ct, members=[])
    assert "members" in error.value.message_dict
    open_(ct)
    with pytest.raises(ValidationError) as error:
        open_(ct)
    assert "store" in error.value.message_dict


def test_scanning_by_label_url_number_or_serial_is_idempotent(ct):
    count = open_(ct)
    url = f"https://biys.example/inventory/assets/{ct.a1.pk}/"
    first = count_services.record_scan(count=count, code=url, user=ct.officer)
    assert first.created and not first.surplus
    again = count_services.record_scan(count=count, code=ct.a1.inventory_number, user=ct.officer)
    assert not again.created and again.row.pk == first.row.pk
    by_serial = count_services.record_scan(
        count=count, code=ct.a2.serial_number.lower(), user=ct.officer
    )
    assert by_serial.created
    result = count_services.count_result(count)
    assert {row.asset for row in result.found} == {ct.a1, ct.a2}
    assert result.shortages == [] and result.surpluses == []
    assert first.row.found_by == ct.officer


def test_an_asset_of_another_unit_or_in_custody_is_a_surplus_with_a_note(ct):
    count = open_(ct)
    other = count_services.record_scan(count=count, code=ct.elsewhere.inventory_number)
    assert other.surplus and str(ct.other_unit) in other.row.note
    held = count_services.record_scan(count=count, code=ct.held.inventory_number)
    assert held.surplus and "Ayşe" in held.row.note
    assert {row.asset for row in count_services.count_result(count).surpluses} == {
        ct.elsewhere,
        ct.held,
    }


def test_an_unknown_code_is_an_unknown_item_identified_before_closing(ct):
    count = open_(ct)
    scan = count_services.record_scan(count=count, code="ETIKETSIZ-001")
    assert scan.surplus and scan.row.asset is None
    assert not count_services.record_scan(count=count, code="ETIKETSIZ-001").created
    count_services.set_counted_quantity(count=count, item_model=ct.toner, quantity=10)
    count_services.finish_counting(count=count, user=ct.officer)
    with pytest.raises(ValidationError) as error:
        count_services.close_count(count=count, user=ct.officer)
    assert "ETIKETSIZ-001" in error.value.messages[0]
    with pytest.raises(ValidationError):
        count_services.identify_unknown(row=scan.row, item_model=ct.toner)
    count_services.identify_unknown(row=scan.row, item_model=ct.model, value=Decimal("15000"))
    count = count_services.close_count(count=count, user=ct.officer)
    slip = count.surplus_slip
    assert slip.kind == SlipKind.COUNT_SURPLUS and slip.state == SlipState.DRAFT
    assert slip.document == count.number
    services.approve_slip(slip=slip, user=ct.authority)
    new = Asset.objects.get(slip_lines__slip=slip)
    assert new.acquisition_method == "count_surplus" and new.value == Decimal("15000")


def test_a_closed_or_counted_count_refuses_scans(ct):
    count = open_(ct)
    count_services.set_counted_quantity(count=count, item_model=ct.toner, quantity=10)
    count_services.finish_counting(count=count, user=ct.officer)
    with pytest.raises(ValidationError):
        count_services.record_scan(count=count, code=ct.a1.inventory_number)
    count_services.reopen_counting(count=count, user=ct.officer)
    count_services.record_scan(count=count, code=ct.a1.inventory_number)
    count_services.record_scan(count=count, code=ct.a2.inventory_number)
    count_services.finish_counting(count=count, user=ct.officer)
    count = count_services.close_count(count=count, user=ct.officer)
    assert count.state == CountState.CLOSED
    assert count.surplus_slip is None and not count.disposals.exists()
    with pytest.raises(ValidationError) as error:
        count_services.record_scan(count=count, code=ct.a1.inventory_number)
    assert "kapatıldı" in error.value.messages[0]


def test_finishing_needs_every_consumable_counted(ct):
    count = open_(ct)
    with pytest.raises(ValidationError):
        count_services.finish_counting(count=count, user=ct.officer)
    with pytest.raises(ValidationError):
        count_services.set_counted_quantity(count=count, item_model=ct.model, quantity=1)
    with pytest.raises(ValidationError):
        count_services.set_counted_quantity(count=count, item_model=ct.toner, quantity=-1)


def test_shortages_go_through_the_write_off_proposal_to_a_write_off_slip(ct):
    count = open_(ct)
    count_services.record_scan(count=count, code=ct.a1.inventory_number)
    count_services.set_counted_quantity(count=count, item_model=ct.toner, quantity=7)
    count_services.finish_counting(count=count, user=ct.officer)
    count = count_services.close_count(count=count, user=ct.officer)
    disposal = count.disposals.get()
    assert disposal.kind == DisposalKind.WRITE_OFF and disposal.is_proposed
    assert disposal.number.startswith("KDT-")
    assert {(line.asset, line.quantity) for line in disposal.lines.all()} == {
        (ct.a2, 1),
        (None, 3),
    }
    assert set(disposal.members.all()) == {ct.alice, ct.bob}
    with pytest.raises(PermissionDenied):
        count_services.decide_disposal(disposal=disposal, approve=True, user=ct.officer)
    disposal = count_services.decide_disposal(disposal=disposal, approve=True, user=ct.authority)
    assert disposal.state == DisposalState.APPROVED
    slip = disposal.slip
    assert slip.kind == SlipKind.WRITE_OFF and slip.state == SlipState.APPROVED
    assert slip.approved_by == ct.authority and slip.document == disposal.number
    ct.a2.refresh_from_db()
    assert ct.a2.status == AssetStatus.WRITTEN_OFF
    assert StockItem.objects.get(store=ct.store, item_model=ct.toner).quantity == 7
    with pytest.raises(ValidationError):
        count_services.decide_disposal(disposal=disposal, approve=True, user=ct.authority)


def test_a_refused_write_off_changes_nothing_and_needs_a_reason(ct):
    disposal = count_services.propose_disposal(
        store=ct.store,
        kind=DisposalKind.WRITE_OFF,
        decision_date=date(2026, 1, 5),
        reason="Kayıp",
        members=[ct.alice],
        assets=[ct.held],
        user=ct.officer,
    )
    # in custody: the exit fişi refuses, and nothing is written
    with pytest.raises(ValidationError):
        count_services.decide_disposal(disposal=disposal, approve=True, user=ct.authority)
    disposal.refresh_from_db()
    assert disposal.is_proposed and disposal.slip is None
    with pytest.raises(ValidationError):
        count_services.decide_disposal(disposal=disposal, approve=False, user=ct.authority)
    disposal = count_services.decide_disposal(
        disposal=disposal, approve=False, user=ct.authority, notes="Zimmetli, aranacak."
    )
    assert disposal.state == DisposalState.REJECTED


def test_scrapping_by_commission_decision_ends_in_a_scrapping_slip(ct):
    disposal = count_services.propose_disposal(
        store=ct.store,
        kind=DisposalKind.SCRAPPING,
        decision_date=date(2026, 1, 5),
        decision_number="2026/3",
        reason="Onarımı ekonomik değil.",
        members=[ct.alice, ct.bob],
        assets=[ct.a1],
        user=ct.officer,
    )
    with pytest.raises(ValidationError):  # on a pending proposal already
        count_services.propose_disposal(
            store=ct.store,
            kind=DisposalKind.SCRAPPING,
            decision_date=date(2026, 1, 5),
            reason="x",
            members=[ct.alice],
            assets=[ct.a1],
        )
    with pytest.raises(ValidationError):  # another unit's asset
        count_services.propose_disposal(
            store=ct.store,
            kind=DisposalKind.SCRAPPING,
            decision_date=date(2026, 1, 5),
            reason="x",
            members=[ct.alice],
            assets=[ct.elsewhere],
        )
    disposal = count_services.decide_disposal(disposal=disposal, approve=True, user=ct.authority)
    assert disposal.slip.kind == SlipKind.SCRAPPING
    assert disposal.slip.lines.get().unit_price == Decimal("20000")
    ct.a1.refresh_from_db()
    assert ct.a1.status == AssetStatus.SCRAPPED


def test_permissions_of_counts(ct, make_user):
    with pytest.raises(PermissionDenied):
        count_services.open_count(store=ct.store, members=[ct.alice], user=ct.controller)
    count = open_(ct)
    with pytest.raises(PermissionDenied):
        count_services.record_scan(count=count, code=ct.a1.inventory_number, user=ct.controller)
    stranger = make_user("inventory_officer", ct.other_unit)
    with pytest.raises(PermissionDenied):
        count_services.record_scan(count=count, code=ct.a1.inventory_number, user=stranger)
    with pytest.raises(PermissionDenied):
        count_services.propose_disposal(
            store=ct.store,
            kind=DisposalKind.SCRAPPING,
            decision_date=date(2026, 1, 5),
            reason="x",
            members=[ct.alice],
            assets=[ct.a1],
            user=ct.authority,
        )
    assert not Disposal.objects.exists()


def test_unrecording_a_scan(ct):
    count = open_(ct)
    found = count_services.record_scan(count=count, code=ct.a1.inventory_number).row
    extra = count_services.record_scan(count=count, code=ct.elsewhere.inventory_number).row
    count_services.unrecord(row=found, user=ct.officer)
    count_services.unrecord(row=extra, user=ct.officer)
    result = count_services.count_result(count)
    assert result.found == [] and result.surpluses == []
    assert len(result.shortages) == 2
