"""Evrak demo activity: the registry clerk's login (evrak.memuru) over the IT department, the
sample file plan, and some forty incoming documents of the last two months registered through
the module's service: from ministries and the governorship (DETSİS numbers), from companies
(VKN / MERSİS) and from citizens (TC kimlik numbers, masked), some urgent, some dated with
their due day on the working calendar, one Hizmete Özel and one Gizli named to the clerk. The
newest paper document carries a scanned page whose text is recognised (OCR) in the background,
so a word of the scan finds it. The e-Yazışma import is tried in the browser test and the README tour with a real package.

Routing (havale): the clerk has routed some recent documents to sube.muduru's branch for action
(one of them overdue) and one for information; sube.muduru routed two on to teknisyen, who
closed one with its signed reply; the Gizli document is handed over to sube.muduru, waiting for the acknowledgement
(teslim aldım).

Outgoing documents (giden evrak): yazi.hazirlayan (document writer over sube.muduru's
branch) has drafted replies to two of the routed documents, with their distribution lists
and ilgi lines, to be signed by daire.baskani; the first is initialled (paraf) by sube.muduru
and waits for the signature. A third reply, to the document teknisyen answered, was initialled
by teknisyen and sube.muduru and signed by daire.baskani; teknisyen's routing is closed with it."""

import random
from datetime import timedelta

from biys.demo.builder import (
    FIRST_NAMES,
    LAST_NAMES,
    DemoLogin,
    DemoResult,
    create_demo_user,
    register_demo_step,
)

USERNAME = "evrak.memuru"
DOCUMENTS = 40
DAYS_BACK = 60
INSTITUTIONS = [
    ("T.C. İçişleri Bakanlığı Bilgi İşlem Dairesi Başkanlığı", "61648174"),
    ("Cumhurbaşkanlığı Dijital Dönüşüm Ofisi", "26612340"),
    ("Valilik İl Afet ve Acil Durum Müdürlüğü", "38417202"),
    ("Çevre, Şehircilik ve İklim Değişikliği Bakanlığı", "24312041"),
    ("Bilgi Teknolojileri ve İletişim Kurumu", "33590418"),
]
COMPANIES = [
    ("Örnek Telekom A.Ş.", "1234567890", ""),
    ("Kuzey Harita Ltd. Şti.", "", "0922003497008217"),
    ("Yıldız Fiber İletişim A.Ş.", "9876543210", ""),
]
SUBJECTS = [
    "Kamu kurumlarında bilgi güvenliği tedbirleri",
    "e-Belediye hizmetlerinin e-Devlet Kapısı'na entegrasyonu",
    "Kent bilgi sistemi verilerinin paylaşımı",
    "Siber olay müdahale ekibi (SOME) bildirimi",
    "Kamu internet erişim noktalarında 5651 kayıtları",
    "Fiber altyapı geçiş hakkı başvurusu",
    "Halihazır harita güncelleme çalışması",
    "Yazılım lisans yenileme teklifi",
    "Veri merkezi enerji altyapısı denetimi",
    "Afet bilgi sistemine veri girişi",
]


@register_demo_step
def build_evrak(result: DemoResult, rng: random.Random) -> None:
    from django.utils import timezone

    from biys.accounts.models import Role, RoleAssignment
    from biys.demo.builder import create_demo_user, valid_tc_kimlik_no
    from biys.evrak import services
    from biys.evrak.models import SdpCode
    from biys.org.models import Unit

    it_units = list(Unit.objects.filter(is_it_department=True).order_by("depth", "order", "pk"))
    if not it_units:
        return
    top = it_units[0]
    clerk = create_demo_user(USERNAME, top)
    RoleAssignment.objects.create(
        user=clerk, role=Role.objects.get(slug="evrak_clerk"), unit=top, include_subtree=True
    )
    result.logins.append(DemoLogin(USERNAME, "evrak_clerk", top.name))

    services.load_sample_sdp_codes()
    codes = list(SdpCode.objects.order_by("code"))
    now = timezone.now()
    moments = sorted(
        now - timedelta(days=rng.randint(0, DAYS_BACK), hours=rng.randint(0, 6))
        for _ in range(DOCUMENTS)
    )
    documents = []
    for n, moment in enumerate(moments):
        moment = moment.replace(hour=9 + n % 8, minute=rng.randint(0, 59))
        if moment > now:
            moment = now - timedelta(minutes=DOCUMENTS - n)
        kind = rng.choices(["institution", "company", "person"], [6, 2, 2])[0]
        sender = {"sender_kind": kind}
        if kind == "institution":
            name, detsis = rng.choice(INSTITUTIONS)
            sender |= {
                "sender_name": name,
                "sender_detsis_no": detsis,
                "sender_number": f"E-{detsis}-{rng.choice(['010.03', '030.04.02', '040'])}-"
                f"{rng.randint(100, 9999)}",
            }
        elif kind == "company":
            name, vkn, mersis = rng.choice(COMPANIES)
            sender |= {"sender_name": name, "sender_vkn": vkn, "sender_mersis_no": mersis}
        else:
            sender |= {
                "sender_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "sender_tc_kimlik_no": valid_tc_kimlik_no(rng),
            }
        urgency = rng.choices(["NRM", "ACL", "GNL"], [7, 2, 1])[0]
        confidentiality = "YOK"
        if n == DOCUMENTS - 3:
            confidentiality = "HZO"
        if n == DOCUMENTS - 2:
            confidentiality = "GZL"
        subject = rng.choice(SUBJECTS)
        document = services.register_incoming_document(
            user=clerk,
            receiving_unit=rng.choice(it_units),
            subject=subject,
            sender_date=(moment - timedelta(days=rng.randint(1, 5))).date(),
            sdp_code=rng.choice(codes) if codes else None,
            confidentiality=confidentiality,
            urgency=urgency,
            due_in_working_days=rng.choice([5, 10]) if urgency == "GNL" else None,
            registered_at=moment,
            scans=[scanned_page(sender["sender_name"], subject)] if n == DOCUMENTS - 1 else [],
            **sender,
        )
        documents.append(document)
    answered = route_demo_documents(clerk, documents, it_units)
    outgoing_demo(result, documents, answered)
    archive_demo(clerk, top, now)


