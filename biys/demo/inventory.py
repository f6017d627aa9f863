"""Inventory demo: the shipped IT subset of the Taşınır Kod Listesi, a catalogue of item models,
rooms, a few hundred assets on the IT department's register (bought over five years, some out
of warranty, a few faulty or at repair, one scrapped) and their custody: handed to staff across
the municipality, some transferred or returned, most acknowledged in the portal.

The inventory officer's login (``tasinir.yetkilisi``) holds the role over the IT department;
the requester's login (``talep``) holds two items, one of them not acknowledged yet, so "My
custody" shows its button.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from biys.demo.builder import DemoLogin, DemoResult, register_demo_step

USERNAME = "tasinir.yetkilisi"
ASSETS = 320

# (brand, model, category, taşınır code, price in TL, share of the assets)
MODELS = [
    ("Dell", "OptiPlex 7010", "desktop", "253.02.01.01", 27500, 18),
    ("HP", "ProDesk 400 G7", "desktop", "253.02.01.01", 24900, 14),
    ("Lenovo", "ThinkCentre M70q", "desktop", "253.02.01.01", 26300, 10),
    ("Lenovo", "ThinkPad E14 Gen 4", "laptop", "253.02.01.02", 34900, 8),
    ("HP", "ProBook 450 G9", "laptop", "253.02.01.02", 32800, 6),
    ("Dell", "P2422H", "monitor", "253.02.01.05", 6900, 16),
    ("Samsung", "S24R350", "monitor", "253.02.01.05", 4800, 8),
    ("HP", "LaserJet Pro M404dn", "printer", "253.02.01.06", 11900, 6),
    ("Canon", "i-SENSYS MF443dw", "multifunction", "253.02.01.08", 15400, 4),
    ("Epson", "DS-530 II", "scanner", "253.02.01.07", 14200, 2),
    ("Dell", "PowerEdge R750", "server", "253.02.01.04", 412000, 1),
    ("APC", "Smart-UPS 1500", "ups", "253.02.01.11", 21500, 2),
    ("Cisco", "Catalyst 9200-48P", "network", "253.02.02.01", 98000, 2),
    ("Fortinet", "FortiGate 100F", "network", "253.02.02.03", 187000, 1),
    ("Ubiquiti", "UniFi U6 Pro", "network", "253.02.02.04", 7900, 2),
    ("Yealink", "SIP-T33G", "phone", "253.02.02.05", 2900, 4),
    ("Hikvision", "DS-2CD2143G2-I", "camera", "253.02.03.01", 4200, 2),
]
CONSUMABLES = [
    ("HP", "59A Toner (CF259A)", "supply", "150.01.02.01"),
    ("Canon", "057 Toner", "supply", "150.01.02.01"),
]
# The store's other consumables: (brand, model, code, quantity bought, unit price, minimum).
STORE_SUPPLIES = [
    ("Kingston", "DataTraveler 32 GB", "150.01.02.05", 40, "145.00", 10),
    ("Nexans", "Cat6 Patch Kablo 2 m", "150.07.01.02", 200, "38.50", 50),
    ("Logitech", "B100 Fare", "150.13.01.04", 30, "210.00", 8),
    ("Yuasa", "NP7-12 UPS Aküsü", "150.13.01.05", 6, "640.00", 4),
]
SPENDING_AUTHORITY = "harcama.yetkilisi"
SUPPLIERS = [
    "Anadolu Bilişim Ltd. Şti.",
    "Başkent Bilgisayar A.Ş.",
    "Ege Teknoloji Sistemleri A.Ş.",
    "Kuzey Ağ ve Güvenlik Ltd. Şti.",
]
BUILDINGS = ["Hizmet Binası", "Ek Hizmet Binası", "Kültür Merkezi"]
# Categories personal enough to be handed to someone.
PERSONAL = {"desktop", "laptop", "monitor", "phone", "scanner", "printer"}


def _it_top(units):
    root = next(u for u in units if u.parent_id is None)
    it_units = [u for u in units if u.is_it_department]
    return next((u for u in it_units if u.parent_id == root.pk), root)


@register_demo_step
def build_inventory(result: DemoResult, rng: random.Random) -> None:
    from biys.accounts.models import Role, RoleAssignment, User
    from biys.demo.builder import create_demo_user
    from biys.inventory import codes, services
    from biys.inventory.models import Asset, ItemModel, Location, TasinirCode
    from biys.org.models import Person, Unit

    codes.load_default_codes()
    units = list(Unit.objects.order_by("depth", "order", "sort_name"))
    top = _it_top(units)
    it_units = [u for u in units if u.path.startswith(top.path)]

    officer = create_demo_user(USERNAME, top)
    RoleAssignment.objects.create(
        user=officer,
        role=Role.objects.get(slug="inventory_officer"),
        unit=top,
        include_subtree=True,
    )
    result.logins.append(DemoLogin(USERNAME, "inventory_officer", top.name))

    code_of = {code.code: code for code in TasinirCode.objects.all()}
    models, weights = [], []
    for brand, name, category, code, price, share in MODELS:
        item = services.save_item_model(
            item_model=ItemModel(
                unit=top, brand=brand, name=name, category=category, tasinir_code=code_of[code]
            )
        )
        models.append((item, price))
        weights.append(share)
    for brand, name, category, code in CONSUMABLES:
        services.save_item_model(
            item_model=ItemModel(
                unit=top, brand=brand, name=name, category=category, tasinir_code=code_of[code]
            )
        )
    rooms = []
    for building in BUILDINGS:
        for floor in range(1, 4):
            for room in range(1, 4):
                rooms.append(
                    services.save_location(
                        location=Location(
                            unit=top,
                            building=building,
                            floor=str(floor),
                            room=f"{floor}{room:02d}",
                        )
                    )
                )
    server_room = services.save_location(
        location=Location(unit=top, building="Hizmet Binası", floor="-1", room="Sistem Odası")
    )

    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    assets = []
    for index in range(ASSETS):
        item, price = rng.choices(models, weights)[0]
        acquired = today - timedelta(days=rng.randint(30, 5 * 365))
        moment = datetime.combine(acquired, time(10), tzinfo=zone)
        asset = services.register_asset(
            at=moment,
            unit=rng.choice(it_units),
            item_model=item,
            serial_number=f"{item.brand[:2].upper()}{acquired:%y}{rng.randint(10**6, 10**7 - 1)}",
            location=server_room if item.category in ("server", "network") else rng.choice(rooms),
            acquisition_method="purchase" if rng.random() < 0.95 else "donation",
            acquired_on=acquired,
            value=Decimal(price) * Decimal(rng.randint(90, 110)) / 100,
            supplier=rng.choice(SUPPLIERS),
            invoice_number=f"FTR{acquired:%Y}{index + 1:05d}",
            contract=f"{acquired.year}/DT-{rng.randint(1, 40):02d}",
            warranty_end=date(acquired.year + rng.choice((2, 3)), acquired.month, 1),
        )
        assets.append(asset)

    staff = list(Person.objects.filter(status="active").order_by("pk"))
    talep = User.objects.filter(username="talep").select_related("person").first()
    talep_person = talep.person if talep else None
    handed = 0
    for asset in assets:
        if asset.item_model.category not in PERSONAL or rng.random() < 0.2:
            continue
        holder = rng.choice(staff)
        since = timezone.now() - timedelta(days=rng.randint(2, 700))
        custody = services.hand_over(asset=asset, person=holder, user=officer, at=since)
        handed += 1
        roll = rng.random()
        if roll < 0.1:
            services.transfer(
                asset=asset,
                person=rng.choice(staff),
                user=officer,
                at=since + timedelta(days=1),
                notes="Birim içi görev değişikliği",
            )
        elif roll < 0.17:
            services.take_back(
                asset=asset, user=officer, at=since + timedelta(days=1), notes="İade"
            )
        elif rng.random() < 0.8:
            services.acknowledge(
                custody=custody, user=_as_custodian(holder), at=since + timedelta(hours=3)
            )
    # The requester login holds a desktop (acknowledged) and a monitor (waiting).
    stored = Asset.objects.filter(status="in_store").select_related("item_model").order_by("pk")
    if talep_person is not None:
        for category, acknowledge in (("desktop", True), ("monitor", False)):
            asset = stored.filter(item_model__category=category).first()
            if asset is None:
                continue
            custody = services.hand_over(asset=asset, person=talep_person, user=officer)
            if acknowledge:
                services.acknowledge(custody=custody, user=talep)
    # A few faults and repairs, one scrapped.
    chosen = rng.sample(list(stored), min(10, stored.count()))
    for asset in chosen[:6]:
        services.set_status(asset=asset, status="faulty", user=officer, notes="Açılmıyor")
    for asset in chosen[6:]:
        services.set_status(asset=asset, status="at_repair", user=officer, notes="Yetkili servise")
    if chosen:
        services.set_status(
            asset=chosen[0], status="scrapped", user=officer, notes="Hurda komisyonu 2026/3"
        )
    result.inventory = {"assets": len(assets), "handed": handed}
    _build_store(result, top=top, officer=officer)


def _build_store(result: DemoResult, *, top, officer) -> None:
    """The IT department's store: consumables bought on approved fişler (with minimum levels,
    one of them under it), a fişi that scrapped an asset, a consumption issued against a unit's
    request, one draft waiting for the spending authority and one request waiting for the
    store. The spending authority's login (``harcama.yetkilisi``) approves the fişler."""
    from biys.accounts.models import Role, RoleAssignment
    from biys.demo.builder import create_demo_user
    from biys.inventory import services
    from biys.inventory.models import Asset, ItemModel, Slip, StockItem, Store, TasinirCode
    from biys.org.models import Unit

    authority = create_demo_user(SPENDING_AUTHORITY, top)
    RoleAssignment.objects.create(
        user=authority,
        role=Role.objects.get(slug="spending_authority"),
        unit=top,
        include_subtree=True,
    )
    result.logins.append(DemoLogin(SPENDING_AUTHORITY, "spending_authority", top.name))

    store = services.save_store(
        store=Store(unit=top, name="Bilgi İşlem Merkez Ambarı", keeper=officer.person)
    )
    code_of = {code.code: code for code in TasinirCode.objects.filter(code__startswith="150")}
    supplies = list(ItemModel.objects.filter(kind="consumable", unit=top).order_by("pk"))
    lines = [(item, 24, "2450.00", 6) for item in supplies]
    for brand, name, code, quantity, price, minimum in STORE_SUPPLIES:
        item = services.save_item_model(
            item_model=ItemModel(
                unit=top, brand=brand, name=name, category="supply", tasinir_code=code_of[code]
            )
        )
        lines.append((item, quantity, price, minimum))
    today = timezone.localdate()
    purchase = services.save_slip(
        slip=Slip(
            store=store,
            kind="purchase",
            date=today - timedelta(days=40),
            counterparty=SUPPLIERS[0],
            document=f"Fatura FTR{today:%Y}00981",
        ),
        user=officer,
    )
    for item, quantity, price, minimum in lines:
        services.save_stock_item(
            stock_item=StockItem(store=store, item_model=item, minimum_level=minimum)
        )
        services.add_slip_line(
            slip=purchase, item_model=item, quantity=quantity, unit_price=Decimal(price)
        )
    services.approve_slip(slip=purchase, user=authority)

    other_units = [u for u in Unit.objects.exclude(path__startswith=top.path).order_by("pk")]
    requester = other_units[0] if other_units else top
    request = services.request_stock(
        store=store,
        requesting_unit=requester,
        lines=[(supplies[0], 4), (lines[-1][0], 3)],
        notes="Birim yazıcıları ve UPS'ler için",
    )
    services.decide_request(stock_request=request, approve=True, user=officer)
    services.issue_request(stock_request=request, user=officer)
    services.request_stock(
        store=store,
        requesting_unit=other_units[1] if len(other_units) > 1 else top,
        lines=[(supplies[-1], 2), (lines[-3][0], 20)],
        notes="Yeni personel için",
    )
    faulty = (
        Asset.objects.filter(unit=top, status__in=["faulty", "in_store"])
        .order_by("status", "pk")
        .first()
    )  # "faulty" sorts first
    if faulty is not None:
        scrapping = services.save_slip(
            slip=Slip(
                store=store,
                kind="scrapping",
                date=today - timedelta(days=5),
                document="Hurda Ayırma Komisyonu Kararı 2026/4",
            ),
            user=officer,
        )
        services.add_slip_line(slip=scrapping, item_model=faulty.item_model, assets=[faulty])
        services.approve_slip(slip=scrapping, user=authority)
    draft = services.save_slip(
        slip=Slip(
            store=store,
            kind="purchase",
            date=today,
            counterparty=SUPPLIERS[1],
            document=f"Fatura FTR{today:%Y}01207",
        ),
        user=officer,
    )
    services.add_slip_line(
        slip=draft, item_model=supplies[-1], quantity=12, unit_price=Decimal("2890.00")
    )
    result.inventory["store"] = store.pk
    _build_count(result, top=top, officer=officer, store=store)


