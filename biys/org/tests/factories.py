"""factory_boy factories for the organisation, and the ``(unit) -> instance`` callables the
cross-module tests (permission matrix, schema run) use to put one object of a model in a unit."""

import factory

from biys.core.testing import register_factory
from biys.org.models import (
    Article,
    Duty,
    DutyCategory,
    Municipality,
    Paragraph,
    Person,
    Position,
    Regulation,
    RegulationDraft,
    Title,
    Unit,
)
from biys.org.validators import is_valid_tc_kimlik_no

FIRST_NAMES = ["Ayşe", "Mehmet", "Fatma", "Mustafa", "Zeynep", "İbrahim", "Elif", "Oğuz", "Şule"]
LAST_NAMES = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Işık"]


def tc_kimlik_no(seed: int) -> str:
    """A checksum-valid TC kimlik number derived from ``seed`` (distinct seeds, distinct numbers)."""
    base = f"{100000000 + seed % 900000000:09d}"
    digits = [int(char) for char in base]
    tenth = (sum(digits[0:9:2]) * 7 - sum(digits[1:8:2])) % 10
    eleventh = (sum(digits) + tenth) % 10
    number = f"{base}{tenth}{eleventh}"
    assert is_valid_tc_kimlik_no(number)
    return number


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = "Örnek Belediyesi"
    kind = "buyuksehir"
    detsis_no = "12345678"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Birim {n} Müdürlüğü")
    kind = "mudurluk"
    is_it_department = False


class TitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Title
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Unvan {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: FIRST_NAMES[n % len(FIRST_NAMES)])
    last_name = factory.Sequence(lambda n: LAST_NAMES[n % len(LAST_NAMES)])
    sicil_no = factory.Sequence(lambda n: f"S{n:06d}")
    # Offset so the first numbers never equal a test's hand-written one (10000000146 is seed 0).
    tc_kimlik_no = factory.Sequence(lambda n: tc_kimlik_no(n + 500_000))
    employment_type = "memur"
    unit = factory.SubFactory(UnitFactory)
    title = factory.SubFactory(TitleFactory)
    email = factory.LazyAttribute(lambda person: f"{person.sicil_no.lower()}@ornek.bel.tr")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Kadro {n}")
    title = factory.SubFactory(TitleFactory)


class RegulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regulation

    title = factory.Sequence(lambda n: f"Bilgi İşlem Dairesi Başkanlığı Yönetmeliği {n}")
    council_decision_no = factory.Sequence(lambda n: f"{n}/2024")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    regulation = factory.SubFactory(RegulationFactory)
    number = factory.Sequence(lambda n: n + 1)
    heading = "Görev, yetki ve sorumluluklar"


class ParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paragraph

    article = factory.SubFactory(ArticleFactory)
    number = 1
    order = factory.Sequence(lambda n: n)


class DutyCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kategori {n}")
    slug = factory.Sequence(lambda n: f"kategori-{n}")


class DutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Duty

    paragraph = factory.SubFactory(ParagraphFactory)
    label = "a"
    text = factory.Sequence(lambda n: f"Parmak izi ile kapı geçiş sistemlerini kurmak ({n}).")
    unit = factory.SubFactory(UnitFactory)
    order = factory.Sequence(lambda n: n)


@register_factory(Municipality)
def make_municipality(unit):
    return Municipality.objects.first() or MunicipalityFactory()


@register_factory(Unit)
def make_unit(unit):
    return UnitFactory(parent=unit, kind="birim", is_it_department=unit.is_it_department)


@register_factory(Title)
def make_title(unit):
    return TitleFactory()


@register_factory(Position)
def make_position(unit):
    return PositionFactory(unit=unit)


@register_factory(Person)
def make_person(unit):
    return PersonFactory(unit=unit)


@register_factory(Regulation)
def make_regulation(unit):
    return RegulationFactory()


@register_factory(Article)
def make_article(unit):
    return ArticleFactory()


@register_factory(Paragraph)
def make_paragraph(unit):
    return ParagraphFactory()


@register_factory(DutyCategory)
def make_duty_category(unit):
    return DutyCategoryFactory()


@register_factory(Duty)
def make_duty(unit):
    return DutyFactory(unit=unit)


# A short regulation text the importer reads: two units under the importing unit, their duties.
REGULATION_TEXT = """T.C.
ÖRNEK BELEDİYESİ BİLGİ İŞLEM MÜDÜRLÜĞÜ GÖREV YÖNETMELİĞİ

Teşkilat
MADDE 1- (1) Müdürlük aşağıdaki birimlerden oluşur:
a) Ağ Yönetimi Birimi
b) Yazılım Birimi
Ağ Yönetimi Biriminin görevleri
MADDE 2- (1) Ağ Yönetimi Biriminin görevleri şunlardır:
a) Yerel ağı kurmak ve işletmek.
Yürürlük
MADDE 3- (1) Bu yönetmelik yayımı tarihinde yürürlüğe girer.
"""


@register_factory(RegulationDraft)
def make_regulation_draft(unit):
    """An open draft imported for ``unit`` (its administrators review and confirm it)."""
    from biys.org.services_drafts import create_draft

    return create_draft(text=REGULATION_TEXT, user=None, unit=unit)
