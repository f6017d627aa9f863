"""The ``(unit) -> instance`` callables of the cross-module tests (the permission matrix), and
the small builders of the inventory's own tests. Assets made here skip the services' checks
only where a test says so (``bulk_assets``)."""

from datetime import date, timedelta
from decimal import Decimal

from biys.core.testing import register_factory
from biys.inventory import codes, licence_services, network_services, services
from biys.inventory.models import (
    VLAN,
    VRF,
    AddressHolding,
    AgentConflict,
    AgentDevice,
    Asset,
    AssetImport,
    AssetStatus,
    Count,
    Custody,
    DevicePort,
    Disposal,
    Installation,
    IPAssignment,
    ItemModel,
    Licence,
    Location,
    NetworkDevice,
    Slip,
    SoftwareTitle,
    StockItem,
    StockRequest,
    Store,
    Subnet,
    TasinirCode,
    VLANGroup,
)

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def computers_code() -> TasinirCode:
    """253.02.01.01 Masaüstü Bilgisayarlar with its parents."""
    parent = None
    for code, name in (
        ("253", "Tesis, Makine ve Cihazlar"),
        ("253.02", "Makine ve Cihazlar Grubu"),
        ("253.02.01", "Bilgisayarlar ve Bilgisayar Çevre Birimleri"),
        ("253.02.01.01", "Masaüstü Bilgisayarlar"),
    ):
        parent = TasinirCode.objects.filter(code=code).first() or codes.save_code(
            code=TasinirCode(code=code, name=name), parent=parent
        )
    return parent


@register_factory(TasinirCode)
def make_code(unit=None, **fields):
    # Top-level codes ending in 0, never 150 (a consumable account): a copy's code (the last
    # digit moved on) is free.
    code = fields.pop("code", f"{200 + (_next() * 10) % 700:03d}")
    return codes.save_code(code=TasinirCode(code=code, name=fields.pop("name", f"Kod {code}")))


@register_factory(ItemModel)
def make_item_model(unit, **fields):
    code = fields.pop("tasinir_code", None) or computers_code()
    return services.save_item_model(
        item_model=ItemModel(
            unit=unit,
            brand=fields.pop("brand", "Dell"),
            name=fields.pop("name", f"OptiPlex {7000 + _next()}"),
            category=fields.pop("category", "desktop"),
            tasinir_code=code,
            kind=fields.pop("kind", code.kind),
            **fields,
        )
    )


@register_factory(Location)
def make_location(unit, **fields):
    return services.save_location(
        location=Location(
            unit=unit,
            building=fields.pop("building", "Hizmet Binası"),
            floor=fields.pop("floor", "2"),
            room=fields.pop("room", f"{200 + _next()}"),
        )
    )


@register_factory(Asset)
def make_asset(unit, **fields):
    item_model = fields.pop("item_model", None) or make_item_model(unit)
    return services.register_asset(
        unit=unit,
        item_model=item_model,
        serial_number=fields.pop("serial_number", f"SN{_next():07d}"),
        acquired_on=fields.pop("acquired_on", date(2025, 3, 1)),
        value=fields.pop("value", Decimal("24500.00")),
        supplier=fields.pop("supplier", "Örnek Bilişim A.Ş."),
        warranty_end=fields.pop("warranty_end", date(2028, 3, 1)),
        **fields,
    )


@register_factory(Custody)
def make_custody(unit, person=None):
    from biys.org.tests.factories import PersonFactory

    asset = make_asset(unit)
    return services.hand_over(asset=asset, person=person or PersonFactory(unit=unit))


def bulk_assets(unit, count: int, *, item_model=None, custodian=None) -> list[Asset]:
    """``count`` assets in one INSERT (for list tests): numbered plainly, not by the service."""
    item_model = item_model or make_item_model(unit)
    start = _next() * 10_000
    rows = [
        Asset(
            inventory_number=f"{item_model.tasinir_code.code}-2025-B{start + i:06d}",
            unit=unit,
            item_model=item_model,
            tasinir_code_id=item_model.tasinir_code_id,
            serial_number=f"BULK{start + i}",
            acquired_on=date(2025, 1, 1) + timedelta(days=i % 300),
            status=AssetStatus.IN_CUSTODY if custodian else AssetStatus.IN_STORE,
            custodian=custodian,
            search_text=f"bulk{start + i}",
        )
        for i in range(count)
    ]
    return Asset.objects.bulk_create(rows)


def consumables_code() -> TasinirCode:
    """150.01.01 Kırtasiye (a consumable account) with its parent."""
    parent = None
    for code, name in (
        ("150", "İlk Madde ve Malzemeler"),
        ("150.01", "Kırtasiye Malzemeleri"),
        ("150.01.01", "Yazıcı Sarf Malzemeleri"),
    ):
        parent = TasinirCode.objects.filter(code=code).first() or codes.save_code(
            code=TasinirCode(code=code, name=name), parent=parent
        )
    return parent