def archive_demo(clerk, unit, now) -> None:
    """Two older documents whose files are due at this year-end (README): one of ten years ago
    under 042 İstatistikler (2 + 8 years, imha) due for destruction, one of six years ago under
    010.03 Yönetmelikler (5 years in the unit) due for transfer. daire.baskani approves them on
    *Arşiv yıl sonu*."""
    from biys.evrak import services
    from biys.evrak.models import SdpCode

    for years_back, code, subject in (
        (10, "042", "Yıllık bilgi işlem istatistikleri"),
        (6, "010.03", "Bilgi güvenliği yönergesi taslağı hk."),
    ):
        sdp_code = SdpCode.objects.filter(code=code).first()
        if sdp_code is None:
            continue
        services.register_incoming_document(
            user=clerk,
            receiving_unit=unit,
            subject=subject,
            sender_kind="institution",
            sender_name=INSTITUTIONS[0][0],
            sender_detsis_no=INSTITUTIONS[0][1],
            sender_number=f"E-{INSTITUTIONS[0][1]}-{code}-{100 + years_back}",
            sdp_code=sdp_code,
            registered_at=now.replace(year=now.year - years_back, month=3, day=15, hour=10),
            notes="Arşiv yıl sonu örneği.",
        )


def scanned_page(sender: str, subject: str):
    """A scanned letter as a PNG (the text recognition reads it once the demo is committed)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw, ImageFont

    from biys.core.pdf_fonts import font_path

    font = ImageFont.truetype(str(font_path("DejaVuSans.ttf")), 36)
    lines = [
        "T.C.",
        sender[:60],
        "",
        f"Konu: {subject}"[:70],
        "",
        "Belediyenizin bilgi işlem altyapısında yazıcı arızası ve",
        "ağ kesintisi bildirimleri hakkında bilgi rica olunur.",
    ]
    page = Image.new("L", (1654, 900), 255)
    draw = ImageDraw.Draw(page)
    for index, line in enumerate(lines):
        draw.text((110, 90 + 90 * index), line, font=font, fill=0)
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    return SimpleUploadedFile("tarama-1.png", buffer.getvalue(), content_type="image/png")


def route_demo_documents(clerk, documents, it_units):
    """Some of the latest documents routed, one overdue, the Gizli one awaiting receipt. Gives
    the routing teknisyen answers (closed by ``outgoing_demo`` with the signed reply)."""
    from biys.accounts.models import User
    from biys.evrak import services
    from biys.evrak.choices import NAMED_ONLY

    chief = User.objects.filter(username="sube.muduru").first()
    technician = User.objects.filter(username="teknisyen").first()
    if chief is None:
        return None
    unit = chief.role_assignments.order_by("pk").first().unit
    answered = None
    plain = [d for d in documents if d.confidentiality not in NAMED_ONLY]
    recent, older = plain[-6:], plain[-12:-6]
    routings = []
    for n, document in enumerate(recent):
        routings.append(
            services.route_document(
                user=clerk,
                document=document,
                unit=unit,
                instruction="Gereğini rica ederim.",
                due_in_working_days=(2, 4, 7, 10, 3, 15)[n],
            )
        )
    # Routed when it arrived and never answered: overdue today.
    overdue = older[0]
    services.route_document(
        user=clerk,
        document=overdue,
        unit=unit,
        instruction="Acilen cevap verilmesi.",
        due_in_working_days=5,
        today=overdue.registered_at.date(),
    )
    info_unit = next((u for u in it_units if u.pk != unit.pk), unit)
    services.route_document(
        user=clerk, document=recent[0], unit=info_unit, kind="info", instruction="Bilgi için."
    )
    if technician is not None:
        services.route_on(user=chief, routing=routings[0], assignee=technician)
        services.route_on(user=chief, routing=routings[1], assignee=technician)
        answered = routings[1]  # closed with its signed reply once that exists (outgoing_demo)
    secret = next((d for d in documents if d.confidentiality in NAMED_ONLY), None)
    if secret is not None:
        services.route_document(
            user=clerk,
            document=secret,
            unit=unit,
            assignee=chief,
            instruction="Şahsen teslim edilmiştir.",
            due_in_working_days=5,
        )
    return answered


WRITER = "yazi.hazirlayan"
# The sayı and the e-Yazışma package carry the municipality's DETSİS number. The presets leave
# it to the installation; the demo sets this made-up number (not the municipality's real one).
DEMO_DETSIS_NO = "99999901"


def outgoing_demo(result: DemoResult, documents, answered=None) -> None:
    """Two drafted replies to routed documents, through the outgoing service; and the signed
    reply with which teknisyen closes the routing ``answered``."""
    from biys.accounts.models import Role, RoleAssignment, User
    from biys.evrak import outgoing_services, services
    from biys.evrak.models import SdpCode
    from biys.org.models import Municipality

    municipality = Municipality.objects.order_by("pk").first()
    if municipality is not None and not municipality.detsis_no:
        municipality.detsis_no = DEMO_DETSIS_NO  # so daire.baskani can sign (README)
        municipality.save(update_fields=["detsis_no"])

    chief = User.objects.filter(username="sube.muduru").first()
    head = User.objects.filter(username="daire.baskani").first()
    if chief is None:
        return
    unit = chief.role_assignments.order_by("pk").first().unit
    writer = create_demo_user(WRITER, unit)
    RoleAssignment.objects.create(
        user=writer, role=Role.objects.get(slug="evrak_writer"), unit=unit, include_subtree=True
    )
    result.logins.append(DemoLogin(WRITER, "evrak_writer", unit.name))
    code = SdpCode.objects.order_by("code").first()
    if answered is not None:
        answered = type(answered).objects.select_related("assignee", "document").get(pk=answered.pk)
    answered_document = answered.document if answered is not None else None
    replies = [
        d
        for d in documents
        if d.sender_kind == "institution" and d.routings.exists() and d != answered_document
    ]

    def draft_reply(document):
        return outgoing_services.save_outgoing_draft(
            user=writer,
            unit=unit,
            subject=document.subject,
            sdp_code=code,
            body=(
                "İlgi yazınız incelenmiş olup Belediyemizde yürütülen çalışmalara ilişkin"
                " bilgiler ekte sunulmuştur.\n\nBilgilerinizi ve gereğini arz ederim."
            ),
            signer=head,
            signer_title="Bilgi İşlem Dairesi Başkanı",
            distribution=[
                {  # the sender, as the kind of recipient it is (a person: their TC kimlik no)
                    "kind": "GRG",
                    "recipient_kind": document.sender_kind,
                    "name": document.sender_name,
                    "detsis_no": document.sender_detsis_no,
                    "vkn": document.sender_vkn,
                    "mersis_no": document.sender_mersis_no,
                    "tc_kimlik_no": document.sender_tc_kimlik_no,
                },
                {"kind": "BLG", "name": "Eskişehir Valiliği", "detsis_no": "64211538"},
            ],
            related_incoming=[document],
        )

    drafts = [draft_reply(document) for document in replies[:2]]
    if drafts and head is not None and code is not None:
        # The first reply: initialled by sube.muduru, waiting for daire.baskani's signature.
        outgoing_services.submit_for_approval(user=writer, document=drafts[0], path=[chief])
        outgoing_services.paraf(user=chief, document=drafts[0])
    if answered is not None and head is not None and code is not None:
        # teknisyen's routing, closed with its reply: teknisyen, who prepared the answer,
        # initials it first (so may read it), then sube.muduru; daire.baskani signs (its sayı).
        reply = draft_reply(answered_document)
        path = [answered.assignee, chief]
        outgoing_services.submit_for_approval(user=writer, document=reply, path=path)
        for person in path:
            outgoing_services.paraf(user=person, document=reply)
        reply = outgoing_services.sign(user=head, document=reply)
        services.close_routing(
            user=answered.assignee,
            routing=answered,
            outcome="Kurumun istediği bilgiler hazırlandı; cevap yazısı imzalanarak gönderildi.",
            reply=reply,
        )
    elif answered is not None:
        services.close_routing(
            user=answered.assignee,
            routing=answered,
            outcome="Kurumun istediği bilgiler hazırlandı.",
        )
