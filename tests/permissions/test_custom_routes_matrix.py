"""Every declared custom route (custom_routes.py) for every role, inside and outside the object's
unit (inside only on PostgreSQL: see placements).

Reads: an allowed role gets the declared success (200), a refused one 403, or 404 for an object
it may not see. Writes (POST, PUT, PATCH, DELETE), sent with an empty body in a savepoint rolled
back: a refused role is turned away (403 or 404; see REFUSED) and nothing changes (no audit record, the object's row as it
was); an allowed role passes the permission check (anything but 403, 404 or a server error).
"""

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from biys.core.models import ObjectChange
from biys.core.testing import FACTORIES
from tests.permissions.custom_routes import CUSTOM_ROUTES
from tests.permissions.matrix import ROLE_SPECS, load_factories, placements
from tests.permissions.matrix import perm as perm_name
from tests.permissions.routes import all_routes

load_factories()
ROUTES = all_routes()
CASES = [
    pytest.param(
        name,
        custom,
        id=name,
        marks=[pytest.mark.xfail(reason=custom.xfail, strict=True)] if custom.xfail else [],
    )
    for name, custom in sorted(CUSTOM_ROUTES.items())
]


# A refused write: 403 or 404 by the codebase's convention; an empty body may also be turned down
# by validation first (400, 415) or, on a page, with a message and a redirect (302). Whatever the
# answer, nothing changes.
REFUSED = {302, 400, 403, 404, 415}


def allowed(custom, role: str, inside: bool, model) -> bool:
    if not custom.perms:
        return True
    read_by_all = model is not None and getattr(model, "visible_to_all_staff", False)
    if read_by_all and custom.perms == (perm_name(model, "view"),):
        return True  # the model's own view permission: read by all staff (may_view)
    holds = any if custom.any_perm else all
    if not holds(ROLE_SPECS[role].matches(perm) for perm in custom.perms):
        return False
    return model is None or inside


def row(model, pk):
    return model.objects.filter(pk=pk).values().first()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "custom"), CASES)
def test_custom_route_for_every_role(name, custom, org_tree, make_user):
    model = apps.get_model(custom.model) if custom.model else None
    obj = FACTORIES[model](org_tree["network"]) if model else None
    for label in custom.needs:
        FACTORIES[apps.get_model(label)](org_tree["network"])
    kwargs = dict(custom.kwargs)
    if obj is not None:
        kwargs["pk"] = obj.pk
    url = reverse(name, kwargs=kwargs or None)
    api = ROUTES[name].pattern.startswith("api/")
    failures = []
    for role in ROLE_SPECS:
        # Without an object the permission counts wherever the role holds it: once is enough,
        # unless the route lists what the user's units hold.
        everywhere = model is not None or custom.unit_lists
        for inside, unit in placements(org_tree) if everywhere else placements(org_tree)[:1]:
            client = APIClient()
            client.force_login(make_user(role, unit))
            may = allowed(custom, role, inside, model)
            where = f"{role} {'inside' if inside else 'outside'}"
            for method in custom.methods:
                send = getattr(client, method.lower())
                if method == "GET":
                    status = send(url).status_code
                    expected = set(custom.ok) if may else ({403, 404} if model else {403})
                    if status not in expected:
                        failures.append(f"{where}: GET -> {status}, expected {expected}")
                    continue
                with transaction.atomic():
                    changes = ObjectChange.objects.count()
                    before = row(model, obj.pk) if obj else None
                    response = send(url, {}, format="json") if api else send(url, {})
                    changed = ObjectChange.objects.count() != changes or (
                        obj is not None and row(model, obj.pk) != before
                    )
                    transaction.set_rollback(True)
                status = response.status_code
                if may:
                    if status in (403, 404) or status >= 500:
                        failures.append(f"{where}: {method} -> {status}, expected allowed")
                elif status not in REFUSED or changed:
                    failures.append(f"{where}: {method} -> {status}, changed = {changed}")
    assert not failures, "\n".join(failures)
