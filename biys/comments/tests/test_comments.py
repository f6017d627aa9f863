import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from biys.comments import selectors, services
from biys.comments.models import Comment
from biys.comments.tests.factories import make_comment
from biys.org.models import Person

URL = "/api/v1/comments/"


@pytest.fixture
def person(org_tree):
    return Person.objects.create(
        first_name="Mehmet", last_name="Öztürk", employment_type="memur", unit=org_tree["network"]
    )


@pytest.fixture
def chief(make_user, org_tree):
    return make_user("chief", org_tree["network"])


@pytest.fixture
def technician(make_user, org_tree):
    return make_user("technician", org_tree["network"])


def thread_url(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse(
        "comments:for_object", kwargs={"content_type_id": content_type.pk, "object_id": obj.pk}
    )


def test_internal_notes_are_seen_only_by_those_who_may_change_the_parent(
    person, chief, technician, client
):
    services.add_comment(obj=person, user=technician, text="Herkese açık not")
    services.add_comment(obj=person, user=chief, text="İç not: zimmet eksik", is_internal=True)

    assert [c.text for c in selectors.comments_of(person, chief)] == [
        "Herkese açık not",
        "İç not: zimmet eksik",
    ]
    assert [c.text for c in selectors.comments_of(person, technician)] == ["Herkese açık not"]
    assert {c.text for c in selectors.visible_comments(technician)} == {"Herkese açık not"}
    assert len(selectors.visible_comments(chief)) == 2

    client.force_login(technician)
    page = client.get(thread_url(person)).content.decode()
    assert "Herkese açık not" in page and "zimmet eksik" not in page
    assert 'name="is_internal"' not in page
    client.force_login(chief)
    page = client.get(thread_url(person)).content.decode()
    assert "zimmet eksik" in page and 'name="is_internal"' in page


def test_only_those_who_may_change_write_internal_notes(person, technician):
    with pytest.raises(ValidationError) as error:
        services.add_comment(obj=person, user=technician, text="gizli", is_internal=True)
    assert "is_internal" in error.value.message_dict


def test_authors_edit_only_their_own_and_admins_may_delete(
    person, chief, technician, make_user, org_tree
):
    comment = services.add_comment(obj=person, user=technician, text="İlk hâli")

    with pytest.raises(PermissionDenied):
        services.edit_comment(comment=comment, user=chief, text="değiştirdim")
    edited = services.edit_comment(comment=comment, user=technician, text="Düzeltilmiş hâli")
    assert edited.text == "Düzeltilmiş hâli" and edited.edited is not None

    with pytest.raises(PermissionDenied):
        services.delete_comment(comment=comment, user=chief)
    outside_admin = make_user("administrator", org_tree["roads"])
    with pytest.raises(PermissionDenied):
        services.delete_comment(comment=comment, user=outside_admin)
    services.delete_comment(comment=comment, user=make_user("administrator", org_tree["dept"]))
    assert not Comment.objects.exists()


def test_empty_comment_is_an_error_at_the_field(person, technician, client):
    client.force_login(technician)

    response = client.post(thread_url(person), {"text": "   "})

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not Comment.objects.exists()
    response = client.post(thread_url(person), {"text": "Yazıcı değişti."})
    assert Comment.objects.get().text == "Yazıcı değişti."
    assert "Yazıcı değişti." in response.content.decode()


def test_api_hides_internal_notes_and_checks_input(person, chief, technician):
    api = APIClient()
    make_comment(person.unit, person, text="açık", author=technician)
    make_comment(person.unit, person, text="iç", author=chief, is_internal=True)

    api.force_authenticate(technician)
    assert [row["text"] for row in api.get(URL).json()["results"]] == ["açık"]
    response = api.post(
        URL,
        {
            "content_type": "org.person",
            "object_id": str(person.pk),
            "text": "x",
            "is_internal": True,
        },
    )
    assert response.status_code == 400 and "is_internal" in response.json()["errors"]
    response = api.post(URL, {"content_type": "org.person", "object_id": str(person.pk)})
    assert response.status_code == 400 and "text" in response.json()["errors"]

    api.force_authenticate(chief)
    rows = api.get(URL, {"content_type": "org.person", "object_id": person.pk}).json()["results"]
    assert [row["text"] for row in rows] == ["açık", "iç"]
    own = rows[1]["id"]
    assert api.patch(f"{URL}{own}/", {"text": "iç (düzeltildi)"}).json()["edited"]
    assert api.patch(f"{URL}{rows[0]['id']}/", {"text": "başkasının"}).status_code == 403


def test_api_list_query_count_is_constant(person, chief, make_user, org_tree):
    api = APIClient()

    def fetch():
        api.force_authenticate(type(chief).objects.get(pk=chief.pk))
        return api.get(URL).json()["results"]

    make_comment(org_tree["network"], person, author=chief)
    fetch()  # the process builds the scope of the roles made above
    with CaptureQueriesContext(connection) as small:
        assert len(fetch()) == 1
    for index in range(15):
        make_comment(org_tree["network"], author=chief, is_internal=bool(index % 2))
    with CaptureQueriesContext(connection) as large:
        assert len(fetch()) == 16
    assert len(large) == len(small)
