"""RFC 9457 problem details: every 4xx of the API, and the model validation behind the 400s."""

import json

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from biys.core.api.problems import PROBLEM_CONTENT_TYPE, handler500, problem_details_handler
from biys.org.api.serializers import ArticleSerializer, DutySerializer, PersonSerializer
from biys.org.api.views import PersonViewSet
from biys.org.models import Person
from biys.org.tests.factories import (
    ArticleFactory,
    DutyCategoryFactory,
    DutyFactory,
    PersonFactory,
    tc_kimlik_no,
)

PEOPLE = "/api/v1/org/people/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def problem_of(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"] and body["detail"]
    assert body["instance"] == response.wsgi_request.path
    return body


class TestStatusCodes:
    def test_unauthenticated_is_a_problem(self, org_tree):
        body = problem_of(APIClient().get(PEOPLE), 403)
        assert body["type"].endswith("not_authenticated")

    def test_bad_token_is_a_problem(self, org_tree):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
        assert problem_of(client.get(PEOPLE), 403)["type"].endswith("authentication_failed")

    def test_missing_object_is_a_problem(self, api):
        problem_of(api.get(f"{PEOPLE}999999/"), 404)

    def test_non_numeric_id_is_a_404_not_a_500(self, api):
        problem_of(api.get(f"{PEOPLE}abc/"), 404)

    def test_unknown_api_path_is_a_problem(self, api):
        body = problem_of(api.get("/api/v1/org/no-such-thing/"), 404)
        assert body["type"].endswith("not_found")

    def test_unknown_page_elsewhere_stays_html(self, api):
        response = api.get("/no-such-page-anywhere/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")

    def test_page_out_of_range_is_a_problem(self, api):
        problem_of(api.get(PEOPLE, {"page": 999}), 404)

    def test_forbidden_write_is_a_problem(self, make_user, org_tree):
        client = APIClient()
        client.force_authenticate(make_user("technician", org_tree["network"]))
        person = PersonFactory(unit=org_tree["network"])
        body = problem_of(client.patch(f"{PEOPLE}{person.pk}/", {"email": "a@b.tr"}), 403)
        assert body["type"].endswith("permission_denied")

    def test_a_refused_delete_is_a_409_naming_what_holds_the_object(self, api, org_tree):
        unit = org_tree["helpdesk"]
        people = [PersonFactory(unit=unit), PersonFactory(unit=unit)]
        body = problem_of(api.delete(f"/api/v1/org/units/{unit.pk}/"), 409)
        assert body["type"].endswith("conflict")
        with translation.override("tr"):  # the product's language
            name = str(Person._meta.verbose_name_plural)
        assert name != "people"
        assert body["held_by"] == [
            {
                "model": "org.person",
                "name": name,
                "count": 2,
                "objects": [{"id": p.pk, "display": str(p)} for p in people],
            }
        ]
        assert f"2 {name}" in body["detail"]  # Django's message for developers is not shown
        assert "protected foreign keys" not in body["detail"]

    def test_wrong_method_is_a_problem(self, api):
        problem_of(api.put(PEOPLE, {}), 405)

    def test_malformed_json_is_a_400(self, api, org_tree):
        response = api.post(PEOPLE, data='{"first_name": "Ali",', content_type="application/json")
        body = problem_of(response, 400)
        assert body["errors"]["non_field_errors"]

    def test_unsupported_media_type_is_a_problem(self, api):
        problem_of(api.post(PEOPLE, data="<x/>", content_type="application/xml"), 415)

    def test_session_login_without_csrf_is_a_problem(self, admin_user, org_tree):
        client = Client(enforce_csrf_checks=True)
        client.force_login(admin_user)
        response = client.post(PEOPLE, data="{}", content_type="application/json")
        assert problem_of(response, 403)["detail"]


class TestValidationErrors:
    def test_missing_and_invalid_fields_are_named(self, api, org_tree):
        response = api.post(
            PEOPLE,
            {"first_name": "", "employment_type": "kadrolu", "unit": 999999, "email": "x"},
            format="json",
        )
        errors = problem_of(response, 400)["errors"]
        assert {"first_name", "last_name", "employment_type", "unit", "email"} <= errors.keys()
        assert all(isinstance(message, str) for messages in errors.values() for message in messages)

    def test_wrong_json_type_is_a_400(self, api, org_tree):
        assert problem_of(api.post(PEOPLE, ["a", "list"], format="json"), 400)["errors"]

    def test_integrity_error_becomes_a_400_naming_the_column(self, org_tree):
        PersonFactory(unit=org_tree["network"], sicil_no="777")
        try:
            with transaction.atomic():
                Person.objects.create(
                    first_name="A",
                    last_name="B",
                    employment_type="memur",
                    unit=org_tree["network"],
                    sicil_no="777",
                )
        except IntegrityError as error:
            raised = error
        response = problem_details_handler(raised, {"view": PersonViewSet(), "request": None})
        assert response.status_code == 400
        assert "sicil_no" in response.data["errors"]
        assert response.content_type == PROBLEM_CONTENT_TYPE


class TestModelValidationInSerializers:
    def test_unique_constraint_checked_on_partial_update(self, org_tree):
        article = ArticleFactory(number=1)
        other = ArticleFactory(regulation=article.regulation, number=2)
        serializer = ArticleSerializer(other, data={"number": 1}, partial=True)
        assert not serializer.is_valid()
        assert serializer.errors["non_field_errors"]
        other.refresh_from_db()
        assert other.number == 2

    def test_validation_does_not_touch_the_instance(self, org_tree):
        person = PersonFactory(unit=org_tree["network"], sicil_no="1")
        serializer = PersonSerializer(person, data={"sicil_no": "2"}, partial=True)
        assert serializer.is_valid(), serializer.errors
        assert person.sicil_no == "1"

    def test_model_field_validators_run(self, org_tree):
        person = PersonFactory(unit=org_tree["network"])
        serializer = PersonSerializer(person, data={"tc_kimlik_no": "10000000000"}, partial=True)
        assert not serializer.is_valid()
        assert "tc_kimlik_no" in serializer.errors

    def test_own_unique_value_is_not_a_duplicate(self, org_tree):
        number = tc_kimlik_no(5)
        person = PersonFactory(unit=org_tree["network"], tc_kimlik_no=number, sicil_no="9")
        serializer = PersonSerializer(
            person, data={"tc_kimlik_no": number, "sicil_no": "9"}, partial=True
        )
        assert serializer.is_valid(), serializer.errors

    def test_many_to_many_fields_are_saved_not_validated_as_columns(self, org_tree):
        duty = DutyFactory(unit=org_tree["network"])
        categories = DutyCategoryFactory.create_batch(2)
        serializer = DutySerializer(
            duty, data={"categories": [c.pk for c in categories]}, partial=True
        )
        assert serializer.is_valid(), serializer.errors
        serializer.save()
        assert set(duty.categories.all()) == set(categories)

    def test_display_is_the_objects_text(self, org_tree):
        person = PersonFactory(unit=org_tree["network"], first_name="Çağla", last_name="Öz")
        assert PersonSerializer(person).data["display"] == "Çağla Öz"


class TestDjangoHandlers:
    def test_server_error_under_api_is_a_problem(self, rf):
        response = handler500(rf.get("/api/v1/org/people/"))
        assert response.status_code == 500
        assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
        body = json.loads(response.content)
        assert body["status"] == 500 and body["instance"] == "/api/v1/org/people/"

    def test_server_error_elsewhere_is_the_html_page(self, rf):
        response = handler500(rf.get("/org/"))
        assert response.status_code == 500
        assert response["Content-Type"].startswith("text/html")
