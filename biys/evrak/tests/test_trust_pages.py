"""The trust store's revocation lists (CRLs) on their own pages and in the API, for the
administrator (the CRL permissions over the whole municipality) and nobody else: the list with
its current/stale badge, the detail, a file uploaded for an authority (refused, with the reason
at the file and nothing saved, unless that authority's key signed it), *fetch now* from the
authority's address (a local HTTP server; a failure shown, kept on the CRL, never a 500), the
address changed (http or https only), deleted; the trust store's pages link to them."""

# ruff: noqa: F811  (the distribution point fixture is imported, then requested)
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.core.models import ObjectChange
from biys.evrak import revocation, signing
from biys.evrak.models import RevocationList
from biys.evrak.tests.signer import ThrowawayAuthority
from biys.evrak.tests.test_revocation import distribution_point  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.BIYS_EVRAK_CRL_FETCH = False


def everywhere(make_user, org_tree, role="administrator"):
    """A user holding ``role`` over every top unit: the whole municipality."""
    from biys.accounts.models import Role, RoleAssignment

    user = make_user(role, org_tree["dept"])
    RoleAssignment.objects.create(
        user=user, role=Role.objects.get(slug=role), unit=org_tree["roads"], include_subtree=True
    )
    return user


@pytest.fixture
def people(make_user, org_tree):
    return {
        "admin": everywhere(make_user, org_tree),
        "head": make_user("department_head", org_tree["dept"]),
        "writer": make_user("evrak_writer", org_tree["network"]),
    }


@pytest.fixture
def root():
    authority = ThrowawayAuthority("Test Kök SM")
    trusted = signing.add_trusted_certificate(user=None, data=authority.pem())
    return authority, trusted


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_services_check_the_authority_the_permission_and_the_address(people, root):
    authority, trusted = root
    other = ThrowawayAuthority("Başka Kök")
    signing.add_trusted_certificate(user=None, data=other.pem())
    admin = people["admin"]
    # Signed by another authority of the trust store: refused at the file, nothing saved.
    with pytest.raises(ValidationError) as refused:
        revocation.upload_revocation_list(user=admin, authority=trusted, data=other.crl())
    assert "not signed by the key of CN=Test Kök SM" in str(refused.value.message_dict["crl"])
    with pytest.raises(ValidationError, match="not a certificate revocation list"):
        revocation.upload_revocation_list(user=admin, authority=trusted, data=b"junk")
    with pytest.raises(ValidationError, match="http"):
        revocation.upload_revocation_list(
            user=admin, authority=trusted, data=authority.crl(), url="file:///etc/passwd"
        )
    assert not RevocationList.objects.exists()
    # A department head holds the permission over one department only: refused.
    for user in (people["head"], people["writer"]):
        with pytest.raises(PermissionDenied):
            revocation.upload_revocation_list(user=user, authority=trusted, data=authority.crl())
    issued = datetime.now(UTC) - timedelta(hours=1)  # the same CRL again below: same time
    item = revocation.upload_revocation_list(
        user=admin, authority=trusted, data=authority.crl(encoding="der", this_update=issued)
    )
    assert item.authority == trusted and item.crl_number == "1"
    assert ObjectChange.objects.filter(object_repr=str(item), action="create").exists()
    # Not newer: refused as such; newer: replaces it.
    with pytest.raises(ValidationError, match="as new or newer"):
        revocation.upload_revocation_list(
            user=admin, authority=trusted, data=authority.crl(this_update=issued)
        )
    newer = revocation.upload_revocation_list(
        user=admin,
        authority=trusted,
        data=authority.crl(number=2, this_update=datetime.now(UTC)),
    )
    assert newer.pk == item.pk and newer.crl_number == "2"
    with pytest.raises(ValidationError):
        revocation.set_revocation_list_url(user=admin, revocation_list=item, url="ftp://x/y.crl")
    with pytest.raises(PermissionDenied):
        revocation.set_revocation_list_url(user=people["head"], revocation_list=item, url="")
    with pytest.raises(PermissionDenied):
        revocation.delete_revocation_list(user=people["head"], revocation_list=item)
    revocation.delete_revocation_list(user=admin, revocation_list=item)
    assert not RevocationList.objects.exists()


