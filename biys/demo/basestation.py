"""Base-station demo activity: three operators, five site permit applications around
Odunpazarı recorded by the applications manager (``basvuru``) through the services and taken
to different steps (one under a rent contract for over a year with its yearly accruals, the
past years paid and this year's waiting; one approved with its right-of-way agreement; one
inspected; one just received; one refused), residents' complaints tied to two of them
(one answered), and one filed on the public form with the station's coordinates, not tied yet:
its page suggests the registered sites nearest to them."""

import random
from datetime import date, timedelta
from decimal import Decimal

from biys.demo.builder import DemoResult, register_demo_step

OPERATORS = [
    ("Örnek Telekom A.Ş.", "1234567890", "BTK-2009-114"),
    ("Anadolu Mobil İletişim A.Ş.", "2345678909", "BTK-2011-207"),
    ("Yıldız Fiber İletişim A.Ş.", "3456789014", "BTK-2016-033"),
]
# (goal, operator index, kind, latitude, longitude, site code, neighbourhood, block, parcel)
SITES = [
    ("contracted", 0, "rooftop", "39.776512", "30.520618", "ESK0112", "Arifiye", "1204", "7"),
    ("approved", 1, "tower", "39.761230", "30.541870", "ESK0457", "Vişnelik", "3310", "2"),
    ("inspected", 2, "pole", "39.782940", "30.498760", "ESK0731", "Cumhuriyet", "811", "15"),
    ("received", 0, "rooftop", "39.770120", "30.531440", "ESK0118", "Arifiye", "1190", "3"),
    ("refused", 1, "mobile", "39.754300", "30.512220", "ESK-M12", "Vişnelik", "", ""),
]
COMPLAINTS = [
    (0, "Ahmet Yıldız", "Okulun karşısındaki çatıya kurulan istasyon çocukların sağlığını "
     "tehdit ediyor; ölçüm yapılsın.", True),
    (0, "Fatma Koç", "Apartmanımızın çatısındaki istasyon için kat maliklerinin onayı alınmadı.",
     False),
    (1, "Mustafa Arslan", "Parkın yanındaki kule gece uğultu yapıyor.", False),
]  # fmt: skip
# A resident's complaint from the public form with the coordinates their phone gave: about
# 126 m from ESK0118 (Arifiye), so its page suggests that site first.
PUBLIC_COMPLAINT = {
    "applicant_name": "Zeynep Aydın",
    "address": "Arifiye Mah. 12. Sokak No: 4, Odunpazarı / Eskişehir",
    "subject": "Evimizin karşısındaki çatıya kurulan istasyon",
    "description": "Karşı apartmanın çatısına yeni bir anten kuruldu; izinli olup olmadığını "
    "ve ölçüm yapılıp yapılmadığını öğrenmek istiyorum.",
    "konum": "Arifiye Mah. 12. Sokak, karşı apartmanın çatısı",
    "latitude": Decimal("39.771150"),
    "longitude": Decimal("30.532050"),
}


