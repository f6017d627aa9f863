"""Records that belong to one user, not to a unit: a notification is its recipient's alone, an
acknowledgement ("read and accepted") its person's alone, whatever roles anyone else holds.

Every role, inside and outside the owner's unit (inside only on PostgreSQL: see placements),
is refused the owner's records (404: another's record is never confirmed to exist) and its
"mark everything read" marks only its own; the owner reads and acts on theirs.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from biys.acknowledgements import services as acknowledgements
from biys.acknowledgements.models import Acknowledgement
from biys.notifications.models import Notification
from biys.notifications.services import notify
from tests.permissions.matrix import ROLE_SPECS, placements, rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(org_tree, make_user):
    """The owner (a requester of the network unit), one notification and one acknowledgement
    of theirs."""
    owner = make_user("requester", org_tree["network"])
    notification = notify(recipients=[owner], title="Talebiniz çözüldü", url="/", email=False)[0]
    acknowledgements.request_acknowledgements(
        target=org_tree["network"],
        people=type(owner.person).objects.filter(pk=owner.person_id),
        notify=False,
    )
    acknowledgement = Acknowledgement.objects.get(person=owner.person)
    return owner, notification, acknowledgement


def _state(notification, acknowledgement):
    return (
        Notification.objects.get(pk=notification.pk).read_at,
        Acknowledgement.objects.get(pk=acknowledgement.pk).acknowledged_at,
    )


PAGE = "multipart"  # a page's form (the API client sends JSON by default)


def _ids(payload) -> set:
    rows = payload["results"] if isinstance(payload, dict) and "results" in payload else payload
    return {row.get("id") for row in rows}


def _attempts(client, notification, acknowledgement) -> dict:
    n, a = {"pk": notification.pk}, {"pk": acknowledgement.pk}
    return {
        "notification-list shows it": notification.pk
        in _ids(client.get(reverse("notification-list")).json()),
        "notification-detail": client.get(reverse("notification-detail", kwargs=n)).status_code,
        "notification-read": rolled_back(
            lambda: client.post(reverse("notification-read", kwargs=n), format="json")
        ).status_code,
        "notifications:mark_read": rolled_back(
            lambda: client.post(reverse("notifications:mark_read", kwargs=n))
        ).status_code,
        "notifications:open": rolled_back(
            lambda: client.get(reverse("notifications:open", kwargs=n))
        ).status_code,
        "acknowledgement-list shows it": acknowledgement.pk
        in _ids(client.get(reverse("acknowledgement-list")).json()),
        "acknowledgement-detail": client.get(
            reverse("acknowledgement-detail", kwargs=a)
        ).status_code,
        "acknowledgement-accept": rolled_back(
            lambda: client.post(
                reverse("acknowledgement-accept", kwargs=a), {"statement": ""}, format="json"
            )
        ).status_code,
        "acknowledgements:accept": rolled_back(
            lambda: client.post(
                reverse("acknowledgements:accept", kwargs=a), {"accept": "yes"}, format=PAGE
            )
        ).status_code,
    }


def test_no_role_reaches_anothers_notifications_or_acknowledgements(owned, org_tree, make_user):
    _owner, notification, acknowledgement = owned
    before = _state(notification, acknowledgement)
    refused = {
        "notification-list shows it": False,
        "notification-detail": 404,
        "notification-read": 404,
        "notifications:mark_read": 404,
        "notifications:open": 404,
        "acknowledgement-list shows it": False,
        "acknowledgement-detail": 404,
        "acknowledgement-accept": 404,
        "acknowledgements:accept": 404,
    }
    failures = []
    for role in ROLE_SPECS:
        for inside, unit in placements(org_tree):
            client = APIClient()
            client.force_login(make_user(role, unit))
            where = f"{role} {'inside' if inside else 'outside'}"
            got = _attempts(client, notification, acknowledgement)
            failures += [
                f"{where}: {what} -> {got[what]}, expected {refused[what]}"
                for what in refused
                if got[what] != refused[what]
            ]
            # Marking everything read marks the user's own only (kept, not rolled back).
            assert client.post(reverse("notification-read-all")).json() == {"marked": 0}, where
            assert client.post(reverse("notifications:mark_all_read")).status_code == 302, where
            assert _state(notification, acknowledgement) == before, where
    assert not failures, "\n".join(failures)


def test_the_owner_reads_and_acts_on_theirs(owned):
    owner, notification, acknowledgement = owned
    client = APIClient()
    client.force_login(owner)
    assert _attempts(client, notification, acknowledgement) == {
        "notification-list shows it": True,
        "notification-detail": 200,
        "notification-read": 200,
        "notifications:mark_read": 302,
        "notifications:open": 302,
        "acknowledgement-list shows it": True,
        "acknowledgement-detail": 200,
        "acknowledgement-accept": 200,
        "acknowledgements:accept": 302,
    }
    assert client.post(reverse("notification-read-all")).json() == {"marked": 1}
    accept = reverse("acknowledgements:accept", kwargs={"pk": acknowledgement.pk})
    assert client.post(accept, {"accept": "yes"}, format=PAGE).status_code == 302
    read_at, acknowledged_at = _state(notification, acknowledgement)
    assert read_at is not None and acknowledged_at is not None
