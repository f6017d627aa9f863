from datetime import date

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from biys.calendar import services
from biys.calendar.models import DeclaredDay

pytestmark = pytest.mark.django_db

DECLARED = "/api/v1/calendar/declared-days/"


@pytest.fixture(autouse=True)
def turkish():
    with translation.override("tr"):
        yield


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="tr")
    client.force_authenticate(user)
    return client


@pytest.fixture
def technician(make_user, org_tree):
    return make_user("technician", org_tree["helpdesk"])


def payload(**extra) -> dict:
    return {
        "date": "2026-05-25",
        "kind": "full_day",
        "description": "Kurban Bayramı köprü günü",
        "decision_reference": "Cumhurbaşkanlığı Genelgesi 2026/9",
        **extra,
    }


def assert_problem(response, field: str):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 400
    assert field in body["errors"], body
    return body["errors"][field]


class TestDeclaredDayCrud:
    def test_administrator_creates_updates_and_deletes(self, calendar_admin):
        client = client_for(calendar_admin)
        response = client.post(DECLARED, payload(), format="json")
        assert response.status_code == 201, response.content
        created = DeclaredDay.objects.get()
        assert created.created_by == calendar_admin
        assert response.json()["created_by"] == str(calendar_admin)
        url = f"{DECLARED}{created.pk}/"
        response = client.patch(url, {"kind": "half_day"}, format="json")
        assert response.status_code == 200, response.content
        assert DeclaredDay.objects.get().kind == "half_day"
        assert client.delete(url).status_code == 204
        assert not DeclaredDay.objects.exists()

    def test_duplicate_date_is_a_problem_at_the_date(self, calendar_admin):
        client = client_for(calendar_admin)
        assert client.post(DECLARED, payload(), format="json").status_code == 201
        errors = assert_problem(client.post(DECLARED, payload(), format="json"), "date")
        assert errors == ["Bu tarih zaten ilan edilmiş."]

    def test_missing_decision_reference_and_weekend(self, calendar_admin):
        client = client_for(calendar_admin)
        errors = assert_problem(
            client.post(DECLARED, payload(decision_reference=""), format="json"),
            "decision_reference",
        )
        assert errors == ["Hükümet kararının sayısını girin."]
        assert_problem(client.post(DECLARED, payload(date="2026-03-07"), format="json"), "date")
        assert not DeclaredDay.objects.exists()

    def test_everyone_reads_but_only_administrators_write(self, technician, make_user, org_tree):
        day = services.declare_day(
            date=date(2026, 5, 25), description="Köprü", decision_reference="Genelge"
        )
        reader = client_for(technician)
        response = reader.get(DECLARED)
        assert response.status_code == 200
        assert [row["id"] for row in response.json()["results"]] == [day.pk]
        assert reader.post(DECLARED, payload(date="2026-05-26"), format="json").status_code == 403
        chief = client_for(make_user("chief", org_tree["dept"]))
        assert chief.post(DECLARED, payload(date="2026-05-26"), format="json").status_code == 403
        assert chief.delete(f"{DECLARED}{day.pk}/").status_code == 403
        assert DeclaredDay.objects.count() == 1


class TestCalendarDays:
    def test_year_lists_holidays_half_days_and_declared_days(self, technician):
        services.declare_day(
            date=date(2026, 5, 25), description="Köprü", decision_reference="Genelge 2026/9"
        )
        response = client_for(technician).get("/api/v1/calendar/days/", {"year": 2026})
        assert response.status_code == 200
        days = {row["date"]: row for row in response.json()}
        assert days["2026-03-19"]["kind"] == "half_day"
        assert days["2026-03-19"]["is_working_day"] is True
        assert days["2026-03-20"] == {
            "date": "2026-03-20",
            "kind": "holiday",
            "is_working_day": False,
            "name": "Ramazan Bayramı",
            "declared": False,
            "decision_reference": "",
        }
        assert days["2026-05-25"]["declared"] is True
        assert days["2026-05-25"]["decision_reference"] == "Genelge 2026/9"
        assert "2026-03-07" not in days

    @pytest.mark.parametrize("query", [{}, {"year": "iki bin"}, {"year": 1800}])
    def test_bad_year_is_a_problem(self, technician, query):
        response = client_for(technician).get("/api/v1/calendar/days/", query)
        assert_problem(response, "year")

    def test_anonymous_is_refused(self):
        assert APIClient().get("/api/v1/calendar/days/", {"year": 2026}).status_code in (401, 403)


class TestAddWorkingDays:
    def test_across_ramazan_bayrami(self, technician):
        response = client_for(technician).get(
            "/api/v1/calendar/add-working-days/", {"start": "2026-03-18", "days": 3}
        )
        assert response.status_code == 200
        assert response.json() == {"start": "2026-03-18", "days": 3, "date": "2026-03-24"}

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ({"start": "2026-02-30", "days": 3}, "start"),
            ({"start": "18.03.2026", "days": 3}, "start"),
            ({"days": 3}, "start"),
            ({"start": "2026-03-18"}, "days"),
            ({"start": "2026-03-18", "days": "üç"}, "days"),
        ],
    )
    def test_bad_input_is_a_problem(self, technician, query, field):
        response = client_for(technician).get("/api/v1/calendar/add-working-days/", query)
        assert_problem(response, field)


def test_openapi_schema_describes_the_calendar_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    days = paths["/api/v1/calendar/days/"]["get"]
    assert {(p["name"], p["in"], p["required"]) for p in days["parameters"]} == {
        ("year", "query", True)
    }
    schema = days["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"
    problem = days["responses"]["400"]["content"]["application/problem+json"]["schema"]
    assert problem["$ref"].endswith("/Problem")
    add = paths["/api/v1/calendar/add-working-days/"]["get"]
    assert {p["name"] for p in add["parameters"]} == {"start", "days"}
    assert "/api/v1/calendar/declared-days/{id}/" in paths
