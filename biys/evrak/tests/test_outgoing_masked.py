"""The outgoing register masks a Gizli or Çok Gizli document as the incoming one does: a
unit-wide role (a department head, a writer of the unit) lists it as a "Gizli" row with its
number, state, unit and marking, never its subject, text or signer, in the list, its export, its
page and the API; the author, the signer, the people on its path and grant holders read it."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.evrak import services
from biys.evrak.choices import Confidentiality
from biys.evrak.models import ConfidentialView
from biys.evrak.tests.factories import make_outgoing

SUBJECT = "Disiplin soruşturması raporunun gönderilmesi hk."
BODY = "Soruşturma raporu ekte sunulmuştur."


@pytest.fixture
def writer(make_user, org_tree):
    return make_user("evrak_writer", org_tree["network"])


@pytest.fixture
def secret(org_tree, writer):
    return make_outgoing(
        org_tree["network"],
        confidentiality=Confidentiality.SECRET,
        subject=SUBJECT,
        body=BODY,
        created_by=writer,
    )


@pytest.fixture
def manager(make_user, org_tree):
    return make_user("department_head", org_tree["dept"])


def page(user):
    client = Client()
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("who", ["manager", "other_writer"])
def test_a_unit_wide_role_lists_a_gizli_row(request, who, secret, make_user, org_tree):
    user = (
        make_user("evrak_writer", org_tree["network"])
        if who == "other_writer"
        else request.getfixturevalue(who)
    )
    client = page(user)
    listing = client.get(reverse("evrak:outgoingdocument_list")).content.decode()
    assert "Gizli" in listing and SUBJECT not in listing
    assert secret.get_absolute_url() in listing

    detail = client.get(secret.get_absolute_url())
    text = detail.content.decode()
    assert detail.status_code == 200 and 'id="masked-document"' in text
    assert SUBJECT not in text and BODY not in text

    exported = client.get(reverse("evrak:outgoingdocument_list"), {"export": "csv"})
    content = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert "Gizli" in content and SUBJECT not in content

    # a search on the hidden fields leaves the masked row out
    found = client.get(reverse("evrak:outgoingdocument_list"), {"q": "soruşturma"})
    assert secret.get_absolute_url() not in found.content.decode()

    rest = api(user)
    rows = rest.get("/api/v1/evrak/outgoing/").json()["results"]
    row = next(row for row in rows if row["id"] == secret.pk)
    assert row["masked"] is True and row["subject"] == "Gizli"
    assert row["body"] == "" and row["distribution"] == [] and row["signer"] is None
    body = rest.get(f"/api/v1/evrak/outgoing/{secret.pk}/")
    assert body.status_code == 200 and body.json()["masked"] is True
    assert SUBJECT not in body.content.decode() and BODY not in body.content.decode()
    searched = rest.get("/api/v1/evrak/outgoing/", {"q": "soruşturma"}).json()["results"]
    assert all(row["id"] != secret.pk for row in searched)

    # nothing to act on, no file, and a masked row is no view of the document
    assert rest.patch(f"/api/v1/evrak/outgoing/{secret.pk}/", {"subject": "x"}).status_code in (
        403,
        404,
    )
    assert client.get(reverse("evrak:outgoing_pdf", args=[secret.pk])).status_code == 404
    assert not ConfidentialView.objects.filter(outgoing=secret).exists()


def test_outside_the_unit_nothing_at_all(secret, make_user, org_tree):
    stranger = make_user("department_head", org_tree["roads"])
    listing = page(stranger).get(reverse("evrak:outgoingdocument_list")).content.decode()
    assert secret.get_absolute_url() not in listing
    assert page(stranger).get(secret.get_absolute_url()).status_code == 404
    assert api(stranger).get(f"/api/v1/evrak/outgoing/{secret.pk}/").status_code == 404


def test_the_author_and_a_grant_holder_read_it_whole(secret, writer, manager):
    assert SUBJECT in page(writer).get(secret.get_absolute_url()).content.decode()
    services.grant_access(user=writer, document=secret, person=manager, reason="Görüş")
    text = page(manager).get(secret.get_absolute_url()).content.decode()
    assert SUBJECT in text and 'id="masked-document"' not in text
    row = api(manager).get(f"/api/v1/evrak/outgoing/{secret.pk}/").json()
    assert row["masked"] is False and row["subject"] == SUBJECT
