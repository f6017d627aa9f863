"""The recipient kind of a distribution line (public institution, company, person, unit of
the municipality): the number that fits each kind, the form's lines, the API, the signing
rules that select by it, and the migration's guess for the lines written before it."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from biys.evrak import outgoing_services as svc
from biys.evrak.models import DistributionLine, SigningRule
from biys.evrak.tests.test_signing_rules import INTERNAL, VALILIK, draft, people  # noqa: F401

pytestmark = pytest.mark.django_db

TCKN = "10000000146"  # a valid check sum
PERSON = {"kind": "GRG", "name": "Ayşe Demir", "tc_kimlik_no": TCKN, "address": "Merkez"}
COMPANY = {"kind": "BLG", "name": "Kuzey Yazılım Ltd. Şti.", "vkn": "1234567890"}


@pytest.fixture(autouse=True)
def _no_rules(db):
    SigningRule.objects.all().delete()


def test_each_kind_takes_its_own_number(people, org_tree):  # noqa: F811
    document = draft(people, org_tree, None, distribution=[VALILIK, PERSON, COMPANY, INTERNAL])
    kinds = dict(document.distribution.values_list("name", "recipient_kind"))
    assert kinds == {
        "Eskişehir Valiliği": "institution", "Ayşe Demir": "person",
        "Kuzey Yazılım Ltd. Şti.": "company", "Fen İşleri Dairesi Başkanlığı": "internal",
    }  # fmt: skip
    refused = [
        {"name": "Valilik", "recipient_kind": "institution"},  # no DETSİS number
        {"name": "Firma", "recipient_kind": "company", "detsis_no": "38417202"},
        {"name": "Firma", "vkn": "123"},
        {"name": "Kişi", "tc_kimlik_no": "12345678901"},  # check digits wrong
        {"name": "Birim", "recipient_kind": "internal", "tc_kimlik_no": TCKN},
    ]
    for line in refused:
        with pytest.raises(ValidationError) as error:
            draft(people, org_tree, None, distribution=[{"kind": "GRG", **line}])
        assert list(error.value.message_dict) == ["distribution"], line


def test_the_form_lines_say_the_kind_and_mask_the_tc_kimlik_number(people, org_tree):  # noqa: F811
    text = (
        "Eskişehir Valiliği | 38417202\nAyşe Demir | 10000000146\nKuzey A.Ş. | 1234567890\n"
        "Güney Ltd. | şirket\nMehmet Kaya | Kişi\nFen İşleri Dairesi Başkanlığı"
    )
    lines = svc.parse_distribution(text, "GRG")
    assert [svc.recipient_kind_of(line) for line in lines] == [
        "institution", "person", "company", "company", "person", "internal",
    ]  # fmt: skip
    document = draft(people, org_tree, None, distribution=lines)
    shown = svc.distribution_text(list(document.distribution.all()), "GRG", masked=True)
    assert TCKN not in shown and "*********46" in shown and "Güney Ltd. | şirket" in shown
    again = svc.parse_distribution(shown, "GRG", known=list(document.distribution.all()))
    assert again[1]["tc_kimlik_no"] == TCKN
    assert [svc.recipient_kind_of(line) for line in again] == [
        svc.recipient_kind_of(line) for line in lines
    ]


def test_rules_select_by_recipient_kind_and_the_api_masks_the_person(people, org_tree):  # noqa: F811
    SigningRule.objects.create(name="Kişilere: şube müdürü", recipients="person", level="chief")
    assert draft(people, org_tree, "colleague", distribution=[COMPANY]).signer
    with pytest.raises(ValidationError, match="Kişilere"):
        draft(people, org_tree, "colleague", distribution=[COMPANY, PERSON])
    api = APIClient()
    api.force_authenticate(people["writer"])
    values = {
        "unit": org_tree["network"].pk, "subject": "Başvurunuz hk.", "signer": people["chief"].pk,
        "distribution": [PERSON | {"recipient_kind": "person"}],
    }  # fmt: skip
    response = api.post("/api/v1/evrak/outgoing/", values, format="json")
    assert response.status_code == 201, response.content
    line = response.json()["distribution"][0]
    assert line["recipient_kind"] == "person" and line["tc_kimlik_no_masked"] == "*********46"
    assert TCKN not in response.content.decode()
    values["distribution"] = [{"kind": "GRG", "name": "X", "recipient_kind": "institution"}]
    response = api.post("/api/v1/evrak/outgoing/", values, format="json")
    assert response.status_code == 400 and "distribution" in str(response.json())


def test_the_migration_guesses_the_kind_of_earlier_lines():
    migration = importlib.import_module("biys.evrak.migrations.0014_distribution_recipient_kind")
    guess = migration.infer_kind
    assert guess("38417202", "Eskişehir Valiliği", "") == "institution"
    assert guess("", "Kuzey Bilişim A.Ş.", "") == "company"
    assert guess("", "Güney Yazılım Ltd. Şti.", "Ankara") == "company"
    assert guess("", "Ayşe Demir", "Cumhuriyet Mah. No: 1") == "person"
    assert guess("", "Fen İşleri Dairesi Başkanlığı", "") == "internal"
    assert DistributionLine._meta.get_field("recipient_kind").default == "institution"
