"""The frame (``core/base.html``) is rendered once per language and user and reused: what it
shows must still be each request's own (issue 6)."""

import re

import pytest
from django.test import Client

from biys.core import frame

TOKEN = re.compile(r"[A-Za-z0-9]{64}")


def page(user, url="/", language="tr") -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def two_users(make_user, org_tree):
    first = make_user("technician", org_tree["helpdesk"], username="ayse.yilmaz",
                      first_name="Ayşe", last_name="Yılmaz")  # fmt: skip
    second = make_user("technician", org_tree["software"], username="ismail.oz",
                       first_name="İsmail", last_name="Öz")  # fmt: skip
    return first, second


def test_the_reused_frame_is_what_rendering_it_afresh_gives(two_users, settings):
    first, _ = two_users
    frame._parts.clear()
    built = page(first)
    reused = page(first)
    assert frame._parts  # the frame's parts were kept
    settings.DEBUG = True  # rendered afresh, nothing kept
    afresh = page(first)
    assert TOKEN.sub("T", built) == TOKEN.sub("T", reused) == TOKEN.sub("T", afresh)
    assert "\ue000" not in reused


def test_each_request_gets_its_own_token_path_and_query(two_users):
    first, _ = two_users
    page(first)
    client = Client()
    client.force_login(first)
    response = client.get("/search/", {"q": '<b>"yazıcı"</b>'})
    html = response.content.decode()
    token = response.cookies["csrftoken"].value if "csrftoken" in response.cookies else None
    assert 'value="&lt;b&gt;&quot;yazıcı&quot;&lt;/b&gt;"' in html
    assert '<b>"yazıcı"</b>' not in html
    assert 'name="next" value="/search/?q=%3Cb%3E%22yaz%C4%B1c%C4%B1%22%3C%2Fb%3E"' in html
    inputs = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)
    assert inputs and all(TOKEN.fullmatch(value) for value in inputs)
    assert token is None or token  # the cookie, when set, is set by this request
    assert "\ue000" not in html


def test_each_user_and_language_sees_their_own_frame(two_users):
    first, second = two_users
    assert "ayse.yilmaz" in page(first)
    html = page(second)
    assert "İsmail Öz" in html
    assert "ayse.yilmaz" not in html and "Ayşe Yılmaz" not in html
    assert 'lang="en"' in page(second, language="en")
    english = page(second, language="en")
    assert "Skip to main content" in english
    assert "Skip to main content" not in page(second, language="tr")
