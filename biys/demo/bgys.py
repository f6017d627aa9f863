"""BGYS demo activity: the BGYS manager's login (bgys.yoneticisi) over the whole municipality,
the national guide and ISO/IEC 27001's numbers loaded, the criticality questionnaire answered
for the IT department's central network (level 2), its applicable measures on the Statement of
Applicability, and a few of them recorded: implemented with evidence, partly, not applicable
with the reason. Then ten information assets across the guide's six asset groups (the
servers and switches they run on from the inventory) and eight risks on them with their
treatments, one awaiting the manager's approval."""

import random
from datetime import timedelta

from django.utils import timezone

from biys.demo.builder import DemoLogin, DemoResult, register_demo_step

USERNAME = "bgys.yoneticisi"
# Gizlilik c, Bütünlük c, Erişilebilirlik c, kişi sayısı b, toplumsal b, kurumsal b, sektörel b,
# bağımlı varlıklar c: 3+3+3+2+2+2+2+3 = 20 points, level 2.
ANSWERS = {"1": "c", "2": "c", "3": "c", "4": "b", "5": "b", "6": "b", "7": "b", "8": "c"}
RECORDED = [
    (
        "3.1.1.1",
        "fully",
        "Donanım envanteri BİYS Envanter modülünde tutuluyor.",
        "/inventory/assets/",
    ),
    ("3.1.1.2", "mostly", "Sözleşme bilgileri eksik olan cihazlar var.", "/inventory/assets/"),
    ("3.1.1.3", "partly", "Politika yazıldı, ağ erişim kontrolü henüz yok.", ""),
    ("3.1.2.1", "fully", "Yazılım envanteri tutuluyor.", "/servicedesk/"),
]
NOT_APPLICABLE = ("3.1.9.1", "Sanallaştırma altyapısı yok; sunucular fiziksel.")
# name, kind, asset group number, C, I, A, description, runs on inventory assets
ASSETS = [
    (
        "Merkez veri merkezi sunucuları",
        "system",
        1,
        4,
        5,
        5,
        "Sanal olmayan fiziksel sunucular.",
        2,
    ),
    ("Kurumsal ağ (çekirdek anahtarlar)", "system", 1, 3, 4, 5, "Merkez bina omurgası.", 1),
    ("E-belediye uygulaması", "application", 2, 4, 4, 5, "Vatandaş ödemeleri ve başvurular.", 0),
    ("Elektronik belge yönetim sistemi", "application", 2, 4, 5, 4, "EBYS.", 0),
    ("Emlak vergisi veri tabanı", "data_set", 2, 5, 5, 4, "Mükellef kişisel verileri.", 0),
    ("Personel dizüstü bilgisayarları", "system", 3, 3, 3, 3, "Sahada kullanılan cihazlar.", 0),
    ("Trafik kameraları", "system", 4, 2, 3, 4, "Kavşak kameraları ve kayıt cihazı.", 0),
    ("Bilgi işlem personeli", "person", 5, 3, 3, 4, "Sistem ve ağ yöneticileri.", 0),
    ("Sistem odası", "location", 6, 4, 4, 5, "Hizmet binası bodrum katı.", 0),
    ("Bakım-destek firması", "supplier", 1, 4, 3, 4, "Sunucu ve ağ bakım sözleşmesi.", 0),
]
# asset index, threat, vulnerability, L, I, treatment, residual L, I, approved?
RISKS = [
    (
        0,
        "Donanım arızası",
        "Tek noktadan arıza (yedekliliğin olmaması)",
        3,
        5,
        "reduce",
        2,
        3,
        True,
    ),
    (
        0,
        "Elektrik kesintisi",
        "Tek noktadan arıza (yedekliliğin olmaması)",
        3,
        4,
        "reduce",
        1,
        4,
        True,
    ),
    (1, "Yetkisiz erişim", "Yetersiz erişim yönetimi", 3, 4, "reduce", 2, 3, True),
    (
        2,
        "Hizmet dışı bırakma saldırısı (DoS/DDoS)",
        "Tek noktadan arıza (yedekliliğin olmaması)",
        4,
        4,
        "transfer",
        2,
        4,
        True,
    ),
    (4, "Bilgi sızıntısı", "Şifrelenmemiş veri", 3, 5, "reduce", 2, 4, False),
    (
        5,
        "Zararlı yazılım (fidye yazılımı dahil)",
        "Güncellenmemiş yazılım",
        4,
        3,
        "reduce",
        2,
        2,
        True,
    ),
    (6, "Yetkisiz erişim", "Güncellenmemiş yazılım", 2, 2, "accept", None, None, True),
    (
        7,
        "Oltalama ve sosyal mühendislik",
        "Farkındalık eğitimi eksikliği",
        4,
        4,
        "",
        None,
        None,
        False,
    ),
]


