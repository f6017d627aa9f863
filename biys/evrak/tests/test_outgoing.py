"""Outgoing documents (giden evrak): the draft with its distribution list and ilgi lines, its
pages and its API, scoped by the drafting unit; Gizli drafts only for the people on them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from biys.evrak import outgoing_services
from biys.evrak.models import OutgoingDocument
from biys.evrak.tests.factories import make_document, make_outgoing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def writer(make_user, org_tree):
    return make_user("evrak_writer", org_tree["network"])


def draft(user, unit, **values):
    defaults = {
        "unit": unit,
        "subject": "Fiber altyapı geçiş hakkı hk.",
        "body": "İlgi yazınız incelenmiştir.",
        "distribution": [
            {"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "38417202"},
            {"kind": "BLG", "name": "Fen İşleri Dairesi Başkanlığı"},
        ],
    }
    return outgoing_services.save_outgoing_draft(user=user, **(defaults | values))


def test_a_draft_with_its_distribution_ilgi_and_attachment(writer, org_tree):
    incoming = make_document(org_tree["network"])
    document = draft(
        writer,
        org_tree["network"],
        related_incoming=[incoming],
        reference_texts=["Valiliğin 01.10.2026 tarihli ve E-38417202-000-12 sayılı yazısı."],
        attachments=[SimpleUploadedFile("ek.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    assert document.state == "draft" and document.number == "" and document.version == 1
    assert document.created_by == writer
    lines = list(document.distribution.values_list("kind", "name"))
    assert lines == [("BLG", "Fen İşleri Dairesi Başkanlığı"), ("GRG", "Eskişehir Valiliği")]
    refs = list(document.references.order_by("label"))
    assert [ref.label for ref in refs] == ["a", "b"]
    assert refs[0].incoming == incoming and "E-24312041-702.03-118" in refs[0].line
    from biys.attachments.models import Attachment

    assert Attachment.objects.filter(object_id=str(document.pk)).count() == 1


def test_a_content_change_is_a_new_version_and_notes_are_not(writer, org_tree):
    document = draft(writer, org_tree["network"])
    document = outgoing_services.save_outgoing_draft(user=writer, document=document, notes="x")
    assert document.version == 1
    document = outgoing_services.save_outgoing_draft(
        user=writer, document=document, subject="Başka konu"
    )
    assert document.version == 2
    document = outgoing_services.save_outgoing_draft(
        user=writer,
        document=document,
        distribution=[{"name": "Tepebaşı Belediyesi", "detsis_no": "87654321"}],
    )
    assert document.version == 3


def test_the_rules(writer, org_tree, make_user):
    with pytest.raises(ValidationError) as error:
        draft(writer, org_tree["network"], subject="", urgency="GNL")
    assert {"subject", "due_date"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        draft(writer, org_tree["network"], distribution=[{"name": "X", "detsis_no": "12"}])
    assert "distribution" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        draft(writer, org_tree["roads"])
    assert not OutgoingDocument.objects.exists()


def test_a_gizli_draft_is_for_its_people_only(writer, org_tree, make_user):
    head = make_user("department_head", org_tree["dept"])
    signer = make_user(None, org_tree["dept"])  # the department's manager, by position only
    from biys.org.models import Position

    Position.objects.create(
        unit=org_tree["dept"], name="Daire Başkanı", holder=signer.person, is_manager=True
    )
    document = draft(writer, org_tree["network"], confidentiality="GZL", signer=signer)
    visible = lambda user: OutgoingDocument.objects.restrict(user).filter(pk=document.pk).exists()  # noqa: E731
    assert visible(writer) and visible(signer)
    assert not visible(head)
    plain = draft(writer, org_tree["network"])
    assert OutgoingDocument.objects.restrict(head).filter(pk=plain.pk).exists()
    assert not OutgoingDocument.objects.restrict(signer).filter(pk=plain.pk).exists()


def test_the_pages(client, writer, org_tree):
    client.force_login(writer)
    incoming = make_document(org_tree["network"])
    response = client.post(
        reverse("evrak:outgoingdocument_add"),
        {
            "unit": org_tree["network"].pk,
            "subject": "Kent bilgi sistemi hk.",
            "confidentiality": "YOK",
            "urgency": "ACL",
            "body": "Gereğini arz ederim.",
            "action_recipients": "Eskişehir Valiliği | 38417202\nTepebaşı Belediyesi | 87654321",
            "info_recipients": "Fen İşleri Dairesi Başkanlığı",
            "related_incoming": [incoming.pk],
            "reference_texts": "Bakanlığın 02.10.2026 tarihli yazısı.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    document = OutgoingDocument.objects.get()
    assert document.distribution.count() == 3
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Tepebaşı Belediyesi" in page and 'data-urgency="ACL"' in page
    edit = client.get(reverse("evrak:outgoingdocument_edit", args=[document.pk]))
    assert "Eskişehir Valiliği | 38417202" in edit.content.decode()
    listing = client.get(reverse("evrak:outgoingdocument_list")).content.decode()
    assert "Kent bilgi sistemi hk." in listing


def test_the_department_head_is_offered_as_signer_of_a_unit_under_the_department(
    client, writer, org_tree, make_user
):
    """The signer is chosen from the people of the writer's unit and the units above it (and
    those holding a role there), not from the accounts the writer may read: a writer holds no
    right over the accounts module and the head sits in the unit above."""
    head = make_user("department_head", org_tree["dept"], first_name="Şükrü")
    chief = make_user("chief", org_tree["network"], first_name="Murat")
    by_role = make_user(None, None, first_name="Vekil")  # no person: a role over the department
    make_user("chief", org_tree["software"], username="yan-birim")  # a sibling unit's chief
    from biys.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(
        user=by_role, role=Role.objects.get(slug="department_head"), unit=org_tree["dept"]
    )
    client.force_login(writer)
    form = client.get(reverse("evrak:outgoingdocument_add")).context["form"]
    offered = set(form.fields["signer"].queryset)
    assert {head, chief, by_role, writer} <= offered
    assert "yan-birim" not in {user.username for user in offered}
    response = client.post(
        reverse("evrak:outgoingdocument_add"),
        {
            "unit": org_tree["network"].pk, "subject": "Veri paylaşımı hk.",
            "confidentiality": "YOK", "urgency": "NRM", "body": "Gereğini arz ederim.",
            "signer": head.pk, "action_recipients": "Eskişehir Valiliği | 38417202",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert OutgoingDocument.objects.get().signer == head


def test_the_api(writer, org_tree, make_user):
    api = APIClient()
    api.force_authenticate(writer)
    url = "/api/v1/evrak/outgoing/"
    response = api.post(
        url,
        {
            "unit": org_tree["network"].pk,
            "subject": "API ile taslak",
            "distribution": [
                {"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "24312041"}
            ],
            "reference_texts": ["Valiliğin yazısı."],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "" and body["state"] == "draft"
    assert body["distribution"][0]["name"] == "Eskişehir Valiliği"
    assert body["references"][0]["text"] == "Valiliğin yazısı."
    detail = f"/api/v1/evrak/outgoing/{body['id']}/"
    patched = api.patch(detail, {"subject": "Değişti"}, format="json")
    assert patched.status_code == 200 and patched.json()["version"] == 2
    refused = api.post(url, {"unit": org_tree["roads"].pk, "subject": "x"}, format="json")
    assert refused.status_code == 403
    outsider = APIClient()
    outsider.force_authenticate(make_user("evrak_writer", org_tree["roads"]))
    assert outsider.get(detail).status_code == 404
    assert make_outgoing(org_tree["network"]).distribution.count() == 1
