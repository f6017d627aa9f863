"""The person picker of the user pages (create a user, link a user to a person) tells two people
of the same name apart by unit and registry number (sicil), as the shared picker does, lists them
in Turkish alphabetical order, and reads them with their units in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from biys.accounts.forms import PersonLinkForm, UserCreateForm
from biys.org.models import Person
from biys.org.pickers import person_label

pytestmark = pytest.mark.django_db


def person(first, last, unit, sicil=None):
    return Person.objects.create(
        first_name=first, last_name=last, unit=unit, employment_type="memur", sicil_no=sicil
    )


def labels(field) -> list[str]:
    return [str(label) for value, label in field.choices if value != ""]


def test_namesakes_get_distinct_labels_in_turkish_order(namesakes):
    people = Person.objects.select_related("unit", "title")
    for form in (UserCreateForm(people=people), PersonLinkForm(people=people)):
        shown = labels(form.fields["person"])
        assert namesakes.labels["network"] in shown
        assert namesakes.labels["software"] in shown
        assert person_label(namesakes.network) != person_label(namesakes.software)
        assert [label.split(" — ")[0] for label in shown] == namesakes.order


def test_the_picker_reads_its_people_in_one_query_however_many(org_tree):
    def queries() -> int:
        form = UserCreateForm(people=Person.objects.select_related("unit", "title"))
        with CaptureQueriesContext(connection) as context:
            labels(form.fields["person"])
        return len(context.captured_queries)

    few = queries()
    for number in range(5):
        person("Kişi", f"Soyad{number}", org_tree["software"], f"9{number}")
    assert queries() == few == 1
