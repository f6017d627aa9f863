"""Idempotency-Key on creating endpoints: a retried request returns the original response and
creates nothing new; the same key with another body is a 422 problem."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from biys.attachments.models import Attachment
from biys.attachments.tests import samples
from biys.comments.models import Comment
from biys.core.api.idempotency import purge_expired
from biys.core.models import IdempotencyKey
from biys.org.models import Person, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(make_user, org_tree):
    client = APIClient()
    client.force_authenticate(make_user("administrator", org_tree["dept"]))
    return client


@pytest.fixture
def person(org_tree):
    return Person.objects.create(
        first_name="Ayşe", last_name="Kaya", employment_type="memur", unit=org_tree["network"]
    )


def test_a_retried_creation_returns_the_original_and_creates_nothing(api, org_tree):
    body = {"name": "Arşiv Şefliği", "kind": "seflik", "parent": org_tree["dept"].pk}
    first = api.post("/api/v1/org/units/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    again = api.post("/api/v1/org/units/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Unit.objects.filter(name="Arşiv Şefliği").count() == 1

    other = api.post(
        "/api/v1/org/units/", {**body, "name": "Başka"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422
    assert other["Content-Type"].startswith("application/problem+json")
    assert not Unit.objects.filter(name="Başka").exists()
    # Without the header every request creates.
    api.post("/api/v1/org/units/", {**body, "name": "Yeni"}, format="json")
    api.post("/api/v1/org/units/", {**body, "name": "Yeni"}, format="json")
    assert Unit.objects.filter(name="Yeni").count() == 2


def test_a_failed_request_stores_no_key(api, org_tree):
    bad = api.post(
        "/api/v1/org/units/", {"kind": "seflik"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()


def test_keys_belong_to_one_user_and_expire(api, make_user, org_tree):
    body = {"name": "Şeflik A", "kind": "seflik", "parent": org_tree["dept"].pk}
    api.post("/api/v1/org/units/", body, format="json", HTTP_IDEMPOTENCY_KEY="ortak")
    other = APIClient()
    other.force_authenticate(make_user("administrator", org_tree["dept"]))
    response = other.post("/api/v1/org/units/", body, format="json", HTTP_IDEMPOTENCY_KEY="ortak")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Unit.objects.filter(name="Şeflik A").count() == 2
    IdempotencyKey.objects.update(expires=timezone.now())
    assert purge_expired() == 2
    api.post("/api/v1/org/units/", body, format="json", HTTP_IDEMPOTENCY_KEY="ortak")
    assert Unit.objects.filter(name="Şeflik A").count() == 3


def test_comments_and_attachments_honour_the_key(api, person):
    comment = {"content_type": "org.person", "object_id": str(person.pk), "text": "Not"}
    for _ in range(2):
        response = api.post("/api/v1/comments/", comment, format="json", HTTP_IDEMPOTENCY_KEY="c")
        assert response.status_code == 201, response.content
    assert Comment.objects.filter(text="Not").count() == 1

    def upload(content):
        return api.post(
            "/api/v1/attachments/",
            {
                "content_type": "org.person",
                "object_id": str(person.pk),
                "file": SimpleUploadedFile("foto.png", content),
            },
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="a",
        )

    first, second = upload(samples.png()), upload(samples.png())
    assert first.status_code == second.status_code == 201, first.content
    assert first.json()["id"] == second.json()["id"]
    assert Attachment.objects.count() == 1
    assert upload(samples.png() + b"\0").status_code == 422


def test_ticket_creation_honours_the_key(org_tree, make_user):
    from biys.servicedesk.models import CatalogItem, Ticket

    item = CatalogItem.objects.create(name="Yazıcı", kind="fault", unit=org_tree["network"])
    client = APIClient()
    client.force_authenticate(make_user("requester", org_tree["roads"]))
    body = {"catalog_item": item.pk, "title": "Yazıcı çalışmıyor"}
    url = "/api/v1/servicedesk/tickets/"
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    second = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert first.status_code == second.status_code == 201, first.content
    assert first.json()["number"] == second.json()["number"]
    assert Ticket.objects.count() == 1
