"""Stores, stock and the Taşınır İşlem Fişi: approval numbers and applies a fişi, an approved
one never changes, a reversing fişi undoes it (stock and asset status), stock never goes
below zero, and a request is issued from stock through a consumption fişi."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection

from biys.inventory import services
from biys.inventory.models import (
    Asset,
    AssetStatus,
    RequestState,
    Slip,
    SlipState,
    StockItem,
)
from biys.inventory.tests.factories import make_asset, make_consumable, make_store
from biys.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def st(inv, make_user):
    inv.store = make_store(inv.unit, name="Bilgi İşlem Ambarı")
    inv.toner = make_consumable(inv.unit, brand="HP", name="CF259A Toner")
    inv.authority = make_user("spending_authority", inv.unit)
    inv.controller = make_user("inventory_controller", inv.unit)
    return inv


def slip_of(st, kind="purchase", **fields):
    return services.save_slip(
        slip=Slip(store=st.store, kind=kind, date=date(2026, 1, 5), **fields), user=st.officer
    )


def stock(st, item=None, store=None) -> int:
    row = StockItem.objects.filter(store=store or st.store, item_model=item or st.toner).first()
    return row.quantity if row else 0


def test_purchase_enters_stock_and_assets_once_approved(st):
    slip = slip_of(st, counterparty="Örnek Ltd.", document="FTR-1")
    services.add_slip_line(slip=slip, item_model=st.toner, quantity=10, unit_price=Decimal("900"))
    services.add_slip_line(slip=slip, item_model=st.model, quantity=2, unit_price=Decimal("25000"))
    assert stock(st) == 0 and slip.number is None
    slip = services.approve_slip(slip=slip, user=st.authority)
    assert slip.state == SlipState.APPROVED
    assert slip.number.startswith("TIF-") and slip.number.endswith("000001")
    assert stock(st) == 10
    assets = list(Asset.objects.filter(slip_lines__slip=slip))
    assert len(assets) == 2
    assert {a.status for a in assets} == {AssetStatus.IN_STORE}
    assert {a.value for a in assets} == {Decimal("25000")}
    second = slip_of(st)
    services.add_slip_line(slip=second, item_model=st.toner, quantity=1)
    assert services.approve_slip(slip=second, user=st.authority).number.endswith("000002")


def test_only_the_spending_authority_approves(st):
    slip = slip_of(st)
    services.add_slip_line(slip=slip, item_model=st.toner, quantity=1)
    for user in (st.officer, st.controller):
        with pytest.raises(PermissionDenied):
            services.approve_slip(slip=slip, user=user)
    assert stock(st) == 0


def test_an_approved_slip_cannot_be_edited(st):
    slip = slip_of(st)
    line = services.add_slip_line(slip=slip, item_model=st.toner, quantity=1)
    services.approve_slip(slip=slip, user=st.authority)
    slip.refresh_from_db()
    slip.notes = "değişti"
    with pytest.raises(ValidationError):
        services.save_slip(slip=slip, user=st.officer)
    with pytest.raises(ValidationError):
        services.add_slip_line(slip=slip, item_model=st.toner, quantity=1, user=st.officer)
    with pytest.raises(ValidationError):
        services.remove_slip_line(line=line, user=st.officer)
    with pytest.raises(ValidationError):
        services.approve_slip(slip=slip, user=st.authority)


def test_scrapping_and_its_reversal_bring_the_asset_back_as_it_was(st):
    """The earlier bug: a scrapped asset came back 'in store' whatever it had been."""
    faulty = make_asset(st.unit, item_model=st.model)
    services.set_status(asset=faulty, status=AssetStatus.FAULTY)
    stored = make_asset(st.unit, item_model=st.model)
    scrap = slip_of(st, "scrapping", document="Hurda komisyonu kararı 2026/3")
    services.add_slip_line(slip=scrap, item_model=st.model, assets=[faulty, stored])
    services.approve_slip(slip=scrap, user=st.authority)
    faulty.refresh_from_db()
    stored.refresh_from_db()
    assert faulty.status == stored.status == AssetStatus.SCRAPPED

    with pytest.raises(ValidationError):
        services.reverse_slip(slip=scrap, user=st.officer)  # no reason
    reversal = services.reverse_slip(slip=scrap, user=st.officer, notes="Yanlış demirbaş")
    assert reversal.state == SlipState.DRAFT and reversal.reverses == scrap
    faulty.refresh_from_db()
    assert faulty.status == AssetStatus.SCRAPPED  # nothing moves before approval
    services.approve_slip(slip=reversal, user=st.authority)
    faulty.refresh_from_db()
    stored.refresh_from_db()
    assert faulty.status == AssetStatus.FAULTY
    assert stored.status == AssetStatus.IN_STORE
    assert not faulty.is_final
    with pytest.raises(ValidationError):
        services.reverse_slip(slip=scrap, user=st.officer, notes="again")
    with pytest.raises(ValidationError):
        services.reverse_slip(slip=reversal, user=st.officer, notes="again")


def test_reversing_a_purchase_takes_stock_and_assets_off_again(st):
    slip = slip_of(st)
    services.add_slip_line(slip=slip, item_model=st.toner, quantity=4)
    services.add_slip_line(slip=slip, item_model=st.model, quantity=1, unit_price=Decimal("1"))
    services.approve_slip(slip=slip, user=st.authority)
    asset = Asset.objects.get(slip_lines__slip=slip)
    reversal = services.reverse_slip(slip=slip, user=st.officer, notes="Fatura iptal")
    services.approve_slip(slip=reversal, user=st.authority)
    asset.refresh_from_db()
    assert stock(st) == 0
    assert asset.status == AssetStatus.WRITTEN_OFF


def test_a_reversal_refused_when_the_stock_was_used_leaves_nothing_changed(st):
    slip = slip_of(st)
    services.add_slip_line(slip=slip, item_model=st.toner, quantity=4)
    services.approve_slip(slip=slip, user=st.authority)
    use = slip_of(st, "consumption")
    services.add_slip_line(slip=use, item_model=st.toner, quantity=3)
    services.approve_slip(slip=use, user=st.authority)
    reversal = services.reverse_slip(slip=slip, user=st.officer, notes="Fatura iptal")
    with pytest.raises(ValidationError):
        services.approve_slip(slip=reversal, user=st.authority)
    reversal.refresh_from_db()
    assert reversal.state == SlipState.DRAFT and reversal.number is None
    assert stock(st) == 1


def test_transfer_out_moves_stock_and_assets_and_reversal_moves_them_back(st):
    other = make_store(st.other_unit, name="Fen İşleri Ambarı")
    services._stock_add(st.store, st.toner, 5)
    asset = make_asset(st.unit, item_model=st.model)
    slip = slip_of(st, "transfer_out", target_store=other)
    services.add_slip_line(slip=slip, item_model=st.toner, quantity=2)
    services.add_slip_line(slip=slip, item_model=st.model, assets=[asset])
    services.approve_slip(slip=slip, user=st.authority)
    asset.refresh_from_db()
    assert (stock(st), stock(st, store=other)) == (3, 2)
    assert asset.unit == st.other_unit
    reversal = services.reverse_slip(slip=slip, user=st.officer, notes="Yanlış ambar")
    services.approve_slip(slip=reversal, user=st.authority)
    asset.refresh_from_db()
    assert (stock(st), stock(st, store=other)) == (5, 0)
    assert asset.unit == st.unit and asset.status == AssetStatus.IN_STORE


def test_an_asset_in_custody_cannot_be_scrapped(st):
    asset = make_asset(st.unit, item_model=st.model)
    services.hand_over(asset=asset, person=st.alice)
    scrap = slip_of(st, "scrapping")
    services.add_slip_line(slip=scrap, item_model=st.model, assets=[asset])
    with pytest.raises(ValidationError):
        services.approve_slip(slip=scrap, user=st.authority)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_CUSTODY


def test_consumption_never_takes_stock_below_zero(st):
    services._stock_add(st.store, st.toner, 2)
    slip = slip_of(st, "consumption")
    services.add_slip_line(slip=slip, item_model=st.toner, quantity=3)
    with pytest.raises(ValidationError):
        services.approve_slip(slip=slip, user=st.authority)
    assert stock(st) == 2
    assert Slip.objects.get(pk=slip.pk).state == SlipState.DRAFT


def test_falling_below_the_minimum_notifies_the_officer_once(st):
    services.save_stock_item(
        stock_item=StockItem(store=st.store, item_model=st.toner, minimum_level=3)
    )
    services._stock_add(st.store, st.toner, 5)
    Notification.objects.all().delete()
    for _n in range(3):
        slip = slip_of(st, "consumption")
        services.add_slip_line(slip=slip, item_model=st.toner, quantity=1)
        services.approve_slip(slip=slip, user=st.authority)
    alerts = Notification.objects.filter(recipient=st.officer, title__contains="CF259A")
    assert alerts.count() == 1
    services._stock_add(st.store, st.toner, 5)
    assert StockItem.objects.get(store=st.store, item_model=st.toner).low_alerted_at is None


def test_a_request_is_approved_and_issued_from_stock(st):
    services._stock_add(st.store, st.toner, 5)
    request = services.request_stock(
        store=st.store, requesting_unit=st.other_unit, lines=[(st.toner, 3)], user=st.officer
    )
    with pytest.raises(ValidationError):
        services.issue_request(stock_request=request, user=st.officer)  # not approved yet
    with pytest.raises(PermissionDenied):
        services.decide_request(stock_request=request, approve=True, user=st.controller)
    services.decide_request(stock_request=request, approve=True, user=st.officer)
    slip = services.issue_request(stock_request=request, user=st.officer)
    request.refresh_from_db()
    assert request.state == RequestState.ISSUED
    assert slip.kind == "consumption" and slip.state == SlipState.APPROVED
    assert slip.stock_request == request and stock(st) == 2
    # issued by mistake: the reversal puts the stock back and the request can be issued anew
    reversal = services.reverse_slip(slip=slip, user=st.officer, notes="Yanlış birim")
    services.approve_slip(slip=reversal, user=st.authority)
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED and stock(st) == 5
    assert request.lines.get().issued_quantity == 0
    services.issue_request(stock_request=request, user=st.officer)
    assert stock(st) == 2


def test_a_request_larger_than_the_stock_is_refused_whole(st):
    services._stock_add(st.store, st.toner, 1)
    request = services.request_stock(
        store=st.store, requesting_unit=st.unit, lines=[(st.toner, 3)], user=st.officer
    )
    services.decide_request(stock_request=request, approve=True, user=st.officer)
    with pytest.raises(ValidationError):
        services.issue_request(stock_request=request, user=st.officer)
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED and stock(st) == 1
    assert not Slip.objects.filter(stock_request=request).exists()


@pytest.mark.django_db(transaction=True)
def test_two_issues_at_once_never_take_the_stock_below_zero(org_tree, system_context):
    """Two consumption fişler of 3 each against a stock of 4, approved at the same time: one
    goes through, the other is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    unit = org_tree["network"]
    store = make_store(unit)
    toner = make_consumable(unit)
    services._stock_add(store, toner, 4)
    slips = []
    for _n in range(2):
        slip = services.save_slip(slip=Slip(store=store, kind="consumption", date=date(2026, 1, 5)))
        services.add_slip_line(slip=slip, item_model=toner, quantity=3)
        slips.append(slip)
    results, barrier = [], threading.Barrier(2)

    def run(slip):
        barrier.wait()
        try:
            services.approve_slip(slip=slip)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(slip,)) for slip in slips]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert StockItem.objects.get(store=store, item_model=toner).quantity == 1


