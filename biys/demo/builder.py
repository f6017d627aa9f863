"""Realistic Turkish demo data on top of a department preset.

Later modules add their own demo activity with ``register_demo_step``; steps run in order after
the organisation and the demo logins exist.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from biys.core import changelog

FIRST_NAMES = [
    "Ahmet",
    "Mehmet",
    "Mustafa",
    "Ali",
    "Hüseyin",
    "Hasan",
    "İbrahim",
    "İsmail",
    "Osman",
    "Yusuf",
    "Murat",
    "Ömer",
    "Ramazan",
    "Halil",
    "Süleyman",
    "Abdullah",
    "Emre",
    "Burak",
    "Serkan",
    "Onur",
    "Ayşe",
    "Fatma",
    "Emine",
    "Hatice",
    "Zeynep",
    "Elif",
    "Meryem",
    "Şerife",
    "Zehra",
    "Sultan",
    "Hanife",
    "Merve",
    "Özlem",
    "Esra",
    "Büşra",
    "Gülşen",
    "Derya",
    "İlknur",
    "Çiğdem",
    "Tuğba",
]
LAST_NAMES = [
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Yıldırım",
    "Öztürk",
    "Aydın",
    "Özdemir",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Kara",
    "Koç",
    "Kurt",
    "Özkan",
    "Şimşek",
    "Polat",
    "Özcan",
    "Korkmaz",
    "Çakır",
    "Erdoğan",
    "Yavuz",
    "Can",
    "Acar",
    "Şen",
    "Aktaş",
    "Güler",
    "Yalçın",
    "Güneş",
    "Bozkurt",
    "Bulut",
    "Keskin",
    "Ünal",
    "Turan",
    "Gül",
    "Işık",
]
IT_TITLES = [
    "Bilgisayar Mühendisi",
    "Elektronik Mühendisi",
    "Tekniker",
    "Teknisyen",
    "Programcı",
    "Bilgisayar İşletmeni",
    "Sistem Yöneticisi",
    "Memur",
]
OTHER_TITLES = [
    "Memur",
    "Şef",
    "Mühendis",
    "Tekniker",
    "Veri Hazırlama ve Kontrol İşletmeni",
    "Zabıta Memuru",
    "İtfaiye Eri",
    "Mimar",
    "Avukat",
    "Sekreter",
]
EMPLOYMENT_WEIGHTS = {
    "memur": 50,
    "sozlesmeli": 10,
    "isci": 15,
    "hizmet_alimi": 20,
    "stajyer": 3,
    "istirak": 2,
}
DEMO_PASSWORD = "Demo.Biys.2026"


def free_person(workplace, *, last: bool = False):
    """A person without a login for a demo login: of ``workplace`` first (the first or, with
    ``last``, the last by name), else of its sub-units, else of the IT department, else
    anyone's. A small unit runs out of people once a few logins took theirs, and a login
    without a person has no name, no e-mail and no custody."""
    from biys.org.models import Person

    free = Person.objects.filter(user__isnull=True).order_by(
        "-sort_name" if last else "sort_name", "pk"
    )
    return (
        free.filter(unit=workplace).first()
        or free.filter(unit__path__startswith=workplace.path).first()
        or free.filter(unit__is_it_department=True).first()
        or free.first()
    )


def create_demo_user(username: str, workplace, *, last: bool = False):
    """A demo login with a person of its own (``free_person``) and the demo password."""
    from biys.accounts.models import User

    person = free_person(workplace, last=last)
    return User.objects.create_user(
        username=username,
        password=DEMO_PASSWORD,
        person=person,
        first_name=person.first_name if person else username,
        last_name=person.last_name if person else "",
        email=person.email if person else "",
    )


@dataclass
class DemoLogin:
    username: str
    role: str
    unit: str


@dataclass
class DemoResult:
    preset: str
    people: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


DemoStep = Callable[[DemoResult, random.Random], None]
_steps: list[DemoStep] = []


def register_demo_step(step: DemoStep) -> DemoStep:
    _steps.append(step)
    return step


def valid_tc_kimlik_no(rng: random.Random) -> str:
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
    tenth = (sum(digits[0:9:2]) * 7 - sum(digits[1:8:2])) % 10
    digits.append(tenth)
    digits.append(sum(digits) % 10)
    return "".join(map(str, digits))


def _ascii_login(text: str) -> str:
    from biys.core.text import fold

    return fold(text).replace(" ", "")


def _make_people(rng: random.Random, units) -> int:
    from biys.org.models import Person, Title

    titles = {
        name: Title.objects.get_or_create(name=name)[0] for name in {*IT_TITLES, *OTHER_TITLES}
    }
    kinds, weights = zip(*EMPLOYMENT_WEIGHTS.items(), strict=True)
    used_tc, used_email, count = set(), set(), 0
    for unit in units:
        size = rng.randint(3, 7) if unit.is_it_department else rng.randint(4, 10)
        for _ in range(size):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            tc = valid_tc_kimlik_no(rng)
            while tc in used_tc:
                tc = valid_tc_kimlik_no(rng)
            used_tc.add(tc)
            email = f"{_ascii_login(first)}.{_ascii_login(last)}@belediye.bel.tr"
            suffix = 2
            while email in used_email:
                email = f"{_ascii_login(first)}.{_ascii_login(last)}{suffix}@belediye.bel.tr"
                suffix += 1
            used_email.add(email)
            count += 1
            Person.objects.create(
                first_name=first,
                last_name=last,
                tc_kimlik_no=tc,
                sicil_no=f"{10000 + count}",
                employment_type=rng.choices(kinds, weights)[0],
                unit=unit,
                title=titles[rng.choice(IT_TITLES if unit.is_it_department else OTHER_TITLES)],
                email=email,
                work_phone=f"0 (222) 211 {rng.randint(10, 99)} {rng.randint(10, 99)}",
                mobile_phone=f"05{rng.randint(30, 59)} {rng.randint(100, 999)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)}",
                location=f"Hizmet Binası, {rng.randint(1, 6)}. kat, oda {rng.randint(1, 40)}",
                start_date=f"{rng.randint(1995, 2025)}-{rng.randint(1, 12):02d}-01",
            )
    return count


def _fill_manager_positions(rng: random.Random) -> None:
    from biys.org.models import Position

    for position in Position.objects.filter(is_manager=True, holder__isnull=True).select_related(
        "unit"
    ):
        holder = position.unit.people.order_by("?").first()
        if holder:
            position.holder = holder
            position.save()


def _make_logins(units) -> list[DemoLogin]:
    from biys.accounts.models import Role, RoleAssignment

    it_units = [u for u in units if u.is_it_department]
    root = next(u for u in units if u.parent_id is None)
    top = next(u for u in it_units if u.parent_id == root.pk)
    branches = [u for u in it_units if u.parent_id == top.pk] or [top]
    leaves = [u for u in it_units if not any(v.parent_id == u.pk for v in it_units)] or [top]
    requester_unit = next((u for u in units if not u.is_it_department and u.parent_id), top)
    # (login, role, the unit the role is held over, with sub-units, the unit the person works in)
    plan = [
        ("yonetici", "administrator", root, True, top),
        ("daire.baskani", "department_head", top, True, top),
        ("sube.muduru", "chief", branches[0], True, branches[0]),
        ("teknisyen", "technician", leaves[0], True, leaves[0]),
        ("talep", "requester", requester_unit, False, requester_unit),
        ("denetci", "auditor", root, True, top),
    ]
    logins = []
    for username, role_slug, unit, subtree, workplace in plan:
        user = create_demo_user(username, workplace)
        RoleAssignment.objects.create(
            user=user, role=Role.objects.get(slug=role_slug), unit=unit, include_subtree=subtree
        )
        logins.append(DemoLogin(username, role_slug, unit.name))
    return logins


@transaction.atomic
def build_demo(*, preset: str, seed: int = 2026) -> DemoResult:
    from biys.core.context import change_context
    from biys.org.models import Unit
    from biys.org.presets import load_preset

    rng = random.Random(seed)
    with change_context(user_name="demo"), changelog.batch():
        load_preset(preset)
        units = list(Unit.objects.order_by("depth", "order", "sort_name"))
        result = DemoResult(preset=preset)
        result.people = _make_people(rng, units)
        _fill_manager_positions(rng)
        result.logins = _make_logins(units)
        for step in _steps:
            step(result, rng)
    return result
