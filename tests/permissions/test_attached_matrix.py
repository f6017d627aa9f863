"""Attachments and comments have no unit of their own: access follows the object they hang on.
Every role, inside and outside the network unit (inside only on PostgreSQL: see placements),
against every attachment and comment route, on two parents of that unit:

- a queue (``servicedesk.Queue``): an ordinary record of its unit, seen with
  ``servicedesk.view_queue`` there and changed with ``change_queue``;
- a person (``org.Person``): read by all staff, but their files are personal data, read only
  with ``org.view_personal_data`` over the person's unit (``attachment_view_perm``).

Reading a file or a comment needs the parent's view (and the files' own permission where the
parent names one), 404 otherwise; adding or removing a file needs the parent's change
permission (403 where the parent is seen); commenting needs ``comments.add_comment`` and the
parent's view permission over its unit; a comment is edited by its author alone and deleted by
its author or a holder of ``comments.delete_comment`` over the parent's unit. A refused write
changes nothing.
"""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from biys.attachments.models import Attachment
from biys.attachments.tests import samples
from biys.attachments.tests.factories import make_attachment
from biys.comments.models import Comment
from biys.comments.tests.factories import make_comment
from biys.core.testing import FACTORIES
from tests.permissions.matrix import (
    ROLE_SPECS,
    load_factories,
    may_change,
    may_view,
    perm,
    placements,
    rolled_back,
)

pytestmark = pytest.mark.django_db
load_factories()

