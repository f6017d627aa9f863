"""Every application action (route, extend, outcome, personal data), through the detail page's
action URL and the API, for every role inside and outside the application's unit. Who may run
what is computed from the role definitions (the action's permission), so a new role joins by
itself. Each request runs in a savepoint rolled back; on PostgreSQL inside only."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.applications import services
from biys.applications.models import Application
from biys.applications.tests.factories import make_application
from biys.core.models import PersonalDataView
from tests.permissions.matrix import ROLE_SPECS, role_cases, rolled_back

ACTIONS = {
    # action: (permission, page body, API body, applied?)
    "route": (services.ROUTE, "unit", {"reason": "Görev alanı"}),
    "extend": (services.EXTEND, None, {"reason": "Başka birimden görüş alınacak"}),
    "outcome": (services.ANSWER, None, {"outcome": "answered", "note": "Bilgi verildi."}),
}


def applied(action: str, application) -> bool:
    fresh = Application.objects.get(pk=application.pk)
    return {
        "route": fresh.responsible_unit_id != application.responsible_unit_id,
        "extend": fresh.extended,
        "outcome": fresh.state == "answered",
    }[action]


@pytest.mark.django_db
def test_application_actions_for_every_role(org_tree, make_user, settings):
    today = selectors_today()
    application = make_application(
        org_tree["network"], received_on=today, due_date=today + timedelta(days=21)
    )
    failures = []
    for role, inside in role_cases():
        user = make_user(role, org_tree["network"] if inside else org_tree["roads"])
        visible = inside and ROLE_SPECS[role].matches("applications.view_application")
        for action, (perm, unit_field, body) in ACTIONS.items():
            allowed = inside and ROLE_SPECS[role].matches(perm)
            data = dict(body)
            if unit_field:
                data[unit_field] = org_tree["software"].pk
            for channel in ("page", "api"):
                if channel == "page":
                    client = Client()
                    client.force_login(user)
                    url = reverse(f"applications:{action}", args=[application.pk])

                    def send(client=client, url=url, data=data, action=action):
                        response = client.post(url, data)
                        return response.status_code, applied(action, application)

                    expected = (
                        (302, True) if allowed else ((403, False) if visible else (404, False))
                    )
                else:
                    client = APIClient()
                    client.force_authenticate(user)
                    url = f"/api/v1/applications/applications/{application.pk}/{action}/"

                    def send(client=client, url=url, data=data, action=action):
                        response = client.post(url, data, format="json")
                        return response.status_code, applied(action, application)

                    expected = (
                        (200, True) if allowed else ((403, False) if visible else (404, False))
                    )
                result = rolled_back(send)
                if result != expected:
                    where = f"{role} {'inside' if inside else 'outside'}"
                    failures.append(f"{where}: {channel} {action} -> {result}, expected {expected}")
        # The personal data: shown and logged only for holders of the reveal permission.
        allowed = inside and ROLE_SPECS[role].matches(services.REVEAL)
        client = APIClient()
        client.force_authenticate(user)
        url = f"/api/v1/applications/applications/{application.pk}/personal-data/"

        def reveal(client=client, url=url):
            response = client.post(url, {}, format="json")
            return response.status_code, PersonalDataView.objects.count()

        status, logged = rolled_back(reveal)
        expected = (200, 1) if allowed else ((403, 0) if visible else (404, 0))
        if (status, logged) != expected:
            failures.append(f"{role} {inside}: personal-data -> {(status, logged)}, {expected}")
    assert not failures, "\n".join(failures)


def selectors_today():
    from biys.applications.selectors import today

    return today()
