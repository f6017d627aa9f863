"""Every preset's service catalogue: well-formed, citing real duties of its own regulation."""

import copy
from datetime import date

import pytest

from biys.core.models import ObjectChange
from biys.org.models import Person, Unit
from biys.org.presets import load_preset, preset_paths, read_preset
from biys.servicedesk.catalog_loader import (
    CatalogError,
    _Loader,
    catalog_slugs,
    first_day_of_next_month,
    load_catalog,
    read_catalog,
    read_defaults,
    validate_catalog,
)
from biys.servicedesk.choices import AssignmentRule, Priority, TicketKind
from biys.servicedesk.models import (
    AlertRoute,
    CatalogItem,
    KnowledgeArticle,
    Queue,
    RecurringTicket,
    SLATarget,
)

SLUGS = sorted(preset_paths())

# (preset, item, cited duty, responsible unit): the items the issue names.
SPOT_CHECKS = [
    ("odunpazari", "Arıza / talep kaydı", "MADDE 10 (1) i", "Teknik Destek Birimi"),
    (
        "odunpazari",
        "E-imza başvurusu ve kurulumu",
        "MADDE 9 (1) j",
        "Yazılım Geliştirme ve Destek Birimi",
    ),
    ("trabzon-bb", "E-imza başvurusu ve desteği", "MADDE 15 ş", "Yazılım Şube Müdürlüğü"),
    ("kocaeli-bb", "EBYS yetki talebi", "MADDE 9 b", "Yazılım Geliştirme Şube Müdürlüğü"),
    ("kocaeli-bb", "YBS yetki talebi", "MADDE 9 c", "Yazılım Geliştirme Şube Müdürlüğü"),
    ("kocaeli-bb", "E-imza / mobil imza başvurusu", "MADDE 4 c", "İdari ve Mali İşler birimi"),
    ("mersin-bb", "Etkinlik teknik desteği", "MADDE 7 (1) j", "Sistem ve Donanım Şube Müdürlüğü"),
    (
        "mersin-bb",
        "Garanti kapsamındaki cihaz arızası",
        "MADDE 7 (1) o",
        "Sistem ve Donanım Şube Müdürlüğü",
    ),
    ("ankara-bb", "Bilgisayar arızası", "MADDE 10 (3) b", "Teknik Servis Şefliği"),
    (
        "ankara-bb",
        "5651 internet trafik kaydı talebi",
        "MADDE 9 (2) ğ",
        "Sistem ve Güvenlik Servisi Şefliği",
    ),
]


def _load(slug):
    load_preset(slug)
    return load_catalog(slug)


# --- the files --------------------------------------------------------------------------------


def test_every_preset_has_a_catalogue():
    assert catalog_slugs() == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_catalogue_is_well_formed(slug):
    data = read_catalog(slug)
    assert validate_catalog(data) == []
    assert data["slug"] == slug
    items = data["items"]
    assert 15 <= len(items) <= 35
    kinds = [item["kind"] for item in items]
    assert kinds.count(TicketKind.ALERT) == 1
    for kind in (TicketKind.FAULT, TicketKind.REQUEST, TicketKind.ACCESS, TicketKind.ESIGNATURE):
        assert kind in kinds, kind
    assert 3 <= len(data["knowledge"]) <= 6
    assert 2 <= len(data["recurring"]) <= 3
    assert {spec["recurrence"] for spec in data["recurring"]} >= {"monthly", "yearly"}
    # Access requests and new equipment wait for the requester's manager.
    for item in items:
        # A password reset gives back an access the person already has: no approval.
        if item["kind"] == TicketKind.ACCESS and "şifre sıfırlama" not in item["name"].lower():
            assert item.get("requires_approval") or "iptal" in item["name"], item["name"]
        assert item["keywords"] and item["examples"], item["name"]
    hardware = [item for item in items if item["name"] == "Bilgisayar arızası"]
    assert hardware and hardware[0]["requires_asset"]


def test_the_defaults_document_three_working_days_as_24_office_hours():
    targets = read_defaults()["targets"]
    assert targets["critical"] == {"first_response": 30, "resolution": 240}
    assert targets["medium"]["resolution"] == 3 * 8 * 60


def test_a_form_field_asking_for_the_tc_kimlik_number_is_refused():
    data = copy.deepcopy(read_catalog("odunpazari"))
    data["items"][0]["form_fields"] = [
        {"name": "tc_kimlik_no", "label": "TC kimlik no", "type": "text", "required": True}
    ]
    problems = validate_catalog(data)
    assert any("personal identity number" in problem for problem in problems)


def test_unknown_keys_kinds_and_items_are_reported():
    data = copy.deepcopy(read_catalog("mersin-bb"))
    data["items"][0]["kind"] = "wish"
    data["items"][1]["colour"] = "red"
    data["recurring"][0]["item"] = "Yok böyle bir kalem"
    problems = "\n".join(validate_catalog(data))
    assert "unknown kind 'wish'" in problems
    assert "unknown keys ['colour']" in problems
    assert "Yok böyle bir kalem" in problems


