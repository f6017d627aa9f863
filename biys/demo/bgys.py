"""BGYS demo activity: the BGYS manager's login (bgys.yoneticisi) over the whole municipality,
the national guide and ISO/IEC 27001's numbers loaded, the criticality questionnaire answered
for the IT department's central network (level 2), its applicable measures on the Statement of
Applicability, and a few of them recorded: implemented with evidence, partly, not applicable
with the reason. Then ten information assets across the guide's six asset groups (the
servers and switches they run on from the inventory) and eight risks on them with their
treatments, one awaiting the manager's approval. Then the year's internal audit plan with three
audits (one closed with its corrective action verified and closed, one reported with a major
nonconformity whose corrective action is open, one planned), a management review with its
actions, and the internal auditor's login (bgys.denetci) named on the audits. Last, the
policies: the information security policy for the IT department (version 1 superseded, version
2 published ten days ago, acknowledged by some of the demo logins and pending, some late, for
the others), the password procedure for the technicians with a new version in draft, and an
approved acceptable use policy not yet published. And two awareness training sessions this year
attended by part of the IT department (the others are listed as not trained)."""

import random
from datetime import timedelta

from django.utils import timezone

from biys.demo.builder import DemoLogin, DemoResult, register_demo_step

USERNAME = "bgys.yoneticisi"
AUDITOR_USERNAME = "bgys.denetci"
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
    from biys.accounts.models import Role, RoleAssignment
    from biys.bgys import services
    from biys.bgys.frameworks import GUIDE_SLUG
    from biys.bgys.models import ApplicabilityEntry, Assessment
    from biys.demo.builder import create_demo_user
    from biys.org.models import Unit

    it_units = list(Unit.objects.filter(is_it_department=True).order_by("depth", "order", "pk"))
    roots = list(Unit.objects.filter(parent__isnull=True))
    if not it_units or not roots:
        return
    top = it_units[0]
    manager = create_demo_user(USERNAME, top)
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
    auditor = _auditor_login(result, top, roots)
    build_audits(manager, auditor, top, guide)
    build_policies(manager, top)
    build_training(manager, top)
    build_third_parties(manager, top)


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


def _auditor_login(result: DemoResult, top, roots):
    """The internal auditor: reads, read-only, the audits they are named on."""
    from biys.accounts.models import Role, RoleAssignment
    from biys.demo.builder import create_demo_user
    from biys.org.models import Person

    # Someone of the IT department without a login of their own (the demo gives most of them
    # one): else a new member of staff.
    if not top.people.filter(user__isnull=True).exists():
        Person.objects.create(
            first_name="Seda", last_name="Karakaya", employment_type="memur", unit=top
        )
    auditor = create_demo_user(AUDITOR_USERNAME, top, last=True)
    role = Role.objects.get(slug="bgys_auditor")
    for root in roots:
        RoleAssignment.objects.create(user=auditor, role=role, unit=root, include_subtree=True)
    result.logins.append(DemoLogin(AUDITOR_USERNAME, "bgys_auditor", roots[0].name))
    return auditor


# section, up to level, title, scope, nonconforming measure, finding, root cause, actions
AUDITS = [
    (
        "3.1.5",
        1,
        "Zararlı yazılımlardan korunma iç denetimi",
        "Merkez bina kullanıcı bilgisayarları ve sunucularında zararlı yazılım koruması.",
        "3.1.5.3",
        "Sunucuların üçünde antivirüs imza güncellemeleri iki haftadır alınmıyor.",
        "Güncelleme sunucusunun disk alanı dolmuş, izleme uyarısı tanımlı değildi.",
        "Disk genişletildi, güncelleme sunucusu izlemeye eklendi, haftalık kontrol listesi.",
    ),
    (
        "3.1.6",
        1,
        "Ağ güvenliği ve erişim iç denetimi",
        "Kurumsal ağ, güvenlik duvarı kuralları ve uzaktan erişim.",
        "3.1.6.4",
        "Güvenlik duvarında sahibi ve gerekçesi belirsiz 40 kural var; kurallar yılda bir"
        " gözden geçirilmiyor.",
        "Kural talepleri kayıt altına alınmadan uygulanıyor.",
        "Kural envanteri çıkarılacak, her kurala talep numarası ve sahip atanacak.",
    ),
]


