"""A property-based run over the whole OpenAPI schema (schemathesis on the WSGI application).

Every operation in ``/api/schema/`` gets a bounded number of generated requests, sent as an
administrator of the IT department that holds data of every registered model. The responses
must never be a 5xx and must match the schema: status code, content type and body (problem
details included). An endpoint joins this test by being in the schema.
"""

import importlib
import json

import pytest
import schemathesis
from django.apps import apps
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from biys.core.testing import FACTORIES

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def openapi_document() -> dict:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


# The coverage phase enumerates every boundary of every parameter: hundreds of requests per
# operation. Examples and a bounded fuzzing run (positive and negative data) keep this fast.
CONFIG = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}}, "generation": {"mode": "all"}}
)
schema = schemathesis.openapi.from_dict(openapi_document(), config=CONFIG)
application = get_wsgi_application()


def load_factories() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("biys."):
            try:
                importlib.import_module(f"{config.name}.tests.factories")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.tests.factories":
                    raise


@pytest.fixture
def token(admin_user, org_tree, settings):
    """An administrator of the department, and one object of every registered model in it."""
    from biys.org.tests.factories import (
        DutyCategoryFactory,
        DutyFactory,
        ParagraphFactory,
        PersonFactory,
        PositionFactory,
    )

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    network = org_tree["network"]
    PersonFactory.create_batch(3, unit=network)
    PositionFactory(unit=network, holder=PersonFactory(unit=network), is_manager=True)
    paragraph = ParagraphFactory()
    duty = DutyFactory(paragraph=paragraph, unit=network)
    duty.categories.add(DutyCategoryFactory())
    load_factories()
    for make in list(FACTORIES.values()):
        make(network)
    return Token.objects.create(user=admin_user).key


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, token):
    import time, sys
    started = time.perf_counter()
    try:
        _call(case, token)
    finally:
        print(f"TIMING {time.perf_counter()-started:.2f} {case.method} {case.formatted_path}", file=sys.stderr)


def _call(case, token):
    case.call_and_validate(
        app=application, headers={"Authorization": f"Token {token}"}, checks=CHECKS
    )
