"""Policies and their acknowledgement: a version written, approved and published to its
audience (units with sub-units, role holders, or all staff), the version before superseded,
each member of staff's "read and accepted" on the reading page, newcomers asked, reminders;
the compliance per unit and its CSV for Turkish Excel; who may do what; the API; lists with a
constant number of queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from biys.accounts.models import Role
from biys.acknowledgements.models import Acknowledgement
from biys.acknowledgements.services import acknowledge
from biys.bgys import policy_selectors
from biys.bgys import policy_services as services
from biys.bgys.models import Policy, PolicyVersion, VersionState
from biys.bgys.tests.factories import make_policy, make_policy_version
from biys.notifications.models import Notification
from biys.org.models import Person

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def published(manager, policy, text="Metin", today=MONDAY) -> PolicyVersion:
    version = services.save_version(version=PolicyVersion(policy=policy, text=text), user=manager)
    version = services.approve_version(version=version, user=manager)
    return services.publish_version(version=version, user=manager, today=today)


def test_a_version_is_approved_published_and_acknowledged(manager, make_user, org_tree):
    reader = make_user(None, org_tree["helpdesk"])  # a sub-unit of the audience unit
    outsider = make_user(None, org_tree["roads"])
    policy = services.save_policy(
        policy=Policy(unit=org_tree["network"], code=" BGYS-POL-01 ", title="Parola politikası"),
        user=manager,
        audience_units=[org_tree["network"]],
    )
    assert policy.code == "BGYS-POL-01"
    draft = services.save_version(
        version=PolicyVersion(policy=policy, text="Parolalar en az 12 karakterdir."), user=manager
    )
    assert draft.number == 1 and draft.state == VersionState.DRAFT
    with pytest.raises(ValidationError, match="approved"):
        services.publish_version(version=draft, user=manager)
    approved = services.approve_version(version=draft, user=manager)
    assert approved.approved_by == manager and approved.approved_at
    with pytest.raises(ValidationError, match="draft"):
        approved.text = "Değişti"
        services.save_version(version=approved, user=manager)
    version = services.publish_version(version=approved, user=manager, today=MONDAY)
    assert version.state == VersionState.PUBLISHED and version.published_on == MONDAY

    rows = Acknowledgement.objects.of(version)
    assert set(rows.values_list("person_id", flat=True)) == {reader.person_id, manager.person_id}
    assert not rows.filter(person_id=outsider.person_id).exists()
    assert rows.get(person_id=reader.person_id).due_on == datetime.date(2026, 3, 9)
    told = Notification.objects.get(recipient=reader)
    assert told.url == reverse("bgys:policy_read", args=[version.pk])

    # The next version supersedes it; the pending requests move to the new one.
    second = published(manager, policy, "Parolalar en az 14 karakterdir.", MONDAY)
    version.refresh_from_db()
    assert version.state == VersionState.SUPERSEDED and version.superseded_on == MONDAY
    assert second.number == 2
    assert not Acknowledgement.objects.of(version).exists()
    assert Acknowledgement.objects.of(second).count() == 2


def test_the_audience_by_role_or_everyone(manager, make_user, org_tree):
    team = make_user("bgys_member", org_tree["roads"])
    clerk = make_user(None, org_tree["roads"])
    by_role = make_policy(org_tree["network"])
    by_role.audience_roles.set([Role.objects.get(slug="bgys_member")])
    assert list(policy_selectors.audience(by_role)) == [team.person]
    everyone = make_policy(org_tree["network"])
    people = set(policy_selectors.audience(everyone))
    assert {team.person, clerk.person, manager.person} <= people
    Person.objects.filter(pk=clerk.person_id).update(status="left")
    assert clerk.person not in set(policy_selectors.audience(everyone))


def test_newcomers_are_asked_and_those_gone_withdrawn(manager, make_user, org_tree):
    policy = make_policy(org_tree["network"])
    policy.audience_units.set([org_tree["network"]])
    version = published(manager, policy)
    newcomer = make_user(None, org_tree["network"])
    Person.objects.filter(pk=newcomer.person_id).update(start_date=datetime.date(2026, 3, 9))
    result = services.refresh_audiences(today=MONDAY)
    assert result == {"versions": 1, "requested": 1, "withdrawn": 0}
    row = Acknowledgement.objects.of(version).get(person_id=newcomer.person_id)
    assert row.due_on == datetime.date(2026, 3, 16)  # five working days from their first day
    # Moved out of the audience's units: the pending request goes.
    Person.objects.filter(pk=newcomer.person_id).update(unit=org_tree["roads"])
    assert services.refresh_audiences(today=MONDAY)["withdrawn"] == 1


def test_who_may_write_approve_publish_and_remind(manager, member, make_user, org_tree):
    chief = make_user("chief", org_tree["network"])
    policy = make_policy(org_tree["network"])
    draft = services.save_version(version=PolicyVersion(policy=policy, text="Taslak"), user=member)
    with pytest.raises(PermissionDenied):
        services.approve_version(version=draft, user=member)
    with pytest.raises(PermissionDenied):
        services.approve_version(version=draft, user=chief)
    with pytest.raises(PermissionDenied):
        services.save_version(version=PolicyVersion(policy=policy, text="Şef"), user=chief)
    outside = make_user("bgys_manager", org_tree["roads"])
    with pytest.raises(PermissionDenied):
        services.approve_version(version=draft, user=outside)
    with pytest.raises(PermissionDenied):
        services.save_policy(
            policy=Policy(unit=org_tree["network"], code="X", title="X"), user=member
        )
    approved = services.approve_version(version=draft, user=manager)
    with pytest.raises(PermissionDenied):
        services.publish_version(version=approved, user=member)
    version = services.publish_version(version=approved, user=manager)
    with pytest.raises(PermissionDenied):
        services.remind_pending(version=version, user=chief)
    assert services.remind_pending(version=version, user=member) >= 1
    with pytest.raises(ValidationError):
        services.delete_version(version=version, user=manager)


def test_staff_read_and_accept_on_the_reading_page(client, manager, make_user, org_tree):
    reader = make_user(None, org_tree["network"])
    outsider = make_user(None, org_tree["roads"])
    policy = make_policy(org_tree["network"])
    policy.audience_units.set([org_tree["network"]])
    version = published(manager, policy, "Masaüstünde parola yazılmaz.")
    url = reverse("bgys:policy_read", args=[version.pk])

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(reader)
    page = client.get(url).content.decode()
    assert "Masaüstünde parola yazılmaz." in page and 'data-testid="ack-form"' in page
    assert str(version) in client.get(reverse("acknowledgements:mine")).content.decode()
    row = Acknowledgement.objects.of(version).get(person_id=reader.person_id)
    client.post(reverse("acknowledgements:accept", args=[row.pk]), {"accept": "yes", "next": url})
    row.refresh_from_db()
    # The statement as the reader saw it (the pages speak Turkish).
    assert row.acknowledged_by == reader and "okudum" in row.statement
    assert 'data-testid="ack-done"' in client.get(url).content.decode()
    # The manager reads it too (they may view it) without being asked.
    client.force_login(make_user("bgys_manager", org_tree["dept"]))
    assert client.get(url).status_code == 200


def test_compliance_per_unit_and_the_csv(client, manager, make_user, org_tree):
    readers = [make_user(None, org_tree[name]) for name in ("network", "helpdesk", "helpdesk")]
    policy = make_policy(org_tree["network"], code="BGYS-POL-Ş1")
    policy.audience_units.set([org_tree["network"]])
    version = published(manager, policy)
    row = Acknowledgement.objects.of(version).get(person_id=readers[1].person_id)
    acknowledge(acknowledgement=row, user=readers[1])
    client.force_login(manager)
    tab = client.get(version.get_absolute_url(), {"tab": "acknowledgements"}).content.decode()
    assert 'data-testid="ack-per-unit"' in tab and org_tree["helpdesk"].name in tab
    assert "4 kişiden 1 kişi okuyup onayladı" in tab
    overview = client.get(reverse("bgys:policy_compliance")).content.decode()
    assert str(policy) in overview

    with translation.override("tr"):
        response = client.get(reverse("bgys:policyversion_csv", args=[version.pk]))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].split(";")[0] and len(lines) == 5
    assert any(str(readers[1].person) in line and ";" in line for line in lines)

    # Someone who may not see the version gets neither the tab nor the CSV.
    client.force_login(make_user("bgys_manager", org_tree["roads"]))
    assert client.get(reverse("bgys:policyversion_csv", args=[version.pk])).status_code == 404
    client.force_login(readers[0])
    assert client.get(reverse("bgys:policy_compliance")).status_code == 403


def test_the_pages_approve_publish_and_remind(client, manager, member, org_tree):
    version = make_policy_version(org_tree["network"])
    client.force_login(member)
    page = client.get(version.get_absolute_url()).content.decode()
    assert 'data-testid="policy-approve"' not in page
    client.post(reverse("bgys:policyversion_action", args=[version.pk, "approve"]))
    version.refresh_from_db()
    assert version.state == VersionState.DRAFT
    client.force_login(manager)
    assert 'data-testid="policy-approve"' in client.get(version.get_absolute_url()).content.decode()
    for step in ("approve", "publish", "remind"):
        response = client.post(reverse("bgys:policyversion_action", args=[version.pk, step]))
        assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == VersionState.PUBLISHED
    # A refused step is a message, not an error page.
    response = client.post(
        reverse("bgys:policyversion_action", args=[version.pk, "approve"]), follow=True
    )
    assert response.status_code == 200 and "Yalnızca taslak onaylanır." in response.content.decode()


def test_the_api(manager, member, org_tree):
    api = api_client(manager)
    answer = api.post(
        "/api/v1/bgys/policies/",
        {"unit": org_tree["network"].pk, "code": "BGYS-PR-02", "title": "Yedekleme prosedürü",
         "kind": "procedure", "audience_units": [org_tree["network"].pk]},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    policy = answer.json()["id"]
    bad = api.post("/api/v1/bgys/policies/", {"unit": org_tree["network"].pk, "code": "X",
                                              "title": "X", "ack_working_days": 0}, format="json")  # fmt: skip
    assert bad.status_code == 400
    version = api_client(member).post(
        "/api/v1/bgys/policy-versions/", {"policy": policy, "text": "Günlük yedek alınır."},
        format="json",
    )  # fmt: skip
    assert version.status_code == 201 and version.json()["number"] == 1
    pk = version.json()["id"]
    assert api_client(member).post(f"/api/v1/bgys/policy-versions/{pk}/approve/").status_code == 403
    refused = api.post(f"/api/v1/bgys/policy-versions/{pk}/publish/")
    assert refused.status_code == 400
    assert api.post(f"/api/v1/bgys/policy-versions/{pk}/approve/").json()["state"] == "approved"
    assert api.post(f"/api/v1/bgys/policy-versions/{pk}/publish/").json()["state"] == "published"
    summary = api.get(f"/api/v1/bgys/policy-versions/{pk}/acknowledgements/").json()
    assert summary["total"] == 2 and summary["done"] == 0
    assert {row["unit"] for row in summary["units"]} == {org_tree["network"].pk}
    assert api.post(f"/api/v1/bgys/policy-versions/{pk}/remind/").json() == {"reminded": 2}


def test_lists_read_a_constant_number_of_queries(client, manager, org_tree):
    client.force_login(manager)
    api = api_client(manager)
    urls = [reverse("bgys:policy_list"), reverse("bgys:policyversion_list"),
            reverse("bgys:policy_compliance")]  # fmt: skip
    api_urls = ["/api/v1/bgys/policies/", "/api/v1/bgys/policy-versions/"]

    def add():
        policy = make_policy(org_tree["network"])
        policy.audience_units.set([org_tree["network"]])
        return published(manager, policy)

    def counts(version):
        result = []
        tab = version.get_absolute_url() + "?tab=acknowledgements"
        for url in [*urls, tab]:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            result.append(len(queries))
        for url in api_urls:
            with CaptureQueriesContext(connection) as queries:
                assert api.get(url).status_code == 200, url
            result.append(len(queries))
        return result

    version = add()
    counts(version)
    few = counts(version)
    for _ in range(4):
        add()
    assert counts(version) == few
