"""The language of an answer: the API follows a client's explicit Accept-Language (Turkish or
English), else the language switch's cookie, else Turkish; the pages follow the switch only
(the browser's Accept-Language is often English on Turkish staff's PCs)."""

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

PEOPLE = "/api/v1/org/people/"
BAD_PERSON = {"first_name": "", "employment_type": "memur", "email": "x"}
TURKISH = {"title": "Geçersiz girdi.", "detail": "Bir veya daha fazla alan geçersiz."}
ENGLISH = {"title": "Invalid input.", "detail": "One or more fields are invalid."}


@pytest.fixture
def api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def problem(api, **headers):
    response = api.post(PEOPLE, BAD_PERSON, format="json", **headers)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert "Accept-Language" in response["Vary"]
    body = response.json()
    return response["Content-Language"], {"title": body["title"], "detail": body["detail"]}


@pytest.mark.parametrize(
    ("header", "cookie", "language"),
    [
        (None, None, "tr"),  # nothing asked: the product's language
        ("en", None, "en"),
        ("en-GB,en;q=0.9", None, "en"),
        ("tr-TR,tr;q=0.9,en;q=0.8", None, "tr"),
        ("de-DE,en;q=0.5", None, "en"),  # the first language BİYS speaks
        ("de", None, "tr"),  # none BİYS speaks
        ("*", None, "tr"),
        (None, "en", "en"),  # no header: the switch's choice, as the pages
        ("en", "tr", "en"),  # an explicit header wins over the cookie
        ("tr", "en", "tr"),
    ],
)
def test_a_problem_answers_in_the_language_the_client_asks_for(api, header, cookie, language):
    if cookie:
        api.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    headers = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    said, texts = problem(api, **headers)
    assert said == language
    assert texts == (ENGLISH if language == "en" else TURKISH)


def test_field_messages_follow_the_request_language_too(api):
    english = api.post(PEOPLE, BAD_PERSON, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    turkish = api.post(PEOPLE, BAD_PERSON, format="json", HTTP_ACCEPT_LANGUAGE="tr").json()
    assert english["errors"]["email"] == ["Enter a valid email address."]
    assert turkish["errors"]["email"] != english["errors"]["email"]


def test_pages_follow_the_language_switch_not_the_browser(admin_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(admin_user)
    response = client.get("/")
    assert response.status_code == 200 and response["Content-Language"] == "tr"
    assert 'lang="tr"' in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response["Content-Language"] == "en" and 'lang="en"' in response.content.decode()
