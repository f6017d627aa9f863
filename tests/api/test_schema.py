"""A property-based run over the whole OpenAPI schema (schemathesis on the WSGI application).

Every operation in ``/api/schema/`` gets a bounded number of generated requests, sent as an
administrator of the IT department that holds data of every registered model. The responses
must never be a 5xx and must match the schema: status code, content type and body (problem
details included). An endpoint joins this test by being in the schema.
"""

import importlib
import json
import os

import pytest
import schemathesis
from django.apps import apps
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from biys.accounts.tokens import new_key, store_key
from biys.core.context import change_context
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


def build_department() -> str:
    """A small department, an administrator over it holding an API token, and one object of
    every registered model in one of its units. Returns the token."""
    from biys.accounts.models import Role, RoleAssignment, User
    from biys.org.models import Municipality, Unit
    from biys.org.tests.factories import (
        DutyCategoryFactory,
        DutyFactory,
        ParagraphFactory,
        PersonFactory,
        PositionFactory,
    )

    Municipality.objects.create(name="Örnek Büyükşehir Belediyesi", kind="buyuksehir")
    dept = Unit.objects.create(
        name="Bilgi İşlem Dairesi Başkanlığı", kind="daire_baskanligi", is_it_department=True
    )
    network = Unit.objects.create(
        name="Sistem ve Ağ Şube Müdürlüğü",
        kind="sube_mudurlugu",
        parent=dept,
        is_it_department=True,
    )
    Unit.objects.create(name="Fen İşleri Dairesi Başkanlığı", kind="daire_baskanligi")
    admin = User.objects.create_user(
        username="yonetici", password=None, person=PersonFactory(unit=dept)
    )
    RoleAssignment.objects.create(
        user=admin, role=Role.objects.get(slug="administrator"), unit=dept, include_subtree=True
    )
    PersonFactory.create_batch(3, unit=network)
    PositionFactory(unit=network, holder=PersonFactory(unit=network), is_manager=True)
    duty = DutyFactory(paragraph=ParagraphFactory(), unit=network)
    duty.categories.add(DutyCategoryFactory())
    load_factories()
    for make in list(FACTORIES.values()):
        make(network)
    key = new_key()
    store_key(admin, key)
    return key


@pytest.fixture(scope="module")
def keep_connection():
    """Requests go through the WSGI handler, not Django's test client, so its end would close
    the database connection (autocommit is off inside the test's transaction) the way it does
    between real requests. The test client disconnects the same signal handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def token(django_db_setup, django_db_blocker, keep_connection):
    """Built once for the module inside a transaction that is rolled back at its end; each
    operation's test runs in a savepoint within it (the ``db`` fixture), so it starts from the
    same data whatever the previous operation created or deleted."""
    with django_db_blocker.unblock(), transaction.atomic():
        with change_context(user_name="schema-test"):
            key = build_department()
        yield key
        transaction.set_rollback(True)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("BIYS_SCHEMA_EXAMPLES", "10")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, token, db):
    case.call_and_validate(
        app=application, headers={"Authorization": f"Token {token}"}, checks=CHECKS
    )


def test_every_operation_with_a_body_documents_415():
    """A write whose body has no Content-Type, or one its parsers do not read, is refused by
    DRF with a 415 problem before any check: the schema says so once per such operation."""
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    with_body, missing = 0, []
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            with_body += 1
            response = operation["responses"].get("415")
            if response is None or response.get("content") != problem:
                missing.append(f"{method.upper()} {path}")
    assert with_body > 100
    assert not missing, missing