def build_audits(manager, auditor, top, guide) -> None:
    """The year's plan: a closed audit (its corrective action verified and closed), a reported
    one with an open corrective action, a planned one; then a management review."""
    import datetime

    from biys.bgys import audit_services as services
    from biys.bgys.models import Audit, AuditPlan, Finding, ManagementReview, ReviewAction

    today = timezone.localdate()
    first_day = datetime.date(today.year, 1, 5)
    last_day = datetime.date(today.year, 12, 31)

    def within(day):
        return min(max(day, first_day), last_day - timedelta(days=3))

    people = [p for p in top.people.order_by("sort_name")[:6] if p.pk != manager.person_id]
    owners = [p for p in people if not auditor or p.pk != auditor.person_id] or [None]
    plan = services.save_plan(
        plan=AuditPlan(
            unit=top,
            year=today.year,
            title="Yıllık bilgi güvenliği iç denetim planı",
            notes="Rehberin uygulanmasına ilişkin yılda en az bir iç denetim.",
        ),
        user=manager,
    )
    audits = []
    for index, (section, level, title, scope, failed, text, cause, actions) in enumerate(AUDITS):
        start = within(today - timedelta(days=90 - 60 * index))
        audit = services.save_audit(
            audit=Audit(
                plan=plan,
                unit=top,
                title=title,
                framework=guide,
                scope=scope,
                lead_auditor=manager.person,
                planned_start=start,
                planned_end=start + timedelta(days=3),
                method="Kayıt incelemesi, yapılandırma kontrolü ve sorumlularla görüşme.",
            ),
            user=manager,
            audited_units=[top],
            auditors=[p for p in (auditor.person if auditor else None,) if p],
        )
        services.draw_checklist(
            audit=audit, user=manager, section=guide.sections.get(number=section), level=level
        )
        audit = services.start_audit(audit=audit, user=manager)
        items = list(audit.items.select_related("measure"))
        for position, item in enumerate(items):
            if item.measure.number == failed:
                result, notes = "nonconforming", text
            elif index == 1 and position == len(items) - 1:
                result, notes = "not_applicable", "Kablosuz ağ bu binada kullanılmıyor."
            else:
                result, notes = "conforming", "Kayıtlar ve yapılandırma incelendi."
            services.record_result(item=item, user=manager, result=result, notes=notes)
        failing = next(item for item in items if item.measure.number == failed)
        finding = services.save_finding(
            finding=Finding(
                audit=audit,
                kind="minor" if index == 0 else "major",
                checklist_item=failing,
                measure=failing.measure,
                unit=top,
                description=text,
                evidence="Yapılandırma ekran görüntüleri ve kayıt dökümü.",
            ),
            user=manager,
        )
        if index == 1:
            services.save_finding(
                finding=Finding(
                    audit=audit,
                    kind="observation",
                    measure=items[0].measure,
                    description="Ağ şeması güncel, ancak yalnız bir kişi güncelliyor.",
                ),
                user=manager,
            )
            services.save_finding(
                finding=Finding(
                    audit=audit,
                    kind="opportunity",
                    measure=items[1].measure,
                    description="Ağ erişim denetimi (NAC) kademeli olarak yaygınlaştırılabilir.",
                ),
                user=manager,
            )
        action = finding.corrective_action
        action.owner = owners[index % len(owners)]
        action.root_cause, action.actions = cause, actions
        action = services.save_corrective_action(action=action, user=manager)
        closed = index == 0 and action.owner_id is not None
        if closed:
            action = services.complete_corrective_action(
                action=action, user=manager, notes="Güncellemeler alınıyor; uyarı tanımlandı."
            )
            action = services.verify_corrective_action(
                action=action,
                user=manager,
                effective=True,
                notes="Üç sunucuda imza tarihleri yerinde kontrol edildi.",
            )
            services.close_corrective_action(action=action, user=manager)
        audit.conclusion = (
            "Denetlenen tedbirlerin büyük çoğunluğu uygulanmaktadır; bulgular için düzeltici"
            " ve önleyici faaliyet açılmıştır."
        )
        audit = services.save_audit(audit=audit, user=manager)
        services.report_audit(audit=audit, user=manager)
        if closed:
            services.close_audit(audit=audit, user=manager)
        audits.append(audit)

    start = within(today + timedelta(days=14))
    planned = services.save_audit(
        audit=Audit(
            plan=plan,
            unit=top,
            title="Siber güvenlik olay yönetimi iç denetimi",
            framework=guide,
            scope="SOME süreçleri, olay kayıtları ve bildirim süreleri.",
            lead_auditor=manager.person,
            planned_start=start,
            planned_end=min(start + timedelta(days=2), last_day),
        ),
        user=manager,
        audited_units=[top],
        auditors=[p for p in (auditor.person if auditor else None,) if p],
    )
    services.draw_checklist(
        audit=planned, user=manager, section=guide.sections.get(number="3.1.10"), level=2
    )

    review = services.save_review(
        review=ManagementReview(
            unit=top,
            title=f"{today.year} BGYS yönetim gözden geçirmesi",
            held_on=within(today - timedelta(days=7)),
            other_participants="Belediye Başkan Yardımcısı",
            inputs=(
                "İç denetim sonuçları ve açık düzeltici faaliyetler; risk değerlendirmesi ve"
                " risk işleme planı; siber olaylar; BGYS hedeflerinin durumu."
            ),
            decisions=(
                "Güvenlik duvarı kural gözden geçirmesi yılda iki kez yapılacak. Farkındalık"
                " eğitimi tüm personele yıl sonuna kadar verilecek."
            ),
        ),
        user=manager,
        # the manager has no person of their own when every person of the department already
        # has a login (on PostgreSQL the demo's other logins take them in another order)
        participants=[p for p in (manager.person, *people[:3]) if p is not None],
    )
    for number, (description, days, done) in enumerate(
        [
            ("Güvenlik duvarı kural gözden geçirme prosedürünü yayımlamak", 30, False),
            ("Farkındalık eğitimi takvimini hazırlamak", -5, True),
        ]
    ):
        services.save_review_action(
            action=ReviewAction(
                review=review,
                description=description,
                owner=owners[number % len(owners)] or manager.person,
                due_date=today + timedelta(days=days),
                done_on=today - timedelta(days=2) if done else None,
            ),
            user=manager,
        )


