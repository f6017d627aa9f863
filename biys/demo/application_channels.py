"""Applications demo activity beyond the counter, for the applications manager (``basvuru``):
objections to refused or partly answered bilgi edinme requests (one answered, one open, and a
refused request still within its objection period with none yet), a few applications that
arrived by e-mail through the intake of an application mailbox (left inactive: the demo has
no IMAP server), and one finished CİMER import of the channel's export file. Deterministic:
it draws nothing from the demo's random sequence, so the steps after it build the same."""

import random
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

from biys.demo.builder import DemoResult, register_demo_step

# (applicant, subject of the original request, outcome, received days ago, objection:
#  None | "open" | "answered")
OBJECTION_CHAINS = [
    ("Canan Aksoy", "Kent kameraları ihalesinin teklif tutanakları", "refused", 70, "answered"),
    ("Burak Yıldız", "Sunucu bakım sözleşmesinin ekleri", "partly", 26, "open"),
    ("Derya Koç", "Personel giriş-çıkış kayıtlarının istatistiği", "refused", 20, None),
]
# (sender name, address, subject, text)
MESSAGES = [
    ("Hasan Güneş", "hasan.gunes@example.com", "Mahalle muhtarlığındaki internet bağlantısı",
     "Muhtarlığımızdaki internet bağlantısı bir haftadır çalışmıyor. Gereğini arz ederim."),
    ("Seda Arslan", "seda.arslan@example.com", "E-belediye şifremi alamıyorum",
     "E-belediye şifre yenileme mesajı telefonuma gelmiyor, yardımcı olur musunuz?"),
    ("Oğuz Çelik", "oguz.celik@example.com", "Belediye web sitesindeki ihale ilanları",
     "Son üç yılın bilgi işlem ihale ilanlarına sitede ulaşamıyorum; bağlantı hatalı."),
]  # fmt: skip
CIMER_HEADER = ["Başvuru No", "Başvuru Tarihi", "Adı Soyadı", "Konu", "Başvuru Metni",
                "Son Cevap Tarihi", "E-posta"]  # fmt: skip
# (applicant, subject, text, received days ago, CİMER's answer period in days)
CIMER_ROWS = [
    ("Kemal Aydın", "Belediye mobil uygulaması açılmıyor", "Uygulama güncellemeden sonra "
     "açılışta kapanıyor.", 6, 15),
    ("Nur Şimşek", "Kent kameraları kayıt süresi", "Kamera kayıtları kaç gün saklanıyor?", 5, 15),
    ("Tolga Erdem", "Parkta ücretsiz Wi-Fi yok", "Kent parkındaki ücretsiz internet "
     "noktası kapalı.", 4, 30),
    ("Gül Yavuz", "Online ödeme dekontu gelmiyor", "Emlak vergisi ödememin dekontu "
     "e-postama gelmedi.", 3, 15),
]  # fmt: skip


@register_demo_step
def build_application_channels(result: DemoResult, rng: random.Random) -> None:
    from biys.accounts.models import User
    from biys.applications.models import ApplicationType
    from biys.demo.applications import USERNAME

    manager = User.objects.filter(username=USERNAME).first()
    if manager is None:
        return
    types = {t.code: t for t in ApplicationType.objects.filter(active=True)}
    _objections(types.get("bilgi-edinme"))
    _mail(types.get("dilekce"))
    _cimer_import(manager, types.get("cimer"))


def _objections(bilgi) -> None:
    from biys.applications import selectors, services
    from biys.applications.deadlines import objection_deadline
    from biys.calendar.selectors import get_calendar
    from biys.demo.builder import valid_tc_kimlik_no

    if bilgi is None or not bilgi.objection_period or bilgi.objection_type_id is None:
        return
    calendar = get_calendar()
    today = selectors.today()
    tc_numbers = random.Random(13)  # the demo's own sequence stays untouched
    for index, (name, subject, outcome, back, objection) in enumerate(OBJECTION_CHAINS):
        received = today - timedelta(days=back)
        person = {
            "applicant_name": name,
            "tc_kimlik_no": valid_tc_kimlik_no(tc_numbers),
            "email": f"itiraz{index}@example.com",
            "address": f"Cumhuriyet Mah. {index + 3}. Sokak No: {index + 7}",
        }
        original = services.receive_application(
            user=None, type=bilgi, received_on=received, subject=subject,
            form_data={spec["name"]: "İlgili belgelerin örnekleri"
                       for spec in bilgi.form_fields or []},
            today=received, **person,
        )  # fmt: skip
        answered = min(calendar.add_working_days(received, 10), today - timedelta(days=3))
        original = services.record_outcome(
            user=None, application=original, outcome=outcome, answered_on=answered,
            note="İstenen bilginin bir kısmı verildi; kalanı için gerekçe bildirildi."
            if outcome == "partly" else "Başvuru sahibine ret gerekçesi bildirildi.",
            refusal_ground="4982 md. 25 (ticari sır)" if outcome == "refused" else "",
            today=today,
        )  # fmt: skip
        if objection is None:
            continue  # still within its period: "Record an objection" is on its page
        last_day = objection_deadline(bilgi, answered, calendar=calendar)
        objected = min(answered + timedelta(days=5), last_day, today)
        appeal = services.receive_application(
            user=None, type=bilgi.objection_type, received_on=objected,
            subject=f"İtiraz: {subject}", objection_to=original,
            form_data={spec["name"]: f"{original.number} sayılı cevap"
                       for spec in bilgi.objection_type.form_fields or []},
            description="Ticari sır gerekçesi kamu ihalesinin tutanakları için geçerli değildir.",
            today=today, **person,
        )  # fmt: skip
        if objection == "answered":
            services.record_outcome(
                user=None, application=appeal, outcome="answered",
                answered_on=min(calendar.add_working_days(objected, 6), today),
                note="İtiraz yerinde görüldü; tutanakların kişisel veriler çıkarılmış örneği "
                "gönderildi.",
                today=today,
            )  # fmt: skip


def _message(name: str, address: str, subject: str, text: str, sent) -> bytes:
    message = EmailMessage()
    message["From"] = f"{name} <{address}>"
    message["To"] = "basvuru@belediye.bel.tr"
    message["Subject"] = subject
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = make_msgid(domain="example.com")
    message.set_content(text)
    return message.as_bytes()


def _mail(dilekce) -> None:
    from biys.applications.mail_intake import process_message
    from biys.applications.models import ApplicationMailbox

    if dilekce is None:
        return
    mailbox = ApplicationMailbox.objects.create(
        name="basvuru@belediye.bel.tr",
        host="imap.belediye.bel.tr",
        username="basvuru@belediye.bel.tr",
        password="",
        application_type=dilekce,
        is_active=False,  # the demo has no IMAP server to poll
    )
    now = timezone.now()
    for hours, (name, address, subject, text) in enumerate(MESSAGES, start=1):
        process_message(
            mailbox, _message(name, address, subject, text, now - timedelta(hours=hours))
        )


def _cimer_import(manager, cimer) -> None:
    from biys.applications import imports, selectors

    if cimer is None:
        return
    today = selectors.today()
    table = [CIMER_HEADER]
    for index, (name, subject, text, back, period) in enumerate(CIMER_ROWS, start=1):
        received = today - timedelta(days=back)
        table.append([
            f"CMR-{received.year}-{4100 + index}", received.strftime("%d.%m.%Y"), name, subject,
            text, (received + timedelta(days=period)).strftime("%d.%m.%Y"),
            f"cimer{index}@example.com",
        ])  # fmt: skip
    imports.import_applications(user=manager, channel="cimer", type=cimer, table=table)
