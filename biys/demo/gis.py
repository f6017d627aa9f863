"""GIS data sales demo activity (CBS veri satışı): the layers the municipality sells, last
year's tariff (ended) and this year's (in force) with their council decisions, and about a
dozen sales recorded by the applications manager (``basvuru``) through the services: delivered
ones (paid, the signed undertaking on file), one paid waiting for its undertaking, accrued
ones waiting for the payment, quoted and just requested ones, and one cancelled."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from biys.demo.builder import DemoResult, register_demo_step

LAYERS = [
    ("halihazir-harita", "Halihazır harita (1/1000)", "Bina, yol, yapı ve arazi detayları"),
    ("ortofoto", "Ortofoto", "10 cm çözünürlüklü renkli hava fotoğrafı"),
    ("imar-plani", "İmar planı (uygulama)", "1/1000 uygulama imar planı paftaları"),
    ("numarataj", "Numarataj (adres noktaları)", "Kapı numarası ve bina adres noktaları"),
    ("yol-agi", "Yol ağı", "Yol orta hatları, adlar ve sınıflar"),
]
# (layer code, format, charged per, unit price, minimum charge)
LINES = [
    ("halihazir-harita", "dwg", "hectare", "185.00", "1500.00"),
    ("halihazir-harita", "ncz", "hectare", "185.00", "1500.00"),
    ("halihazir-harita", "pdf", "sheet", "450.00", None),
    ("ortofoto", "geotiff", "sheet", "650.00", None),
    ("ortofoto", "pdf", "sheet", "300.00", None),
    ("imar-plani", "dwg", "hectare", "240.00", "2000.00"),
    ("imar-plani", "ncz", "hectare", "240.00", "2000.00"),
    ("imar-plani", "pdf", "sheet", "500.00", None),
    ("numarataj", "shp", "item", "0.40", "500.00"),
    ("yol-agi", "shp", "hectare", "35.00", "750.00"),
    ("yol-agi", "dwg", "hectare", "35.00", "750.00"),
]
BUYERS = [
    ("company", "Kuzey Harita Mühendislik Ltd. Şti.", "1234567890"),
    ("company", "Yıldız Fiber İletişim A.Ş.", "9876543217"),
    ("company", "Ege Planlama ve Proje Ltd. Şti.", "4567890128"),
    ("company", "Anadolu Enerji Dağıtım A.Ş.", "1111111114"),
    ("person", "Selin Aydın", None),
    ("person", "Murat Çelik", None),
]
AREAS = [
    "Çankaya, Kızılay Mah. ada 1204 parsel 15 çevresi",
    "Yenimahalle, Batıkent 3 pafta (K-12-b-1, b-2, b-3)",
    "Etimesgut, Elvankent Mah. 48 hektar",
    "Keçiören, Bağlum Mah. 12 hektar",
    "Mamak, Tuzluçayır Mah. 25 hektar",
]
PURPOSES = ["İmar uygulama projesi", "Fiber altyapı güzergâh projesi", "Yüksek lisans tezi",
            "Elektrik dağıtım hattı projesi", "Parselasyon planı hazırlığı"]  # fmt: skip
# The steps each demo sale is taken to, the oldest first.
SCRIPT = ["delivered", "delivered", "delivered", "partly_delivered", "paid", "accrued",
          "accrued", "quoted", "quoted", "requested", "requested", "cancelled"]  # fmt: skip
UNDERTAKING_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _gis_unit(top):
    from biys.org.models import Unit

    named = (
        Unit.objects.filter(is_it_department=True, path__startswith=top.path)
        .filter(name__icontains="Coğrafi")
        .order_by("depth", "pk")
        .first()
    )
    return named or top


@register_demo_step
def build_gis_sales(result: DemoResult, rng: random.Random) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from biys.accounts.models import User
    from biys.applications import selectors as application_selectors
    from biys.applications.gis import services
    from biys.applications.gis.models import GisLayer, GisTariff, GisTariffLine
    from biys.demo.applications import USERNAME
    from biys.demo.builder import valid_tc_kimlik_no
    from biys.org.models import Unit

    manager = User.objects.filter(username=USERNAME).first()
    if manager is None or services.sale_type() is None:
        return
    top = Unit.objects.filter(is_it_department=True).order_by("depth", "order", "pk").first()
    unit = _gis_unit(top)
    today = application_selectors.today()
    layers = {}
    for position, (code, name, description) in enumerate(LAYERS):
        layers[code] = services.save_layer(
            user=None,
            layer=GisLayer(
                code=code, name=name, description=description, unit=unit, position=position
            ),
        )
    year = today.year
    for start, factor, number in ((year - 1, Decimal("0.8"), 498), (year, Decimal("1"), 512)):
        tariff = services.save_tariff(
            user=None,
            tariff=GisTariff(
                name=f"{start} yılı kent bilgi sistemi veri satış tarifesi",
                council_decision=f"Belediye Meclisinin 04.12.{start - 1} tarihli ve {number} "
                "sayılı kararı",
                decision_date=date(start - 1, 12, 4),
                valid_from=date(start, 1, 1),
                valid_until=date(start, 12, 31) if start < year else None,
                unit=unit,
                notes="2464 sayılı Belediye Gelirleri Kanunu md. 97 uyarınca belirlenen ücretler.",
            ),
        )
        for code, data_format, charge_unit, price, minimum in LINES:
            services.save_tariff_line(
                user=None,
                line=GisTariffLine(
                    tariff=tariff,
                    layer=layers[code],
                    data_format=data_format,
                    charge_unit=charge_unit,
                    unit_price=(Decimal(price) * factor).quantize(Decimal("0.01")),
                    minimum_charge=(Decimal(minimum) * factor).quantize(Decimal("0.01"))
                    if minimum
                    else None,
                    kdv_rate=Decimal("20"),
                ),
            )

    priced = [(code, data_format, charge_unit) for code, data_format, charge_unit, *_ in LINES]
    for n, goal in enumerate(SCRIPT):
        # Spread over the last four months; those still waiting are the recent ones.
        back = 120 - n * 10 if goal in ("delivered", "cancelled") else 35 - n * 2
        received = today - timedelta(days=max(back, 1))
        kind, name, vkn = BUYERS[n % len(BUYERS)]
        area = AREAS[n % len(AREAS)]
        sale = services.open_sale(
            user=manager,
            received_on=received,
            applicant_kind=kind,
            applicant_name=name,
            tc_kimlik_no=valid_tc_kimlik_no(rng) if kind == "person" else "",
            tax_number=vkn or "",
            email=f"cbs{n}@example.com",
            phone=f"0312 {rng.randint(200, 599)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            address=f"{rng.randint(1, 120)}. Sokak No: {rng.randint(1, 60)}, Ankara",
            responsible_unit=unit,
            form_data={"katmanlar": "Halihazır harita ve ortofoto", "alan": area},
            area_description=area,
            purpose=PURPOSES[n % len(PURPOSES)],
            today=today,
        )
        for code, data_format, charge_unit in rng.sample(priced, rng.randint(1, 3)):
            if any(item.layer_id == layers[code].pk for item in sale.items.all()):
                continue
            quantity = {
                "hectare": Decimal(rng.randint(20, 480)) / 10,
                "sheet": Decimal(rng.randint(1, 6)),
                "item": Decimal(rng.randint(400, 4000)),
            }[charge_unit]
            services.add_item(user=manager, sale=sale, layer=layers[code],
                              data_format=data_format, quantity=quantity)  # fmt: skip
        if goal == "requested":
            continue
        if goal == "cancelled":
            services.cancel_sale(
                user=manager, sale=sale, reason="Başvuru sahibi talebinden vazgeçti."
            )
            continue
        step = lambda days, received=received: min(received + timedelta(days=days), today)  # noqa: E731
        sale = services.quote_sale(user=manager, sale=sale, today=step(2))
        if goal == "quoted":
            continue
        sale = services.accrue_sale(user=manager, sale=sale, accrued_on=step(3))
        if goal == "accrued":
            continue
        sale = services.record_payment(
            user=manager,
            sale=sale,
            payment_reference=f"MKB-{step(5).year}-{rng.randint(10000, 99999)}",
            amount=sale.total,
            paid_on=step(5),
        )
        if goal == "paid":
            continue
        sale = services.attach_undertaking(
            user=manager,
            sale=sale,
            uploaded_file=SimpleUploadedFile("taahhutname-imzali.pdf", UNDERTAKING_PDF),
            signed_on=step(5),
        )
        delivered_at = timezone.make_aware(datetime.combine(step(7), time(14, 30)))
        quantities = None
        if goal == "partly_delivered":
            # A first part: the first layer (half of it when it is the only one); the rest
            # is still due and the sale stays open.
            items = list(sale.items.order_by("id"))
            first = items[0]
            part = first.quantity if len(items) > 1 else first.quantity / 2
            quantities = {first.pk: part.quantize(Decimal("0.001"))}
        services.deliver_sale(
            user=manager,
            sale=sale,
            recipient_name=name if kind == "person" else "Firma yetkilisi Hakan Demir",
            method=rng.choice(["media", "download", "kep"]),
            files="\n".join(
                f"{item.layer.name} ({item.get_data_format_display()})"
                for item in sale.items.select_related("layer")
            ),
            delivered_at=min(delivered_at, timezone.now()),
            quantities=quantities,
        )