POLICY_TEXT = (
    "1. Amaç: Belediyenin bilgi varlıklarının gizliliğini, bütünlüğünü ve erişilebilirliğini"
    " korumak.\n\n2. Kapsam: Bilgi İşlem Dairesi Başkanlığı ve bilgi sistemlerini kullanan tüm"
    " personel.\n\n3. İlkeler: Her kullanıcı kendi hesabından sorumludur; parola paylaşılmaz;"
    " güvenlik olayları gecikmeden SOME'ye bildirilir; kurum verisi kişisel bulut ve e-posta"
    " hesaplarına aktarılmaz."
)


def build_policies(manager, top) -> None:
    """Three policies published to the IT department or a role, with some acknowledgements
    given (by the demo logins, through their own "read and accepted") and some pending."""
    from biys.accounts.models import Role, User
    from biys.acknowledgements.models import Acknowledgement
    from biys.acknowledgements.services import acknowledge
    from biys.bgys import policy_services as services
    from biys.bgys.models import Policy, PolicyVersion

    today = timezone.localdate()

    def version(policy, text, summary, published_days_ago=None, approve=True):
        written = services.save_version(
            version=PolicyVersion(policy=policy, text=text, change_summary=summary), user=manager
        )
        if approve:
            written = services.approve_version(version=written, user=manager)
        if published_days_ago is not None:
            written = services.publish_version(
                version=written, user=manager, today=today - timedelta(days=published_days_ago)
            )
        return written

    security = services.save_policy(
        policy=Policy(
            unit=top,
            code="BGYS-POL-01",
            title="Bilgi Güvenliği Politikası",
            kind="policy",
            description="BGYS'nin amacı, kapsamı ve ilkeleri (TS EN ISO/IEC 27001 madde 5.2).",
        ),
        user=manager,
        audience_units=[top],
    )
    version(security, POLICY_TEXT, "İlk sürüm", published_days_ago=200)
    current = version(
        security,
        POLICY_TEXT + "\n\n4. Uzaktan çalışma: yalnızca kurumun VPN bağlantısı kullanılır.",
        "Uzaktan çalışma maddesi eklendi.",
        published_days_ago=10,
    )
    # Some of the demo logins have read and accepted it; the technician has not (and is late).
    for username in ("daire.baskani", "sube.muduru", "bgys.yoneticisi"):
        user = User.objects.filter(username=username, person__isnull=False).first()
        row = user and Acknowledgement.objects.of(current).filter(person=user.person).first()
        if row is not None:
            acknowledge(acknowledgement=row, user=user)

    passwords = services.save_policy(
        policy=Policy(
            unit=top,
            code="BGYS-PR-03",
            title="Parola ve Erişim Yönetimi Prosedürü",
            kind="procedure",
            description="Hesap açma, parola kuralları ve yetki gözden geçirme.",
            ack_working_days=10,
        ),
        user=manager,
        audience_roles=list(Role.objects.filter(slug__in=["technician", "chief"])),
    )
    version(
        passwords,
        "Parolalar en az 12 karakterdir ve 180 günde bir değiştirilir. Yönetici hesapları çok"
        " faktörlü kimlik doğrulama ile kullanılır.",
        "İlk sürüm",
        published_days_ago=3,
    )
    version(
        passwords,
        "Parolalar en az 14 karakterdir. Yönetici hesapları çok faktörlü kimlik doğrulama ile"
        " kullanılır; paylaşılan hesap açılmaz.",
        "Parola uzunluğu 14 karaktere çıkarıldı.",
        approve=False,
    )
    usage = services.save_policy(
        policy=Policy(
            unit=top,
            code="BGYS-POL-02",
            title="Kabul Edilebilir Kullanım Politikası",
            kind="policy",
            description="Bilgisayar, e-posta ve internet kullanım kuralları.",
        ),
        user=manager,
        audience_units=[top],
    )
    version(usage, "Kurum bilgisayarlarına lisanssız yazılım kurulmaz.", "İlk sürüm")


