"""KVKK demo activity: the municipality's KVKK contact person (kvkk.sorumlusu, over every
unit), a processing inventory of a few activities in the IT department and two other units
(one with special categories, one transferred abroad), and data subjects' requests: one
answered, one being answered whose 30-day deadline is three days away, one just received.
The breach record goes on the SOME's personal-data incident (the secops demo step's), its
72-hour clock running."""

import random
from datetime import timedelta

from biys.demo.builder import DemoLogin, DemoResult, register_demo_step

USERNAME = "kvkk.sorumlusu"

# (unit: "it" or an index into the other units, name, data items, categories, purposes,
#  legal bases (codes), subject groups, recipient groups, retention, abroad (countries, basis))
ACTIVITIES = [
    (
        "it",
        "Kullanıcı hesaplarının ve erişim kayıtlarının tutulması",
        "Ad soyad, sicil no, kullanıcı adı, IP adresi, oturum kayıtları",
        ["Kimlik", "İşlem Güvenliği"],
        ["Bilgi Güvenliği Süreçlerinin Yürütülmesi", "Erişim Yetkilerinin Yürütülmesi"],
        ["5/2-ç", "5/2-a"],
        ["Çalışan"],
        ["Yetkili Kamu Kurum ve Kuruluşları"],
        "Kayıt tarihinden itibaren 2 yıl (5651 sayılı Kanun)",
        None,
    ),
    (
        "it",
        "Bilgi işlem destek taleplerinin karşılanması",
        "Ad soyad, dahili telefon, e-posta, birim, cihaz envanter numarası",
        ["Kimlik", "İletişim", "Müşteri İşlem"],
        ["Talep / Şikâyetlerin Takibi", "İş Faaliyetlerinin Yürütülmesi / Denetimi"],
        ["5/2-ç"],
        ["Çalışan"],
        [],
        "Talebin kapanmasından itibaren 5 yıl",
        ("İrlanda", "Standart sözleşme (KVKK md. 9/4-b), Kurula bildirildi"),
    ),
    (
        0,
        "Sosyal yardım başvurularının değerlendirilmesi",
        "Ad soyad, TC kimlik no, adres, telefon, hane geliri, engellilik raporu",
        ["Kimlik", "İletişim", "Finans", "Sağlık Bilgileri"],
        ["Faaliyetlerin Mevzuata Uygun Yürütülmesi"],
        ["5/2-a", "6/3-e"],
        ["Sosyal Yardım Alan Kişi", "Başvuru Sahibi"],
        ["Yetkili Kamu Kurum ve Kuruluşları"],
        "Yardımın sona ermesinden itibaren 10 yıl",
        None,
    ),
    (
        1,
        "Hizmet binası kamera kayıtları",
        "Görüntü kaydı, giriş-çıkış saati",
        ["Görsel ve İşitsel Kayıtlar", "Fiziksel Mekan Güvenliği"],
        ["Fiziksel Mekân Güvenliğinin Temini"],
        ["5/2-f"],
        ["Ziyaretçi", "Çalışan"],
        ["Yetkili Kamu Kurum ve Kuruluşları"],
        "30 gün",
        None,
    ),
]


def _tc(seed: int) -> str:
    base = f"{300000000 + seed:09d}"
    digits = [int(char) for char in base]
    tenth = (sum(digits[0:9:2]) * 7 - sum(digits[1:8:2])) % 10
    return f"{base}{tenth}{(sum(digits) + tenth) % 10}"


