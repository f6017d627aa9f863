"""A distribution line to a unit of the municipality is the org unit (its name taken from the
unit): chosen in the form's unit pickers, given by id in the API, or named exactly; the
e-Yazışma package's Dagitim still lists the public institutions alone; migration 0015 links
the lines written before by exact, unique name."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from biys.evrak.models import DistributionLine, SigningRule
from biys.evrak.tests.test_signing_rules import VALILIK, draft, people  # noqa: F401
from biys.org.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rules(db):
    SigningRule.objects.all().delete()


def test_a_unit_line_links_its_unit_and_takes_its_name(people, org_tree):  # noqa: F811
    roads = org_tree["roads"]
    document = draft(
        people, org_tree, None,
        distribution=[
            VALILIK,
            {"kind": "GRG", "name": "typed, replaced", "unit": roads},
            {"kind": "BLG", "name": "Yazılım Şube Müdürlüğü"},  # the exact name of one unit
        ],
    )  # fmt: skip
    lines = {line.unit_id: line for line in document.distribution.all()}
    assert lines[None].recipient_kind == "institution" and lines[None].name == VALILIK["name"]
    assert lines[roads.pk].name == roads.name and lines[roads.pk].recipient_kind == "internal"
    software = lines[org_tree["software"].pk]
    assert software.kind == "BLG" and software.recipient_kind == "internal"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"name": "Fen işleri dairesi başkanlığı"}, "No unit"),  # not the exact name
        ({"name": "Aynı Ad"}, "Several units"),
        (
            {
                "name": "V",
                "recipient_kind": "institution",
                "detsis_no": "38417202",
                "unit": "roads",
            },
            "A unit belongs",
        ),
        ({"name": "", "unit": 999999}, "Choose a unit"),
    ],
)
def test_a_unit_line_without_its_one_unit_is_refused(people, org_tree, line, message):  # noqa: F811
    for _twice in range(2):
        Unit.objects.create(name="Aynı Ad", kind="mudurluk")
    if line.get("unit") == "roads":
        line = line | {"unit": org_tree["roads"]}
    with translation.override("en"), pytest.raises(ValidationError) as error:
        draft(people, org_tree, None, distribution=[VALILIK, {"kind": "GRG", **line}])
    assert list(error.value.message_dict) == ["distribution"]
    assert message in " ".join(error.value.message_dict["distribution"])


def test_the_form_picks_units_and_saving_it_unchanged_changes_nothing(
    client,
    people,  # noqa: F811
    org_tree,
):
    roads, software = org_tree["roads"], org_tree["software"]
    document = draft(
        people, org_tree, None,
        distribution=[
            {"kind": "GRG", "unit": roads}, VALILIK, {"kind": "BLG", "unit": software},
        ],
    )  # fmt: skip
    client.force_login(people["writer"])
    url = reverse("evrak:outgoingdocument_edit", args=[document.pk])
    form = client.get(url).context["form"]
    assert form.initial["action_recipients"] == "Eskişehir Valiliği | 38417202"
    assert form.initial["action_units"] == [roads.pk]
    assert form.initial["info_units"] == [software.pk]
    assert str(roads.pk) in form["action_units"].as_widget()
    data = {
        "unit": org_tree["network"].pk, "subject": document.subject,
        "sdp_code": document.sdp_code_id, "confidentiality": "YOK", "urgency": "NRM",
        "body": document.body, "action_recipients": "Eskişehir Valiliği | 38417202",
        "action_units": [roads.pk], "info_units": [software.pk],
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    document.refresh_from_db()
    assert document.version == 1  # the same lines in the same order: no new version
    data["info_units"] = [org_tree["helpdesk"].pk]
    assert client.post(url, data).status_code == 302
    line = document.distribution.get(kind="BLG")
    assert line.unit == org_tree["helpdesk"] and line.name == "Teknik Destek Şefliği"


def test_the_api_takes_the_unit_by_id(people, org_tree):  # noqa: F811
    api = APIClient()
    api.force_authenticate(people["writer"])
    values = {
        "unit": org_tree["network"].pk, "subject": "Toplantı hk.",
        "distribution": [{"kind": "GRG", "unit": org_tree["roads"].pk}],
    }  # fmt: skip
    response = api.post("/api/v1/evrak/outgoing/", values, format="json")
    assert response.status_code == 201, response.content
    line = response.json()["distribution"][0]
    assert line["unit"] == org_tree["roads"].pk and line["recipient_kind"] == "internal"
    assert line["name"] == "Fen İşleri Dairesi Başkanlığı"
    values["distribution"] = [{"kind": "GRG", "name": "Olmayan Birim"}]
    response = api.post("/api/v1/evrak/outgoing/", values, format="json")
    assert response.status_code == 400 and "Olmayan Birim" in str(response.json())


def test_the_migration_links_earlier_lines_by_exact_unique_name(people, org_tree):  # noqa: F811
    migration = importlib.import_module("biys.evrak.migrations.0015_distribution_unit")
    document = draft(people, org_tree, None, distribution=[VALILIK])
    Unit.objects.create(name="Aynı Ad", kind="mudurluk")
    Unit.objects.create(name="Aynı Ad", kind="mudurluk", is_active=False)
    closed = Unit.objects.create(name="Kapanan Müdürlük", kind="mudurluk", is_active=False)
    earlier = {
        name: DistributionLine.objects.create(
            document=document, name=name, recipient_kind=kind, detsis_no=detsis
        )
        for name, kind, detsis in (
            ("Fen İşleri Dairesi Başkanlığı", "internal", ""),  # one unit: linked
            ("Kapanan Müdürlük", "internal", ""),  # one unit, closed since: linked
            ("Aynı Ad", "internal", ""),  # two units: left alone
            ("fen işleri dairesi başkanlığı", "internal", ""),  # not exact: left alone
            ("Yazılım Şube Müdürlüğü", "institution", "38417203"),  # not a unit line
        )
    }
    migration.link_units(apps, None)
    linked = {}
    for line in earlier.values():
        line.refresh_from_db()
        linked[line.name] = line.unit_id
    assert linked == {
        "Fen İşleri Dairesi Başkanlığı": org_tree["roads"].pk, "Kapanan Müdürlük": closed.pk,
        "Aynı Ad": None, "fen işleri dairesi başkanlığı": None, "Yazılım Şube Müdürlüğü": None,
    }  # fmt: skip
    assert DistributionLine.objects.get(name=VALILIK["name"]).unit_id is None
