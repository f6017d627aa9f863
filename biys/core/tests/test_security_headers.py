"""Every response carries a Content Security Policy that allows only the installation's own
scripts."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/org/units/", "/api/docs/"])
def test_csp_header_is_sent(path):
    policy = directives(Client().get(path))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_api_docs_load_their_script_from_a_url_not_inline():
    html = Client().get("/api/docs/").content.decode()
    assert "<script>" not in html.replace(" ", "")


def test_no_template_has_an_inline_script_or_event_handler():
    import re
    from pathlib import Path

    import biys

    root = Path(biys.__file__).resolve().parent
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=|javascript:|hx-on", re.I)
    found = []
    for path in root.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if inline.search(text) or handler.search(text):
            found.append(str(path.relative_to(root)))
    assert found == []


@pytest.mark.parametrize("signed_in", [False, True])
def test_htmx_never_evaluates_code_from_attributes(signed_in, admin_user):
    client = Client()
    if signed_in:
        client.force_login(admin_user)
    html = client.get("/" if signed_in else "/accounts/login/").content.decode()
    assert """<meta name="htmx-config" content='{"allowEval": false}'>""" in html
