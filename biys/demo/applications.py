"""Applications demo activity: the applications manager's login over the IT department and a
few hundred applications of every shipped type received over the last four months (counter,
CİMER, Alo 153, e-mail), spread over the IT units, recorded through the module's services:
most answered (some late, some refused with their legal ground, some forwarded), some routed
to another unit, some extended, and the open ones around today, so the list shows some due
this week and some past their deadline."""

import random
from datetime import timedelta

from biys.demo.builder import FIRST_NAMES, LAST_NAMES, DemoLogin, DemoResult, register_demo_step

USERNAME = "basvuru"
APPLICATIONS = 320
DAYS_BACK = 120
SUBJECTS = {
    "bilgi-edinme": [
        "2025 yılında yapılan yazılım alımlarının listesi",
        "Belediye web sitesinin erişilebilirlik raporu",
        "Kent bilgi sistemi sözleşmesinin bedeli",
        "Kamera sistemlerinin sayısı ve konumları",
    ],
    "bilgi-edinme-itiraz": ["Bilgi edinme başvurumun reddine itiraz"],
    "dilekce": [
        "Mahallemizdeki ücretsiz internet noktasının çalışmaması",
        "E-belediye şifremin sıfırlanması hakkında",
        "Online ödeme sisteminde mükerrer tahsilat",
    ],
    "cimer": [
        "Belediye mobil uygulamasına giriş yapılamıyor",
        "Kent kameralarının kayıtlarına erişim talebi",
        "Parktaki ücretsiz Wi-Fi çok yavaş",
    ],
    "alo-153": ["Meydan ekranı arızalı", "Akıllı durak ekranı çalışmıyor"],
    "baz-istasyonu-yer-secim": ["Çatı üstü baz istasyonu yer seçim belgesi"],
    "mobil-baz-istasyonu": ["Festival alanı için mobil baz istasyonu"],
    "baz-istasyonu-sikayet": ["Okul yanındaki baz istasyonu hakkında şikâyet"],
    "gecis-hakki": ["Fiber altyapı geçiş hakkı talebi"],
    "numarataj": ["Yeni bina için kapı numarası talebi", "Adres tespit belgesi talebi"],
    "sokak-isimlendirme": ["Sokağımıza şehit adının verilmesi önerisi"],
    "cbs-veri-satisi": ["Halihazır harita verisi satın alma talebi"],
}
COMPANIES = ["Örnek Telekom A.Ş.", "Kuzey Harita Ltd. Şti.", "Yıldız Fiber İletişim A.Ş."]
COMPANY_TYPES = {"baz-istasyonu-yer-secim", "mobil-baz-istasyonu", "gecis-hakki", "cbs-veri-satisi"}
FORM_VALUES = {
    "istenen_bilgi": "İlgili yıla ait liste ve sözleşme bedelleri",
    "itiraz_edilen_karar": "Ret kararı",
    "isletmeci": "Örnek Telekom A.Ş.",
    "konum": "Ada 112, parsel 7",
    "guzergah": "Cumhuriyet Caddesi boyunca 1,2 km",
    "ada_parsel": "Ada 204, parsel 15",
    "onerilen_isim": "Şehit Er Ali Demir Sokağı — mahalle muhtarlığının önerisi",
    "katmanlar": "Yol ve bina katmanları, SHP",
    "alan": "12 hektar",
}


def _tc(rng):
    from biys.demo.builder import valid_tc_kimlik_no

    return valid_tc_kimlik_no(rng)


