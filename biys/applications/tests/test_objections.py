"""Objections (4982 md. 13): an application linked to the answered one it objects to, refused
with the field when the original allows none, is unanswered, or the period has passed; shown on
both pages and in the API."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.applications import services
from biys.applications.choices import PeriodUnit
from biys.applications.deadlines import objection_deadline
from biys.applications.models import Application
from biys.applications.tests.conftest import MONDAY
from biys.applications.tests.factories import make_application_type

pytestmark = pytest.mark.django_db
# Answered on a Friday: 15 days end on Saturday 21.11, so the period runs to Monday 23.11.
ANSWERED = date(2026, 11, 6)
LAST_DAY = date(2026, 11, 23)
LATER = date(2026, 11, 30)


@pytest.fixture
def itiraz(org_tree):
    return make_application_type(
        org_tree["network"],
        code="bilgi-edinme-itiraz",
        name="Bilgi edinme ret kararına itiraz",
        period=15,
        period_unit=PeriodUnit.DAYS,
        extended_period=None,
    )


@pytest.fixture
def answered(clerk, responder, bilgi_edinme, itiraz):
    bilgi_edinme.objection_period = 15
    bilgi_edinme.objection_type = itiraz
    bilgi_edinme.save()
    application = services.receive_application(
        user=clerk,
        type=bilgi_edinme,
        received_on=MONDAY,
        subject="İhale kararları",
        applicant_name="Ayşe Yılmaz",
        form_data={"istenen_bilgi": "2025 kararları"},
        tc_kimlik_no="10000000146",
        email="ayse@example.org",
        address="Cumhuriyet Mah. 1. Sok. No 2",
        today=MONDAY,
    )
    return services.record_outcome(
        user=responder,
        application=application,
        outcome="refused",
        refusal_ground="4982 md. 25",
        note="Ticari sır.",
        answered_on=ANSWERED,
        today=ANSWERED,
    )


def object_to(user, original, application_type, received_on, **extra):
    values = {
        "user": user,
        "type": application_type,
        "received_on": received_on,
        "subject": "Ret kararına itiraz",
        "applicant_name": "Ayşe Yılmaz",
        "objection_to": original,
        "today": LATER,
    }
    return services.receive_application(**values | extra)


def test_the_period_counts_days_after_the_answer_to_the_next_working_day(answered):
    assert objection_deadline(answered.type, ANSWERED) == LAST_DAY
    assert objection_deadline(answered.type, None) is None


def test_an_objection_within_the_period_is_linked_and_takes_the_contact_data(
    clerk, answered, itiraz
):
    objection = object_to(clerk, answered, itiraz, LAST_DAY)
    assert objection.objection_to == answered
    assert list(answered.objections.all()) == [objection]
    # The same applicant: the contact data not typed again comes from the original.
    assert objection.tc_kimlik_no == "10000000146" and objection.email == "ayse@example.org"
    assert objection.responsible_unit == itiraz.unit


@pytest.mark.parametrize(
    "received_on,field",
    [(date(2026, 11, 24), "received_on"), (date(2026, 11, 5), "received_on")],
)
def test_an_objection_out_of_the_period_is_refused(clerk, answered, itiraz, received_on, field):
    with pytest.raises(ValidationError) as refused:
        object_to(clerk, answered, itiraz, received_on)
    assert field in refused.value.message_dict
    assert not answered.objections.exists()


def test_the_original_must_allow_objection_and_be_answered(
    clerk, responder, answered, itiraz, dilekce, bilgi_edinme
):
    petition = services.receive_application(
        user=clerk,
        type=dilekce,
        received_on=MONDAY,
        subject="Yol",
        applicant_name="Ali Veli",
        today=MONDAY,
    )
    services.record_outcome(
        user=responder, application=petition, outcome="answered", note="Yapıldı.", today=ANSWERED
    )
    with pytest.raises(ValidationError) as refused:
        object_to(clerk, petition, itiraz, date(2026, 11, 10))
    assert dilekce.name in refused.value.message_dict["objection_to"][0]

    still_open = services.receive_application(
        user=clerk,
        type=bilgi_edinme,
        received_on=MONDAY,
        subject="Bütçe",
        applicant_name="Ali Veli",
        form_data={"istenen_bilgi": "Bütçe"},
        today=MONDAY,
    )
    with pytest.raises(ValidationError) as refused:
        object_to(clerk, still_open, itiraz, date(2026, 11, 10))
    assert "objection_to" in refused.value.message_dict

    # Recorded as the type the original names, never as another.
    with pytest.raises(ValidationError) as refused:
        object_to(clerk, answered, dilekce, date(2026, 11, 10))
    assert "type" in refused.value.message_dict


def test_an_objection_to_an_application_out_of_sight_is_refused(
    make_user, org_tree, answered, itiraz
):
    outsider = make_user("applications_clerk", org_tree["software"])
    with pytest.raises(ValidationError) as refused:
        object_to(outsider, answered, itiraz, date(2026, 11, 10), responsible_unit=None)
    assert "objection_to" in refused.value.message_dict


def test_pages_link_both_ways_and_the_quick_entry_takes_the_number(
    clerk, answered, itiraz, monkeypatch
):
    from biys.applications import selectors

    monkeypatch.setattr(selectors, "today", lambda: date(2026, 11, 10))
    client = Client()
    client.force_login(clerk)
    page = client.get(answered.get_absolute_url()).content.decode()
    assert 'data-testid="record-objection"' in page
    add = reverse("applications:application_add")
    form = client.get(add, {"objection_to": answered.pk}).content.decode()
    assert answered.number in form
    data = {
        "type": itiraz.pk,
        "channel": "counter",
        "received_on": "2026-11-10",
        "applicant_kind": "person",
        "applicant_name": "Ayşe Yılmaz",
        "subject": "İtiraz",
        "objection_to_number": "BSV-1999-000001",
    }
    response = client.post(add, data)
    assert response.status_code == 200
    assert "objection_to_number" in response.context["form"].errors
    response = client.post(add, {**data, "objection_to_number": answered.number})
    assert response.status_code == 302, response.content.decode()[:3000]
    objection = Application.objects.get(objection_to=answered)
    page = client.get(objection.get_absolute_url()).content.decode()
    assert 'data-testid="objection-to"' in page and answered.number in page
    page = client.get(answered.get_absolute_url()).content.decode()
    assert 'data-testid="objections"' in page and objection.number in page


def test_api_field(clerk, make_user, org_tree, answered, itiraz):
    client = APIClient()
    client.force_authenticate(clerk)
    body = {
        "type": itiraz.pk,
        "received_on": "2026-11-24",
        "subject": "İtiraz",
        "applicant_name": "Ayşe Yılmaz",
        "objection_to": answered.pk,
    }
    url = "/api/v1/applications/applications/"
    response = client.post(url, body, format="json")
    assert response.status_code == 400
    assert "received_on" in str(response.json())
    response = client.post(url, {**body, "received_on": "2026-11-20"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["objection_to"] == answered.pk
    outsider = APIClient()
    outsider.force_authenticate(make_user("applications_clerk", org_tree["software"]))
    response = outsider.post(url, {**body, "received_on": "2026-11-20"}, format="json")
    assert response.status_code == 400 and "objection_to" in str(response.json())
