"""Gizli and Çok Gizli documents (ankara 8 (2) a): read only by the people named on them and
those they are granted to explicitly, never through a unit-wide role, which lists their
register row as "Gizli" with no subject, sender or files; every view of one is logged."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from biys.attachments.services import store_attachment
from biys.evrak import selectors, services
from biys.evrak.choices import Confidentiality
from biys.evrak.models import ConfidentialGrant, ConfidentialView
from biys.evrak.tests.factories import make_document, make_outgoing, make_scan_text

SUBJECT = "Personel soruşturması hakkında gizli yazı"
SENDER = "Mülkiye Müfettişliği Başkanlığı"


@pytest.fixture
def secret(org_tree, clerk):
    return make_document(
        org_tree["network"],
        confidentiality=Confidentiality.SECRET,
        subject=SUBJECT,
        sender_name=SENDER,
        named_readers=[clerk],
    )


@pytest.fixture
def manager(make_user, org_tree):
    """The unit's manager (department head over the unit), not named on the document."""
    return make_user("department_head", org_tree["network"])


@pytest.fixture
def unit_clerk(make_user, org_tree):
    """A registry clerk of the unit who is not a recipient."""
    return make_user("evrak_clerk", org_tree["network"])


@pytest.fixture
def colleague(make_user, org_tree):
    return make_user("requester", org_tree["software"])


def page(user):
    client = Client()
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def views_of(document):
    return ConfidentialView.objects.filter(incoming=document)


# --------------------------------------------------------------------------- masked rows


@pytest.mark.parametrize("who", ["manager", "unit_clerk"])
def test_a_unit_wide_role_sees_only_a_gizli_row(request, who, secret):
    user = request.getfixturevalue(who)
    scan = make_scan_text(secret.receiving_unit, document=secret, text="soruşturma dosyası")
    client = page(user)

    listing = client.get(reverse("evrak:incomingdocument_list")).content.decode()
    assert secret.number in listing and "Gizli" in listing
    assert SUBJECT not in listing and SENDER not in listing

    detail = client.get(secret.get_absolute_url())
    text = detail.content.decode()
    assert detail.status_code == 200
    assert 'id="masked-document"' in text and secret.number in text
    assert SUBJECT not in text and SENDER not in text
    assert scan.attachment.filename not in text and "soruşturma dosyası" not in text

    exported = client.get(reverse("evrak:incomingdocument_list") + "?export=csv")
    content = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert secret.number in content and SUBJECT not in content and SENDER not in content

    # the search box and any filter on hidden fields leave the masked row out
    for query in ("soruşturma", SENDER.split()[0], secret.number):
        found = client.get(reverse("evrak:incomingdocument_list"), {"q": query})
        assert SUBJECT not in found.content.decode()
    assert (
        secret.number
        not in client.get(
            reverse("evrak:incomingdocument_list"), {"q": "soruşturma"}
        ).content.decode()
    )
    found = client.get(reverse("core:search"), {"q": "soruşturması"}).content.decode()
    assert SUBJECT not in found and secret.number not in found

    rest = api(user)
    rows = rest.get("/api/v1/evrak/incoming/").json()["results"]
    row = next(row for row in rows if row["id"] == secret.pk)
    assert row["masked"] is True and row["subject"] == "Gizli"
    assert row["sender_name"] == "" and row["scans"] == [] and row["package"] is None
    body = rest.get(f"/api/v1/evrak/incoming/{secret.pk}/")
    assert body.status_code == 200 and body.json()["masked"] is True
    assert SUBJECT not in body.content.decode() and SENDER not in body.content.decode()
    searched = rest.get("/api/v1/evrak/incoming/", {"q": "soruşturma"}).json()["results"]
    assert all(row["id"] != secret.pk for row in searched)

    # no file, no recognised text, no scans panel
    assert client.get(reverse("attachments:download", args=[scan.attachment.pk])).status_code == 404
    assert rest.get(f"/api/v1/evrak/scans/{scan.pk}/").status_code == 404
    assert client.get(reverse("evrak:scans", args=[secret.pk])).status_code == 404
    assert rest.get(f"/api/v1/attachments/{scan.attachment.pk}/download/").status_code == 404
    # and masked views are not views of the document
    assert not views_of(secret).exists()