def _build_count(result: DemoResult, *, top, officer, store) -> None:
    """The year-end count of the store in progress (the officer's login goes on scanning): most
    assets in the store found, two still missing, another unit's asset and a label the register
    does not know found as surpluses, the consumables counted but one; and a scrapping proposal
    of the commission waiting for the spending authority."""
    from biys.inventory import count_services
    from biys.inventory.models import Asset, AssetStatus, CountLine

    others = top.people.exclude(pk=officer.person_id).filter(status="active")
    members = [officer.person, *others.order_by("sort_name")[:2]]
    members = [person for person in members if person is not None]
    candidate = (
        Asset.objects.filter(
            unit=top,
            status__in=[AssetStatus.AT_REPAIR, AssetStatus.FAULTY, AssetStatus.IN_STORE],
            custodian__isnull=True,
        )
        .order_by("status", "pk")  # at repair, then faulty, then in store
        .first()
    )
    if candidate is not None and members:
        count_services.propose_disposal(
            store=store,
            kind="scrapping",
            decision_date=timezone.localdate(),
            decision_number=f"{timezone.localdate():%Y}/7",
            reason="Onarımı ekonomik değil; parçaları başka cihazlarda kullanılamaz.",
            members=members,
            assets=[candidate],
            user=officer,
        )
    if not members:
        return
    count = count_services.open_count(
        store=store, members=members, notes="Yıl sonu sayımı", user=officer
    )
    expected = list(count.asset_rows.select_related("asset").order_by("pk"))
    for row in expected[:-2]:
        count_services.record_scan(count=count, code=row.asset.inventory_number, user=officer)
    elsewhere = Asset.objects.exclude(unit=top).exclude(status__in=["scrapped", "written_off"])
    other = elsewhere.order_by("pk").first()
    if other is not None:
        count_services.record_scan(count=count, code=other.inventory_number, user=officer)
    count_services.record_scan(count=count, code="ETIKETSIZ-0001", user=officer)
    lines = list(CountLine.objects.filter(count=count).select_related("item_model").order_by("pk"))
    for index, line in enumerate(lines[:-1]):
        counted = line.expected_quantity - (1 if index == 0 and line.expected_quantity else 0)
        count_services.set_counted_quantity(
            count=count, item_model=line.item_model, quantity=counted, user=officer
        )
    result.inventory["count"] = count.pk
    _build_licences(result, top=top, officer=officer)