@register_demo_step
def build_applications(result: DemoResult, rng: random.Random) -> None:
    from biys.accounts.models import Role, RoleAssignment
    from biys.applications import selectors, services
    from biys.applications.models import Application, ApplicationType
    from biys.calendar.selectors import get_calendar
    from biys.demo.builder import create_demo_user
    from biys.org.models import Unit

    types = list(ApplicationType.objects.filter(active=True).order_by("code"))
    if not types:
        return
    it_units = list(Unit.objects.filter(is_it_department=True).order_by("depth", "order", "pk"))
    top = it_units[0]
    manager = create_demo_user(USERNAME, top)
    RoleAssignment.objects.create(
        user=manager,
        role=Role.objects.get(slug="applications_manager"),
        unit=top,
        include_subtree=True,
    )
    result.logins.append(DemoLogin(USERNAME, "applications_manager", top.name))

    calendar = get_calendar()
    today = selectors.today()
    branches = [u for u in it_units if u.parent_id == top.pk] or [top]
    weights = [5 if t.code in ("bilgi-edinme", "dilekce", "cimer") else 1 for t in types]
    channels_by_type = {"cimer": "cimer", "alo-153": "alo153"}
    for n in range(APPLICATIONS):
        application_type = rng.choices(types, weights)[0]
        # The last ones received recently, so some are open and due around today.
        back = rng.randint(0, DAYS_BACK) if n < APPLICATIONS - 40 else rng.randint(10, 32)
        received = today - timedelta(days=back)
        company = application_type.code in COMPANY_TYPES
        name = (
            rng.choice(COMPANIES)
            if company
            else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        )
        channel = channels_by_type.get(application_type.code) or rng.choice(
            ["counter", "counter", "email", "post", "kep"]
        )
        channel_due = None
        if application_type.channel_sets_period:
            channel_due = received + timedelta(days=rng.choice([15, 30]))
        application = services.receive_application(
            user=None,
            type=application_type,
            received_on=received,
            subject=rng.choice(SUBJECTS.get(application_type.code, ["Başvuru"])),
            applicant_name=name,
            applicant_kind="company" if company else "person",
            channel=channel,
            channel_reference=f"{channel.upper()}-{received.year}-{rng.randint(10000, 99999)}"
            if channel in ("cimer", "alo153")
            else "",
            channel_due_date=channel_due,
            form_data={
                spec["name"]: FORM_VALUES.get(spec["name"], "—")
                for spec in application_type.form_fields or []
            },
            tc_kimlik_no="" if company else _tc(rng),
            tax_number=str(rng.randint(1_000_000_000, 9_999_999_999)) if company else "",
            phone=f"05{rng.randint(30, 55)} {rng.randint(100, 999)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}",
            email=f"basvuran{n}@example.com",
            address=f"{rng.randint(1, 120)}. Sokak No: {rng.randint(1, 60)}",
            today=today,
        )
        if len(branches) > 1 and rng.random() < 0.3:
            target = rng.choice([b for b in branches if b.pk != application.responsible_unit_id])
            services.route_application(
                user=None, application=application, unit=target, reason="Görev alanına giriyor"
            )
        if (
            application_type.extended_period
            and rng.random() < 0.15
            and application.due_date >= today
        ):
            services.extend_application(
                user=None,
                application=application,
                reason="İstenen bilgi birden fazla birimden derleniyor (4982 md. 11).",
                today=min(today, application.due_date),
            )
        application.refresh_from_db()
        # Older ones are answered: most on time, some late; the most recent stay open.
        if back > 20 or rng.random() < 0.25:
            if rng.random() < 0.85:
                last = min(application.due_date, today)
                span = max(calendar.working_days_between(received, last), 1)
                answered = calendar.add_working_days(received, rng.randint(1, span))
            else:
                answered = application.due_date + timedelta(days=rng.randint(1, 10))
            if answered > today:
                # still open: leave some of them late on purpose
                continue
            outcome = rng.choices(["answered", "partly", "refused", "forwarded"], [70, 10, 12, 8])[
                0
            ]
            services.record_outcome(
                user=None,
                application=application,
                outcome=outcome,
                answered_on=max(answered, received),
                note="Başvuru sahibine yazılı cevap verildi.",
                refusal_ground="4982 md. 25 (ticari sır)" if outcome == "refused" else "",
                forwarded_to="Valilik İl Müdürlüğü" if outcome == "forwarded" else "",
                today=today,
            )
    # A few on this week's deadline, whatever the random draw gave.
    monday, sunday = selectors.week_bounds(today)
    due_now = Application.objects.filter(state="open", due_date__gte=max(monday, today))
    if not due_now.filter(due_date__lte=sunday).exists():
        petition = next((t for t in types if t.code == "dilekce"), types[0])
        services.receive_application(
            user=None,
            type=petition,
            received_on=today - timedelta(days=petition.period),
            subject="Web sitesindeki başvuru formu çalışmıyor",
            applicant_name="Fatma Kaya",
            tc_kimlik_no=_tc(rng),
            form_data={spec["name"]: "—" for spec in petition.form_fields or []},
            today=today,
        )
    # The manager looked at two applicants' personal data to answer them: the KVKK log of
    # personal data seen (Audit > Personal data seen) has entries to search.
    seen = Application.objects.exclude(tc_kimlik_no="").order_by("pk")[:2]
    for application in seen:
        services.reveal_personal_data(
            user=manager, application=application, reason="Cevap yazısı için adres teyidi"
        )