@register_demo_step
def build_bgys(result: DemoResult, rng: random.Random) -> None:
    from biys.accounts.models import Role, RoleAssignment, User
    from biys.bgys import services
    from biys.bgys.frameworks import GUIDE_SLUG
    from biys.bgys.models import ApplicabilityEntry, Assessment
    from biys.demo.builder import DEMO_PASSWORD
    from biys.org.models import Unit

    it_units = list(Unit.objects.filter(is_it_department=True).order_by("depth", "order", "pk"))
    roots = list(Unit.objects.filter(parent__isnull=True))
    if not it_units or not roots:
        return
    top = it_units[0]
    person = top.people.filter(user__isnull=True).order_by("sort_name").first()
    manager = User.objects.create_user(
        username=USERNAME,
        password=DEMO_PASSWORD,
        person=person,
        first_name=person.first_name if person else USERNAME,
        last_name=person.last_name if person else "",
        email=person.email if person else "",
    )
    role = Role.objects.get(slug="bgys_manager")
    for root in roots:
        RoleAssignment.objects.create(user=manager, role=role, unit=root, include_subtree=True)
    result.logins.append(DemoLogin(USERNAME, "bgys_manager", roots[0].name))

    guide = services.load_shipped(slug=GUIDE_SLUG).framework
    services.load_shipped(slug="iso-iec-27001")
    assessment = services.save_assessment(
        assessment=Assessment(
            unit=top,
            asset_group=guide.asset_groups.get(number=1),
            name="Merkez bina ağ ve BT sistemi",
            notes="Delfi yöntemiyle iki turda uzlaşıldı.",
        ),
        answers=ANSWERS,
        user=manager,
    )
    services.add_applicable_measures(assessment=assessment, user=manager)
    owners = list(top.people.order_by("sort_name")[:3]) or [None]
    entries = {
        entry.measure.number: entry
        for entry in ApplicabilityEntry.objects.filter(assessment=assessment).select_related(
            "measure"
        )
    }
    for number, state, reason, link in RECORDED:
        entry = entries.get(number)
        if entry is None:
            continue
        entry.state, entry.reason = state, reason
        entry.evidence_links = link
        entry.owner = rng.choice(owners)
        services.save_entry(entry=entry, user=manager)
    entry = entries.get(NOT_APPLICABLE[0])
    if entry is not None:
        entry.applicable, entry.reason = False, NOT_APPLICABLE[1]
        services.save_entry(entry=entry, user=manager)

    build_risks(manager, top, guide, rng)


def build_risks(manager, top, guide, rng) -> None:
    from biys.bgys import services
    from biys.bgys.models import ApplicabilityEntry, InformationAsset, Risk, Threat, Vulnerability

    try:
        from biys.inventory.models import Asset
    except ImportError:  # pragma: no cover - the inventory is always installed with the demo
        Asset = None
    devices = (
        list(
            Asset.objects.filter(unit__path__startswith=top.path)
            .order_by("pk")
            .values_list("inventory_number", flat=True)[:3]
        )
        if Asset is not None
        else []
    )
    people = list(top.people.order_by("sort_name")[:4])
    services.ensure_catalogues()
    methodology = services.default_methodology()
    assets = []
    for index, (name, kind, group, c, i, a, description, runs_on) in enumerate(ASSETS):
        assets.append(
            services.save_information_asset(
                asset=InformationAsset(
                    unit=top,
                    name=name,
                    kind=kind,
                    asset_group=guide.asset_groups.get(number=group),
                    owner=people[index % len(people)] if people else None,
                    confidentiality=c,
                    integrity=i,
                    availability=a,
                    description=description,
                    platform_references="\n".join(devices[:runs_on]),
                ),
                user=manager,
            )
        )
    entries = list(
        ApplicabilityEntry.objects.filter(unit=top, applicable=True).order_by("measure__position")[
            :6
        ]
    )
    today = timezone.localdate()
    for index, (asset, threat, weakness, lk, im, treatment, rl, ri, approved) in enumerate(RISKS):
        risk = services.save_risk(
            risk=Risk(
                asset=assets[asset],
                methodology=methodology,
                threat=Threat.objects.get(name=threat),
                vulnerability=Vulnerability.objects.get(name=weakness),
                likelihood=lk,
                impact=im,
                treatment=treatment,
                treatment_plan="Yedekli yapı ve izleme kurulacak." if treatment == "reduce" else "",
                owner=people[index % len(people)] if treatment and people else None,
                due_date=today + timedelta(days=30 + 15 * index) if treatment else None,
                residual_likelihood=rl,
                residual_impact=ri,
            ),
            user=manager,
            measures=entries[index % 3 : index % 3 + 2] if treatment == "reduce" else [],
        )
        if treatment:
            services.submit_risk(risk=risk, user=manager)
            if approved:
                services.approve_risk(risk=risk, user=manager)
