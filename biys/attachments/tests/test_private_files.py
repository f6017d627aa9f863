"""Files that are not everybody's: a person's files are personal data (KVKK)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from biys.attachments.tests.factories import make_attachment
from biys.org.models import Person


@pytest.fixture
def person(org_tree):
    return Person.objects.create(
        first_name="Ayşe", last_name="Yılmaz", employment_type="memur", unit=org_tree["network"]
    )


@pytest.mark.parametrize(
    "role, unit, allowed",
    [
        ("requester", "network", False),
        ("technician", "network", False),  # sees the person, not their personal data
        ("auditor", "roads", False),
        ("chief", "network", True),
        ("administrator", "dept", True),
    ],
)
def test_files_on_a_person_need_the_personal_data_permission(
    client, make_user, org_tree, person, role, unit, allowed
):
    attachment = make_attachment(org_tree["network"], person, name="rapor.png")
    user = make_user(role, org_tree[unit])
    client.force_login(user)
    download = client.get(reverse("attachments:download", kwargs={"pk": attachment.pk}))
    assert download.status_code == (200 if allowed else 404)
    api = APIClient()
    api.force_authenticate(user)
    listed = [row["id"] for row in api.get("/api/v1/attachments/").json()["results"]]
    assert listed == ([attachment.pk] if allowed else [])
    api_download = api.get(f"/api/v1/attachments/{attachment.pk}/download/")
    assert api_download.status_code == (200 if allowed else 404)