# (publisher, name, category, status, needs a licence)
SOFTWARE = [
    ("Microsoft Corporation", "Windows 11 Pro", "os", "allowed", True),
    ("Microsoft Corporation", "Office LTSC Professional Plus 2021", "office", "allowed", True),
    ("ESET, spol. s r.o.", "ESET Endpoint Security", "security", "allowed", True),
    ("Autodesk, Inc.", "AutoCAD LT 2025", "design", "allowed", True),
    ("Netcad Yazılım A.Ş.", "Netcad GIS 8", "gis", "allowed", True),
    ("Mozilla", "Mozilla Firefox", "utility", "allowed", False),
    ("Igor Pavlov", "7-Zip", "utility", "allowed", False),
    ("The Document Foundation", "LibreOffice", "office", "allowed", False),
    ("QGIS.org", "QGIS", "gis", "allowed", False),
    ("BitTorrent Inc.", "µTorrent", "other", "forbidden", False),
    ("Uninstall Tools", "Crack Loader", "other", "forbidden", False),
]
# What an agent finds on the computers: (publisher, name as the agent spells it, version,
# share of the computers).
INSTALLED = [
    ("Microsoft Corporation", "Windows 11 Pro", "23H2", 1.0),
    ("Microsoft Corporation", "Microsoft Office LTSC Professional Plus 2021 - tr-tr", "16.0", 0.5),
    ("ESET, spol. s r.o.", "ESET Endpoint Security", "11.0.2032.0", 0.95),
    ("Mozilla", "Mozilla Firefox (x64 tr)", "128.5.1", 0.7),
    ("Igor Pavlov", "7-Zip 23.01 (x64)", "23.01", 0.6),
    ("The Document Foundation", "LibreOffice 24.2.7.2", "24.2.7.2", 0.3),
    ("Google LLC", "Google Chrome", "131.0.6778.86", 0.5),
    ("Notepad++ Team", "Notepad++ (64-bit x64)", "8.6.9", 0.15),
]


