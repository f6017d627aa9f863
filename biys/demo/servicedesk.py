"""Service-desk demo activity: the preset's catalogue and about 150 tickets of the last 60 days.

Registered as a step of ``biys.demo.builder.build_demo`` (it runs after the people and the demo
logins exist). Every ticket lives its life through ``biys.servicedesk.services``; only the
timestamps are moved into the past afterwards, with queryset updates, because the services
stamp everything "now".
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from biys.demo.builder import DemoResult, register_demo_step

TICKETS = 150
DAYS = 60
REQUESTER_POOL = 36
# Requests of the IT department's own staff waiting for the demo managers' approval: the
# şube müdürü approves their branch's, the daire başkanı the department's (README logins).
AWAITING_APPROVAL = {"sube.muduru": 3, "daire.baskani": 2}

DESCRIPTIONS = {
    "fault": [
        "Sabahtan beri bu sorunu yaşıyoruz, işlerimiz aksıyor.",
        "Dün akşama kadar çalışıyordu, bugün mesai başında fark ettik.",
        "Birkaç kez kapatıp açtık ama düzelmedi.",
        "Vatandaş işlemlerini yapamıyoruz, acil bakılmasını rica ederim.",
        "Aynı sorun geçen hafta da olmuştu.",
        "Ekran görüntüsünü ekledim.",
    ],
    "request": [
        "Biriminizin uygun olduğu bir zamanda yapılmasını rica ederim.",
        "Yeni başlayan arkadaşımız için gerekiyor.",
        "Müdürlüğümüzün iş yükü nedeniyle ihtiyaç duyulmaktadır.",
        "Ayrıntılar formda yazılıdır.",
    ],
    "access": [
        "Görev tanımım değiştiği için bu yetkiye ihtiyacım var.",
        "Müdürümüzün talimatıyla istenmektedir.",
        "Vekalet süresince gereklidir.",
    ],
    "esignature": [
        "EBYS'de evrak imzalamam gerekiyor.",
        "Sertifika süresi bu ay doluyor.",
        "Kart okuyucuyu taktığımda bilgisayar tanımıyor.",
    ],
    "event": [
        "Etkinlik programı ektedir, kurulumun bir gün önceden yapılmasını rica ederiz.",
        "Katılımcı sayısı yaklaşık 150 kişidir.",
    ],
    "alert": ["İzleme sistemi tarafından otomatik açılmıştır."],
}
FIRST_REPLIES = [
    "Talebiniz alındı, ekip arkadaşımız ilgileniyor.",
    "Merhaba, uzaktan bağlanarak kontrol edeceğim; bilgisayarınızı açık bırakır mısınız?",
    "Öğleden sonra yerinde bakacağız.",
    "Cihazın demirbaş numarasını teyit edebilir misiniz?",
    "İnceliyoruz, gelişme olunca bilgi vereceğiz.",
]
INTERNAL_NOTES = [
    "Aynı katta benzer bir arıza daha vardı, kabloyu kontrol et.",
    "Firmaya telefonla ulaşıldı, yedek parça siparişi verildi.",
    "Sorun sunucu tarafında değil, istemci ayarı.",
    "Kullanıcıya önceki kayıtta da aynı çözüm uygulanmış.",
]
RESOLUTIONS = {
    "fault": [
        "Güç kaynağı değiştirildi, cihaz çalışır durumda teslim edildi.",
        "Sürücü yeniden kuruldu, test çıktısı alındı.",
        "Ağ kablosu ve priz değiştirildi, bağlantı sağlandı.",
        "Uygulama güncellemesi yapıldı, hata giderildi.",
        "Yapılandırma düzeltildi, kullanıcıyla birlikte denendi.",
    ],
    "request": [
        "Talep karşılandı, kurulum tamamlandı.",
        "Malzeme teslim edildi, zimmet fişi imzalatıldı.",
        "İçerik yayımlandı.",
        "İstenen veri e-posta ile gönderildi.",
    ],
    "access": [
        "Yetki tanımlandı; oturumu kapatıp açmanız yeterli.",
        "Kullanıcı hesabı oluşturuldu, geçici parola SMS ile gönderildi.",
    ],
    "esignature": [
        "E-imza sürücüsü kuruldu, test imzası atıldı.",
        "Başvuru tamamlandı, sertifika yüklendi.",
    ],
    "event": ["Etkinlik süresince teknik destek verildi, ekipman geri alındı."],
    "alert": ["Disk alanı açıldı, alarm temizlendi.", "Cihaz yeniden başlatıldı, izleme normal."],
}
RATING_COMMENTS = {
    5: ["Çok hızlı çözüldü, teşekkürler.", "İlginiz için teşekkür ederiz.", ""],
    4: ["Teşekkürler.", "Çözüldü ama biraz uzun sürdü.", ""],
    3: ["Sorun çözüldü ancak iki gün bekledik.", ""],
    2: ["Aynı sorun tekrar edebilir, kalıcı çözüm bekliyoruz."],
    1: ["Çok geç dönüş yapıldı."],
}
SOFTWARE = ["NetCAD", "AutoCAD", "PDF düzenleyici", "Microsoft Office", "7-Zip", "QGIS"]
ROLES = ["Evrak havale", "Onay yetkisi", "Rapor görüntüleme", "Veri girişi", "Vekalet"]
JUSTIFICATIONS = [
    "Görev değişikliği nedeniyle gereklidir.",
    "Müdürlüğümüzde yürütülen işler için ihtiyaç duyulmaktadır.",
    "Yeni başlayan personel için.",
]
ON_HOLD_NOTES = {
    "requester": "Kullanıcıdan ek bilgi bekleniyor.",
    "supplier": "Cihaz yetkili servise gönderildi.",
    "spare_part": "Yedek parça siparişi verildi.",
}

# Old stickers on devices (numbers of a register kept before BİYS), as requesters read them.
UNLINKED_REFERENCES = [
    ("BLD-DMB-2011/0457", "Bilgisayar ağa bağlanmıyor"),
    ("BLD-DMB-2011/0457", "Aynı bilgisayar yine ağa bağlanmıyor"),
    ("Zabıta 3. kat yazıcı", "Ağ yazıcısı ağda görünmüyor"),
]


@dataclass
class _Plan:
    state: str
    created: datetime
    hold_reason: str = ""
    transfer: bool = False
    rating: int | None = None
    times: dict = field(default_factory=dict)


def _answer(spec: dict, rng: random.Random) -> str:
    name, kind = spec["name"], spec.get("type")
    if kind == "choice":
        return rng.choice(spec["choices"])
    if kind == "date":
        return (timezone.localdate() + timedelta(days=rng.randint(3, 30))).isoformat()
    if name in ("quantity", "participants"):
        return str(rng.randint(1, 4))
    if name == "software":
        return rng.choice(SOFTWARE)
    if name == "role":
        return rng.choice(ROLES)
    if name in ("legal_basis",):
        return f"{rng.randint(1, 28)}.0{rng.randint(1, 9)}.2026 tarihli ve {rng.randint(100, 999)} sayılı yazı"
    if name in ("address",):
        return "www.ornek.gov.tr"
    if kind == "textarea":
        return rng.choice(JUSTIFICATIONS)
    return rng.choice(["Ana hizmet binası", "192.168.10.45", "Zemin kat", "Genel"])


class _Demo:
    def __init__(self, result: DemoResult, rng: random.Random):
        from biys.calendar.selectors import get_calendar

        self.result, self.rng = result, rng
        self.calendar = get_calendar()
        self.now = timezone.now()
        self.stats: dict[str, int] = {}

    # people and users -------------------------------------------------------------------------

    def setup(self):
        from biys.accounts.models import User
        from biys.org.models import Unit
        from biys.servicedesk.catalog_loader import load_catalog, top_it_unit
        from biys.servicedesk.models import CatalogItem

        load_catalog(self.result.preset)
        self.items = list(CatalogItem.objects.filter(is_active=True).select_related("unit"))
        self.top = top_it_unit()
        self.logins = {
            user.username: user
            for user in User.objects.filter(
                username__in=["yonetici", "teknisyen", "talep", "sube.muduru", "daire.baskani"]
            )
        }
        self.approver = self.logins["yonetici"]
        self.chief_branch = self._place_the_chief()
        self._make_managers()
        self.technicians = self._technicians()
        requester_units = list(
            Unit.objects.filter(is_it_department=False, parent__isnull=False, is_active=True)
        )
        self.requesters = self._requesters(requester_units)

    def _place_the_chief(self):
        """The şube müdürü login heads the branch of the help desk, the busiest queue: a branch
        without a served catalogue item would show them one ticket."""
        from biys.accounts.models import RoleAssignment
        from biys.accounts.scope import forget_scope
        from biys.servicedesk.models import Queue

        chief = self.logins.get("sube.muduru")
        helpdesk = Queue.objects.filter(assignment_rule="least_loaded").select_related("unit")
        helpdesk = helpdesk.first()
        if chief is None or helpdesk is None or self.top is None:
            return None
        branch = next(
            (unit for unit in helpdesk.unit.ancestors() if unit.parent_id == self.top.pk),
            helpdesk.unit if helpdesk.unit.parent_id == self.top.pk else None,
        )
        if branch is None:
            return None
        RoleAssignment.objects.filter(user=chief, role__slug="chief").update(unit=branch)
        if chief.person and chief.person.unit_id != branch.pk:
            chief.person.unit = branch
            chief.person.save()
        forget_scope(chief)
        for login in self.result.logins:
            if login.username == chief.username:
                login.unit = branch.name  # what `make demo` prints
        return branch

    def _make_managers(self):
        """The demo department head and şube müdürü hold their units' manager positions."""
        from biys.org.models import Position

        for username, unit in (("daire.baskani", self.top), ("sube.muduru", self.chief_branch)):
            user = self.logins.get(username)
            if user is None or unit is None or user.person is None:
                continue
            position = (
                unit.manager_position or Position.objects.filter(unit=unit, is_manager=True).first()
            )
            if position is None:
                position = Position.objects.create(unit=unit, name="Birim amiri", is_manager=True)
            Position.objects.filter(holder=user.person).exclude(pk=position.pk).update(holder=None)
            position.holder = user.person
            position.save()
            if unit.manager_position_id != position.pk:
                unit.manager_position = position
                unit.save()

    def _awaiting_approval(self) -> list:
        """A few requests of IT staff waiting for the demo managers (see AWAITING_APPROVAL)."""
        from biys.org.models import Person

        items = [item for item in self.items if item.requires_approval]
        units = {"sube.muduru": self.chief_branch, "daire.baskani": self.top}
        logins = {user.person_id for user in self.logins.values() if user.person_id}
        filed = []
        for username, count in AWAITING_APPROVAL.items():
            unit = units.get(username)
            if unit is None or not items:
                continue
            people = list(
                Person.objects.filter(unit=unit)
                .exclude(pk__in=logins)
                .select_related("user")
                .order_by("sort_name")[:count]
            )
            for index, person in enumerate(people * count if people else []):
                if index == count:
                    break
                if getattr(person, "user", None) is None:
                    person.user = self._new_user(person, f"{person.first_name} {person.last_name}")
                person.demo_user = person.user
                plan = _Plan("pending_approval", self._office_instant(self.rng.randint(0, 3)))
                item = items[index % len(items)]
                ticket = self._file(item, person, plan, channel="web", created_by=person.user)
                filed.append((ticket, plan))
        self.stats["awaiting_demo_managers"] = len(filed)
        return filed

    def _new_user(self, person, username_hint: str):
        from biys.accounts.models import User
        from biys.core.text import fold

        base = fold(username_hint).replace(" ", ".")
        username, n = base, 2
        while User.objects.filter(username=username).exists():
            username, n = f"{base}{n}", n + 1
        # No password: demo colleagues exist to own tickets; the demo logins are for people.
        return User.objects.create_user(
            username=username,
            password=None,
            person=person,
            first_name=person.first_name,
            last_name=person.last_name,
        )

    def _technicians(self) -> dict[int, list]:
        """Technician users per IT unit that serves catalogue items, members of its queue."""
        from biys.accounts.models import Role, RoleAssignment
        from biys.accounts.scope import forget_scope, get_scope
        from biys.servicedesk.models import Queue
        from biys.servicedesk.selectors import CHANGE_TICKET, queue_for_unit

        role = Role.objects.get(slug="technician")
        units = {item.unit_id: item.unit for item in self.items}
        helpdesk = Queue.objects.filter(assignment_rule="least_loaded").first()
        teknisyen = self.logins.get("teknisyen")
        served = get_scope(teknisyen).units_for(CHANGE_TICKET) if teknisyen else set()
        if teknisyen and not any(unit_id in served for unit_id in units):
            # The login's unit serves no catalogue item (a clerical section): let it work the
            # help desk too, so the demo technician has a queue to show.
            RoleAssignment.objects.create(
                user=teknisyen, role=role, unit=helpdesk.unit, include_subtree=True
            )
            forget_scope(teknisyen)  # the scope cached above predates this assignment
            self.stats["teknisyen_on_helpdesk"] = 1
        technicians: dict[int, list] = {}
        for unit in units.values():
            people = list(unit.people.filter(user__isnull=True).order_by("sort_name"))
            wanted = 2 if helpdesk and unit.pk == helpdesk.unit_id else 1
            for person in people[:wanted]:
                user = self._new_user(person, f"{person.first_name} {person.last_name}")
                RoleAssignment.objects.create(user=user, role=role, unit=unit, include_subtree=True)
                technicians.setdefault(unit.pk, []).append(user)
        if teknisyen:
            for unit in units.values():
                if get_scope(teknisyen).has_perm(CHANGE_TICKET, unit.pk):
                    technicians.setdefault(unit.pk, []).insert(0, teknisyen)
        for unit in units.values():
            queue = queue_for_unit(unit)
            if queue is not None:
                queue.members.add(*technicians.get(unit.pk, []))
        return technicians

    def _requesters(self, units) -> list:
        from biys.org.models import Person

        talep = self.logins.get("talep")
        people = list(
            Person.objects.filter(unit__in=units, user__isnull=True).order_by("sort_name")
        )
        self.rng.shuffle(people)
        # Spread over many units: one person per unit first, then the rest.
        by_unit, pool = set(), []
        for person in people:
            if person.unit_id not in by_unit:
                by_unit.add(person.unit_id)
                pool.append(person)
        pool += [p for p in people if p not in pool][: max(0, REQUESTER_POOL - len(pool))]
        for person in pool:
            person.demo_user = self._new_user(person, f"{person.first_name} {person.last_name}")
        if talep and talep.person:
            talep.person.demo_user = talep
            pool.append(talep.person)
        return pool

    # planning ---------------------------------------------------------------------------------

    def _office_instant(self, days_ago: int) -> datetime:
        day = timezone.localdate() - timedelta(days=days_ago)
        while not self.calendar.is_working_day(day):
            day -= timedelta(days=1)
        minutes = self.rng.randint(0, 7 * 60)
        start = datetime.combine(day, time(8, 40), tzinfo=timezone.get_current_timezone())
        return self.calendar.add_office_hours(start, timedelta(minutes=minutes))

    def _after(self, start: datetime, low: float, high: float) -> datetime:
        return self.calendar.add_office_hours(
            start, timedelta(minutes=int(self.rng.uniform(low, high) * 60))
        )

    def _plan(self, item, days_ago: int) -> _Plan:
        rng = self.rng
        created = self._office_instant(days_ago)
        if item.requires_approval and days_ago < 4 and rng.random() < 0.5:
            return _Plan("pending_approval", created)
        if days_ago >= 12:
            weights = {"closed": 80, "resolved": 6, "in_progress": 4, "on_hold": 6, "cancelled": 4}
        elif days_ago >= 4:
            weights = {
                "closed": 25,
                "resolved": 35,
                "in_progress": 15,
                "assigned": 8,
                "on_hold": 12,
                "cancelled": 5,
            }
        else:
            weights = {"new": 30, "assigned": 25, "in_progress": 25, "resolved": 12, "on_hold": 8}
        state = rng.choices(list(weights), list(weights.values()))[0]
        plan = _Plan(state, created)
        if state == "on_hold":
            reasons = ["requester", "spare_part"] + (
                ["supplier"] * 2 if item.requires_asset else []
            )
            plan.hold_reason = rng.choice(reasons)
        if state in ("resolved", "closed") and rng.random() < 0.7:
            plan.rating = rng.choices([5, 4, 3, 2, 1], [50, 30, 12, 5, 3])[0]
        return plan

    def _pick_item(self):
        weights = {
            "fault": 6,
            "request": 3,
            "access": 3,
            "esignature": 2,
            "event": 1,
            "alert": 0,
        }
        return self.rng.choices(self.items, [weights[item.kind] for item in self.items])[0]

    # running ----------------------------------------------------------------------------------

    def _technician_for(self, ticket):
        candidates = self.technicians.get(ticket.responsible_unit_id) or []
        teknisyen = self.logins.get("teknisyen")
        if teknisyen in candidates and self.rng.random() < 0.6:
            return teknisyen
        return self.rng.choice(candidates) if candidates else self.approver

    def _device_of(self, requester) -> str:
        """A device of the register (inventory demo): one in the requester's custody, else any
        registered one, by inventory number or (now and then) serial; a made-up number when the
        register is empty."""
        rng = self.rng
        if not hasattr(self, "devices"):
            from biys.inventory.models import Asset

            self.devices = {}
            rows = Asset.objects.exclude(status__in=["scrapped", "written_off"]).values_list(
                "custodian_id", "inventory_number", "serial_number"
            )
            for custodian_id, number, serial in rows.order_by("pk"):
                self.devices.setdefault(custodian_id, []).append((number, serial))
            self.any_device = [device for devices in self.devices.values() for device in devices]
        own = self.devices.get(getattr(requester, "pk", None)) or self.any_device
        if not own:
            return f"DMB-{rng.randint(2016, 2025)}-{rng.randint(1, 4000):05d}"
        number, serial = rng.choice(own)
        return serial if serial and rng.random() < 0.2 else number

    def _file(self, item, requester, plan: _Plan, *, title=None, channel=None, created_by=None):
        from biys.servicedesk import services
        from biys.servicedesk.choices import Channel

        rng = self.rng
        if channel is None:
            channel = Channel.PHONE if rng.random() < 0.25 else Channel.WEB
        if created_by is None:
            if channel == Channel.PHONE:
                created_by = self._technician_for_unit(item.unit_id)
            else:
                created_by = self._user_of(requester)
        impact = urgency = None
        if item.kind == "fault" and rng.random() < 0.1:
            impact = urgency = 1  # a critical one now and then
        asset = self._device_of(requester) if item.requires_asset else ""
        if item.requires_asset and rng.random() < 0.05:
            asset = ""  # the flagged "not in the inventory" case
        examples = self.examples.get(item.name) or [item.name]
        return services.create_ticket(
            catalog_item=item,
            requester=requester,
            title=title or rng.choice(examples),
            description=rng.choice(DESCRIPTIONS[item.kind]),
            form_data={spec["name"]: _answer(spec, rng) for spec in item.form_fields or []},
            created_by=created_by,
            channel=channel,
            asset_reference=asset,
            impact=impact,
            urgency=urgency,
        )

    def _unlinked_references(self) -> list:
        """Work for the inventory officer's *Link to asset register* page: a few tickets naming
        a device by an old sticker the register does not know (filed on a non-hardware item, so
        not refused), and a few older tickets whose link was never kept (filed before the
        register, as the demo pretends by clearing it)."""
        from biys.servicedesk import services
        from biys.servicedesk.models import Ticket

        faults = [i for i in self.items if i.kind == "fault" and not i.requires_asset]
        item = next((i for i in faults if "bağlantı" in i.name), faults[0] if faults else None)
        if item is None or not self.requesters:
            return []
        rng = random.Random(9)  # its own draws: the rest of the demo stays as it was
        filed = []
        for days_ago, (reference, title) in enumerate(UNLINKED_REFERENCES, start=1):
            requester = rng.choice(self.requesters)
            plan = _Plan("new", self._office_instant(days_ago))
            ticket = services.create_ticket(
                catalog_item=item,
                requester=requester,
                title=title,
                description="Cihazın üzerindeki eski etiketteki numara yazıldı.",
                created_by=self._user_of(requester),
                asset_reference=reference,
            )
            filed.append((ticket, plan))
        older = Ticket.objects.filter(asset_id__isnull=False).order_by("pk")[:6]
        Ticket.objects.filter(pk__in=list(older.values_list("pk", flat=True))).update(asset_id=None)
        return filed

    def _technician_for_unit(self, unit_id):
        candidates = self.technicians.get(unit_id) or [self.approver]
        return self.rng.choice(candidates)

    def _live(self, ticket, plan: _Plan):
        """Walk the ticket to its planned state through the services."""
        from biys.servicedesk import services

        rng, state = self.rng, plan.state
        if ticket.state == "pending_approval":
            if state == "pending_approval":
                return ticket
            if state == "cancelled" and rng.random() < 0.5:
                services.reject_ticket(
                    ticket=ticket,
                    user=self.approver,
                    comment="Bütçe bu yıl için uygun değil, gelecek yıl yeniden değerlendirilecek.",
                )
                plan.times["approval"] = self._after(plan.created, 1, 6)
                return ticket
            services.approve_ticket(ticket=ticket, user=self.approver, comment="Uygundur.")
            plan.times["approval"] = self._after(plan.created, 0.5, 6)
        if state == "new":
            return ticket
        if state == "cancelled":
            services.cancel_ticket(
                ticket=ticket,
                user=self._user_of(ticket.requester) or self._technician_for(ticket),
                reason="Sorun kendiliğinden düzeldi.",
            )
            return ticket
        technician = ticket.assignee or self._technician_for(ticket)
        if ticket.assignee is None:
            if rng.random() < 0.5:
                services.take_ticket(ticket=ticket, user=technician)
            else:
                lead = self._technician_for_unit(ticket.responsible_unit_id)
                services.assign_ticket(ticket=ticket, assignee=technician, user=lead)
        if plan.transfer:
            self._transfer(ticket, technician)
            return ticket
        services.add_reply(ticket=ticket, user=technician, text=rng.choice(FIRST_REPLIES))
        plan.times["response"] = self._after(plan.times.get("approval", plan.created), 0.1, 4)
        if state == "assigned":
            return ticket
        # A quick fix goes from "assigned" straight to "resolved"; the rest are worked on first.
        if state in ("in_progress", "on_hold") or rng.random() < 0.5:
            services.start_work(ticket=ticket, user=technician)
        if rng.random() < 0.2:
            services.add_reply(
                ticket=ticket, user=technician, text=rng.choice(INTERNAL_NOTES), internal=True
            )
        if state in ("in_progress", "on_hold", "resolved", "closed"):
            services.log_time(
                ticket=ticket, user=technician, minutes=rng.choice([15, 20, 30, 45, 60, 90, 120])
            )
        if state == "on_hold":
            if plan.hold_reason == "supplier":
                services.send_to_supplier(
                    ticket=ticket, user=technician, case_number=f"SRV-{rng.randint(10000, 99999)}"
                )
            else:
                services.put_on_hold(
                    ticket=ticket,
                    user=technician,
                    reason=plan.hold_reason,
                    note=ON_HOLD_NOTES[plan.hold_reason],
                )
            return ticket
        if state == "in_progress":
            return ticket
        self._resolve(ticket, technician, plan)
        return ticket

    def _resolve(self, ticket, technician, plan: _Plan):
        from biys.servicedesk import services

        rng = self.rng
        article = self.articles.get(ticket.catalog_item_id)
        try:
            services.resolve_ticket(
                ticket=ticket,
                user=technician,
                resolution=rng.choice(RESOLUTIONS[ticket.kind]),
                knowledge_article=article if article and rng.random() < 0.5 else None,
            )
        except ValidationError:
            services.resolve_ticket(
                ticket=ticket, user=technician, resolution=rng.choice(RESOLUTIONS[ticket.kind])
            )
        start = plan.times.get("response", plan.created)
        plan.times["resolved"] = self._after(start, 0.5, 20)
        requester_user = self._user_of(ticket.requester)
        if plan.rating and requester_user:
            services.rate_ticket(
                ticket=ticket,
                user=requester_user,
                rating=plan.rating,
                comment=rng.choice(RATING_COMMENTS[plan.rating]),
            )
        if plan.state == "closed":
            services.close_ticket(ticket=ticket)
            plan.times["closed"] = self.calendar.add_working_days(
                timezone.localtime(plan.times["resolved"]).date(), 5
            )

    def _user_of(self, person):
        from biys.accounts.models import User

        return getattr(person, "demo_user", None) or User.objects.filter(person=person).first()

    def _transfer(self, ticket, technician):
        from biys.servicedesk import services

        others = [unit_id for unit_id in self.technicians if unit_id != ticket.responsible_unit_id]
        if not others:
            return
        from biys.org.models import Unit

        unit = Unit.objects.get(pk=self.rng.choice(others))
        services.transfer_ticket(
            ticket=ticket,
            unit=unit,
            user=technician,
            reason="Sorun donanımdan değil uygulamadan kaynaklanıyor; ilgili birime aktarıldı.",
        )
        self.stats["transferred"] = self.stats.get("transferred", 0) + 1

    def _make_sure_every_state_shows(self, planned, plans) -> None:
        """Chance alone may miss a state; the demo must show each one (and two transfers)."""
        recent = [i for i, (days_ago, _item, _r) in enumerate(planned) if days_ago < 4]
        middle = [i for i, (days_ago, _item, _r) in enumerate(planned) if 4 <= days_ago < 12]
        taken: set[int] = set()

        def force(candidates, state, **extra):
            for index in reversed(candidates):
                if index not in taken:
                    taken.add(index)
                    plans[index].state = state
                    for name, value in extra.items():
                        setattr(plans[index], name, value)
                    return

        by_kind = lambda test: [i for i, (_d, item, _r) in enumerate(planned) if test(item)]  # noqa: E731
        hardware = by_kind(lambda item: item.requires_asset)
        approval = by_kind(lambda item: item.requires_approval)
        faults = by_kind(lambda item: item.kind == "fault" and not item.requires_approval)
        force([i for i in hardware if i in middle] or hardware, "on_hold", hold_reason="supplier")
        for _ in range(2):
            force([i for i in approval if i in recent] or approval, "pending_approval")
        for state in ("new", "assigned", "in_progress"):
            force([i for i in faults if i in recent] or recent, state)
        for _ in range(2):
            force([i for i in faults if i in recent or i in middle], "in_progress", transfer=True)
        force(middle, "resolved", rating=5)
        force(faults, "cancelled")
        for index, plan in enumerate(plans):
            if plan.state == "on_hold" and not plan.hold_reason:
                plan.hold_reason = "requester"
            item = planned[index][1]
            if plan.state == "pending_approval" and not item.requires_approval:
                plan.state = "new"

    # the past ---------------------------------------------------------------------------------

    def _backdate(self, ticket, plan: _Plan):
        """Move the ticket's timestamps (and its rows') from "now" to the planned past."""
        from biys.comments.models import Comment
        from biys.servicedesk import selectors
        from biys.servicedesk.models import (
            Approval,
            SLAPause,
            Ticket,
            TicketResponsibility,
            TimeEntry,
        )

        ticket.refresh_from_db()
        now, created = self.now, plan.created
        latest = lambda moment: min(moment, now - timedelta(minutes=5))  # noqa: E731
        start = plan.times.get("approval", created)
        values = {"created": created, "last_updated": latest(start)}
        if ticket.resolution_due is not None:
            target = selectors.sla_target_for(ticket.catalog_item_id, ticket.priority)
            if target is not None:
                mode = selectors.sla_mode(ticket)
                values["first_response_due"] = self.calendar.add_duration(
                    start, timedelta(minutes=target.first_response_minutes), mode=mode
                )
                values["resolution_due"] = self.calendar.add_duration(
                    start, timedelta(minutes=target.resolution_minutes), mode=mode
                )
        response = latest(plan.times["response"]) if "response" in plan.times else None
        resolved = latest(plan.times["resolved"]) if "resolved" in plan.times else None
        if ticket.first_responded_at:
            values["first_responded_at"] = response or resolved or latest(start)
        if ticket.resolved_at:
            values["resolved_at"] = resolved
            values["last_updated"] = resolved
        if ticket.closed_at:
            closed = datetime.combine(
                plan.times["closed"], time(2, 0), tzinfo=timezone.get_current_timezone()
            )
            values["closed_at"] = latest(closed)
            values["last_updated"] = values["closed_at"]
        if ticket.rated_at:
            values["rated_at"] = latest(resolved + timedelta(hours=self.rng.randint(1, 30)))
        hold_start = None
        if ticket.state == "on_hold":
            hold_start = latest(self._after(response or start, 0.5, 4))
            values["sla_paused_at"] = hold_start
            values["last_updated"] = hold_start
            if ticket.sent_to_supplier_at:
                values["sent_to_supplier_at"] = hold_start
            SLAPause.objects.filter(ticket=ticket).update(started_at=hold_start)
        end = values["last_updated"]
        Ticket.objects.filter(pk=ticket.pk).update(**values)

        Approval.objects.filter(ticket=ticket).update(created=created)
        Approval.objects.filter(ticket=ticket, decided_at__isnull=False).update(
            decided_at=latest(start)
        )
        responsibilities = list(TicketResponsibility.objects.filter(ticket=ticket).order_by("pk"))
        moments = [created] + [latest(response or start)] * (len(responsibilities) - 1)
        for row, (begin, finish) in zip(
            responsibilities, zip(moments, [*moments[1:], None], strict=True), strict=True
        ):
            TicketResponsibility.objects.filter(pk=row.pk).update(
                started_at=begin, ended_at=finish if row.ended_at else None
            )
        comments = list(
            Comment.objects.filter(content_type=self.ticket_type, object_id=str(ticket.pk))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        first = response or start
        for index, pk in enumerate(comments):
            share = index / max(1, len(comments))
            Comment.objects.filter(pk=pk).update(created=first + (end - first) * share)
        for entry in TimeEntry.objects.filter(ticket=ticket).values_list("pk", flat=True):
            TimeEntry.objects.filter(pk=entry).update(created=latest(first + (end - first) / 2))

    # the whole run ----------------------------------------------------------------------------

    def run(self):
        from django.contrib.contenttypes.models import ContentType

        from biys.servicedesk import services
        from biys.servicedesk.catalog_loader import read_catalog
        from biys.servicedesk.choices import Channel
        from biys.servicedesk.models import KnowledgeArticle, Ticket

        self.setup()
        self.ticket_type = ContentType.objects.get_for_model(Ticket)
        self.examples = {
            spec["name"]: spec.get("examples") or []
            for spec in read_catalog(self.result.preset)["items"]
        }
        self.articles = {}
        for article in KnowledgeArticle.objects.filter(is_public=True).prefetch_related(
            "catalog_items"
        ):
            for item in article.catalog_items.all():
                self.articles[item.pk] = article

        rng = self.rng
        talep = self.logins.get("talep")
        talep_person = talep.person if talep else None
        planned = []
        for index in range(TICKETS):
            days_ago = int(rng.triangular(0, DAYS, 0))
            item = self._pick_item()
            if talep_person and index % 20 == 0:
                requester = talep_person
            else:
                requester = rng.choice(self.requesters)
            planned.append((days_ago, item, requester))
        # Oldest first, so the numbers follow the filing order.
        planned.sort(key=lambda entry: -entry[0])
        plans = [self._plan(item, days_ago) for days_ago, item, _requester in planned]
        self._make_sure_every_state_shows(planned, plans)
        tickets = []
        for (_days_ago, item, requester), plan in zip(planned, plans, strict=True):
            ticket = self._file(item, requester, plan)
            self._live(ticket, plan)
            tickets.append((ticket, plan))

        # Monitoring alerts and the recurring checks of the past months.
        alert = next((item for item in self.items if item.kind == "alert"), None)
        it_person = self.top.people.order_by("sort_name").first() if self.top else None
        if alert and it_person:
            for days_ago in (21, 9, 2, 0):
                plan = self._plan(alert, days_ago)
                ticket = services.create_ticket(
                    catalog_item=alert,
                    requester=it_person,
                    title=rng.choice(self.examples.get(alert.name) or [alert.name]),
                    description=DESCRIPTIONS["alert"][0],
                    channel=Channel.MONITORING,
                )
                self._live(ticket, plan)
                tickets.append((ticket, plan))

        # A duplicate: the same fault filed twice by the same unit, merged by the technician.
        originals = [
            (t, p)
            for t, p in tickets
            if t.state in ("in_progress", "assigned")
            and t.kind == "fault"
            and t.requester_id
            and t.channel != "monitoring"
        ]
        if originals:
            original, plan = originals[-1]
            duplicate_plan = _Plan("new", self._after(plan.created, 0.2, 1))
            duplicate = self._file(
                original.catalog_item,
                original.requester,
                duplicate_plan,
                title=original.title,
            )
            services.merge_tickets(
                duplicate=duplicate, into=original, user=self._technician_for(original)
            )
            tickets.append((duplicate, duplicate_plan))
        tickets += self._awaiting_approval()
        # Field visits for some tickets being worked on.
        for ticket, _plan in [(t, p) for t, p in tickets if t.state == "in_progress"][:3]:
            ticket.refresh_from_db()
            tomorrow = self.calendar.add_working_days(timezone.localdate(), 1)
            begin = datetime.combine(tomorrow, time(10, 0), tzinfo=timezone.get_current_timezone())
            services.schedule_field_visit(
                ticket=ticket,
                technician=ticket.assignee,
                start=begin,
                end=begin + timedelta(hours=1),
                notes="Yerinde inceleme.",
                user=ticket.assignee,
            )

        tickets += self._unlinked_references()

        for ticket, plan in tickets:
            self._backdate(ticket, plan)
        self.stats["tickets"] = len(tickets)
        return self.stats


@register_demo_step
def servicedesk_demo(result: DemoResult, rng: random.Random) -> None:
    """The preset's catalogue and two months of service-desk activity."""
    from biys.servicedesk.notify import silenced
    from biys.servicedesk.stats_summary import rebuild

    # Two months of history are not news: tell nobody, instead of mailing every demo address.
    with silenced():
        _Demo(result, rng).run()
    rebuild()  # the history was backdated with update(), which the summary does not see
