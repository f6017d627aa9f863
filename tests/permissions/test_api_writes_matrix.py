"""Every role, inside and outside its unit, sending real data by PUT and PATCH to every API
endpoint: the serializer's own representation of an object the factory made, with one harmless
text field changed, so a refusal can only come from the permission rules.

Allowed (computed from the role definitions): 200 and the change is in the database. Refused:
403 (404 where the object is not visible) and the database is unchanged. Each request runs in a
savepoint rolled back. On PostgreSQL each endpoint runs once per role (inside its unit).
"""

import pytest
from django.db import models
from rest_framework.test import APIClient

from biys.core.testing import FACTORIES
from tests.permissions.matrix import (
    api_endpoints,
    may_change,
    may_view,
    role_cases,
    rolled_back,
)
from tests.permissions.test_api_matrix import _namespaced

ENDPOINTS = [endpoint for endpoint in api_endpoints() if endpoint.writable]
PREFERRED_FIELDS = ("notes", "description", "name", "title", "location")
MARK = "Matris API değişikliği"


def changes(model, representation: dict) -> list[tuple[str, object]]:
    """(column, new value) candidates: plain text columns first (the preferred ones leading),
    then plain numbers."""
    text, numbers = [], []
    for model_field in model._meta.concrete_fields:
        name, current = model_field.name, representation.get(model_field.name)
        if not model_field.editable or model_field.choices or model_field.primary_key:
            continue
        if isinstance(model_field, models.CharField | models.TextField) and isinstance(
            current, str
        ):
            value = f"{MARK} {name}"[: model_field.max_length or 200]
            text.append((name, value))
        elif isinstance(model_field, models.IntegerField) and isinstance(current, int):
            numbers.append((name, current + 1))
    text.sort(key=lambda change: change[0] not in PREFERRED_FIELDS)
    return text + numbers


def test_the_write_matrix_covers_the_organisation_endpoints():
    covered = {endpoint.model._meta.label_lower for endpoint in ENDPOINTS}
    assert {"org.unit", "org.person", "org.duty"} <= covered


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.basename)
def test_put_and_patch_with_real_data(endpoint, org_tree, make_user):
    model = endpoint.model
    obj = FACTORIES[model](org_tree["network"])
    url = _namespaced(endpoint, "detail", pk=obj.pk)
    admin = APIClient()
    admin.force_authenticate(make_user(superuser=True))
    representation = admin.get(url).json()

    def stored(name):
        return model.objects.filter(pk=obj.pk).values_list(name, flat=True).first()

    # The first column a superuser can change (some are computed or read-only); PUT only where
    # the endpoint takes it (the ticket changes by PATCH and its actions).
    field = methods = None
    for name, value in changes(model, representation):

        def works(method, name=name, value=value):
            body = {**representation, name: value} if method == "put" else {name: value}
            response = getattr(admin, method)(url, body, format="json")
            return response.status_code == 200 and stored(name) == value

        if rolled_back(lambda works=works: works("patch")):
            field = name
            methods = ["patch"] + (["put"] if rolled_back(lambda works=works: works("put")) else [])
            break
    if field is None:
        pytest.skip(f"{endpoint.basename}: no column a superuser can change")

    original = dict(changes(model, representation))[field]

    def new_value(method):
        if isinstance(original, int):
            return original + (1 if method == "put" else 2)
        return f"{original} {method}"[: model._meta.get_field(field).max_length or 200]

    failures = []
    for role, inside in role_cases():
        client = APIClient()
        client.force_authenticate(
            make_user(role, org_tree["network"] if inside else org_tree["roads"])
        )
        where = f"{role} {'inside' if inside else 'outside'}"
        if may_change(model, role, inside):
            expected = {200}
        else:
            expected = {403} if may_view(model, role, inside) else {403, 404}
        for method in methods:
            value = new_value(method)
            body = {**representation, field: value} if method == "put" else {field: value}

            def send(method=method, body=body, value=value, client=client):
                response = getattr(client, method)(url, body, format="json")
                return response.status_code, stored(field) == value

            status, changed = rolled_back(send)
            if status not in expected or changed != (expected == {200}):
                failures.append(f"{where}: {method.upper()} {field} -> {status}, saved = {changed}")
    assert not failures, "\n".join(failures)
