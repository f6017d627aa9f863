import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from biys.core.models import PersonalDataView
from biys.core.personal_data import subject_digest, views_of
from biys.org.models import Duty, DutyCategory, Person, Unit
from biys.org.tests.factories import (
    ArticleFactory,
    DutyCategoryFactory,
    DutyFactory,
    ParagraphFactory,
    PersonFactory,
    PositionFactory,
    RegulationFactory,
    TitleFactory,
    UnitFactory,
    tc_kimlik_no,
)

API = "/api/v1/org"
VALID_TC = tc_kimlik_no(424242)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def person_payload(unit, **extra):
    return {
        "first_name": "Şule",
        "last_name": "Işık",
        "employment_type": "memur",
        "unit": unit.pk,
        **extra,
    }


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "instance"} <= body.keys()
    if field is not None:
        assert field in body["errors"], body
    return body


class TestPeople:
    def test_list_masks_tc_kimlik_no_and_hides_personal_fields(self, api, org_tree):
        PersonFactory(unit=org_tree["network"], tc_kimlik_no=VALID_TC, mobile_phone="05321234567")
        response = api.get(f"{API}/people/", {"unit": org_tree["network"].pk})
        assert response.status_code == 200
        row = response.json()["results"][0]
        assert row["tc_kimlik_no_masked"] == f"*********{VALID_TC[-2:]}"
        assert "tc_kimlik_no" not in row
        assert "mobile_phone" not in row and "address" not in row
        assert VALID_TC not in response.content.decode()

    def test_detail_never_shows_the_number(self, api, org_tree):
        person = PersonFactory(unit=org_tree["network"], tc_kimlik_no=VALID_TC)
        response = api.get(f"{API}/people/{person.pk}/")
        assert response.status_code == 200
        assert VALID_TC not in response.content.decode()

    def test_create_with_invalid_tc_kimlik_no_is_400_naming_the_field(self, api, org_tree):
        payload = person_payload(org_tree["network"], tc_kimlik_no="12345678901")
        response = api.post(f"{API}/people/", payload, format="json")
        assert_problem(response, 400, "tc_kimlik_no")
        assert not Person.objects.filter(last_name="Işık").exists()

    def test_create_with_valid_tc_kimlik_no_stores_it(self, api, org_tree):
        payload = person_payload(org_tree["network"], tc_kimlik_no=VALID_TC)
        response = api.post(f"{API}/people/", payload, format="json")
        assert response.status_code == 201, response.content
        assert Person.objects.get(pk=response.json()["id"]).tc_kimlik_no == VALID_TC
        assert "tc_kimlik_no" not in response.json()

    def test_blank_tc_kimlik_no_is_stored_as_null_so_two_people_may_omit_it(self, api, org_tree):
        for sicil in ("A1", "A2"):
            payload = person_payload(org_tree["network"], tc_kimlik_no="", sicil_no=sicil)
            assert api.post(f"{API}/people/", payload, format="json").status_code == 201
        assert Person.objects.filter(sicil_no__in=["A1", "A2"], tc_kimlik_no=None).count() == 2

    def test_duplicate_sicil_is_400_naming_the_field(self, api, org_tree):
        PersonFactory(unit=org_tree["network"], sicil_no="12345")
        payload = person_payload(org_tree["network"], sicil_no="12345")
        assert_problem(api.post(f"{API}/people/", payload, format="json"), 400, "sicil_no")

    def test_duplicate_sicil_on_partial_update_is_400(self, api, org_tree):
        PersonFactory(unit=org_tree["network"], sicil_no="111")
        other = PersonFactory(unit=org_tree["network"], sicil_no="222")
        response = api.patch(f"{API}/people/{other.pk}/", {"sicil_no": "111"}, format="json")
        assert_problem(response, 400, "sicil_no")

    def test_end_before_start_is_400(self, api, org_tree):
        person = PersonFactory(unit=org_tree["network"], start_date="2024-05-01")
        response = api.patch(
            f"{API}/people/{person.pk}/", {"end_date": "2024-01-01"}, format="json"
        )
        assert_problem(response, 400, "end_date")

    def test_cannot_create_a_person_outside_the_scope(self, make_user, org_tree):
        chief = make_user("chief", org_tree["network"])
        payload = person_payload(org_tree["roads"], sicil_no="X9")
        response = client_for(chief).post(f"{API}/people/", payload, format="json")
        assert_problem(response, 403)
        assert not Person.objects.filter(sicil_no="X9").exists()

    def test_cannot_move_a_person_out_of_the_scope(self, make_user, org_tree):
        chief = make_user("chief", org_tree["network"])
        person = PersonFactory(unit=org_tree["helpdesk"])
        response = client_for(chief).patch(
            f"{API}/people/{person.pk}/", {"unit": org_tree["roads"].pk}, format="json"
        )
        assert_problem(response, 403)
        person.refresh_from_db()
        assert person.unit == org_tree["helpdesk"]

    def test_filter_by_unit_with_subtree(self, api, org_tree):
        in_network = PersonFactory(unit=org_tree["network"])
        in_helpdesk = PersonFactory(unit=org_tree["helpdesk"])
        PersonFactory(unit=org_tree["software"])
        url = f"{API}/people/"
        only = api.get(url, {"unit": org_tree["network"].pk, "employment_type": "memur"})
        assert {row["id"] for row in only.json()["results"]} >= {in_network.pk}
        assert in_helpdesk.pk not in {row["id"] for row in only.json()["results"]}
        subtree = api.get(url, {"unit": org_tree["network"].pk, "include_subtree": "true"})
        ids = {row["id"] for row in subtree.json()["results"]}
        assert {in_network.pk, in_helpdesk.pk} <= ids
        assert all(
            Person.objects.get(pk=pk).unit.path.startswith(org_tree["network"].path) for pk in ids
        )

    def test_filter_by_status_and_title(self, api, org_tree):
        engineer = TitleFactory(name="Mühendis")
        match = PersonFactory(unit=org_tree["network"], title=engineer, status="on_leave")
        PersonFactory(unit=org_tree["network"], title=engineer, status="active")
        response = api.get(f"{API}/people/", {"title": engineer.pk, "status": "on_leave"})
        assert [row["id"] for row in response.json()["results"]] == [match.pk]

    def test_invalid_filter_value_is_400(self, api, org_tree):
        assert_problem(api.get(f"{API}/people/", {"status": "retired"}), 400, "status")
        assert_problem(api.get(f"{API}/people/", {"unit": 999999}), 400, "unit")

    def test_q_is_turkish_aware(self, api, org_tree):
        person = PersonFactory(unit=org_tree["network"], first_name="İsmail", last_name="Işık")
        PersonFactory(unit=org_tree["network"], first_name="Ahmet", last_name="Kaya")
        for query in ("ismail ISIK", "İSMAİL", "işık"):
            response = api.get(f"{API}/people/", {"q": query})
            assert [row["id"] for row in response.json()["results"]] == [person.pk], query

    def test_ordering(self, api, org_tree):
        PersonFactory(unit=org_tree["network"], last_name="Çelik", first_name="A")
        PersonFactory(unit=org_tree["network"], last_name="Cem", first_name="A")
        PersonFactory(unit=org_tree["network"], last_name="Demir", first_name="A")
        response = api.get(f"{API}/people/", {"ordering": "-sort_name", "q": "a"})
        names = [row["last_name"] for row in response.json()["results"]]
        assert names.index("Demir") < names.index("Çelik") < names.index("Cem")


