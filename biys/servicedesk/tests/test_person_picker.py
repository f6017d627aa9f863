"""The caller picked on the phone intake is labelled as in every person picker: two people of
the same name are told apart by unit and registry number (sicil)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from biys.org.models import Person
from biys.servicedesk.forms import PhoneIntakeForm

pytestmark = pytest.mark.django_db


def person(first, last, unit, sicil=None):
    return Person.objects.create(
        first_name=first, last_name=last, unit=unit, employment_type="memur", sicil_no=sicil
    )


def labels(field) -> list[str]:
    return [str(label) for value, label in field.choices if value != ""]


def test_namesake_callers_get_distinct_labels_in_turkish_order(namesakes):
    field = PhoneIntakeForm().fields["requester"]
    shown = labels(field)
    assert namesakes.labels["network"] in shown
    assert namesakes.labels["software"] in shown
    assert len(set(shown)) == len(shown) == 4
    assert [label.split(" — ")[0] for label in shown] == namesakes.order
    with CaptureQueriesContext(connection) as context:
        labels(PhoneIntakeForm().fields["requester"])
    assert len(context.captured_queries) == 1  # the units read with the people


def test_the_chosen_caller_is_still_accepted(org_tree):
    caller = person("Ayşe", "Acar", org_tree["software"], "2077")
    form = PhoneIntakeForm(data={"requester": caller.pk, "title": "x"})
    form.is_valid()
    assert "requester" not in form.errors
    assert form.cleaned_data["requester"] == caller