@register_demo_step
def build_kvkk(result: DemoResult, rng: random.Random) -> None:
    from django.utils import timezone

    from biys.accounts.models import Role, RoleAssignment
    from biys.demo.builder import create_demo_user
    from biys.kvkk import services
    from biys.kvkk.choices import ListKind
    from biys.kvkk.listdata import load_shipped
    from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest
    from biys.org.models import Unit

    it_units = list(Unit.objects.filter(is_it_department=True).order_by("depth", "order", "pk"))
    roots = list(Unit.objects.filter(parent__isnull=True))
    if not it_units or not roots:
        return
    load_shipped(ListItem)
    top = it_units[0]
    others = list(
        Unit.objects.filter(is_it_department=False, depth__gt=0).order_by("depth", "order", "pk")
    ) or [top]
    contact = create_demo_user(USERNAME, top)
    role = Role.objects.get(slug="kvkk_contact")
    for root in roots:
        RoleAssignment.objects.create(user=contact, role=role, unit=root, include_subtree=True)
    result.logins.append(DemoLogin(USERNAME, "kvkk_contact", roots[0].name))

    def items(kind, names, *, codes=False):
        field = "code" if codes else "name"
        return list(ListItem.objects.filter(kind=kind, **{f"{field}__in": names}))

    technical = list(ListItem.objects.filter(kind=ListKind.TECHNICAL_MEASURE)[:6])
    administrative = list(ListItem.objects.filter(kind=ListKind.ADMINISTRATIVE_MEASURE)[:5])
    for spec in ACTIVITIES:
        where, name, data, categories, purposes, bases, subjects, recipients, keep, abroad = spec
        unit = top if where == "it" else others[where % len(others)]
        activity = ProcessingActivity(
            unit=unit,
            name=name,
            personal_data=data,
            retention_period=keep,
            transfer_abroad=abroad is not None,
            transfer_countries=abroad[0] if abroad else "",
            transfer_basis=abroad[1] if abroad else "",
        )
        services.save_activity(
            activity=activity,
            user=contact,
            data_categories=items(ListKind.DATA_CATEGORY, categories),
            purposes=items(ListKind.PURPOSE, purposes),
            legal_bases=items(ListKind.LEGAL_BASIS, bases, codes=True),
            subject_groups=items(ListKind.SUBJECT_GROUP, subjects),
            recipient_groups=items(ListKind.RECIPIENT_GROUP, recipients),
            technical_measures=technical,
            administrative_measures=administrative,
        )

    today = timezone.localdate()
    answered = services.register_request(
        user=contact,
        received_on=today - timedelta(days=40),
        channel="written",
        right="learn",
        request_text="Belediyenizde hakkımda hangi kişisel verilerin işlendiğini öğrenmek"
        " istiyorum.",
        applicant_name="Elif Kaya",
        tc_kimlik_no=_tc(11),
        address="Yenidoğan Mah. Çınar Sok. No: 4, Odunpazarı",
        unit=others[0],
    )
    services.start_request(user=contact, request=answered)
    services.answer_request(
        user=contact,
        request=answered,
        outcome="accepted",
        answer="Sosyal yardım başvurunuz kapsamında kimlik, iletişim ve gelir bilgileriniz"
        " işlenmektedir; ayrıntılı döküm ektedir.",
        answered_on=today - timedelta(days=18),
    )
    # Received 27 days ago: its deadline is (about) three days away.
    near = services.register_request(
        user=contact,
        received_on=today - timedelta(days=27),
        channel="kep",
        right="erasure",
        request_text="Eski adresimin ve telefon numaramın kayıtlarınızdan silinmesini"
        " talep ediyorum.",
        applicant_name="Mustafa Demir",
        tc_kimlik_no=_tc(12),
        email="mustafa.demir@example.org",
        phone="0532 000 00 12",
        unit=top,
    )
    services.start_request(user=contact, request=near)
    services.register_request(
        user=contact,
        received_on=today - timedelta(days=1),
        channel="email",
        right="correction",
        request_text="Kayıtlarınızdaki doğum tarihim yanlış; düzeltilmesini istiyorum.",
        applicant_name="Zeynep Yıldız",
        tc_kimlik_no=_tc(13),
        email="zeynep.yildiz@example.org",
        unit=top,
    )
    # The breach part of the SOME's phishing incident that reached personal data: recorded by
    # the KVKK contact person, the Board not yet notified (its 72-hour clock is running).
    from biys.secops import services as secops_services
    from biys.secops.models import Incident

    incident = Incident.objects.filter(personal_data=True).order_by("-detected_at").first()
    if incident is not None:
        secops_services.record_breach(
            user=contact,
            incident=incident,
            data_categories="Kimlik, İletişim, Müşteri İşlem (vatandaş başvuru kayıtları)",
            subject_groups="Başvuru Sahibi",
            subjects_affected=340,
            records_affected=512,
            consequences="Başvuru sahiplerinin ad, TC kimlik ve iletişim bilgileri yetkisiz"
            " kişilerce görüntülendi; kimlik avı ve dolandırıcılık girişimi riski.",
            measures="Hesap parolası sıfırlandı, oturumlar kapatıldı; başvuru modülüne çok"
            " etkenli doğrulama zorunlu kılınacak.",
        )
    result.kvkk = {
        "activities": ProcessingActivity.objects.count(),
        "requests": SubjectRequest.objects.count(),
    }