def build_training(manager, top) -> None:
    """Two awareness sessions in the last months, attended by about two thirds of the IT
    department; the rest are listed as not trained in the last twelve months."""
    from biys.bgys import training_services as services
    from biys.bgys.models import TrainingSession
    from biys.org.models import Person

    today = timezone.localdate()
    people = list(Person.objects.filter(unit__path__startswith=top.path).order_by("sort_name")[:60])
    sessions = [
        ("Oltalama (phishing) ve sosyal mühendislik", 75, "Bilgi Güvenliği Birimi", 90),
        ("Parola güvenliği ve çok faktörlü doğrulama", 20, "Sistem ve Ağ Şube Müdürlüğü", 45),
    ]
    for index, (title, days, trainer, minutes) in enumerate(sessions):
        session = services.save_session(
            session=TrainingSession(
                unit=top,
                title=title,
                held_on=today - timedelta(days=days),
                duration_minutes=minutes,
                trainer=trainer,
                location="Hizmet binası toplantı salonu",
                topic="Örnek oltalama e-postaları, şüpheli bağlantılar, olay bildirimi.",
            ),
            user=manager,
        )
        attended = [p for number, p in enumerate(people) if number % 3 != 2 and number % 2 == index]
        services.record_attendance(session=session, people=attended, user=manager)


def build_third_parties(manager, top) -> None:
    """Three suppliers whose people reach municipal systems: one agreement in force, one ending
    within the warning period (the reminder is in the manager's bell), one that ended."""
    from biys.bgys import third_party_services as services
    from biys.bgys.models import ConfidentialityAgreement, ThirdParty

    today = timezone.localdate()
    parties = [
        ("Anadolu Kent Yazılım A.Ş.", "0680123456", "e-Belediye ve EBYS yazılımının bakımı",
         "2025/41 Yazılım bakım sözleşmesi", [("Kerem Aydın", "Proje yöneticisi", 300, 430)]),
        ("Kuzey Ağ Teknolojileri Ltd. Şti.", "7350098765", "Omurga anahtarları ve güvenlik duvarı",
         "2026/07 Ağ bakım sözleşmesi", [("Aylin Kaya", "Ağ uzmanı", 340, 20)]),
        ("Ege Kamera Sistemleri", "2210456789", "Kent güvenlik kameraları (KGYS)",
         "2024/18 Kamera bakım sözleşmesi", [("Mert Öz", "Teknisyen", 720, -15)]),
    ]  # fmt: skip
    for name, tax_number, systems, contract, agreements in parties:
        party = services.save_third_party(
            third_party=ThirdParty(
                unit=top,
                name=name,
                tax_number=tax_number,
                services=systems,
                contract=contract,
                contact_name=agreements[0][0],
            ),
            user=manager,
        )
        for signatory, role, signed_days_ago, ends_in_days in agreements:
            services.save_agreement(
                agreement=ConfidentialityAgreement(
                    third_party=party,
                    signatory=signatory,
                    signatory_role=role,
                    signed_on=today - timedelta(days=signed_days_ago),
                    expires_on=today + timedelta(days=ends_in_days),
                    scope=f"{systems}: kişisel veriler ve sistem erişim bilgileri",
                ),
                user=manager,
            )
    services.send_agreement_reminders(today=today)