PARENTS = ["servicedesk.Queue", "org.Person"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


PAGE = "multipart"  # a page's form (the API client sends JSON by default)


def _ids(payload) -> set:
    rows = payload["results"] if isinstance(payload, dict) and "results" in payload else payload
    return {row.get("id") for row in rows}


def _status(response) -> int:
    if response.streaming:
        # Read to the end: the test client then closes the file (closing the response
        # ourselves would end the request and, with it, the test's database connection).
        b"".join(response.streaming_content)
    return response.status_code


def _png(name="yeni.png"):
    return SimpleUploadedFile(name, samples.png(), content_type="image/png")


def _expected_files(model, role, inside) -> dict:
    sees_parent = may_view(model, role, inside)
    changes = may_change(model, role, inside)
    own_perm = getattr(model, "attachment_view_perm", None)
    reads = sees_parent and (own_perm is None or (inside and ROLE_SPECS[role].matches(own_perm)))
    hidden = 200 if reads else 404
    return {
        "panel": 200 if sees_parent else 404,
        "panel lists it": reads,
        "upload": (200 if changes else 403) if sees_parent else 404,
        "download": hidden,
        "delete": (200 if changes else 403) if reads else 404,
        "api list shows it": reads,
        "api detail": hidden,
        "api download": hidden,
        "api upload": (201 if changes else 403) if sees_parent else 404,
        "api delete": (204 if changes else 403) if reads else 404,
    }


def _try_files(client, parent, attachment) -> dict:
    panel_url = reverse(
        "attachments:for_object",
        kwargs={
            "content_type_id": ContentType.objects.get_for_model(parent).pk,
            "object_id": str(parent.pk),
        },
    )
    label = f"{parent._meta.app_label}.{parent._meta.model_name}"
    detail = reverse("attachment-detail", kwargs={"pk": attachment.pk})
    panel = client.get(panel_url)
    listed = client.get(reverse("attachment-list"), {"per_page": 500})
    return {
        "panel": panel.status_code,
        "panel lists it": attachment.filename in panel.content.decode(),
        "upload": rolled_back(
            lambda: client.post(panel_url, {"file": _png()}, format=PAGE)
        ).status_code,
        "download": _status(
            client.get(reverse("attachments:download", kwargs={"pk": attachment.pk}))
        ),
        "delete": rolled_back(
            lambda: client.post(reverse("attachments:delete", kwargs={"pk": attachment.pk}))
        ).status_code,
        "api list shows it": attachment.pk in _ids(listed.json()),
        "api detail": client.get(detail).status_code,
        "api download": _status(
            client.get(reverse("attachment-download", kwargs={"pk": attachment.pk}))
        ),
        "api upload": rolled_back(
            lambda: client.post(
                reverse("attachment-list"),
                {"content_type": label, "object_id": str(parent.pk), "file": _png()},
                format="multipart",
            )
        ).status_code,
        "api delete": rolled_back(lambda: client.delete(detail)).status_code,
    }


def _expected_comments(model, role, inside) -> dict:
    spec = ROLE_SPECS[role]
    sees_parent = may_view(model, role, inside)
    comments = inside and spec.matches("comments.add_comment") and spec.matches(perm(model, "view"))
    moderates = inside and spec.matches("comments.delete_comment")

    def seen(status):
        return status if sees_parent else 404

    return {
        "thread": seen(200),
        "thread shows it": sees_parent,
        "comment": seen(200 if comments else 403),
        "edit page": seen(403),  # another's comment: its author's alone
        "edit": seen(403),
        "delete": seen(200 if moderates else 403),
        "api list shows it": sees_parent,
        "api detail": seen(200),
        "api comment": seen(201 if comments else 403),
        "api edit": seen(403),
        "api delete": seen(204 if moderates else 403),
    }


def _try_comments(client, parent, comment) -> dict:
    thread_url = reverse(
        "comments:for_object",
        kwargs={
            "content_type_id": ContentType.objects.get_for_model(parent).pk,
            "object_id": str(parent.pk),
        },
    )
    label = f"{parent._meta.app_label}.{parent._meta.model_name}"
    edit_url = reverse("comments:edit", kwargs={"pk": comment.pk})
    detail = reverse("comment-detail", kwargs={"pk": comment.pk})
    thread = client.get(thread_url)
    listed = client.get(reverse("comment-list"), {"per_page": 500})
    return {
        "thread": thread.status_code,
        "thread shows it": comment.text in thread.content.decode(),
        "comment": rolled_back(
            lambda: client.post(thread_url, {"text": "Ben de baktım."}, format=PAGE)
        ).status_code,
        "edit page": client.get(edit_url).status_code,
        "edit": rolled_back(
            lambda: client.post(edit_url, {"text": "Değişti."}, format=PAGE)
        ).status_code,
        "delete": rolled_back(
            lambda: client.post(reverse("comments:delete", kwargs={"pk": comment.pk}))
        ).status_code,
        "api list shows it": comment.pk in _ids(listed.json()),
        "api detail": client.get(detail).status_code,
        "api comment": rolled_back(
            lambda: client.post(
                reverse("comment-list"),
                {"content_type": label, "object_id": str(parent.pk), "text": "Ben de baktım."},
                format="json",
            )
        ).status_code,
        "api edit": rolled_back(
            lambda: client.patch(detail, {"text": "Değişti."}, format="json")
        ).status_code,
        "api delete": rolled_back(lambda: client.delete(detail)).status_code,
    }


def _rows():
    return (
        list(Attachment.objects.values_list("pk", "filename", "description")),
        list(Comment.objects.values_list("pk", "text", "is_internal")),
    )


@pytest.mark.parametrize("label", PARENTS)
def test_attachments_and_comments_follow_their_parent(label, org_tree, make_user):
    model = apps.get_model(label)
    parent = FACTORIES[model](org_tree["network"])
    attachment = make_attachment(org_tree["network"], parent, name="gizli-belge-7319.png")
    author = make_user("chief", org_tree["network"])
    comment = make_comment(org_tree["network"], parent, text="Yorum-5521 okundu.", author=author)
    before = _rows()
    failures = []
    for role in ROLE_SPECS:
        for inside, unit in placements(org_tree):
            client = APIClient()
            client.force_login(make_user(role, unit))
            where = f"{role} {'inside' if inside else 'outside'}"
            for expected, got in (
                (_expected_files(model, role, inside), _try_files(client, parent, attachment)),
                (
                    _expected_comments(model, role, inside),
                    _try_comments(client, parent, comment),
                ),
            ):
                failures += [
                    f"{where}: {what} -> {got[what]}, expected {expected[what]}"
                    for what in expected
                    if got[what] != expected[what]
                ]
            assert _rows() == before, where  # every write was rolled back or refused
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("label", PARENTS)
def test_the_author_edits_their_comment(label, org_tree, make_user):
    parent = FACTORIES[apps.get_model(label)](org_tree["network"])
    author = make_user("technician", org_tree["network"])  # reads the queue and the person
    comment = make_comment(org_tree["network"], parent, text="İlk hali.", author=author)
    client = APIClient()
    client.force_login(author)
    edit_url = reverse("comments:edit", kwargs={"pk": comment.pk})
    assert client.get(edit_url).status_code == 200
    assert client.post(edit_url, {"text": "Son hali."}, format=PAGE).status_code == 200
    comment.refresh_from_db()
    assert comment.text == "Son hali."