def make_consumable(unit, **fields) -> ItemModel:
    return make_item_model(
        unit,
        brand=fields.pop("brand", "HP"),
        name=fields.pop("name", f"Toner {_next()}"),
        category="supply",
        tasinir_code=consumables_code(),
        **fields,
    )


@register_factory(Store)
def make_store(unit, **fields):
    return services.save_store(
        store=Store(unit=unit, name=fields.pop("name", f"Ambar {_next()}"), **fields)
    )


@register_factory(StockItem)
def make_stock_item(unit, **fields):
    store = fields.pop("store", None) or make_store(unit)
    item = fields.pop("item_model", None) or make_consumable(unit)
    stock = services.save_stock_item(
        stock_item=StockItem(
            store=store, item_model=item, minimum_level=fields.pop("minimum_level", 2)
        )
    )
    quantity = fields.pop("quantity", 10)
    if quantity:
        services._stock_add(store, item, quantity)
    stock.refresh_from_db()
    return stock


@register_factory(Slip)
def make_slip(unit, **fields):
    """A draft purchase of a consumable into a store of ``unit``."""
    store = fields.pop("store", None) or make_store(unit)
    slip = services.save_slip(
        slip=Slip(
            store=store,
            kind=fields.pop("kind", "purchase"),
            date=fields.pop("date", date(2026, 1, 5)),
            counterparty=fields.pop("counterparty", "Örnek Kırtasiye Ltd."),
            document=fields.pop("document", f"FTR-{_next()}"),
            **fields,
        )
    )
    services.add_slip_line(
        slip=slip, item_model=make_consumable(unit), quantity=5, unit_price=Decimal("850.00")
    )
    return slip


@register_factory(StockRequest)
def make_stock_request(unit, **fields):
    store = fields.pop("store", None) or make_store(unit)
    item = fields.pop("item_model", None) or make_consumable(unit)
    return services.request_stock(
        store=store,
        requesting_unit=fields.pop("requesting_unit", unit),
        lines=[(item, fields.pop("quantity", 2))],
        notes=fields.pop("notes", "Yazıcılar için"),
    )


@register_factory(Count)
def make_count(unit, *, closed: bool = True, **fields):
    """A count of a store of ``unit`` with one asset in the store and one consumable, found as
    expected and closed (another count of the store may open), or left open."""
    from biys.inventory import count_services
    from biys.org.tests.factories import PersonFactory

    store = fields.pop("store", None) or make_store(unit)
    asset = make_asset(unit)
    stock = make_stock_item(unit, store=store, quantity=4)
    count = count_services.open_count(
        store=store, members=fields.pop("members", None) or [PersonFactory(unit=unit)], **fields
    )
    if not closed:
        return count
    count_services.record_scan(count=count, code=asset.inventory_number)
    count_services.set_counted_quantity(count=count, item_model=stock.item_model, quantity=4)
    count_services.finish_counting(count=count)
    return count_services.close_count(count=count)


@register_factory(Disposal)
def make_disposal(unit, **fields):
    """A scrapping proposal of one asset of ``unit``, refused (its asset may be proposed again),
    or left proposed with ``rejected=False``."""
    from biys.inventory import count_services
    from biys.org.tests.factories import PersonFactory

    store = fields.pop("store", None) or make_store(unit)
    decided = fields.pop("rejected", True)
    disposal = count_services.propose_disposal(
        store=store,
        kind=fields.pop("kind", "scrapping"),
        decision_date=fields.pop("decision_date", date(2026, 1, 5)),
        decision_number=fields.pop("decision_number", f"2026/{_next()}"),
        reason=fields.pop("reason", "Ekonomik ömrünü tamamladı."),
        members=fields.pop("members", None) or [PersonFactory(unit=unit)],
        assets=fields.pop("assets", None) or [make_asset(unit)],
        **fields,
    )
    if not decided:
        return disposal
    return count_services.decide_disposal(disposal=disposal, approve=False, notes="Ertelendi.")


@register_factory(SoftwareTitle)
def make_title(unit, **fields):
    number = _next()
    return licence_services.save_title(
        title=SoftwareTitle(
            unit=unit,
            publisher=fields.pop("publisher", "Örnek Yazılım"),
            name=fields.pop("name", f"Program {number}"),
            category=fields.pop("category", "office"),
            status=fields.pop("status", "allowed"),
            **fields,
        )
    )