# --- loading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_load_catalog_cites_real_duties_and_is_idempotent(db, slug):
    result = _load(slug)
    data = read_catalog(slug)
    regulation_title = read_preset(slug)["regulation"]["title"]

    assert result.items == len(data["items"]) == CatalogItem.objects.count()
    for spec in data["items"]:
        item = CatalogItem.objects.select_related("duty__paragraph__article__regulation").get(
            name=spec["name"]
        )
        assert item.duty.reference == spec["duty"]
        assert item.duty.paragraph.article.regulation.title == regulation_title
        if "unit" not in spec:
            assert item.unit_id == item.duty.unit_id, spec["name"]
        assert item.unit.is_it_department

    it_units = Unit.objects.filter(is_it_department=True)
    assert Queue.objects.count() == it_units.count()
    helpdesk = Queue.objects.get(unit__name=data["helpdesk_unit"])
    assert helpdesk.assignment_rule == AssignmentRule.LEAST_LOADED
    assert set(Queue.objects.exclude(pk=helpdesk.pk).values_list("assignment_rule", flat=True)) == {
        AssignmentRule.MANUAL
    }
    assert SLATarget.objects.filter(catalog_item__isnull=True).count() == 4
    assert KnowledgeArticle.objects.count() == len(data["knowledge"])
    assert KnowledgeArticle.objects.filter(is_public=True).exists()
    assert KnowledgeArticle.objects.filter(is_public=False).exists()
    alert = CatalogItem.objects.get(kind=TicketKind.ALERT)
    assert AlertRoute.objects.get(value="network").unit == alert.unit
    # Nobody works anywhere yet: the recurring tickets wait for a requester.
    assert RecurringTicket.objects.count() == 0
    assert len(result.skipped) == len(data["recurring"])

    for spot_slug, name, reference, unit in SPOT_CHECKS:
        if spot_slug == slug:
            item = CatalogItem.objects.select_related("duty", "unit").get(name=name)
            assert (item.duty.reference, item.unit.name) == (reference, unit)

    changes = ObjectChange.objects.count()
    again = load_catalog(slug)
    assert (again.created, again.updated, again.queues_created) == (0, 0, 0)
    assert CatalogItem.objects.count() == result.items
    assert ObjectChange.objects.count() == changes


def test_kocaeli_access_items_and_unit_override(db):
    _load("kocaeli-bb")
    item = CatalogItem.objects.get(name="EBYS yetki talebi")
    fields = {field["name"]: field for field in item.form_fields}
    assert fields["system"]["type"] == "choice"
    assert fields["justification"]["type"] == "textarea"
    assert "role" in fields
    assert item.requires_approval
    # An item may name another IT unit than the one its duty gives.
    item = CatalogItem.objects.select_related("duty__unit", "unit").get(
        name="Görev değişikliğinde hesap ve şifre iptali"
    )
    assert item.duty.reference == "MADDE 14 f"
    assert item.duty.unit.name == "Bilgi İşlem Dairesi Başkanlığı"
    assert item.unit.name == "Bilgi Teknolojileri Şube Müdürlüğü"


def test_sla_overrides_and_round_the_clock(db):
    _load("trabzon-bb")
    network = CatalogItem.objects.get(name="Ağ / internet bağlantı sorunu")
    assert network.round_the_clock
    critical = SLATarget.objects.get(catalog_item=network, priority=Priority.CRITICAL)
    assert (critical.first_response_minutes, critical.resolution_minutes) == (15, 120)
    printer = CatalogItem.objects.get(name="Yazıcı / tarayıcı arızası")
    assert not printer.round_the_clock
    assert not SLATarget.objects.filter(catalog_item=printer).exists()


def test_a_duty_reference_that_does_not_exist_names_the_item(db):
    load_preset("odunpazari")
    data = copy.deepcopy(read_catalog("odunpazari"))
    data["items"][1]["duty"] = "MADDE 10 (1) zz"
    with pytest.raises(CatalogError) as error:
        _Loader("odunpazari", data, read_defaults()).run()
    assert "Bilgisayar arızası" in str(error.value)
    assert "MADDE 10 (1) zz" in str(error.value)


def test_a_catalogue_needs_its_preset_loaded(db):
    load_preset("odunpazari")
    with pytest.raises(CatalogError, match="load the preset first"):
        load_catalog("mersin-bb")


def test_recurring_tickets_once_people_exist(db):
    _load("odunpazari")
    top = Unit.objects.get(name="Bilgi İşlem Müdürlüğü")
    manager = Person.objects.create(
        first_name="Ayşe", last_name="Yılmaz", employment_type="memur", unit=top
    )
    position = top.manager_position
    position.holder = manager
    position.save()

    result = load_catalog("odunpazari")
    assert result.recurring_tickets == 3 and result.skipped == []
    ups = RecurringTicket.objects.get(title="Aylık UPS ve sistem odası kontrolü")
    assert ups.requester == manager
    assert ups.responsible_unit.name == "Teknik Destek Birimi"
    assert ups.recurrence == "monthly"
    assert ups.next_run == first_day_of_next_month()
    assert ups.next_run.day == 1 and ups.next_run > date.today()

    RecurringTicket.objects.filter(pk=ups.pk).update(next_run=date(2031, 5, 1))
    load_catalog("odunpazari")
    ups.refresh_from_db()
    assert ups.next_run == date(2031, 5, 1)  # a reload keeps the schedule


def test_first_day_of_next_month_rolls_over_the_year():
    assert first_day_of_next_month(date(2025, 12, 17)) == date(2026, 1, 1)
    assert first_day_of_next_month(date(2026, 1, 31)) == date(2026, 2, 1)


def test_knowledge_articles_link_their_items(db):
    _load("odunpazari")
    article = KnowledgeArticle.objects.get(title="Yazıcı kağıt sıkışması nasıl giderilir?")
    assert article.is_public
    assert article.unit.name == "Teknik Destek Birimi"
    assert list(article.catalog_items.values_list("name", flat=True)) == [
        "Yazıcı / tarayıcı arızası"
    ]
