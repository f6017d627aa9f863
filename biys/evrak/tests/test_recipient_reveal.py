"""A person recipient's TC kimlik number on an outgoing document is shown masked; its unmasked
view (page and API) is for holders of the incoming sender's reveal permission over the drafting
unit, and each one writes one record of the log of personal data seen: who, when, which line."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.test import APIClient

from biys.core.models import PersonalDataView
from biys.core.personal_data import subject_digest, views_of
from biys.evrak.models import DistributionLine, SigningRule
from biys.evrak.tests.test_signing_rules import VALILIK, draft, people  # noqa: F401

pytestmark = pytest.mark.django_db

TCKN = "10000000146"
PERSON = {"kind": "GRG", "name": "Ayşe Demir", "tc_kimlik_no": TCKN, "address": "Merkez"}


@pytest.fixture
def line(people, org_tree):  # noqa: F811
    SigningRule.objects.all().delete()
    document = draft(people, org_tree, None, distribution=[VALILIK, PERSON])
    return document.distribution.get(recipient_kind="person")


@pytest.fixture
def clerk(make_user, org_tree):
    return make_user("evrak_clerk", org_tree["network"])


def test_the_page_reveals_to_the_clerk_once_logged_and_refuses_the_writer(
    client,
    people,  # noqa: F811
    line,
    clerk,
):
    url = reverse("evrak:outgoing_recipient_reveal", args=[line.pk])
    client.force_login(people["writer"])
    page = client.get(line.document.get_absolute_url()).content.decode()
    assert "*********46" in page and TCKN not in page and url not in page
    refused = client.post(url)
    assert refused.status_code == 403 and TCKN not in refused.content.decode()
    assert not PersonalDataView.objects.exists()

    client.force_login(clerk)
    page = client.get(line.document.get_absolute_url()).content.decode()
    assert url in page and TCKN not in page
    shown = client.post(url)
    assert shown.status_code == 200 and TCKN in shown.content.decode()
    access = PersonalDataView.objects.get()
    assert access.user == clerk and access.time is not None
    assert access.content_type == ContentType.objects.get_for_model(DistributionLine)
    assert access.object_id == str(line.pk) and "Ayşe Demir" in access.object_repr
    assert access.subject == subject_digest(TCKN) and access.fields == "tc_kimlik_no"
    assert access.unit_id == line.document.unit_id


def test_the_api_reveals_to_the_clerk_and_refuses_the_others(
    people,  # noqa: F811
    org_tree,
    line,
    clerk,
    make_user,
):
    url = f"/api/v1/evrak/outgoing/{line.document_id}/recipients/{line.pk}/personal-data/"
    api = APIClient()
    api.force_authenticate(people["writer"])
    refused = api.post(url, {}, format="json")
    assert refused.status_code == 403 and TCKN not in refused.content.decode()
    api.force_authenticate(make_user("evrak_clerk", org_tree["software"]))  # another unit
    assert api.post(url, {}, format="json").status_code == 404
    assert not PersonalDataView.objects.exists()

    api.force_authenticate(clerk)
    other = line.document.distribution.exclude(pk=line.pk).get()
    wrong = url.replace(f"/recipients/{line.pk}/", f"/recipients/{other.pk + 1000}/")
    assert api.post(wrong, {}, format="json").status_code == 404
    response = api.post(url, {"reason": "tebligat"}, format="json")
    assert response.status_code == 200 and response.json() == {"tc_kimlik_no": TCKN}
    access = views_of(line).get()
    assert (access.user, access.reason) == (clerk, "tebligat")
    document = api.get(f"/api/v1/evrak/outgoing/{line.document_id}/").content.decode()
    assert TCKN not in document and "*********46" in document


def test_the_permission_says_what_it_reveals_and_its_grants_survive_the_rename(clerk):
    """The stored name of ``evrak.reveal_sender_data`` (written by an earlier migration as
    the incoming sender's alone) is renamed by migration 0016, in place: the same row, so the
    roles and grants that hold it keep it; its label is translated."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.utils import translation

    from biys.accounts.scope import get_scope
    from biys.accounts.selectors import permission_label

    migration = importlib.import_module("biys.evrak.migrations.0016_reveal_permission_label")
    permission = Permission.objects.get(
        content_type__app_label="evrak", codename="reveal_sender_data"
    )
    Permission.objects.filter(pk=permission.pk).update(name=migration.OLD)
    migration.forwards(apps, None)
    permission.refresh_from_db()
    assert permission.name == migration.NEW
    assert "recipient" in permission.name and "sender" in permission.name
    assert Permission.objects.filter(codename="reveal_sender_data").count() == 1
    assert get_scope(clerk).has_perm("evrak.reveal_sender_data")
    with translation.override("tr"):
        label = permission_label(permission)
    assert label != permission.name and "alıcı" in label and "gönderen" in label
    migration.backwards(apps, None)
    permission.refresh_from_db()
    assert permission.name == migration.OLD
