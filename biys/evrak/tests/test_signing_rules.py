"""Signing authorities (imza yetkileri): which level above the drafting unit signs which
outgoing document, by confidentiality and recipients; refused once in the services (draft,
submit, sign) as an error on ``signer``, 400 in the API, and offered alone in the form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from biys.evrak import outgoing_services as svc
from biys.evrak import selectors
from biys.evrak.models import OutgoingNumber, SigningRule
from biys.evrak.tests.factories import make_sdp_code

pytestmark = pytest.mark.django_db

VALILIK = {"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "38417202"}
INTERNAL = {"kind": "GRG", "name": "Fen İşleri Dairesi Başkanlığı"}


@pytest.fixture(autouse=True)
def _rules(db):
    """The shipped defaults (migration 0013), set here so a flushed database does not matter."""
    SigningRule.objects.all().delete()
    for name, confidentiality, recipients in (
        ("Gizli: daire başkanı", "GZL", ""),
        ("Çok Gizli: daire başkanı", "CGZ", ""),
        ("Kurumlara: daire başkanı", "", "institution"),
    ):
        SigningRule.objects.create(
            name=name, confidentiality=confidentiality, recipients=recipients,
            level="department_head",
        )  # fmt: skip


@pytest.fixture
def people(make_user, org_tree):
    from biys.org.models import Position

    network = org_tree["network"]
    manager = make_user(None, org_tree["dept"])
    Position.objects.create(
        unit=org_tree["dept"], name="Daire Başkanı", holder=manager.person, is_manager=True
    )
    return {
        "writer": make_user("evrak_writer", network),
        "colleague": make_user(None, network),
        "chief": make_user("chief", network),
        "head": make_user("department_head", org_tree["dept"]),
        "manager": manager,  # the department's manager by position, no role
        "sibling": make_user("chief", org_tree["software"]),
    }


def _code():
    from biys.evrak.models import SdpCode

    return SdpCode.objects.filter(code="010.03").first() or make_sdp_code(code="010.03")


def draft(people, org_tree, signer, **values):
    return svc.save_outgoing_draft(
        user=people["writer"], unit=org_tree["network"], subject="Veri paylaşımı hk.",
        body="Gereğini arz ederim.", sdp_code=_code(),
        signer=people[signer] if signer else None, **({"distribution": [INTERNAL]} | values),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("values", "allowed", "refused"),
    [
        ({}, ["colleague", "chief", "head", "manager"], ["sibling"]),
        ({"distribution": [VALILIK]}, ["head", "manager"], ["colleague", "chief"]),
        ({"confidentiality": "GZL"}, ["head", "manager"], ["chief"]),
        ({"confidentiality": "HZO", "distribution": [INTERNAL]}, ["chief"], ["sibling"]),
    ],
)
def test_allowed_and_refused_signers(people, org_tree, values, allowed, refused):
    for name in allowed:
        assert draft(people, org_tree, name, **values).signer == people[name]
    for name in refused:
        with pytest.raises(ValidationError) as error:
            draft(people, org_tree, name, **values)
        assert list(error.value.message_dict) == ["signer"], name
        assert str(people[name]) in error.value.message_dict["signer"][0]


def test_the_levels_chief_and_top_and_inactive_rules(people, org_tree, make_user):
    from biys.org.models import Unit

    rule = SigningRule.objects.create(name="Her yazı: şube müdürü", level="chief")
    with pytest.raises(ValidationError, match="Her yazı"):
        draft(people, org_tree, "colleague")
    assert draft(people, org_tree, "chief").signer == people["chief"]
    rule.level = "top"
    rule.save()
    with pytest.raises(ValidationError):
        draft(people, org_tree, "head")
    top = Unit.objects.create(name="Tepebaşı Belediyesi", kind="belediye")
    dept = org_tree["dept"]
    dept.parent = top
    dept.save()
    org_tree["network"].refresh_from_db()
    people["mayor"] = make_user("department_head", top)
    assert draft(people, org_tree, "mayor").signer == people["mayor"]
    rule.active = False
    rule.save()
    assert draft(people, org_tree, "colleague").signer == people["colleague"]


def test_submit_and_sign_check_the_rules_of_the_day(people, org_tree, municipality):
    document = draft(people, org_tree, "chief")
    rule = SigningRule.objects.create(name="Her yazı: daire başkanı", level="department_head")
    with pytest.raises(ValidationError) as error:
        svc.submit_for_approval(user=people["writer"], document=document, path=[])
    assert "signer" in error.value.message_dict
    rule.delete()
    document = svc.submit_for_approval(user=people["writer"], document=document, path=[])
    SigningRule.objects.create(name="Her yazı: daire başkanı", level="department_head")
    with pytest.raises(ValidationError) as error:
        svc.sign(user=people["chief"], document=document)
    assert "signer" in error.value.message_dict
    assert not OutgoingNumber.objects.exists()  # refused before a number was taken
    # The system (no user) is not checked, as for the other permissions.
    svc.save_outgoing_draft(user=None, document=document, notes="CLI")


def test_the_api_refuses_a_signer_the_rules_do_not_allow(people, org_tree):
    api = APIClient()
    api.force_authenticate(people["writer"])
    values = {
        "unit": org_tree["network"].pk, "subject": "Gizli yazı", "confidentiality": "GZL",
        "signer": people["chief"].pk, "distribution": [INTERNAL],
    }  # fmt: skip
    response = api.post("/api/v1/evrak/outgoing/", values, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "signer" in str(response.json())
    values["signer"] = people["head"].pk
    assert api.post("/api/v1/evrak/outgoing/", values, format="json").status_code == 201


def test_the_form_offers_only_allowed_signers_and_the_rules_page(
    client, people, org_tree, make_user
):
    document = draft(people, org_tree, "head", confidentiality="GZL")
    offered = set(selectors.signer_choices(people["writer"], document))
    assert {people["head"], people["manager"]} <= offered
    assert not offered & {people["chief"], people["colleague"], people["sibling"]}
    client.force_login(people["writer"])
    page = client.get(reverse("evrak:outgoingdocument_edit", args=[document.pk]))
    assert set(page.context["form"].fields["signer"].queryset) == offered
    response = client.post(
        reverse("evrak:outgoingdocument_edit", args=[document.pk]),
        {
            "unit": org_tree["network"].pk, "subject": "Gizli yazı", "confidentiality": "GZL",
            "urgency": "NRM", "body": "Metin.", "signer": people["chief"].pk,
            "action_recipients": INTERNAL["name"],
        },
    )  # fmt: skip
    assert response.status_code == 200 and "signer" in response.context["form"].errors
    # The rules: kept by the administrator, not by the heads who sign under them.
    client.force_login(people["head"])
    assert client.get(reverse("evrak:signingrule_add")).status_code == 403
    client.force_login(make_user(None, None, superuser=True))
    assert "Gizli: daire başkanı" in client.get(reverse("evrak:signingrule_list")).content.decode()
    response = client.post(
        reverse("evrak:signingrule_add"),
        {"name": "Özel: şube müdürü", "confidentiality": "OZL", "level": "chief", "active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = SigningRule.objects.get(name="Özel: şube müdürü")
    from biys.core.models import ObjectChange

    assert ObjectChange.objects.filter(object_id=str(rule.pk)).exists()


def test_the_signature_request_checks_the_rules_before_preparing_anything(
    people, org_tree, municipality
):
    from biys.evrak.models import OutgoingSignature

    document = draft(people, org_tree, "chief")
    document = svc.submit_for_approval(user=people["writer"], document=document, path=[])
    SigningRule.objects.create(name="Her yazı: daire başkanı", level="department_head")
    api = APIClient()
    api.force_authenticate(people["chief"])
    response = api.get(f"/api/v1/evrak/outgoing/{document.pk}/signature-request/")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert "Her yazı: daire başkanı" in str(response.json())
    assert not OutgoingSignature.objects.exists()
    assert not OutgoingNumber.objects.exists()


def test_only_the_drafting_units_line_initials(client, people, org_tree, make_user):
    from biys.evrak.forms import SubmitForApprovalForm

    document = draft(people, org_tree, "head")
    technician = make_user(None, org_tree["helpdesk"])  # a unit under the drafting unit
    other = make_user("chief", org_tree["roads"])  # another department
    offered = set(SubmitForApprovalForm(document=document).fields["first"].queryset)
    assert {people["colleague"], people["chief"], people["head"], people["manager"]} <= offered
    assert {technician, people["sibling"]} <= offered  # the department's units
    assert other not in offered
    assert offered == set(selectors.paraf_choices(document))
    with pytest.raises(ValidationError) as error:
        svc.submit_for_approval(
            user=people["writer"], document=document, path=[people["chief"], other]
        )
    assert list(error.value.message_dict) == ["path"]
    assert str(other) in error.value.message_dict["path"][0]
    api = APIClient()
    api.force_authenticate(people["writer"])
    url = f"/api/v1/evrak/outgoing/{document.pk}/submit/"
    response = api.post(url, {"path": [other.pk]}, format="json")
    assert response.status_code == 400 and "path" in str(response.json())
    client.force_login(people["writer"])
    page_url = reverse("evrak:outgoing_action", args=[document.pk, "submit"])
    client.post(page_url, {"first": other.pk})
    document.refresh_from_db()
    assert document.state == "draft" and not document.approval_steps.exists()
    client.post(page_url, {"first": people["chief"].pk})
    document.refresh_from_db()
    assert document.state == "approval"


def test_the_signing_rules_api(people, make_user):
    from biys.core.models import ObjectChange

    api = APIClient()
    api.force_authenticate(people["writer"])
    url = "/api/v1/evrak/signing-rules/"
    listed = api.get(url, {"recipients": "institution"}).json()["results"]
    assert [row["name"] for row in listed] == ["Kurumlara: daire başkanı"]
    rule = SigningRule.objects.get(name="Kurumlara: daire başkanı")
    assert api.get(f"{url}{rule.pk}/").json()["level"] == "department_head"
    values = {"name": "Kişilere: şube müdürü", "recipients": "person", "level": "chief"}
    for user in (people["writer"], people["head"]):  # the heads sign under the rules
        api.force_authenticate(user)
        assert api.post(url, values, format="json").status_code == 403
        assert api.patch(f"{url}{rule.pk}/", {"active": False}, format="json").status_code == 403
        assert api.delete(f"{url}{rule.pk}/").status_code == 403
    api.force_authenticate(make_user(None, None, superuser=True))
    bad = api.post(url, values | {"level": "mayor"}, format="json")
    assert bad.status_code == 400 and "level" in bad.json()["errors"]
    created = api.post(url, values, format="json")
    assert created.status_code == 201, created.content
    new = SigningRule.objects.get(pk=created.json()["id"])
    assert new.recipients == "person" and new.active
    assert ObjectChange.objects.filter(object_id=str(new.pk)).exists()
    assert api.patch(f"{url}{rule.pk}/", {"active": False}, format="json").status_code == 200
    rule.refresh_from_db()
    assert not rule.active
    assert api.delete(f"{url}{new.pk}/").status_code == 204
    assert not SigningRule.objects.filter(pk=new.pk).exists()


def test_the_page_gives_the_paraf_refusal_at_the_field(client, people, org_tree, make_user):
    """A person who may not initial is refused at their field with the reason
    (``selectors.paraf_refusal``), not as Django's "not one of the available choices"."""
    from html import escape

    from django.utils import translation

    from biys.evrak.forms import SubmitForApprovalForm

    document = draft(people, org_tree, "head")
    other = make_user("chief", org_tree["roads"], first_name="Kemal", last_name="Dış")
    form = SubmitForApprovalForm({"third": other.pk}, document=document)
    assert not form.is_valid()
    assert form.errors == {"third": [selectors.paraf_refusal(person=other, document=document)]}
    assert "is-invalid" in str(form["third"]) and "is-invalid" not in str(form["first"])
    client.force_login(people["writer"])
    url = reverse("evrak:outgoing_action", args=[document.pk, "submit"])
    response = client.post(url, {"first": people["chief"].pk, "second": other.pk})
    assert response.status_code == 400
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        reason = selectors.paraf_refusal(person=other, document=document)
        generic = str(form.fields["first"].error_messages["invalid_choice"]).split("%")[0]
    page = response.content.decode()
    assert f'data-error-for="second">{escape(reason)}</div>' in page
    assert generic not in page and "Kemal Dış" in reason
    document.refresh_from_db()
    assert document.state == "draft" and not document.approval_steps.exists()
