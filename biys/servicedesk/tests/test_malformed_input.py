"""Malformed input from a signed-in user is a 400 with problem details (API) or a field error
(UI), never a 500: deep JSON, lone surrogates, NUL characters, bodies over the upload limit."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from biys.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db

TICKETS = "/api/v1/servicedesk/tickets/"


@pytest.fixture
def api(desk):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(desk.requester)
    return client


def post_raw(api, body: bytes, path=TICKETS):
    return api.generic("POST", path, body, content_type="application/json")


def assert_problem(response, field=None):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 400
    if field:
        assert field in body["errors"], body


def test_deeply_nested_json_is_a_400_problem(api):
    body = b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert_problem(post_raw(api, body))


def test_lone_surrogate_in_form_data_is_a_400_at_the_field(api, desk):
    item = desk.printer.pk
    payload = f'{{"catalog_item": {item}, "title": "Yazıcı", "form_data": {{"model": "\\ud800"}}}}'
    assert_problem(post_raw(api, payload.encode()), "form_data")
    assert not Ticket.objects.exists()


def test_lone_surrogate_in_a_text_field_is_a_400_at_the_field(api, desk):
    payload = f'{{"catalog_item": {desk.printer.pk}, "title": "Yaz\\udfffıcı"}}'
    assert_problem(post_raw(api, payload.encode()), "title")


@pytest.mark.parametrize("where", ["title", "form_data"])
def test_nul_character_is_a_400_at_the_field(api, desk, where):
    payload = {"catalog_item": desk.printer.pk, "title": "Yazıcı"}
    if where == "title":
        payload["title"] = "Yaz\x00ıcı"
    else:
        payload["form_data"] = {"model": "HP\x00"}
    response = post_raw(api, json.dumps(payload).encode())
    assert_problem(response, where)
    assert not Ticket.objects.exists()


def test_body_over_the_upload_limit_is_a_problem(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_raw(api, b'{"title": "' + b"x" * 5000 + b'"}')
    assert response.status_code in (400, 413)
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == response.status_code


def test_nul_in_the_new_ticket_form_is_a_field_error(desk):
    from django.urls import reverse

    client = Client(raise_request_exception=False)
    client.force_login(desk.requester)
    response = client.post(
        reverse("servicedesk:ticket_create", args=[desk.printer.pk]),
        {"title": "Yaz\x00ıcı", "description": "Kağıt sıkıştı"},
    )
    assert response.status_code == 400  # the form again, with the error at the field
    assert "title" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_unstorable_json_in_a_model_form_is_a_field_error(desk):
    """The model layer refuses it too, for every form and serializer that runs full_clean."""
    from django.core.exceptions import ValidationError

    desk.printer.form_fields = [{"name": "model", "label": "Mod\x00el"}]
    with pytest.raises(ValidationError) as raised:
        desk.printer.full_clean()
    assert "form_fields" in raised.value.message_dict
    desk.printer.form_fields = [{"name": "model", "help": "x\udc00"}]
    with pytest.raises(ValidationError) as raised:
        desk.printer.full_clean()
    assert "form_fields" in raised.value.message_dict


def test_json_nested_beyond_the_limit_is_refused_at_the_field(api, desk):
    nested = "[" * 50 + "]" * 50
    item = desk.printer.pk
    payload = f'{{"catalog_item": {item}, "title": "x", "form_data": {{"a": {nested}}}}}'
    assert_problem(post_raw(api, payload.encode()), "form_data")
