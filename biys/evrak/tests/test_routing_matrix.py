"""Every routing action, through its page and the API, for every role inside and outside the
document's unit: routing needs ``evrak.route_incomingdocument`` over the receiving unit,
routing on ``evrak.route_on_routing`` over the routed unit; closing and acknowledging belong
to the person routed to, whatever role anyone else holds. Who may act is computed from the role
definitions; each request runs in a savepoint rolled back."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.evrak import services
from biys.evrak.choices import Confidentiality
from biys.evrak.models import Routing
from biys.evrak.tests.factories import make_document
from tests.permissions.matrix import ROLE_SPECS, role_cases, rolled_back

pytestmark = pytest.mark.django_db


def may(role: str, inside: bool, perm: str) -> bool:
    return inside and ROLE_SPECS[role].matches(perm)


def test_every_routing_action_for_every_role(org_tree, make_user):
    unit = org_tree["network"]
    document = make_document(unit)
    other = make_user("requester", unit)
    routing = services.route_document(user=None, document=document, unit=unit)
    secret = make_document(unit, confidentiality=Confidentiality.SECRET)
    handed = services.route_document(user=None, document=secret, unit=unit, assignee=other)
    failures = []

    def outcome(send, routing_id=None, field=None):
        def run():
            before = Routing.objects.count()
            response = send()
            changed = Routing.objects.count() - before
            if routing_id is not None:
                changed = getattr(Routing.objects.get(pk=routing_id), field)
            return response, changed

        return rolled_back(run)

    for role, inside in role_cases():
        user = make_user(role, unit if inside else org_tree["roads"])
        where = f"{role} {'inside' if inside else 'outside'}"
        view = may(role, inside, "evrak.view_incomingdocument")
        route = view and may(role, inside, "evrak.route_incomingdocument")
        route_on = view and may(role, inside, "evrak.route_on_routing")
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        body = {"unit": org_tree["software"].pk, "kind": "info"}

        for channel, send in (
            (
                "page",
                lambda page=page, body=body: page.post(
                    reverse("evrak:route", args=[document.pk]), body
                ),
            ),
            (
                "API",
                lambda api=api, body=body: api.post(
                    f"/api/v1/evrak/incoming/{document.pk}/route/", body, format="json"
                ),
            ),
        ):
            response, created = outcome(send)
            if bool(created) != route or (not route and response.status_code not in (403, 404)):
                failures.append(f"{where}: {channel} route -> {response.status_code}")

        for channel, send in (
            (
                "page",
                lambda page=page: page.post(
                    reverse("evrak:route_on", args=[routing.pk]),
                    {f"r{routing.pk}-assignee": other.pk},
                ),
            ),
            (
                "API",
                lambda api=api: api.post(
                    f"/api/v1/evrak/routings/{routing.pk}/route-on/",
                    {"assignee": other.pk},
                    format="json",
                ),
            ),
        ):
            response, assignee = outcome(send, routing.pk, "assignee_id")
            if (assignee == other.pk) != route_on or (
                not route_on and response.status_code not in (403, 404)
            ):
                failures.append(f"{where}: {channel} route on -> {response.status_code}")

        # Not the person routed to: nobody closes or acknowledges for them.
        for what, send in (
            ("close", lambda page=page: page.post(reverse("evrak:close_routing", args=[handed.pk]), {"outcome": "x"})),
            ("API close", lambda api=api: api.post(f"/api/v1/evrak/routings/{handed.pk}/close/", {"outcome": "x"}, format="json")),
            ("acknowledge", lambda page=page: page.post(reverse("evrak:acknowledge", args=[handed.pk]))),
            ("API acknowledge", lambda api=api: api.post(f"/api/v1/evrak/routings/{handed.pk}/acknowledge/")),
        ):  # fmt: skip
            response, received = outcome(send, handed.pk, "received_at")
            if received is not None or response.status_code not in (403, 404):
                failures.append(f"{where}: {what} -> {response.status_code}")
        # The Gizli document: not named, so not even seen.
        if api.get(f"/api/v1/evrak/routings/{handed.pk}/").status_code != 404:
            failures.append(f"{where}: sees the Gizli routing")

    assert not failures, "\n".join(failures)
