"""Commenting on a record takes more than reading it: the organisation chart and the staff
directory are everybody's to read, not everybody's to write on."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from biys.comments import services
from biys.comments.models import Comment
from biys.org.models import Person

URL = "/api/v1/comments/"


@pytest.fixture
def person(org_tree):
    return Person.objects.create(
        first_name="Mehmet", last_name="Öztürk", employment_type="memur", unit=org_tree["network"]
    )


@pytest.mark.parametrize("role", ["requester", "auditor"])
def test_requester_and_auditor_cannot_comment_on_a_unit_or_person(
    role, make_user, org_tree, person
):
    user = make_user(role, org_tree["network"])
    api = APIClient()
    api.force_authenticate(user)
    for label, obj in [("org.unit", org_tree["network"]), ("org.person", person)]:
        response = api.post(URL, {"content_type": label, "object_id": str(obj.pk), "text": "x"})
        assert response.status_code == 403, (role, label)
        with pytest.raises(PermissionDenied):
            services.add_comment(obj=obj, user=user, text="x")
    assert not Comment.objects.exists()


def test_staff_of_the_unit_comment_and_others_do_not(make_user, org_tree, person):
    services.add_comment(obj=person, user=make_user("technician", org_tree["network"]), text="a")
    services.add_comment(
        obj=org_tree["network"], user=make_user("chief", org_tree["network"]), text="b"
    )
    with pytest.raises(PermissionDenied):
        services.add_comment(obj=person, user=make_user("technician", org_tree["roads"]), text="c")
    assert Comment.objects.count() == 2
