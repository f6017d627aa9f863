"""The ``(unit) -> instance`` callables the cross-module tests (permission matrix, schema run) use
to put a change record and a personal data view in a unit."""

from django.contrib.contenttypes.models import ContentType

from biys.core.models import ObjectChange, PersonalDataView
from biys.core.testing import register_factory


def _person(unit):
    from biys.org.models import Person

    return Person.objects.create(
        first_name="Kayıt", last_name="Sahibi", employment_type="memur", unit=unit
    )


@register_factory(ObjectChange)
def make_object_change(unit) -> ObjectChange:
    """The change log's record of a person added to ``unit`` (the record belongs to that unit)."""
    person = _person(unit)
    return ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(person), object_id=str(person.pk)
    ).latest("id")


@register_factory(PersonalDataView)
def make_personal_data_view(unit) -> PersonalDataView:
    """Someone's view of the personal data of a person of ``unit``."""
    from biys.accounts.models import User
    from biys.core.personal_data import record_view

    person = _person(unit)
    viewer = User.objects.create_user(username=f"okuyan-{person.pk}", password=None)
    return record_view(user=viewer, obj=person, fields=["tc_kimlik_no"], reason="Denetim")
