"""The change log never tells a Gizli or Çok Gizli document's subject to someone who may not
read the document: a department head reads their units' change log (``core.view_objectchange``)
but sees a confidential document's records as its masked register row (number and "Gizli", the
values "(confidential)"), in the list, its export, a record's page and the dashboard; the people
named on it and those it is granted to see everything."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from biys.core.models import ObjectChange
from biys.evrak import services
from biys.evrak.choices import Confidentiality
from biys.evrak.models import IncomingDocument, OutgoingDocument
from biys.evrak.tests.factories import make_document, make_outgoing, make_routing

SUBJECT = "Personel soruşturması hakkında gizli yazı"
OUT_SUBJECT = "Soruşturma raporunun gönderilmesi hk."
INSTRUCTION = "Soruşturmacıya teslim ediniz"
GRANT_REASON = "Soruşturma kurulunun üyesi"
PLAIN = "Kent bilgi sistemi veri paylaşımı"


@pytest.fixture
def head(make_user, org_tree):
    """Department head over the unit: reads its change log, is not named on the document."""
    return make_user("department_head", org_tree["dept"])


@pytest.fixture
def named_head(make_user, org_tree):
    return make_user("department_head", org_tree["dept"])


@pytest.fixture
def secret(org_tree, named_head):
    document = make_document(
        org_tree["network"],
        confidentiality=Confidentiality.SECRET,
        subject=SUBJECT,
        named_readers=[named_head],
    )
    make_routing(org_tree["network"], document=document, instruction=INSTRUCTION)
    return document


@pytest.fixture
def plain(org_tree):
    return make_document(org_tree["network"], subject=PLAIN)


@pytest.fixture
def secret_outgoing(org_tree, named_head):
    return make_outgoing(
        org_tree["network"],
        confidentiality=Confidentiality.TOP_SECRET,
        subject=OUT_SUBJECT,
        created_by=named_head,
    )


def page(user):
    client = Client()
    client.force_login(user)
    return client


def record_of(obj) -> ObjectChange:
    """The object's first record (its creation: every value it was made with)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    records = ObjectChange.objects.filter(content_type=content_type, object_id=str(obj.pk))
    return records.earliest("id")


def test_the_change_log_hides_a_confidential_document_from_a_unit_head(
    head, secret, plain, secret_outgoing
):
    listing = page(head).get(reverse("core:changelog")).content.decode()
    assert SUBJECT not in listing and OUT_SUBJECT not in listing
    assert f"{secret.number} — Gizli" in listing
    assert PLAIN in listing  # an ordinary document stays as it was

    exported = page(head).get(reverse("core:changelog"), {"export": "csv"})
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert exported.status_code == 200
    assert SUBJECT not in text and OUT_SUBJECT not in text and PLAIN in text


def test_a_confidential_record_page_shows_no_subject_nor_values(head, secret):
    response = page(head).get(reverse("core:objectchange", args=[record_of(secret).pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert SUBJECT not in text and secret.sender_name not in text
    assert secret.number in text and "(gizli)" in text


def test_the_belonging_records_hide_what_they_say(head, secret):
    """A routing of the document: who had it, not the instruction; a grant: not its reason."""
    services.grant_access(user=None, document=secret, person=head, reason=GRANT_REASON)
    services.revoke_access(user=None, grant=secret.grants.get(), reason="bitti")
    routing = secret.routings.get()
    for obj in (routing, secret.grants.get()):
        text = page(head).get(reverse("core:objectchange", args=[record_of(obj).pk]))
        text = text.content.decode()
        assert INSTRUCTION not in text and GRANT_REASON not in text
    listing = page(head).get(reverse("core:changelog")).content.decode()
    assert INSTRUCTION not in listing and GRANT_REASON not in listing


def test_the_dashboard_lists_no_confidential_subject(head, secret):
    text = page(head).get(reverse("core:home")).content.decode()
    assert SUBJECT not in text


def test_named_readers_and_grant_holders_see_everything(head, named_head, secret, secret_outgoing):
    for user in (named_head,):
        listing = page(user).get(reverse("core:changelog")).content.decode()
        assert SUBJECT in listing and OUT_SUBJECT in listing
        detail = page(user).get(reverse("core:objectchange", args=[record_of(secret).pk]))
        assert SUBJECT in detail.content.decode()
    services.grant_access(user=None, document=secret, person=head, reason=GRANT_REASON)
    listing = page(head).get(reverse("core:changelog")).content.decode()
    assert SUBJECT in listing and OUT_SUBJECT not in listing
    detail = page(head).get(reverse("core:objectchange", args=[record_of(secret).pk]))
    assert SUBJECT in detail.content.decode()


def test_a_superuser_without_a_grant_sees_the_masked_row(make_user, secret):
    admin = make_user(superuser=True)
    listing = page(admin).get(reverse("core:changelog")).content.decode()
    assert SUBJECT not in listing and f"{secret.number} — Gizli" in listing


def test_a_deleted_confidential_document_stays_hidden(head, secret):
    number = secret.number
    services_free_delete = IncomingDocument.objects.get(pk=secret.pk)
    services_free_delete.routings.all().delete()
    services_free_delete.delete()
    listing = page(head).get(reverse("core:changelog")).content.decode()
    assert SUBJECT not in listing and f"{number} — Gizli" in listing


def test_an_outgoing_draft_without_a_number_shows_gizli(head, secret_outgoing):
    assert OutgoingDocument.objects.get(pk=secret_outgoing.pk).number == ""
    listing = page(head).get(reverse("core:changelog")).content.decode()
    assert OUT_SUBJECT not in listing and "Gizli" in listing


def test_an_attachment_of_a_confidential_document_hides_its_name(head, secret):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from biys.attachments.services import store_attachment

    png = io.BytesIO()
    Image.new("L", (4, 4), 0).save(png, format="PNG")
    attachment = store_attachment(
        obj=secret, uploaded_file=ContentFile(png.getvalue(), name="sorusturma-raporu.png")
    )
    listing = page(head).get(reverse("core:changelog")).content.decode()
    assert "sorusturma-raporu" not in listing
    detail = page(head).get(reverse("core:objectchange", args=[record_of(attachment).pk]))
    assert "sorusturma-raporu" not in detail.content.decode()
