"""Whether an application asks for the TC kimlik number is its type's rule (data an
administrator edits): required from a person, optional, or not asked at all. The public form
and the counter clerk's quick entry follow it; the number's checksum is still checked at the
field, and it is still masked on the staff page."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from biys.applications import services
from biys.applications.choices import IdentityRule
from biys.applications.forms import ApplicationTypeForm
from biys.applications.models import Application, ApplicationType
from biys.applications.tests.conftest import MONDAY
from biys.applications.tests.test_api_cli_views import API, api
from biys.applications.tests.test_public_form import PUBLIC, VALID_TC, answers, apply_url
from biys.applications.types_loader import load_types

pytestmark = pytest.mark.django_db
GROUND = "4982 md. 6; Bilgi Edinme Yönetmeliği md. 10"


@pytest.fixture
def typed(bilgi_edinme):
    """The bilgi edinme type, offered on the public form, with the rule a test gives it."""

    def with_rule(rule, ground=""):
        bilgi_edinme.public = True
        bilgi_edinme.identity_number = rule
        bilgi_edinme.identity_ground = ground
        bilgi_edinme.save()
        return bilgi_edinme

    return with_rule


@pytest.fixture
def public_client():
    cache.clear()
    with PUBLIC:
        yield Client()
    cache.clear()


# The public form ------------------------------------------------------------------------------


def test_public_required_asks_a_person_for_it_with_its_ground(public_client, typed):
    application_type = typed(IdentityRule.REQUIRED, GROUND)
    page = public_client.get(apply_url(application_type)).content.decode()
    assert 'name="tc_kimlik_no"' in page and GROUND in page
    response = public_client.post(apply_url(application_type), answers(tc_kimlik_no=""))
    assert response.status_code == 400
    assert GROUND in " ".join(response.context["form"].errors["tc_kimlik_no"])
    assert not Application.objects.exists()
    # the checksum is still checked at the field
    response = public_client.post(apply_url(application_type), answers(tc_kimlik_no="10000000147"))
    assert response.status_code == 400 and "tc_kimlik_no" in response.context["form"].errors
    assert not Application.objects.exists()
    # a company gives its tax number instead
    response = public_client.post(
        apply_url(application_type),
        answers(applicant_kind="company", tc_kimlik_no="", tax_number="1234567890"),
    )
    assert response.status_code == 201
    response = public_client.post(apply_url(application_type), answers())
    assert response.status_code == 201
    assert Application.objects.filter(tc_kimlik_no=VALID_TC).count() == 1


def test_public_optional_takes_it_or_not(public_client, typed):
    application_type = typed(IdentityRule.OPTIONAL)
    page = public_client.get(apply_url(application_type)).content.decode()
    assert 'name="tc_kimlik_no"' in page
    response = public_client.post(apply_url(application_type), answers(tc_kimlik_no=""))
    assert response.status_code == 201
    assert Application.objects.get().tc_kimlik_no == ""
    response = public_client.post(apply_url(application_type), answers(tc_kimlik_no="12345678901"))
    assert response.status_code == 400 and "tc_kimlik_no" in response.context["form"].errors
    response = public_client.post(apply_url(application_type), answers())
    assert response.status_code == 201
    # masked inside BİYS as before
    assert Application.objects.get(tc_kimlik_no=VALID_TC).masked_tc_kimlik_no == "*********46"


def test_public_not_asked_leaves_the_field_out_and_keeps_no_number(public_client, typed):
    application_type = typed(IdentityRule.NOT_ASKED)
    page = public_client.get(apply_url(application_type)).content.decode()
    assert 'name="tc_kimlik_no"' not in page
    # a number sent anyway (a stale page, a bot) is not kept
    response = public_client.post(apply_url(application_type), answers(tc_kimlik_no=VALID_TC))
    assert response.status_code == 201
    assert Application.objects.get().tc_kimlik_no == ""


# The counter clerk's quick entry ------------------------------------------------------------


def counter_data(application_type, **changes):
    data = {
        "type": application_type.pk,
        "channel": "counter",
        "received_on": str(date.today()),
        "applicant_kind": "person",
        "applicant_name": "Mehmet Öztürk",
        "tc_kimlik_no": VALID_TC,
        "subject": "Meclis kararları",
        "field_istenen_bilgi": "2025 kararları",
    }
    data.update(changes)
    return data


@pytest.fixture
def counter(clerk):
    client = Client()
    client.force_login(clerk)
    return client


def test_counter_required(counter, typed):
    application_type = typed(IdentityRule.REQUIRED, GROUND)
    url = reverse("applications:application_add")
    page = counter.get(url, {"type": application_type.pk}).content.decode()
    assert 'name="tc_kimlik_no"' in page and GROUND in page
    response = counter.post(url, counter_data(application_type, tc_kimlik_no=""))
    assert response.status_code == 200
    assert "tc_kimlik_no" in response.context["form"].errors
    assert not Application.objects.exists()
    response = counter.post(url, counter_data(application_type))
    assert response.status_code == 302
    assert Application.objects.get().tc_kimlik_no == VALID_TC


def test_counter_optional(counter, typed):
    application_type = typed(IdentityRule.OPTIONAL)
    url = reverse("applications:application_add")
    response = counter.post(url, counter_data(application_type, tc_kimlik_no=""))
    assert response.status_code == 302
    assert Application.objects.get().tc_kimlik_no == ""


def test_counter_not_asked(counter, typed, clerk):
    application_type = typed(IdentityRule.NOT_ASKED)
    url = reverse("applications:application_add")
    page = counter.get(url, {"type": application_type.pk}).content.decode()
    assert 'name="tc_kimlik_no"' not in page
    response = counter.post(url, counter_data(application_type))
    assert response.status_code == 302
    assert Application.objects.get().tc_kimlik_no == ""
    # through the service (the API, the CLI) a number the type does not ask is refused
    with pytest.raises(ValidationError) as refused:
        services.receive_application(
            user=clerk,
            type=application_type,
            received_on=MONDAY,
            subject="x",
            applicant_name="Ali Veli",
            tc_kimlik_no=VALID_TC,
            form_data={"istenen_bilgi": "y"},
        )
    assert "tc_kimlik_no" in refused.value.message_dict
    assert Application.objects.count() == 1


def test_api_required_is_a_problem_at_the_field(clerk, typed):
    application_type = typed(IdentityRule.REQUIRED, GROUND)
    body = {
        "type": application_type.pk,
        "received_on": str(MONDAY),
        "subject": "Meclis kararları",
        "applicant_name": "Ali Veli",
        "applicant_kind": "person",
        "form_data": {"istenen_bilgi": "Kararlar"},
    }
    response = api(clerk).post(f"{API}/applications/", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "tc_kimlik_no" in str(response.json())
    assert not Application.objects.exists()
    response = api(clerk).post(
        f"{API}/applications/", {**body, "tc_kimlik_no": VALID_TC}, format="json"
    )
    assert response.status_code == 201, response.content


# The rule is data ------------------------------------------------------------------------------


def test_the_shipped_types_carry_their_rule_and_ground():
    load_types()
    rules = dict(ApplicationType.objects.values_list("code", "identity_number"))
    assert rules["bilgi-edinme"] == rules["dilekce"] == IdentityRule.REQUIRED
    assert rules["cimer"] == IdentityRule.OPTIONAL
    assert rules["gecis-hakki"] == IdentityRule.NOT_ASKED  # an operator gives its tax number
    assert "4982" in ApplicationType.objects.get(code="bilgi-edinme").identity_ground
    assert "3071" in ApplicationType.objects.get(code="dilekce").identity_ground


def test_an_administrator_changes_the_rule(typed):
    application_type = typed(IdentityRule.REQUIRED, GROUND)
    form = ApplicationTypeForm(
        instance=application_type,
        data={
            **{
                name: value
                for name, value in ApplicationTypeForm(instance=application_type).initial.items()
                if value is not None
            },
            "identity_number": IdentityRule.NOT_ASKED,
            "identity_ground": "",
            "form_fields": "[]",
            "documents": "[]",
        },
    )
    assert "identity_number" in form.fields and "identity_ground" in form.fields
    assert form.is_valid(), form.errors
    form.save()
    application_type.refresh_from_db()
    assert application_type.identity_number == IdentityRule.NOT_ASKED
