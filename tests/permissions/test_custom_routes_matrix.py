"""Every declared custom route (custom_routes.py) for every role, inside and outside the object's
unit (inside only on PostgreSQL: see placements); a route needing its permission over the whole
municipality also for each role holding it so.

Reads: an allowed role gets the declared success (200), a refused one 403, or 404 for an object
it may not see. Writes (POST, PUT, PATCH, DELETE), sent with an empty body in a savepoint rolled
back: a refused role is turned away (403 or 404; see REFUSED, API_REFUSED) and nothing changes
(no audit record, the object's row as it was); an allowed role passes the permission check
(anything but 403, 404 or a server error).
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


# A refused write: 403 or 404 by the codebase's convention. An API action checks the caller's
# permission before it reads the body (a 400 would hide a missing check and teach a refused
# caller the body's rules), so API_REFUSED is strict. A page may turn an empty form down with a
# message and a redirect (302) or by validation (400, 415). Whatever the answer, nothing changes.
REFUSED = {302, 400, 403, 404, 415}
API_REFUSED = {403, 404}
# API routes still refused by validation (400) before their permission check, each with its
# reason: a shrinking list, take a route out once fixed.
WHY = "validates its body before the service checks the permission (being fixed)"
LENIENT: dict[str, str] = {
    "incomingdocument-route": WHY,
    "outgoingdocument-submit": WHY,
}


def holds_perms(custom, role: str) -> bool:
    holds = any if custom.any_perm else all
    return holds(ROLE_SPECS[role].matches(perm) for perm in custom.perms)


def allowed(custom, role: str, inside: bool, model) -> bool:
    if not custom.perms:
        return True
    read_by_all = model is not None and getattr(model, "visible_to_all_staff", False)
    if read_by_all and custom.perms == (perm_name(model, "view"),):
        return True  # the model's own view permission: read by all staff (may_view)
    if custom.municipality_wide:
        return False  # held over one unit only (see cases)
    if not holds_perms(custom, role):
        return False
    # An object read by all staff whose page lists only what the user's units hold (a person's
    # custody): the permission counts wherever the role holds it.
    return model is None or inside or custom.unit_lists


def cases(custom, model, org_tree):
    """(role, who, unit, allowed) for each user the route is tried with: each role inside and
    outside the object's unit; for a route needing its permission over the whole municipality,
    each role holding it so (over every top unit with its subtree) too."""
    for role in ROLE_SPECS:
        # Without an object the permission counts wherever the role holds it: once is enough,
        # unless the route lists what the user's units hold.
        everywhere = model is not None or custom.unit_lists or custom.municipality_wide
        for inside, unit in placements(org_tree) if everywhere else placements(org_tree)[:1]:
            where = f"{role} {'inside' if inside else 'outside'}"
            yield role, where, unit, allowed(custom, role, inside, model)
        if custom.municipality_wide and holds_perms(custom, role):
            yield role, f"{role} over the whole municipality", None, True


def everywhere_user(role: str):
    """A user holding ``role`` over every unit (each top unit with its subtree)."""
    from biys.accounts.models import Role, RoleAssignment, User
    from biys.org.models import Unit

    user = User.objects.create_user(username=f"everywhere-{role}", password="x")
    for top in Unit.objects.filter(parent__isnull=True):
        RoleAssignment.objects.create(
            user=user, role=Role.objects.get(slug=role), unit=top, include_subtree=True
        )
    return user


def row(model, pk):
    return model.objects.filter(pk=pk).values().first()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "custom"), CASES)
def test_custom_route_for_every_role(name, custom, org_tree, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # a stored file the route needs (fields) stays the test's
    model = apps.get_model(custom.model) if custom.model else None
    network = org_tree["network"]
    fields = {
        key: value(network) if callable(value) else value for key, value in custom.fields.items()
    }
    obj = FACTORIES[model](network, **fields) if model else None
    for label in custom.needs:
        FACTORIES[apps.get_model(label)](org_tree["network"])
    kwargs = dict(custom.kwargs)
    if obj is not None:
        if custom.pk_name:  # None: a list of such objects, the object not in the URL
            kwargs[custom.pk_name] = obj.pk
        if custom.kwargs_of:
            kwargs.update(custom.kwargs_of(obj))
    url = reverse(name, kwargs=kwargs or None)
    api = ROUTES[name].pattern.startswith("api/")
    refused = API_REFUSED if api and name not in LENIENT else REFUSED
    failures = []
    for role, where, unit, may in cases(custom, model, org_tree):
        client = APIClient()
        client.force_login(make_user(role, unit) if unit else everywhere_user(role))
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
            elif status not in refused or changed:
                failures.append(f"{where}: {method} -> {status}, changed = {changed}")
    assert not failures, "\n".join(failures)