@register_demo_step
def build_basestation(result: DemoResult, rng: random.Random) -> None:
    from biys.accounts.models import User
    from biys.applications import selectors as application_selectors
    from biys.applications.basestation import services
    from biys.applications.basestation.models import Operator
    from biys.demo.applications import USERNAME
    from biys.demo.builder import valid_tc_kimlik_no
    from biys.demo.gis import _gis_unit
    from biys.org.models import Unit

    manager = User.objects.filter(username=USERNAME).first()
    if manager is None or services.permit_type("rooftop") is None:
        return
    top = Unit.objects.filter(is_it_department=True).order_by("depth", "order", "pk").first()
    unit = _gis_unit(top)
    today = application_selectors.today()
    operators = [
        services.save_operator(
            user=None,
            operator=Operator(name=name, tax_number=vkn, authorisation=btk, unit=unit),
        )
        for name, vkn, btk in OPERATORS
    ]
    documents = services.required_documents
    sites = []
    for n, (goal, index, kind, lat, lon, code, neighbourhood, block, parcel) in enumerate(SITES):
        # The site under contract was approved over a year ago: its past years are accrued.
        received = today - timedelta(days=420 if goal == "contracted" else 26 - n * 4)
        site = services.open_site(
            user=manager,
            received_on=received,
            operator=operators[index],
            kind=kind,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            site_code=code,
            neighbourhood=neighbourhood,
            address=f"{neighbourhood} Mah., Odunpazarı / Eskişehir",
            block=block,
            parcel=parcel,
            responsible_unit=unit,
            today=today,
        )
        sites.append(site)
        if goal == "received":
            continue
        site = services.record_documents(user=manager, site=site, documents=documents(site))
        site = services.record_inspection(
            user=manager,
            site=site,
            inspected_on=min(received + timedelta(days=3), today),
            inspector=manager,
            note="Yerinde incelendi; statik rapor ve vaziyet planı ile uyumlu.",
        )
        if goal == "inspected":
            continue
        decided = min(received + timedelta(days=6), today)
        if goal == "refused":
            services.decide(user=manager, site=site, decision="refused", decided_on=decided,
                            note="Alan, imar planında park alanı olarak ayrılmış.")  # fmt: skip
            continue
        site = services.decide(user=manager, site=site, decision="approved", decided_on=decided,
                               decision_number=f"{today.year}/{31 + n}")  # fmt: skip
        site = services.record_right_of_way(
            user=manager, site=site, agreement_number=f"GH-{today.year}-{n + 1:03d}",
            signed_on=min(decided + timedelta(days=1), today),
            route="Enerji kablosu kaldırım altından 35 m, belediye parseli üzerinden",
        )  # fmt: skip
        if goal == "contracted":
            contract_start = decided
            site = services.record_contract(
                user=manager, site=site, contract_kind="rent",
                contract_number=f"KRA-{today.year}-{n + 1:03d}", contract_start=contract_start,
                contract_end=date(today.year + 4, 12, 31), yearly_amount=Decimal("36000.00"),
            )  # fmt: skip
            for year in services.accruable_years(site):
                accrual = services.accrue_year(user=manager, site=site, year=year)
                if year < today.year:
                    services.record_accrual_payment(
                        user=manager, accrual=accrual, payment_reference=f"MKB-{year}-4471",
                        amount=accrual.amount,
                    )  # fmt: skip
    for index, name, text, answered in COMPLAINTS:
        site = sites[index]
        complaint = services.open_complaint(
            user=manager, site=site, received_on=today - timedelta(days=5 if answered else 2),
            applicant_name=name, description=text, tc_kimlik_no=valid_tc_kimlik_no(rng),
            channel="counter", today=today,
        )  # fmt: skip
        if answered:
            services.answer_complaint(
                user=manager, complaint=complaint,
                finding="Yerinde ölçüm yapıldı; elektromanyetik alan değerleri BTK sınırlarının "
                "altında. Sonuç başvuru sahibine bildirildi.",
            )  # fmt: skip
    _public_complaint_with_coordinates(rng, today)


def _public_complaint_with_coordinates(rng: random.Random, today: date) -> None:
    from biys.applications import services as application_services
    from biys.applications.basestation import selectors
    from biys.applications.models import ApplicationType
    from biys.demo.builder import valid_tc_kimlik_no

    complaint_type = ApplicationType.objects.filter(
        code=selectors.COMPLAINT_TYPE_CODE, public=True, active=True
    ).first()
    if complaint_type is None:
        return
    values = dict(PUBLIC_COMPLAINT)
    application_services.file_public_application(
        type=complaint_type,
        subject=values.pop("subject"),
        description=values.pop("description"),
        form_data={"konum": values.pop("konum")},
        tc_kimlik_no=valid_tc_kimlik_no(rng)
        if application_services.asks_identity_number(complaint_type)
        else "",
        today=today - timedelta(days=1),
        **values,
    )