def test_the_pages(people, root):
    authority, trusted = root
    admin = client_for(people["admin"])
    add = reverse("evrak:revocationlist_add")
    # The trust store's page of an authority without a CRL offers to load one.
    page = admin.get(trusted.get_absolute_url() + "?tab=crl").content.decode()
    assert f"{add}?authority={trusted.pk}" in page
    form = admin.get(f"{add}?authority={trusted.pk}")
    assert form.status_code == 200 and f'value="{trusted.pk}" selected' in form.content.decode()
    # Another authority's CRL: the reason at the file field, a 400, nothing saved.
    wrong = SimpleUploadedFile("x.crl", ThrowawayAuthority("Sahte").crl())
    response = admin.post(add, {"authority": trusted.pk, "upload": wrong, "url": ""})
    assert response.status_code == 400
    assert "not signed by the key of CN=Test Kök SM" in str(
        response.context["form"].errors["upload"]
    )
    assert not RevocationList.objects.exists()
    stale = authority.crl(
        this_update=datetime.now(UTC) - timedelta(days=10),
        next_update=datetime.now(UTC) - timedelta(days=3),
    )
    response = admin.post(
        add, {"authority": trusted.pk, "upload": SimpleUploadedFile("k.crl", stale), "url": ""}
    )
    item = RevocationList.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    # The list and the detail say it is stale; the trust store's list links it.
    listed = admin.get(reverse("evrak:revocationlist_list")).content.decode()
    assert item.get_absolute_url() in listed and "stale" in listed
    detail = admin.get(item.get_absolute_url()).content.decode()
    assert 'data-crl-current="no"' in detail and 'id="crl-fetch"' in detail
    trust = admin.get(reverse("evrak:trustedcertificate_list")).content.decode()
    assert item.get_absolute_url() in trust
    # A newer one: current.
    fresh = authority.crl(number=2, this_update=datetime.now(UTC))
    admin.post(
        add, {"authority": trusted.pk, "upload": SimpleUploadedFile("k.crl", fresh), "url": ""}
    )
    detail = admin.get(item.get_absolute_url()).content.decode()
    assert 'data-crl-current="yes"' in detail
    # The address: http or https only.
    edit = reverse("evrak:revocationlist_edit", kwargs={"pk": item.pk})
    assert admin.post(edit, {"url": "file:///etc/passwd"}).status_code == 400
    assert admin.post(edit, {"url": "http://crl.example/kok.crl"}).status_code == 302
    item.refresh_from_db()
    assert item.url == "http://crl.example/kok.crl"
    # Everyone reads it; a department head changes nothing (the store is the municipality's).
    head = client_for(people["head"])
    detail = head.get(item.get_absolute_url()).content.decode()
    assert 'id="crl-fetch"' not in detail and edit not in detail
    assert head.get(add).status_code == 403
    assert (
        head.post(reverse("evrak:revocationlist_fetch", kwargs={"pk": item.pk})).status_code == 403
    )
    delete = reverse("evrak:revocationlist_delete", kwargs={"pk": item.pk})
    assert head.post(delete).status_code in (403, 404)
    assert admin.post(delete).status_code == 302
    assert not RevocationList.objects.exists()


def test_fetch_now(people, root, distribution_point):
    authority, trusted = root
    base, files, _handler = distribution_point
    admin = client_for(people["admin"])
    issued = datetime.now(UTC) - timedelta(hours=1)  # the same CRL again below: same time
    item = revocation.upload_revocation_list(
        user=people["admin"],
        authority=trusted,
        data=authority.crl(this_update=issued),
        url=f"{base}/kok.crl",
    )
    fetch = reverse("evrak:revocationlist_fetch", kwargs={"pk": item.pk})
    # The server answers 404: the reason shown and kept, the CRL kept.
    response = admin.post(fetch, follow=True)
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert any("could not be fetched" in text and "404" in text for text in shown), shown
    item.refresh_from_db()
    assert "404" in item.last_error and item.crl_number == "1"
    # Nothing newer published, then a newer CRL: loaded, the error cleared.
    files["/kok.crl"] = authority.crl(this_update=issued)
    shown = [str(m) for m in admin.post(fetch, follow=True).context["messages"]]
    assert any("no newer" in text for text in shown), shown
    files["/kok.crl"] = authority.crl(number=3, this_update=datetime.now(UTC), encoding="der")
    shown = [str(m) for m in admin.post(fetch, follow=True).context["messages"]]
    assert any("newer revocation list was loaded" in text for text in shown), shown
    item.refresh_from_db()
    assert item.crl_number == "3" and not item.last_error
    # The API: a failure is a 409 problem with the reason.
    api = APIClient()
    api.force_authenticate(people["admin"])
    url = f"/api/v1/evrak/revocation-lists/{item.pk}/fetch/"
    answer = api.post(url)
    assert answer.status_code == 200 and answer.json()["loaded"] is False
    files.clear()
    answer = api.post(url)
    assert answer.status_code == 409
    assert answer["Content-Type"].startswith("application/problem+json")
    assert "404" in answer.json()["detail"]


def test_the_api(people, root):
    authority, trusted = root
    api = APIClient()
    api.force_authenticate(people["admin"])
    upload = "/api/v1/evrak/revocation-lists/upload/"
    wrong = SimpleUploadedFile("x.crl", ThrowawayAuthority("Sahte").crl())
    answer = api.post(upload, {"authority": trusted.pk, "file": wrong}, format="multipart")
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/problem+json")
    assert "file" in answer.json()["errors"]
    assert not RevocationList.objects.exists()
    good = SimpleUploadedFile("k.crl", authority.crl(encoding="der"))
    answer = api.post(upload, {"authority": trusted.pk, "file": good}, format="multipart")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["authority"] == trusted.pk and body["current"] is True
    listed = api.get("/api/v1/evrak/revocation-lists/").json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    # Read by every staff member; uploaded and deleted by the administrator only.
    head = APIClient()
    head.force_authenticate(people["head"])
    assert head.get(f"/api/v1/evrak/revocation-lists/{body['id']}/").status_code == 200
    again = SimpleUploadedFile("k.crl", authority.crl(number=2, this_update=datetime.now(UTC)))
    refused = head.post(upload, {"authority": trusted.pk, "file": again}, format="multipart")
    assert refused.status_code == 403
    assert head.delete(f"/api/v1/evrak/revocation-lists/{body['id']}/").status_code == 403
    assert api.delete(f"/api/v1/evrak/revocation-lists/{body['id']}/").status_code == 204
    assert not RevocationList.objects.exists()
