"""Every role, inside and outside its unit, creating by API POST with VALID data on every
endpoint that creates: the serializer's own representation of an object the factory made (read
as a superuser), read-only fields dropped and unique columns given new values, so a refusal can
only come from the permission rules.

Allowed (computed from the role definitions): 201 and the object exists. Refused: 403 or 404
(400 only for a field error about scope or placement) and nothing was created. Each request runs
in a savepoint rolled back. Tickets follow their own rule (anyone files for themselves; filing
for someone else needs IT staff's servicedesk.change_ticket) and are a case of their own.
"""

import contextlib
from datetime import date, timedelta

import pytest
from django.db import models
from django.db.models import ProtectedError
from rest_framework.test import APIClient

from biys.calendar.models import DeclaredDay
from biys.calendar.tests.factories import _free_weekday as free_weekday
from biys.core.testing import FACTORIES
from biys.org.tests.factories import PersonFactory
from biys.servicedesk.tests.factories import CatalogItemFactory
from tests.permissions.matrix import (
    ROLE_SPECS,
    api_endpoints,
    may_change,
    placements,
    rolled_back,
)
from tests.permissions.test_api_matrix import _namespaced
from tests.permissions.test_ui_forms_matrix import unique_copy

ENDPOINTS = [endpoint for endpoint in api_endpoints() if endpoint.creatable]
# Write-only values a representation never carries but a new object needs (a mailbox's
# password), per model.
WRITE_ONLY = {"evrak.evrakmailbox": {"password": "Matris-Parola-1"}}


def create_body(client, url: str, representation: dict, model) -> dict:
    """The representation as a POST body: read-only fields dropped (as the endpoint's OPTIONS
    describes them), unique text columns given new values."""
    described = client.options(url).json().get("actions", {}).get("POST", {})
    body = {
        name: value
        for name, value in representation.items()
        if name in described and not described[name].get("read_only")
    }
    body = unique_together_copy(model, unique_copy(model, body), original=body)
    body |= WRITE_ONLY.get(model._meta.label_lower, {})
    if model is DeclaredDay:  # a new date must still be a working day ("2040-01-06" + 1 may not be)
        body["date"] = free_weekday().isoformat()
    return body


def unique_together_copy(model, data: dict, original: dict | None = None) -> dict:
    """Each unique set of columns (unique_together, UniqueConstraint) made new by changing its
    first plain text or number column, unless ``unique_copy`` already changed one of them."""
    sets = [tuple(fields) for fields in model._meta.unique_together]
    sets += [
        tuple(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields
    ]
    data = dict(data)
    original = data if original is None else original
    for fields in sets:
        if any(data.get(name) != original.get(name) for name in fields):
            continue
        for name in fields:
            model_field = model._meta.get_field(name)
            value = data.get(name)
            if model_field.is_relation or model_field.choices:
                continue
            if isinstance(value, int) and not isinstance(value, bool):
                data[name] = value + 1000
                break
            if type(model_field) is models.DateField and isinstance(value, str) and value:
                data[name] = (date.fromisoformat(value) + timedelta(days=1)).isoformat()
                break
            if isinstance(value, str) and value:
                data[name] = "x" + value
                break
    return data


def scope_errors_only(model, problem: dict) -> bool:
    """A 400 is a refusal only when every error is at a field pointing to another record (its
    unit, its person, its user): the superuser's identical body was valid, so such an error can
    only say that record is outside the caller's scope."""
    errors = set(problem.get("errors") or {})
    relations = {field.name for field in model._meta.get_fields() if field.is_relation}
    return bool(errors) and errors <= relations


def test_the_create_matrix_covers_the_organisation_endpoints():
    covered = {endpoint.model._meta.label_lower for endpoint in ENDPOINTS}
    assert {"org.unit", "org.person", "org.duty"} <= covered


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.basename)
def test_post_with_real_data(endpoint, org_tree, make_user):
    model = endpoint.model
    obj = FACTORIES[model](org_tree["network"])
    list_url = _namespaced(endpoint, "list")
    admin = APIClient()
    admin.force_authenticate(make_user(superuser=True))
    representation = admin.get(_namespaced(endpoint, "detail", pk=obj.pk)).json()
    body = create_body(admin, list_url, representation, model)
    # The copy replaces the original, so no unique set of columns (a unit's one queue) clashes.
    with contextlib.suppress(ProtectedError):
        model.objects.filter(pk=obj.pk).delete()

    def post(client):
        before = model.objects.count()
        response = client.post(list_url, body, format="json")
        return response, model.objects.count() - before

    response, created = rolled_back(lambda: post(admin))
    assert (response.status_code, created) == (201, 1), (body, response.content)

    failures = []
    for role in ROLE_SPECS:
        for inside, unit in placements(org_tree):
            client = APIClient()
            client.force_authenticate(make_user(role, unit))
            where = f"{role} {'inside' if inside else 'outside'}"
            response, created = rolled_back(lambda client=client: post(client))
            if may_change(model, role, inside, "add"):
                if response.status_code != 201 or created != 1:
                    failures.append(f"{where}: POST -> {response.status_code}, created {created}")
                continue
            refused = response.status_code in (403, 404) or (
                response.status_code == 400 and scope_errors_only(model, response.json())
            )
            if not refused or created:
                failures.append(
                    f"{where}: POST -> {response.status_code} {response.content.decode()[:400]},"
                    f" created {created}"
                )
    assert not failures, "\n".join(failures)


def may_file_for_others(role: str) -> bool:
    return ROLE_SPECS[role].matches("servicedesk.change_ticket")


@pytest.mark.django_db
def test_ticket_filing_for_oneself_and_for_others(org_tree, make_user):
    from biys.servicedesk.models import Ticket

    item = CatalogItemFactory(unit=org_tree["network"])
    someone = PersonFactory(unit=org_tree["network"])
    ticket_endpoint = next(e for e in api_endpoints() if e.model is Ticket)
    url = _namespaced(ticket_endpoint, "list")

    def post(client, extra):
        before = Ticket.objects.count()
        body = {"catalog_item": item.pk, "title": "Yazıcı çalışmıyor", **extra}
        response = client.post(url, body, format="json")
        return response, Ticket.objects.count() - before

    failures = []
    for role in ROLE_SPECS:
        for inside, unit in placements(org_tree):
            user = make_user(role, unit)
            client = APIClient()
            client.force_authenticate(user)
            where = f"{role} {'inside' if inside else 'outside'}"
            for whom, extra, allowed in (
                ("themselves", {}, True),
                ("themselves by name", {"requester": user.person_id}, True),
                ("someone else", {"requester": someone.pk}, may_file_for_others(role)),
            ):
                response, created = rolled_back(
                    lambda client=client, extra=extra: post(client, extra)
                )
                expected = (201, 1) if allowed else (403, 0)
                if (response.status_code, created) != expected:
                    failures.append(
                        f"{where} for {whom}: POST -> {response.status_code}, created {created}"
                    )
    assert not failures, "\n".join(failures)
