"""The person pickers of the correspondence module tell two people of the same name apart (the
demo's two Ayşe Acar) by unit and registry number (sicil), list them in Turkish alphabetical
order, and read them with their units in one query however many there are: the year-end's and
the hand-over's commission, and the logins picked for routing, signing, initialling, reading
and grants."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from biys.evrak.forms import (
    DisposalDecisionForm,
    GrantForm,
    OutgoingDocumentForm,
    RegisterForm,
    RouteDocumentForm,
    RouteOnForm,
    SubmitForApprovalForm,
)
from biys.evrak.tests.test_archive import codes, filed  # noqa: F401
from biys.org.models import Person
from biys.org.pickers import person_label, user_label

pytestmark = pytest.mark.django_db


def person(first, last, unit, sicil=None):
    return Person.objects.create(
        first_name=first, last_name=last, unit=unit, employment_type="memur", sicil_no=sicil
    )


def labels(field) -> list[str]:
    return [str(label) for value, label in field.choices if value != ""]


def test_the_commission_picker_tells_namesakes_apart_in_turkish_order(org_tree, namesakes):
    person("Deniz", "Demir", org_tree["dept"])
    person("Ömer", "Işık", org_tree["dept"])
    person("Eda", "İnce", org_tree["dept"])
    field = DisposalDecisionForm(prefix="handover").fields["members"]
    shown = labels(field)
    assert namesakes.labels["network"] in shown and namesakes.labels["software"] in shown
    assert person_label(namesakes.network) != person_label(namesakes.software)
    # by last name, Turkish alphabet: c < ç < d, ı < i; namesakes by unit
    assert [label.split(" — ")[0] for label in shown] == [
        *namesakes.order,
        "Deniz Demir",
        "Ömer Işık",
        "Eda İnce",
    ]
    units = sorted([org_tree["network"].name, org_tree["software"].name])
    assert [label.split(" — ")[1].split(" · ")[0] for label in shown[:2]] == units
    assert namesakes.labels["celik"] in shown  # no sicil: the unit alone


def test_the_pickers_read_their_people_in_one_query_however_many(org_tree, make_user):
    def queries(field) -> int:
        with CaptureQueriesContext(connection) as context:
            labels(field)
        return len(context.captured_queries)

    def fields():
        return [
            DisposalDecisionForm(prefix="destroy").fields["members"],
            GrantForm().fields["user"],
            RouteOnForm().fields["assignee"],
            RouteDocumentForm().fields["assignee"],
            RegisterForm().fields["named_readers"],
        ]

    make_user(None, org_tree["network"])
    assert [queries(field) for field in fields()] == [1] * 5
    for index in range(8):
        make_user(None, org_tree["software" if index % 2 else "roads"])
    assert [queries(field) for field in fields()] == [1] * 5


def test_logins_are_labelled_by_their_person(org_tree, make_user):
    first = make_user(None, org_tree["network"])
    second = make_user(None, org_tree["software"])
    Person.objects.filter(pk__in=[first.person_id, second.person_id]).update(
        first_name="Ayşe", last_name="Acar"
    )
    Person.objects.filter(pk=first.person_id).update(sicil_no="1042")
    without_person = make_user(None, None, username="sistem", first_name="", last_name="")
    first.refresh_from_db()
    shown = labels(GrantForm().fields["user"])
    assert f"Ayşe Acar — {org_tree['network'].name} · sicil no 1042" in shown
    assert f"Ayşe Acar — {org_tree['software'].name}" in shown
    assert user_label(without_person) == "sistem" and "sistem" in shown
    assert user_label(first) == shown[shown.index(user_label(first))]
    for form in (RouteOnForm(), RouteDocumentForm()):
        assert f"Ayşe Acar — {org_tree['network'].name} · sicil no 1042" in labels(
            form.fields["assignee"]
        )
    assert OutgoingDocumentForm.base_fields["signer"].__class__.__name__ == "UserChoiceField"
    assert SubmitForApprovalForm.base_fields["first"].label_from_instance(first) == user_label(
        first
    )


def test_the_year_end_page_shows_the_labels_without_a_query_per_person(
    org_tree,
    make_user,
    codes,  # noqa: F811
):
    filed(org_tree["network"], codes["keep"], 2020)  # due for transfer: the form is shown
    head = make_user("department_head", org_tree["dept"])
    client = Client()
    client.force_login(head)
    url = reverse("evrak:year_end")

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, {"year": 2025})
        assert response.status_code == 200
        return len(context.captured_queries)

    queries()  # warm the scope and content type caches
    few = queries()
    person("Ayşe", "Acar", org_tree["network"], "1042")
    person("Ayşe", "Acar", org_tree["software"], "2077")
    for index in range(6):
        person("Ali", f"Kişi {index}", org_tree["roads"])
    assert queries() == few
    html = client.get(url, {"year": 2025}).content.decode()
    assert "Ayşe Acar — " in html and "sicil no 2077" in html
