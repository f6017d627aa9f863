import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from biys.accounts.models import Role, RoleAssignment
from biys.attachments.models import Attachment
from biys.attachments.tests import samples
from biys.attachments.tests.factories import make_attachment
from biys.org.models import Person

URL = "/api/v1/attachments/"


@pytest.fixture
def api():
    return APIClient()


def make_person(unit, name="Kişi"):
    return Person.objects.create(
        first_name=name, last_name="Test", employment_type="memur", unit=unit
    )


def make_guarded(make_user, unit):
    holder = make_user(None, unit)
    return RoleAssignment.objects.create(
        user=holder, role=Role.objects.get(slug="technician"), unit=unit
    )


def test_list_is_filtered_by_parent_and_by_what_the_user_may_view(api, make_user, org_tree):
    person = make_person(org_tree["network"])
    visible_guarded = make_guarded(make_user, org_tree["network"])
    hidden_guarded = make_guarded(make_user, org_tree["roads"])
    on_person = make_attachment(org_tree["network"], person)
    on_visible = make_attachment(org_tree["network"], visible_guarded)
    make_attachment(org_tree["roads"], hidden_guarded)
    api.force_authenticate(make_user("administrator", org_tree["dept"]))

    ids = {row["id"] for row in api.get(URL).json()["results"]}
    assert ids == {on_person.pk, on_visible.pk}

    rows = api.get(URL, {"content_type": "org.person", "object_id": person.pk}).json()["results"]
    assert [row["id"] for row in rows] == [on_person.pk]
    assert rows[0]["content_type"] == "org.person"
    assert rows[0]["sha256"] == on_person.sha256
    person_type = ContentType.objects.get_for_model(Person)
    rows = api.get(URL, {"content_type": person_type.pk, "object_id": person.pk}).json()["results"]
    assert [row["id"] for row in rows] == [on_person.pk]


def test_bad_filter_is_a_400_naming_the_field(api, make_user, org_tree):
    api.force_authenticate(make_user("technician", org_tree["network"]))

    response = api.get(URL, {"content_type": "yok.boyle"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "content_type" in response.json()["errors"]


def test_upload_download_and_delete(api, make_user, org_tree):
    person = make_person(org_tree["network"])
    api.force_authenticate(make_user("chief", org_tree["network"]))

    response = api.post(
        URL,
        {
            "content_type": "org.person",
            "object_id": str(person.pk),
            "file": SimpleUploadedFile("foto.pdf", samples.png()),
            "description": "Yaka kartı",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mime_type"] == "image/png"
    assert body["filename"] == "foto.pdf"

    download = api.get(f"{URL}{body['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == samples.png()

    assert api.delete(f"{URL}{body['id']}/").status_code == 204
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"content_type": "org.person", "object_id": "1"}, "file"),
        ({"object_id": "1", "file": b"x"}, "content_type"),
        ({"content_type": "sessions.session", "object_id": "1", "file": b"x"}, "content_type"),
        ({"content_type": "org.person", "object_id": "PERSON", "file": samples.exe()}, "file"),
    ],
)
def test_bad_upload_is_a_400_naming_the_field(api, make_user, org_tree, payload, field):
    person = make_person(org_tree["network"])
    api.force_authenticate(make_user("chief", org_tree["network"]))
    data = dict(payload)
    if data.get("object_id") == "PERSON":
        data["object_id"] = str(person.pk)
    if "file" in data:
        data["file"] = SimpleUploadedFile("a.pdf", data["file"])

    response = api.post(URL, data, format="multipart")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_upload_to_an_object_the_user_cannot_view_is_404_and_cannot_change_is_403(
    api, make_user, org_tree
):
    hidden = make_guarded(make_user, org_tree["network"])
    person = make_person(org_tree["network"])
    api.force_authenticate(make_user("administrator", org_tree["roads"]))

    def post(content_type, obj):
        return api.post(
            URL,
            {
                "content_type": content_type,
                "object_id": str(obj.pk),
                "file": SimpleUploadedFile("a.png", samples.png()),
            },
            format="multipart",
        )

    assert post("accounts.roleassignment", hidden).status_code == 404
    assert post("org.person", person).status_code == 403
    assert not Attachment.objects.exists()


def test_list_query_count_is_constant(api, make_user, org_tree):
    user = make_user("administrator", org_tree["dept"])

    def list_as_a_fresh_request():
        api.force_authenticate(type(user).objects.get(pk=user.pk))  # no scope cached yet
        return api.get(URL).json()["results"]

    def add_rows(count):
        for index in range(count):
            unit = org_tree["network"] if index % 2 else org_tree["software"]
            make_attachment(unit, make_person(unit) if index % 3 else make_guarded(make_user, unit))

    add_rows(3)
    with CaptureQueriesContext(connection) as small:
        assert len(list_as_a_fresh_request()) == 3
    add_rows(20)
    with CaptureQueriesContext(connection) as large:
        assert len(list_as_a_fresh_request()) == 23

    assert len(large) == len(small)
