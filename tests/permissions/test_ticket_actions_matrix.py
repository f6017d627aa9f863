"""Every ticket action, through the ticket page's action URL and the API, for every role inside
and outside the ticket's unit. Who may run what is computed from the role definitions and the
workflow table (biys.servicedesk.workflow), so a new action or role joins by itself.

Each request runs in a savepoint that is rolled back, so one ticket serves the whole matrix.
On PostgreSQL each action runs once per role (inside its unit); SQLite runs the full product.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.servicedesk import workflow
from biys.servicedesk.api.views import WORKFLOW_ACTIONS
from biys.servicedesk.tests.factories import make_ticket_in
from biys.servicedesk.views.tickets import ACTIONS, WORKFLOW_NAME
from tests.permissions.matrix import ROLE_SPECS, role_cases, rolled_back

API_URL_PATHS = {"log_time": "log-time", "set_parent": "set-parent"}
API_URL_PATHS |= {"send_to_supplier": "send-to-supplier"}
API_URL_PATHS |= {"return_from_supplier": "return-from-supplier", "field_visits": "field-visits"}


def role_parties(role: str, inside: bool) -> set:
    """The parties a holder of ``role`` over the ticket's unit is (or, outside it, is not).
    The matrix's users are neither the requester nor the filer."""
    if not inside:
        return set()
    spec = ROLE_SPECS[role]
    parties = set()
    if spec.matches("servicedesk.change_ticket"):
        parties.add(workflow.WORKER)
    if spec.matches("servicedesk.approve_requests"):
        parties.add(workflow.MANAGER)
    return parties


def may_run(page_action: str, parties: set) -> bool:
    name = WORKFLOW_NAME.get(page_action, page_action)
    allowed = bool(workflow.TRANSITIONS[name].parties & parties)
    if page_action == "comment":  # the IT staff reply (with internal notes) instead
        allowed = allowed and workflow.WORKER not in parties
    return allowed


@pytest.mark.django_db
def test_every_ticket_action_for_every_role(org_tree, make_user):
    ticket = make_ticket_in(org_tree["network"])
    failures = []
    for role, inside in role_cases():
        user = make_user(role, org_tree["network"] if inside else org_tree["roads"])
        parties = role_parties(role, inside)
        where = f"{role} {'inside' if inside else 'outside'}"
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        for name in ACTIONS:
            url = reverse("servicedesk:ticket_action", args=[ticket.pk, name])
            status = rolled_back(lambda url=url, page=page: page.post(url, {})).status_code
            refused = status in (403, 404)
            if refused == may_run(name, parties):
                failures.append(f"{where}: page {name} -> {status}")
        for method, name in WORKFLOW_ACTIONS.items():
            if method == "partial_update":
                url, send = f"/api/v1/servicedesk/tickets/{ticket.pk}/", api.patch
            else:
                path = API_URL_PATHS.get(method, method)
                url, send = f"/api/v1/servicedesk/tickets/{ticket.pk}/{path}/", api.post
            status = rolled_back(lambda url=url, send=send: send(url, {}, format="json"))
            refused = status.status_code in (403, 404)
            allowed = bool(workflow.TRANSITIONS[name].parties & parties)
            if refused == allowed:
                failures.append(f"{where}: API {method} -> {status.status_code}")
    assert not failures, "\n".join(failures)