def _build_licences(result: DemoResult, *, top, officer) -> None:
    """Software and licences (not taşınır: kept off the register): the allow and deny lists,
    licence agreements (one subscription expiring within a month, one title over its seats),
    installations on the computers as an inventory agent would report them (titles it found
    that nobody reviewed yet), forbidden software on two computers, and the expiry notice the
    officer has received."""
    from biys.inventory import licence_services
    from biys.inventory.models import Asset, Licence, SoftwareTitle

    titles = {}
    for publisher, name, category, status, required in SOFTWARE:
        titles[name] = licence_services.save_title(
            title=SoftwareTitle(
                unit=top,
                publisher=publisher,
                name=name,
                category=category,
                status=status,
                licence_required=required,
                status_reason="Lisanssız yazılım kullanımının önlenmesi (ilgili yönetmelik)"
                if status == "forbidden"
                else "",
            )
        )
    today = timezone.localdate()
    computers = list(
        Asset.objects.filter(item_model__category__in=["desktop", "laptop"])
        .exclude(status__in=["scrapped", "written_off"])
        .select_related("unit")
        .order_by("pk")
    )
    count = len(computers)
    agreements = [
        ("Windows 11 Pro", "perpetual", count, today - timedelta(days=700), None, "0"),
        (
            "Office LTSC Professional Plus 2021",
            "perpetual",
            count // 2 - 3,
            today - timedelta(days=500),
            None,
            "412000",
        ),
        (
            "ESET Endpoint Security",
            "subscription",
            count + 20,
            today - timedelta(days=345),
            today + timedelta(days=20),
            "96500",
        ),
        (
            "AutoCAD LT 2025",
            "subscription",
            2,
            today - timedelta(days=120),
            today + timedelta(days=245),
            "58000",
        ),
        ("Netcad GIS 8", "perpetual", 3, today - timedelta(days=900), None, "74000"),
    ]
    for index, (name, kind, seats, starts, expires, cost) in enumerate(agreements, start=1):
        licence_services.save_licence(
            licence=Licence(
                unit=top,
                title=titles[name],
                kind=kind,
                seats=max(seats, 1),
                starts_on=starts,
                expires_on=expires,
                cost=Decimal(cost),
                supplier=SUPPLIERS[index % len(SUPPLIERS)],
                contract=f"{starts.year}/YZ-{index:02d}",
            )
        )
    rng = random.Random(5651)
    for position, asset in enumerate(computers):
        software = [
            {"publisher": publisher, "name": name, "version": version}
            for publisher, name, version, share in INSTALLED
            if rng.random() < share
        ]
        if position < 4:  # four CAD workstations: AutoCAD on more computers than its seats
            software.append({"publisher": "Autodesk", "name": "AutoCAD LT 2025", "version": "25.0"})
        if position in (7, 19):
            software.append({"publisher": "BitTorrent Inc.", "name": "µTorrent", "version": "3.6"})
        licence_services.report_installed_software(asset=asset, software=software)
    licence_services.send_licence_expiry_alerts(today=today)
    result.inventory["software"] = SoftwareTitle.objects.count()


class _Custodian:
    """The custodian acknowledging in the portal (people without a login in the demo)."""

    def __init__(self, person):
        self.person_id = person.pk
        self.is_authenticated = True


def _as_custodian(person):
    user = getattr(person, "user", None) if hasattr(person, "user") else None
    return user if user is not None else _Custodian(person)
