"""The compliance dashboard: the SoA counted per asset group and level and per unit, the
information assets per asset group, the open and overdue corrective actions per unit; only what
the user may see; a constant number of queries; the page for every role; the API."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from biys.accounts.roles import builtin_roles
from biys.bgys import compliance_selectors as selectors
from biys.bgys.models import ApplicabilityEntry, CorrectiveState
from biys.bgys.tests.factories import (
    make_assessment,
    make_corrective_action,
    make_information_asset,
    small_framework,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _entries(unit, framework, states: dict, *, level=3, assessment=True):
    """Entries of ``unit`` for measures by number: a state, or None for not applicable."""
    group = make_assessment(unit, framework=framework, level=level) if assessment else None
    for number, state in states.items():
        ApplicabilityEntry.objects.create(
            unit=unit,
            measure=framework.measures.get(number=number),
            assessment=group,
            applicable=state is not None,
            reason="" if state is not None else "Bu birimde ağ yok",
            state=state or "",
        )


@pytest.fixture
def data(org_tree):
    framework = small_framework()  # measures 3.1.1.1-2 level 1, 3.1.1.3 level 2, 3.1.1.4 level 3
    _entries(
        org_tree["network"], framework,
        {"3.1.1.1": "fully", "3.1.1.2": "partly", "3.1.1.3": "none", "3.1.1.4": ""},
    )  # fmt: skip
    _entries(org_tree["network"], framework, {"3.1.1.1": None}, assessment=False)
    _entries(org_tree["helpdesk"], framework, {"3.1.1.1": "mostly", "3.1.1.3": "fully"})
    _entries(org_tree["roads"], framework, {"3.1.1.1": "fully", "3.1.1.2": "fully"})
    group = framework.asset_groups.get()
    for unit in ("network", "network", "roads"):
        make_information_asset(org_tree[unit], asset_group=group)
    make_information_asset(org_tree["network"])  # no asset group: not counted
    make_corrective_action(org_tree["network"])  # open, due in March 2026: overdue
    make_corrective_action(org_tree["network"], state=CorrectiveState.CLOSED)
    make_corrective_action(org_tree["roads"])
    return framework


def test_counts_per_asset_group_level_and_unit(manager, org_tree, data):
    figures = selectors.compliance(manager, data)
    group, whole_unit = figures["groups"]
    assert group.name == "Ağ ve Sistemler" and group.assets == 2
    assert group.levels[1].as_dict() == {
        "applicable": 3, "fully": 1, "partly": 2, "none": 0, "not_assessed": 0,
        "not_applicable": 0, "rate": 33,
    }  # fmt: skip
    assert (group.levels[2].applicable, group.levels[2].fully, group.levels[2].none) == (2, 1, 1)
    assert (group.levels[3].applicable, group.levels[3].not_assessed, group.levels[3].rate) == (
        1, 1, 0,
    )  # fmt: skip
    assert (group.total.applicable, group.total.fully, group.total.rate) == (6, 2, 33)
    assert whole_unit.group_id is None and whole_unit.levels[1].not_applicable == 1
    assert figures["total"].as_dict() == {
        "applicable": 6, "fully": 2, "partly": 2, "none": 1, "not_assessed": 1,
        "not_applicable": 1, "rate": 33,
    }  # fmt: skip
    units = {row.unit_id: row for row in figures["units"]}
    assert set(units) == {org_tree["network"].pk, org_tree["helpdesk"].pk}  # not roads
    network = units[org_tree["network"].pk]
    assert (network.tally.applicable, network.tally.fully, network.tally.not_applicable) == (
        4, 1, 1,
    )  # fmt: skip
    assert (network.open_actions, network.overdue_actions) == (1, 1)
    helpdesk = units[org_tree["helpdesk"].pk]
    assert (helpdesk.tally.applicable, helpdesk.tally.rate, helpdesk.open_actions) == (2, 50, 0)
    assert (figures["assets"], figures["open_actions"], figures["overdue_actions"]) == (2, 1, 1)
    assert figures["levels"] == [1, 2, 3]


def test_another_framework_is_not_counted(manager, org_tree, data):
    other = small_framework()
    _entries(org_tree["network"], other, {"3.1.1.1": "none"})
    assert selectors.compliance(manager, data)["total"].none == 1
    assert selectors.compliance(manager, other)["total"].as_dict()["none"] == 1
    assert selectors.compliance(manager, other)["total"].applicable == 1


def test_the_queries_do_not_grow_with_the_data(manager, org_tree, data):
    selectors.compliance(manager, data)  # the user's scope, read once per request
    with CaptureQueriesContext(connection) as small:
        selectors.compliance(manager, data)
    for unit in ("software", "helpdesk", "network"):
        _entries(org_tree[unit], data, {"3.1.1.1": "fully", "3.1.1.2": "none"}, level=1)
        make_corrective_action(org_tree[unit])
    make_information_asset(org_tree["helpdesk"], asset_group=data.asset_groups.get())
    with CaptureQueriesContext(connection) as large:
        figures = selectors.compliance(manager, data)
    assert figures["total"].applicable == 6 + 4  # software is outside the manager's units
    assert len(small.captured_queries) == len(large.captured_queries) == 5


def test_the_page_shows_only_the_users_units(client, make_user, org_tree, data):
    inside = make_user("bgys_manager", org_tree["network"])
    outside = make_user("bgys_manager", org_tree["roads"])
    client.force_login(inside)
    page = client.get(reverse("bgys:compliance")).content.decode()
    assert 'data-testid="compliance-units"' in page
    assert org_tree["network"].name in page and org_tree["roads"].name not in page
    assert reverse("bgys:compliance") in page  # the side menu links it
    assert 'data-testid="total-applicable">6<' in page
    client.force_login(outside)
    page = client.get(reverse("bgys:compliance"), {"framework": data.pk}).content.decode()
    assert org_tree["roads"].name in page and org_tree["network"].name not in page
    assert 'data-testid="total-applicable">2<' in page
    assert 'data-testid="total-open-actions">1<' in page


def test_every_role_inside_and_outside_the_unit(make_user, org_tree, data):
    """The permission matrix covers the generic pages; this one is checked here, role by role:
    who holds the SoA's view permission sees the page, and only their units' figures."""
    url = reverse("bgys:compliance")
    for spec in builtin_roles():
        may = spec.matches("bgys.view_applicabilityentry")
        for unit, inside in ((org_tree["network"], True), (org_tree["roads"], False)):
            client = Client()
            client.force_login(make_user(spec.slug, unit))
            response = client.get(url)
            where = f"{spec.slug} {'inside' if inside else 'outside'}"
            assert response.status_code == (200 if may else 403), where
            if may:
                shown = f'data-unit="{org_tree["network"].pk}"' in response.content.decode()
                assert shown == inside, where
    assert Client().get(url).status_code == 302  # anonymous: the login page


def test_no_framework_loaded(client, manager):
    client.force_login(manager)
    page = client.get(reverse("bgys:compliance")).content.decode()
    assert 'data-testid="no-framework"' in page


def test_the_api(manager, make_user, org_tree, data):
    api = APIClient()
    api.force_authenticate(manager)
    body = api.get("/api/v1/bgys/soa/compliance/", {"framework": data.pk}).json()
    assert body["framework"] == data.pk and body["total"]["applicable"] == 6
    assert body["open_corrective_actions"] == 1 and body["overdue_corrective_actions"] == 1
    group = body["asset_groups"][0]
    assert group["information_assets"] == 2 and group["total"]["rate"] == 33
    assert [level["level"] for level in group["levels"]] == [1, 2, 3]
    assert {row["unit"] for row in body["units"]} == {
        org_tree["network"].pk, org_tree["helpdesk"].pk,
    }  # fmt: skip
    assert api.get("/api/v1/bgys/soa/compliance/", {"framework": 999999}).status_code == 404
    outsider = APIClient()
    outsider.force_authenticate(make_user(None, org_tree["network"]))
    response = outsider.get("/api/v1/bgys/soa/compliance/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
