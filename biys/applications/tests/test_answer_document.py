"""The answer as an official document: drafted through biys.core.correspondence as an outgoing
document of the responsible unit, to the applicant, about the subject, citing the application
(ilgi); linked both ways; the outcome waits for the signature and is dated by it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from biys.accounts.models import Role, RoleAssignment
from biys.applications import services
from biys.applications.tests.conftest import MONDAY
from biys.evrak import outgoing_services as evrak
from biys.evrak.models import OutgoingDocument
from biys.evrak.tests.factories import make_sdp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def answerer(make_user, org_tree):
    """An applications responder who also drafts the unit's outgoing documents."""
    user = make_user("applications_responder", org_tree["network"])
    RoleAssignment.objects.create(
        user=user, role=Role.objects.get(slug="evrak_writer"), unit=org_tree["network"]
    )
    return user


@pytest.fixture
def application(clerk, bilgi_edinme):
    return services.receive_application(
        user=clerk,
        type=bilgi_edinme,
        received_on=MONDAY,
        subject="2025 yılı yazılım alımları",
        applicant_name="Ayşe Yılmaz",
        form_data={"istenen_bilgi": "Sözleşmeler"},
        address="Cumhuriyet Mah.\n1. Sok. No 2",
        today=MONDAY,
    )


def test_the_draft_is_prefilled_and_linked(answerer, application, org_tree):
    application = services.draft_answer_document(user=answerer, application=application)
    document = OutgoingDocument.objects.get(pk=application.answer_document_id)
    assert document.state == "draft" and document.unit == org_tree["network"]
    assert document.subject == application.subject and document.created_by == answerer
    (line,) = document.distribution.all()
    assert (line.kind, line.name, line.address) == (
        "GRG",
        "Ayşe Yılmaz",
        "Cumhuriyet Mah. 1. Sok. No 2",
    )
    (reference,) = document.references.all()
    assert application.number in reference.text and "02.11.2026" in reference.text
    with pytest.raises(ValidationError) as refused:
        services.draft_answer_document(user=answerer, application=application)
    assert "answer_document" in refused.value.message_dict
    assert OutgoingDocument.objects.count() == 1


def test_drafting_needs_both_permissions_and_leaves_nothing(responder, clerk, application):
    with pytest.raises(PermissionDenied):
        services.draft_answer_document(user=responder, application=application)  # no evrak
    with pytest.raises(PermissionDenied):
        services.draft_answer_document(user=clerk, application=application)  # no answer
    assert not OutgoingDocument.objects.exists()
    application.refresh_from_db()
    assert application.answer_document_id is None
    assert not services.may_draft_answer(responder, application)


def test_the_outcome_waits_for_the_signature_and_takes_its_date(
    answerer, application, make_user, org_tree
):
    application = services.draft_answer_document(user=answerer, application=application)
    with pytest.raises(ValidationError) as refused:
        services.record_outcome(
            user=answerer, application=application, outcome="answered", note="Bilgi verildi."
        )
    assert "outcome" in refused.value.message_dict
    head = make_user("department_head", org_tree["dept"])
    document = evrak.save_outgoing_draft(
        user=answerer,
        document=OutgoingDocument.objects.get(pk=application.answer_document_id),
        sdp_code=make_sdp_code(code="010.03"),
        signer=head,
        body="İstediğiniz sözleşme listesi ektedir.",
    )
    document = evrak.submit_for_approval(user=answerer, document=document, path=[])
    evrak.sign(user=head, document=document)
    answered = services.record_outcome(
        user=answerer, application=application, outcome="answered", note="Bilgi verildi."
    )
    assert answered.state == "answered" and answered.answered_on == timezone.localdate()
    summary = services.answer_document(answerer, answered)
    assert summary.signed and summary.label.startswith("E-") and summary.url


def test_pages_show_the_link_both_ways(answerer, application):
    client = Client()
    client.force_login(answerer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="draft-answer"' in page
    response = client.post(reverse("applications:draft_answer", args=[application.pk]))
    application.refresh_from_db()
    document = OutgoingDocument.objects.get(pk=application.answer_document_id)
    assert response.status_code == 302 and response.url == document.get_absolute_url()
    page = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="answer-document"' in page and document.get_absolute_url() in page
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'data-testid="linked-record"' in page and application.number in page


def test_api_reads_the_link(answerer, application):
    from rest_framework.test import APIClient

    application = services.draft_answer_document(user=answerer, application=application)
    client = APIClient()
    client.force_authenticate(answerer)
    data = client.get(f"/api/v1/applications/applications/{application.pk}/").json()
    assert data["answer_document"] == application.answer_document_id