@pytest.mark.django_db(transaction=True)
def test_two_takes_at_once_meet_at_the_stock_row(org_tree, system_context):
    """The stock row itself (no numbering lock in between): two transactions each taking 3 of
    4, the second waiting on the first's row lock, then finding too little."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    from django.db import transaction

    unit = org_tree["network"]
    store = make_store(unit)
    toner = make_consumable(unit)
    services._stock_add(store, toner, 4)
    results, barrier = [], threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            with transaction.atomic():
                services._stock_take(store, toner, 3)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert StockItem.objects.get(store=store, item_model=toner).quantity == 1


def test_a_draft_turned_from_entry_to_exit_must_lose_its_lines_first(st):
    slip = slip_of(st)
    services.add_slip_line(slip=slip, item_model=st.model, quantity=2)
    slip.kind = "scrapping"
    with pytest.raises(ValidationError) as refused:
        services.save_slip(slip=slip, user=st.officer)
    assert "kind" in refused.value.message_dict


def test_a_line_that_no_longer_fits_its_kind_stops_the_approval(st):
    """Edited behind the form's back (the API, the admin): an exit of fixed assets naming none
    would approve as nothing."""
    slip = slip_of(st, "scrapping")
    asset = make_asset(st.unit, item_model=st.model)
    line = services.add_slip_line(slip=slip, item_model=st.model, assets=[asset])
    line.asset_links.all().delete()
    with pytest.raises(ValidationError):
        services.approve_slip(slip=slip, user=st.authority)
    assert Slip.objects.get(pk=slip.pk).state == SlipState.DRAFT
