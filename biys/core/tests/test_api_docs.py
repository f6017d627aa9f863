"""The OpenAPI schema and the Swagger UI are served by the installation itself."""

import re

import pytest
from django.test import Client

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
EXTERNAL = re.compile(r"""["'(]\s*(?:https?:)?//[^"')\s]+""")


@pytest.mark.django_db
def test_swagger_ui_is_self_hosted():
    client = Client()
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assets = ASSET.findall(page)
    assert any("swagger-ui-bundle" in asset for asset in assets), assets
    assert not EXTERNAL.findall(page), EXTERNAL.findall(page)
    for asset in assets:
        assert asset.startswith("/"), asset
        assert client.get(asset).status_code == 200, asset


@pytest.mark.django_db
def test_schema_is_openapi_3_with_problem_responses():
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    people = schema["paths"]["/api/v1/org/people/{id}/"]["get"]
    assert "application/problem+json" in people["responses"]["404"]["content"]
    assert "tc_kimlik_no" not in schema["components"]["schemas"]["Person"]["properties"]
    assert "tc_kimlik_no_masked" in schema["components"]["schemas"]["Person"]["properties"]