def test_outside_the_unit_nothing_at_all(secret, make_user, org_tree):
    stranger = make_user("department_head", org_tree["roads"])
    assert (
        secret.number
        not in page(stranger).get(reverse("evrak:incomingdocument_list")).content.decode()
    )
    assert page(stranger).get(secret.get_absolute_url()).status_code == 404
    assert api(stranger).get(f"/api/v1/evrak/incoming/{secret.pk}/").status_code == 404


def test_the_named_reader_reads_it_whole(secret, clerk):
    text = page(clerk).get(secret.get_absolute_url()).content.decode()
    assert SUBJECT in text and 'id="confidential-access"' in text
    rows = api(clerk).get("/api/v1/evrak/incoming/").json()["results"]
    row = next(row for row in rows if row["id"] == secret.pk)
    assert row["masked"] is False and row["subject"] == SUBJECT


# --------------------------------------------------------------------------- grants


def test_a_grant_gives_access_and_a_revocation_takes_it_back(secret, clerk, manager, colleague):
    assert not selectors.documents_visible_to(colleague).filter(pk=secret.pk).exists()
    grant = services.grant_access(
        user=clerk, document=secret, person=colleague, reason="Soruşturma komisyonu üyesi"
    )
    assert (grant.granted_by, grant.unit_id) == (clerk, secret.receiving_unit_id)
    assert selectors.documents_visible_to(colleague).filter(pk=secret.pk).exists()
    assert SUBJECT in page(colleague).get(secret.get_absolute_url()).content.decode()
    body = api(colleague).get(f"/api/v1/evrak/incoming/{secret.pk}/").json()
    assert body["subject"] == SUBJECT and body["masked"] is False
    # a grant is read, not change: the grantee may not grant on
    assert not services.may_grant(colleague, secret)
    with pytest.raises(PermissionDenied):
        services.grant_access(user=colleague, document=secret, person=manager, reason="x")
    # the unit's manager is not named: no grants from a unit-wide role either
    with pytest.raises(PermissionDenied):
        services.grant_access(user=manager, document=secret, person=manager, reason="x")
    with pytest.raises(ValidationError):
        services.grant_access(user=clerk, document=secret, person=colleague, reason="again")

    services.revoke_access(user=clerk, grant=grant, reason="Komisyon görevi bitti")
    grant.refresh_from_db()
    assert grant.revoked_at and grant.revoked_by == clerk
    assert not selectors.documents_visible_to(colleague).filter(pk=secret.pk).exists()
    assert page(colleague).get(secret.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError):
        services.revoke_access(user=clerk, grant=grant)
    # the change log holds both
    from django.contrib.contenttypes.models import ContentType

    from biys.core.models import ObjectChange

    changes = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(ConfidentialGrant), object_id=str(grant.pk)
    )
    assert changes.count() == 2


def test_a_grant_needs_a_reason_and_a_confidential_document(secret, clerk, colleague, org_tree):
    with pytest.raises(ValidationError) as error:
        services.grant_access(user=None, document=secret, person=colleague, reason=" ")
    assert "reason" in error.value.message_dict
    plain = make_document(org_tree["network"])
    assert not services.may_grant(clerk, plain)