@register_factory(Licence)
def make_licence(unit, **fields):
    title = fields.pop("title", None) or make_title(unit)
    return licence_services.save_licence(
        licence=Licence(
            unit=unit,
            title=title,
            kind=fields.pop("kind", "subscription"),
            seats=fields.pop("seats", 10),
            starts_on=fields.pop("starts_on", date(2026, 1, 1)),
            expires_on=fields.pop("expires_on", date(2030, 12, 31)),
            cost=fields.pop("cost", Decimal("12500.00")),
            supplier=fields.pop("supplier", "Örnek Bilişim A.Ş."),
            contract=fields.pop("contract", f"2026/YZ-{_next():02d}"),
            **fields,
        )
    )


@register_factory(Installation)
def make_installation(unit, **fields):
    asset = fields.pop("asset", None) or make_asset(unit)
    title = fields.pop("title", None) or make_title(unit)
    return licence_services.record_installation(
        asset=asset, title=title, version=fields.pop("version", "1.0"), **fields
    )


@register_factory(AgentDevice)
def make_agent_device(unit, **fields):
    """A device an agent reported, discovered in ``unit`` (no asset)."""
    from django.utils import timezone

    number = _next()
    return AgentDevice.objects.create(
        unit=unit,
        name=fields.pop("name", f"pc-{number:04d}"),
        hardware_uuid=fields.pop("hardware_uuid", f"4C4C4544-0000-0000-0000-{number:012d}"),
        serial_number=fields.pop("serial_number", f"AGENT{number:06d}"),
        last_inventory_at=timezone.now(),
        **fields,
    )


@register_factory(AgentConflict)
def make_agent_conflict(unit, **fields):
    from django.utils import timezone

    now = timezone.now()
    return AgentConflict.objects.create(
        unit=unit,
        device_id=fields.pop("device_id", f"pc-{_next():04d}-2026-01-05-09-00-00"),
        name=fields.pop("name", "pc-conflict"),
        candidates=fields.pop("candidates", []),
        first_seen=now,
        last_seen=now,
        **fields,
    )


# --------------------------------------------------------------------------- network inventory


@register_factory(VRF)
def make_vrf(unit, **fields):
    n = _next()
    return network_services.save_vrf(
        vrf=VRF(unit=unit, name=fields.pop("name", f"VRF-{n}"), **fields)
    )


@register_factory(VLANGroup)
def make_vlan_group(unit, **fields):
    n = _next()
    return network_services.save_vlan_group(
        group=VLANGroup(unit=unit, name=fields.pop("name", f"Kampüs {n}"), **fields)
    )


@register_factory(VLAN)
def make_vlan(unit, **fields):
    n = _next()
    return network_services.save_vlan(
        vlan=VLAN(
            unit=unit,
            vid=fields.pop("vid", 2 + n % 3000),
            name=fields.pop("name", f"VLAN-{n}"),
            **fields,
        )
    )


@register_factory(NetworkDevice)
def make_network_device(unit, **fields):
    n = _next()
    return network_services.save_device(
        device=NetworkDevice(
            unit=unit,
            name=fields.pop("name", f"sw-{n:04d}"),
            kind=fields.pop("kind", "switch"),
            manufacturer=fields.pop("manufacturer", "Cisco"),
            model=fields.pop("model", "Catalyst 2960"),
            serial_number=fields.pop("serial_number", f"FOC{n:08d}"),
            **fields,
        )
    )


@register_factory(DevicePort)
def make_port(unit, **fields):
    device = fields.pop("device", None) or make_network_device(unit)
    return network_services.save_port(
        port=DevicePort(device=device, name=fields.pop("name", f"Gi0/{_next()}"), **fields)
    )


@register_factory(Subnet)
def make_subnet(unit, **fields):
    n = _next()
    return network_services.save_subnet(
        subnet=Subnet(
            unit=unit,
            prefix=fields.pop("prefix", f"10.{n // 250 % 250}.{n % 250}.0/24"),
            description=fields.pop("description", f"VLAN {n}"),
            **fields,
        )
    )


@register_factory(IPAssignment)
def make_assignment(unit, **fields):
    n = _next()
    return network_services.save_assignment(
        assignment=IPAssignment(
            unit=unit,
            address=fields.pop(
                "address", f"172.{16 + n // 62500 % 16}.{n // 250 % 250}.{n % 250 + 1}"
            ),
            host=fields.pop("host", f"PC-{n}"),
            **fields,
        )
    )


@register_factory(AddressHolding)
def make_holding(unit, **fields):
    """The history row of a new address of ``unit``."""
    assignment = make_assignment(unit, **fields)
    return AddressHolding.objects.get(address=assignment.address, vrf=assignment.vrf)


@register_factory(AssetImport)
def make_asset_import(unit, **fields):
    values = {
        "unit": unit,
        "filename": f"envanter-{_next()}.csv",
        "file_format": "biys",
        "state": "done",
        "total": 3,
        "created_count": 3,
    }
    values.update(fields)
    return AssetImport.objects.create(**values)
