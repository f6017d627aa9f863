"""Address numbering demo activity (numarataj): the council's fee tariff (last year's and this
year's amounts, so every accrual is priced by it), a few streets of two neighbourhoods with their
name history and buildings, numbering requests recorded by the applications manager
(``basvuru``) through the services and taken to different steps (one with its certificate
issued, one accrued by the tariff waiting for the payment, one numbered with the tariff's fee
shown for its accrual, one visited, one just received, one refused), and
a street naming proposal the council accepted (the street renamed from the decision day) beside
one still being prepared."""

import random
from datetime import date, timedelta
from decimal import Decimal

from biys.demo.builder import DemoResult, register_demo_step

# (neighbourhood, name, kind)
STREETS = [
    ("Arifiye", "İnönü", "cadde"),
    ("Arifiye", "1245.", "sokak"),
    ("Vişnelik", "Gül", "sokak"),
    ("Vişnelik", "Kızılcıklı Mahmut Pehlivan", "cadde"),
]
# (street index, door number, block, parcel, building name)
BUILDINGS = [
    (0, "12", "1204", "3", "Işık Apartmanı"),
    (0, "14", "1204", "4", "Çınar Apartmanı"),
    (2, "3", "3310", "11", ""),
]
# (goal, street index, block, parcel, applicant, building)
REQUESTS = [
    ("issued", 0, "1204", "7", "Ayşe Yılmaz", "Yeni yapılan beş katlı konut"),
    ("accrued", 2, "3310", "14", "Mehmet Öztürk", "İki katlı müstakil ev"),
    ("visited", 3, "2877", "2", "Zeynep Kaya", "İşyeri, zemin kat"),
    ("received", 1, "1190", "9", "Hüseyin Şahin", "Yapı kullanma izni alınmış konut"),
    ("refused", 3, "2877", "5", "Elif Demir", "Boş arsa"),
    ("numbered", 2, "3310", "18", "Fatma Arslan", "Üç katlı konut, üç bağımsız bölüm"),
]
# The council's tariff (kind -> amount in TL), last year's and this year's, each valid from
# the first of January by the council's December decision.
TARIFF = {
    -1: {"certificate": "150.00", "door_number": "200.00", "inner_number": "35.00"},
    0: {"certificate": "185.00", "door_number": "240.00", "inner_number": "45.00"},
}


@register_demo_step
def build_numarataj(result: DemoResult, rng: random.Random) -> None:
    from biys.accounts.models import User
    from biys.applications import selectors as application_selectors
    from biys.applications.numarataj import services
    from biys.applications.numarataj.models import (
        Building,
        NumberingTariff,
        Street,
        StreetNamingProposal,
    )
    from biys.demo.applications import USERNAME
    from biys.demo.builder import valid_tc_kimlik_no
    from biys.demo.gis import _gis_unit
    from biys.org.models import Unit

    manager = User.objects.filter(username=USERNAME).first()
    if manager is None or services.request_type() is None:
        return
    top = Unit.objects.filter(is_it_department=True).order_by("depth", "order", "pk").first()
    unit = _gis_unit(top)
    today = application_selectors.today()
    for offset, amounts in TARIFF.items():
        year = today.year + offset
        for kind, amount in amounts.items():
            services.save_tariff(
                user=None,
                tariff=NumberingTariff(
                    kind=kind,
                    valid_from=date(year, 1, 1),
                    amount=Decimal(amount),
                    council_decision=f"Belediye Meclisinin 04.12.{year - 1} tarihli ve "
                    f"{year - 1}/512 sayılı kararı",
                ),
            )
    streets = [
        services.save_street(
            user=None,
            street=Street(name=name, kind=kind, neighbourhood=neighbourhood, unit=unit),
            named_on=date(today.year - 12, 1, 1),
        )
        for neighbourhood, name, kind in STREETS
    ]
    for index, door, block, parcel, building_name in BUILDINGS:
        services.save_building(
            user=None,
            building=Building(street=streets[index], door_number=door, block=block,
                              parcel=parcel, building_name=building_name),
        )  # fmt: skip

    for n, (goal, index, block, parcel, applicant, building) in enumerate(REQUESTS):
        received = today - timedelta(days=28 - n * 5)
        step = lambda days, received=received: min(received + timedelta(days=days), today)  # noqa: E731
        numbering = services.open_request(
            user=manager,
            received_on=received,
            applicant_kind="person",
            applicant_name=applicant,
            tc_kimlik_no=valid_tc_kimlik_no(rng),
            phone=f"0222 {rng.randint(200, 599)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            address=f"{streets[index].neighbourhood} Mah., Odunpazarı / Eskişehir",
            responsible_unit=unit,
            street=streets[index],
            block=block,
            parcel=parcel,
            building_description=building,
            today=today,
        )
        if goal == "received":
            continue
        if goal == "refused":
            services.refuse_request(
                user=manager,
                request=numbering,
                reason="Parselde yapı bulunmuyor; yapı ruhsatı sunulmadı.",
                refused_on=step(4),
            )
            continue
        services.record_visit(user=manager, request=numbering, visited_on=step(3),
                              inspector=manager, note="Yapı yerinde görüldü.")  # fmt: skip
        if goal == "visited":
            continue
        door = str(16 + 2 * n) if index == 0 else str(5 + 2 * n)
        inner = {0: "1, 2, 3, 4, 5", 5: "1, 2, 3"}.get(n, "")
        services.give_number(user=manager, request=numbering, door_number=door,
                             inner_numbers=inner, numbered_on=step(5))  # fmt: skip
        if goal == "numbered":
            continue
        # The fee by the tariff valid on the accrual day (no fee given).
        numbering = services.accrue_fee(user=manager, request=numbering, accrued_on=step(6))
        if goal == "accrued":
            continue
        services.record_payment(user=manager, request=numbering,
                                payment_reference=f"MKB-{step(7).year}-{rng.randint(10000, 99999)}",
                                amount=numbering.fee, paid_on=step(7))  # fmt: skip
        services.issue_certificate(user=manager, request=numbering, issued_on=step(8))

    accepted = services.save_proposal(
        user=manager,
        proposal=StreetNamingProposal(
            proposed_name="Lale",
            street=streets[1],
            justification="Numaralı sokak adının mahalle sakinlerinin talebiyle çiçek adıyla "
            "değiştirilmesi; adres karışıklığının giderilmesi.",
            unit=unit,
        ),
    )
    services.send_to_council(user=manager, proposal=accepted, sent_on=today - timedelta(days=40))
    services.record_decision(
        user=manager,
        proposal=accepted,
        decision="accepted",
        decision_number=f"{today.year}/214",
        decision_date=today - timedelta(days=30),
        note="Oy birliğiyle kabul edildi.",
    )
    services.save_proposal(
        user=manager,
        proposal=StreetNamingProposal(
            proposed_name="Şair Nedim",
            kind="sokak",
            neighbourhood="Vişnelik",
            area_description="Gül Sokak ile Kızılcıklı Mahmut Pehlivan Caddesi arasındaki yeni "
            "imar yolu",
            justification="Yeni açılan imar yoluna ad verilmesi.",
            unit=unit,
        ),
    )