class TestPersonalData:
    def url(self, person):
        return f"{API}/people/{person.pk}/personal-data/"

    def test_holder_sees_unmasked_data_and_the_access_is_logged(self, api, admin_user, org_tree):
        person = PersonFactory(
            unit=org_tree["network"], tc_kimlik_no=VALID_TC, address="Atatürk Cd. 1"
        )
        response = api.post(self.url(person), {"reason": "Bordro"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["tc_kimlik_no"] == VALID_TC
        assert response.json()["address"] == "Atatürk Cd. 1"
        access = views_of(person).get()
        assert access.user == admin_user and access.reason == "Bordro"
        assert "tc_kimlik_no" in access.fields
        assert access.subject == subject_digest(VALID_TC) and VALID_TC not in access.subject

    def test_technician_is_refused_and_nothing_is_logged(self, make_user, org_tree):
        technician = make_user("technician", org_tree["network"])
        person = PersonFactory(unit=org_tree["network"], tc_kimlik_no=VALID_TC)
        response = client_for(technician).post(self.url(person), {}, format="json")
        body = assert_problem(response, 403)
        assert VALID_TC not in str(body)
        assert not PersonalDataView.objects.exists()

    def test_permission_must_cover_the_persons_unit(self, make_user, org_tree):
        chief = make_user("chief", org_tree["software"])
        inside = PersonFactory(unit=org_tree["software"], tc_kimlik_no=VALID_TC)
        outside = PersonFactory(unit=org_tree["network"])
        client = client_for(chief)
        assert client.post(self.url(inside), {}, format="json").status_code == 200
        assert_problem(client.post(self.url(outside), {}, format="json"), 403)
        assert list(PersonalDataView.objects.values_list("object_id", flat=True)) == [
            str(inside.pk)
        ]

    def test_anonymous_is_refused(self, org_tree):
        person = PersonFactory(unit=org_tree["network"])
        assert_problem(APIClient().post(self.url(person), {}, format="json"), 403)


class TestUnits:
    def test_tree_fields(self, api, org_tree):
        manager = PersonFactory(unit=org_tree["network"], first_name="Oğuz", last_name="Kaya")
        position = PositionFactory(unit=org_tree["network"], holder=manager, is_manager=True)
        Unit.objects.filter(pk=org_tree["network"].pk).update(manager_position=position)
        response = api.get(f"{API}/units/{org_tree['helpdesk'].pk}/")
        body = response.json()
        assert body["parent"] == org_tree["network"].pk
        assert body["depth"] == 2 and body["path"] == org_tree["helpdesk"].path
        assert body["is_it_department"] is True and body["kind"] == "seflik"
        network = api.get(f"{API}/units/{org_tree['network'].pk}/").json()
        assert network["manager"] == {"id": manager.pk, "display": "Oğuz Kaya"}

    def test_subtree_filter(self, api, org_tree):
        response = api.get(
            f"{API}/units/", {"unit": org_tree["network"].pk, "include_subtree": True}
        )
        names = {row["name"] for row in response.json()["results"]}
        assert names == {org_tree["network"].name, org_tree["helpdesk"].name}

    def test_kind_and_q_filters(self, api, org_tree):
        response = api.get(f"{API}/units/", {"kind": "sube_mudurlugu", "q": "YAZILIM"})
        assert [row["id"] for row in response.json()["results"]] == [org_tree["software"].pk]

    def test_cannot_move_a_unit_under_its_own_subtree(self, api, org_tree):
        response = api.patch(
            f"{API}/units/{org_tree['network'].pk}/",
            {"parent": org_tree["helpdesk"].pk},
            format="json",
        )
        assert_problem(response, 400, "parent")

    def test_moving_a_unit_moves_its_subtree(self, api, org_tree):
        response = api.patch(
            f"{API}/units/{org_tree['network'].pk}/",
            {"parent": org_tree["software"].pk},
            format="json",
        )
        assert response.status_code == 200, response.content
        org_tree["helpdesk"].refresh_from_db()
        assert org_tree["helpdesk"].path.startswith(org_tree["software"].path)

    def test_deleting_a_unit_that_has_people_is_a_409(self, api, org_tree):
        PersonFactory(unit=org_tree["helpdesk"])
        response = api.delete(f"{API}/units/{org_tree['helpdesk'].pk}/")
        assert_problem(response, 409)
        assert Unit.objects.filter(pk=org_tree["helpdesk"].pk).exists()

    def test_chief_cannot_create_a_unit_outside_the_scope(self, make_user, org_tree):
        chief = make_user("chief", org_tree["network"])
        client = client_for(chief)
        outside = {"name": "Yeni Birim", "kind": "birim", "parent": org_tree["roads"].pk}
        assert_problem(client.post(f"{API}/units/", outside, format="json"), 403)
        inside = {"name": "Yeni Birim", "kind": "birim", "parent": org_tree["helpdesk"].pk}
        assert client.post(f"{API}/units/", inside, format="json").status_code == 201
        assert Unit.objects.filter(name="Yeni Birim").count() == 1


class TestMunicipality:
    def test_read_and_admin_update(self, municipality, make_user, org_tree):
        superuser = make_user(superuser=True)
        url = f"{API}/municipality/{municipality.pk}/"
        assert client_for(make_user("requester", org_tree["roads"])).get(url).status_code == 200
        response = client_for(superuser).patch(url, {"detsis_no": "87654321"}, format="json")
        assert response.status_code == 200, response.content
        municipality.refresh_from_db()
        assert municipality.detsis_no == "87654321"

    def test_others_cannot_update(self, municipality, make_user, org_tree):
        technician = make_user("technician", org_tree["dept"])
        url = f"{API}/municipality/{municipality.pk}/"
        response = client_for(technician).patch(url, {"name": "X"}, format="json")
        assert_problem(response, 403)

    def test_no_create_or_delete(self, municipality, make_user):
        client = client_for(make_user(superuser=True))
        assert_problem(client.post(f"{API}/municipality/", {}, format="json"), 405)
        assert_problem(client.delete(f"{API}/municipality/{municipality.pk}/"), 405)

    def test_bad_detsis_number_is_400(self, municipality, make_user):
        client = client_for(make_user(superuser=True))
        response = client.patch(
            f"{API}/municipality/{municipality.pk}/", {"detsis_no": "12ab"}, format="json"
        )
        assert_problem(response, 400, "detsis_no")


class TestRegulationAndDuties:
    def test_article_nests_paragraphs_and_items(self, api, org_tree):
        article = ArticleFactory(number=10)
        first = ParagraphFactory(article=article, number=1, order=1)
        DutyFactory(paragraph=first, label="b", order=2, unit=org_tree["network"])
        DutyFactory(paragraph=first, label="a", order=1, unit=org_tree["software"])
        response = api.get(f"{API}/articles/{article.pk}/")
        paragraph = response.json()["paragraphs"][0]
        assert paragraph["number"] == 1
        assert [item["reference"] for item in paragraph["items"]] == [
            "MADDE 10 (1) a",
            "MADDE 10 (1) b",
        ]

    def test_duplicate_article_number_in_a_regulation_is_400(self, make_user):
        api = client_for(make_user(superuser=True))
        article = ArticleFactory(number=5)
        payload = {"regulation": article.regulation.pk, "number": 5, "heading": "Tekrar"}
        assert_problem(api.post(f"{API}/articles/", payload, format="json"), 400)
        other = ArticleFactory(regulation=article.regulation, number=6)
        # a partial update checks the constraint together with the stored regulation
        response = api.patch(f"{API}/articles/{other.pk}/", {"number": 5}, format="json")
        assert_problem(response, 400)

    def test_duty_search_is_turkish_aware_and_carries_reference(self, api, org_tree):
        paragraph = ParagraphFactory(article=ArticleFactory(number=12), number=1)
        duty = DutyFactory(
            paragraph=paragraph,
            label="ç",
            text="Parmak İzi okuyuculu kapı geçiş sistemlerini işletmek.",
            unit=org_tree["network"],
        )
        DutyFactory(text="Kablosuz ağı yönetmek.", unit=org_tree["network"])
        response = api.get(f"{API}/duties/", {"q": "parmak izi"})
        rows = response.json()["results"]
        assert [row["id"] for row in rows] == [duty.pk]
        assert rows[0]["reference"] == "MADDE 12 (1) ç"
        assert rows[0]["unit"] == org_tree["network"].pk

    def test_duty_categories_m2m_write_and_filter(self, api, org_tree):
        network = DutyCategoryFactory(name="Ağ", slug="ag")
        security = DutyCategoryFactory(name="Güvenlik", slug="guvenlik")
        duty = DutyFactory(unit=org_tree["network"])
        response = api.patch(
            f"{API}/duties/{duty.pk}/", {"categories": [network.pk, security.pk]}, format="json"
        )
        assert response.status_code == 200, response.content
        assert set(duty.categories.values_list("slug", flat=True)) == {"ag", "guvenlik"}
        listed = api.get(f"{API}/duties/", {"category": security.pk}).json()["results"]
        assert [row["id"] for row in listed] == [duty.pk]

    def test_duty_reference_is_read_only(self, api, org_tree):
        paragraph = ParagraphFactory(article=ArticleFactory(number=3), number=2)
        payload = {
            "paragraph": paragraph.pk,
            "label": "a",
            "text": "Yedekleme yapmak.",
            "unit": org_tree["software"].pk,
            "reference": "MADDE 99",
        }
        response = api.post(f"{API}/duties/", payload, format="json")
        assert response.status_code == 201, response.content
        assert Duty.objects.get(pk=response.json()["id"]).reference == "MADDE 3 (2) a"

    def test_duplicate_category_slug_is_400(self, make_user):
        api = client_for(make_user(superuser=True))
        DutyCategory.objects.create(name="Ağ", slug="ag")
        response = api.post(
            f"{API}/duty-categories/", {"name": "Ağ 2", "slug": "ag"}, format="json"
        )
        assert_problem(response, 400, "slug")

    def test_regulation_list_filters(self, api):
        RegulationFactory(title="Eski Yönetmelik", is_in_force=False)
        current = RegulationFactory(title="Yeni Yönetmelik", is_in_force=True)
        response = api.get(f"{API}/regulations/", {"is_in_force": "true", "q": "YÖNETMELİK"})
        assert [row["id"] for row in response.json()["results"]] == [current.pk]


def _populate(kind, count, org_tree):
    network = org_tree["network"]
    if kind == "units":
        for _ in range(count):
            UnitFactory(parent=network)
    elif kind == "titles":
        TitleFactory.create_batch(count)
    elif kind == "positions":
        for _ in range(count):
            PositionFactory(unit=network, holder=PersonFactory(unit=network))
    elif kind == "people":
        PersonFactory.create_batch(count, unit=network)
    elif kind == "regulations":
        RegulationFactory.create_batch(count)
    elif kind == "articles":
        regulation = RegulationFactory()
        for _ in range(count):
            paragraph = ParagraphFactory(article=ArticleFactory(regulation=regulation))
            DutyFactory.create_batch(2, paragraph=paragraph, unit=network)
    elif kind == "duty-categories":
        DutyCategoryFactory.create_batch(count)
    elif kind == "duties":
        categories = DutyCategoryFactory.create_batch(2)
        for duty in DutyFactory.create_batch(count, unit=network):
            duty.categories.set(categories)


LIST_ENDPOINTS = [
    "units",
    "titles",
    "positions",
    "people",
    "regulations",
    "articles",
    "duty-categories",
    "duties",
]


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_list_query_count_does_not_grow_with_the_page(endpoint, api, org_tree):
    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            response = api.get(f"{API}/{endpoint}/")
        assert response.status_code == 200
        return len(captured), response.json()["count"]

    _populate(endpoint, 3, org_tree)
    count_queries()  # warm: content types and other per-process caches
    small, small_count = count_queries()
    _populate(endpoint, 27, org_tree)
    large, large_count = count_queries()
    assert large_count >= small_count + 27
    assert small == large, f"{endpoint}: {small} queries for a short page, {large} for a long one"