def test_grants_through_the_page_and_the_api(secret, clerk, colleague, manager):
    client = page(clerk)
    url = reverse("evrak:incoming_grant", args=[secret.pk])
    response = client.post(url, {"user": colleague.pk, "reason": "Bilgi için"})
    assert response.status_code == 302
    grant = ConfidentialGrant.objects.get(incoming=secret, user=colleague)
    client.post(url, {"grant": grant.pk, "reason": "Gerek kalmadı"})
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert page(manager).post(url, {"user": manager.pk, "reason": "x"}).status_code == 404

    rest = api(clerk)
    created = rest.post(
        f"/api/v1/evrak/incoming/{secret.pk}/grant/", {"user": colleague.pk, "reason": "API"}
    )
    assert created.status_code == 201, created.content
    listed = rest.get(f"/api/v1/evrak/incoming/{secret.pk}/grants/").json()
    assert len(listed) == 2
    revoked = rest.post(
        f"/api/v1/evrak/incoming/{secret.pk}/revoke-grant/",
        {"grant": created.json()["id"], "reason": "Bitti"},
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    refused = api(manager).post(
        f"/api/v1/evrak/incoming/{secret.pk}/grant/", {"user": manager.pk, "reason": "x"}
    )
    assert refused.status_code == 404  # a masked row is not a document to act on


def test_an_outgoing_confidential_document_is_granted_too(org_tree, make_user, colleague):
    writer = make_user("evrak_writer", org_tree["network"])
    other_writer = make_user("evrak_writer", org_tree["network"])
    document = make_outgoing(
        org_tree["network"], confidentiality=Confidentiality.SECRET, created_by=writer
    )
    assert not selectors.outgoing_visible_to(other_writer).filter(pk=document.pk).exists()
    services.grant_access(user=writer, document=document, person=colleague, reason="Görüş")
    assert selectors.outgoing_visible_to(colleague).filter(pk=document.pk).exists()
    page(colleague).get(document.get_absolute_url())
    api(colleague).get(f"/api/v1/evrak/outgoing/{document.pk}/")
    kinds = list(ConfidentialView.objects.filter(outgoing=document).values_list("what", flat=True))
    assert sorted(kinds) == ["api", "page"]


# --------------------------------------------------------------------------- the view log


def test_each_view_adds_exactly_one_log_row(secret, clerk, colleague):
    services.grant_access(user=clerk, document=secret, person=colleague, reason="Bilgi")
    scan = make_scan_text(secret.receiving_unit, document=secret)
    png = io.BytesIO()
    Image.new("L", (4, 4), 0).save(png, format="PNG")
    attachment = store_attachment(
        obj=secret, uploaded_file=ContentFile(png.getvalue(), name="e.png")
    )
    client, rest = page(colleague), api(colleague)
    steps = [
        (lambda: client.get(secret.get_absolute_url()), "page", ""),
        (lambda: rest.get(f"/api/v1/evrak/incoming/{secret.pk}/"), "api", ""),
        (
            lambda: client.get(reverse("attachments:download", args=[attachment.pk])),
            "file",
            "e.png",
        ),
        (
            lambda: rest.get(f"/api/v1/attachments/{attachment.pk}/download/"),
            "file",
            "e.png",
        ),
        (lambda: rest.get(f"/api/v1/evrak/scans/{scan.pk}/"), "scan_text", "tarama.png"),
        (lambda: client.get(reverse("evrak:scans", args=[secret.pk])), "scan_text", ""),
    ]
    for call, what, detail in steps:
        before = views_of(secret).count()
        response = call()
        assert response.status_code == 200, (what, response.status_code)
        assert views_of(secret).count() == before + 1, what
        entry = views_of(secret).first()
        assert (entry.user, entry.what, entry.detail) == (colleague, what, detail)
    # an ordinary document is not logged
    plain = make_document(secret.receiving_unit)
    page(clerk).get(plain.get_absolute_url())
    assert not ConfidentialView.objects.filter(incoming=plain).exists()


def test_the_view_log_is_for_the_department_head_and_the_auditor(
    secret, clerk, manager, unit_clerk, make_user, org_tree
):
    page(clerk).get(secret.get_absolute_url())
    url = reverse("evrak:views", args=[secret.pk])
    auditor = make_user("auditor", org_tree["network"])
    for user in (manager, auditor):
        response = page(user).get(url)
        text = response.content.decode()
        assert response.status_code == 200 and 'id="view-log"' in text
        assert str(clerk) in text and SUBJECT not in text  # they do not read the document
        rows = api(user).get(f"/api/v1/evrak/incoming/{secret.pk}/view-log/").json()
        assert [row["what"] for row in rows] == ["page"]
    # the masked page offers it to them
    assert url in page(manager).get(secret.get_absolute_url()).content.decode()
    # the named clerk reads the document but not its log; the unit's clerk neither
    assert page(clerk).get(url).status_code == 403
    assert page(unit_clerk).get(url).status_code == 404
    assert api(unit_clerk).get(f"/api/v1/evrak/incoming/{secret.pk}/view-log/").status_code == 404
    outsider = make_user("auditor", org_tree["roads"])
    assert page(outsider).get(url).status_code == 404
    plain = make_document(org_tree["network"])  # not logged: an empty log
    plain_log = page(manager).get(reverse("evrak:views", args=[plain.pk]))
    assert plain_log.status_code == 200 and "data-view=" not in plain_log.content.decode()
