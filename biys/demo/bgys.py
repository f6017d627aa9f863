"""BGYS demo activity: the BGYS manager's login (bgys.yoneticisi) over the whole municipality,
the national guide and ISO/IEC 27001's numbers loaded, the criticality questionnaire answered
for the IT department's central network (level 2), its applicable measures on the Statement of
Applicability, and a few of them recorded: implemented with evidence, partly, not applicable
with the reason."""

import random

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
