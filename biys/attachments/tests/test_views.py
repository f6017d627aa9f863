import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from biys.accounts.models import Role, RoleAssignment
from biys.attachments.models import Attachment
from biys.attachments.tests import samples
from biys.attachments.tests.factories import make_attachment
from biys.org.models import Person


@pytest.fixture
def person(org_tree):
    return Person.objects.create(
        first_name="Ayşe", last_name="Yılmaz", employment_type="memur", unit=org_tree["network"]
    )


@pytest.fixture
def guarded(make_user, org_tree):
    """A role assignment in the network branch: only administrators of that branch see it."""
    holder = make_user(None, org_tree["network"])
    return RoleAssignment.objects.create(
        user=holder, role=Role.objects.get(slug="technician"), unit=org_tree["network"]
    )


def panel_url(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse(
        "attachments:for_object", kwargs={"content_type_id": content_type.pk, "object_id": obj.pk}
    )


def test_panel_lists_files_and_offers_the_form_to_who_may_change(
    client, make_user, org_tree, person
):
    attachment = make_attachment(org_tree["network"], person, name="ağ-şeması.png")
    chief = make_user("chief", org_tree["network"])
    technician = make_user("technician", org_tree["network"])

    client.force_login(chief)
    page = client.get(panel_url(person)).content.decode()
    assert "ağ-şeması.png" in page
    assert reverse("attachments:download", kwargs={"pk": attachment.pk}) in page
    assert 'for="id_attachment_file"' in page and 'name="file"' in page

    client.force_login(technician)
    page = client.get(panel_url(person)).content.decode()
    assert "ağ-şeması.png" not in page  # a person's files are personal data (KVKK)
    assert 'name="file"' not in page
    assert client.post(panel_url(person), {}).status_code == 403


def test_upload_through_the_panel_and_errors_at_the_field(client, make_user, org_tree, person):
    client.force_login(make_user("chief", org_tree["network"]))

    response = client.post(
        panel_url(person),
        {"file": SimpleUploadedFile("virus.pdf", samples.exe()), "description": "x"},
        HTTP_ACCEPT_LANGUAGE="tr",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "is-invalid" in page and "invalid-feedback" in page
    assert not Attachment.objects.exists()

    response = client.post(
        panel_url(person),
        {"file": SimpleUploadedFile("plan.pdf", samples.pdf()), "description": "Kat planı"},
    )
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert (attachment.filename, attachment.mime_type, attachment.description) == (
        "plan.pdf",
        "application/pdf",
        "Kat planı",
    )
    assert "plan.pdf" in response.content.decode()


def test_another_units_user_gets_404_for_panel_download_and_delete(
    client, make_user, org_tree, guarded
):
    attachment = make_attachment(org_tree["network"], guarded, name="gizli.png")
    outsider = make_user("administrator", org_tree["roads"])
    insider = make_user("administrator", org_tree["dept"])
    download = reverse("attachments:download", kwargs={"pk": attachment.pk})
    delete = reverse("attachments:delete", kwargs={"pk": attachment.pk})

    client.force_login(outsider)
    assert client.get(panel_url(guarded)).status_code == 404
    assert client.get(download).status_code == 404
    assert client.post(delete).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()

    client.force_login(insider)
    assert client.get(panel_url(guarded)).status_code == 200
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.png()


def test_download_keeps_the_original_turkish_name(client, make_user, org_tree, person):
    attachment = make_attachment(org_tree["network"], person, name="Şartname İhale.png")
    client.force_login(make_user("chief", org_tree["network"]))

    response = client.get(reverse("attachments:download", kwargs={"pk": attachment.pk}))

    assert response["Content-Type"] == "image/png"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%C5%9Eartname%20%C4%B0hale.png" in disposition


def test_delete_from_the_panel(client, make_user, org_tree, person):
    attachment = make_attachment(org_tree["network"], person)
    client.force_login(make_user("technician", org_tree["network"]))
    # Not even readable for a technician: a person's files are personal data (KVKK).
    assert (
        client.post(reverse("attachments:delete", kwargs={"pk": attachment.pk})).status_code == 404
    )

    client.force_login(make_user("chief", org_tree["network"]))
    response = client.post(reverse("attachments:delete", kwargs={"pk": attachment.pk}))
    assert response.status_code == 200
    assert not Attachment.objects.exists()


def test_unknown_content_type_or_object_is_404(client, make_user, org_tree):
    client.force_login(make_user("administrator", org_tree["dept"]))
    session_type = ContentType.objects.get(app_label="sessions", model="session")
    person_type = ContentType.objects.get_for_model(Person)
    for content_type_id, object_id in (
        (999999, "1"),
        (session_type.pk, "x"),
        (person_type.pk, "abc"),
    ):
        url = reverse(
            "attachments:for_object",
            kwargs={"content_type_id": content_type_id, "object_id": object_id},
        )
        assert client.get(url).status_code == 404
