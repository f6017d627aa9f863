"""People in pickers. A name does not tell two people apart (the demo has two Ayşe Acar), so
each option says the person's unit and registry number (sicil) too; a login without a person
says its username. The options are in Turkish alphabetical order (by last name, as the people
list), their units read in the same query as the people: no query per option."""

from django import forms
from django.utils.translation import gettext

from biys.core.text import sort_key


def person_label(person) -> str:
    """'Ayşe Acar — Yazılım Şube Müdürlüğü · sicil no 1042' (the unit read with the person)."""
    details = [person.unit.name]
    if person.sicil_no:
        details.append(gettext("reg. no. %(number)s") % {"number": person.sicil_no})
    return f"{person.full_name} — {' · '.join(details)}"


def _person_order(person) -> tuple:
    return (person.sort_name, sort_key(person.unit.name), person.sicil_no or "", person.pk)


def user_label(user) -> str:
    """A login by its person's label, or by its name and username when it has no person."""
    if user.person_id:
        return person_label(user.person)
    name = user.get_full_name()
    return f"{name} — {user.username}" if name else user.username


def _user_order(user) -> tuple:
    if user.person_id:
        return (*_person_order(user.person)[:3], user.pk)
    name = f"{user.last_name} {user.first_name}".strip() or user.username
    return (sort_key(name, 200), "", user.username, user.pk)


class _SortedChoices(forms.models.ModelChoiceIterator):
    """The queryset read once, then ordered by the field's Turkish order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted(self.queryset, key=self.field.order_key):
            yield self.choice(obj)


class _Picker:
    related: str = ""
    iterator = _SortedChoices

    def _set_queryset(self, queryset):
        if queryset is not None:
            queryset = queryset.select_related(self.related)
        forms.ModelChoiceField._set_queryset(self, queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


class _PersonPicker(_Picker):
    related = "unit"

    def label_from_instance(self, obj) -> str:
        return person_label(obj)

    def order_key(self, obj) -> tuple:
        return _person_order(obj)


class _UserPicker(_Picker):
    related = "person__unit"

    def label_from_instance(self, obj) -> str:
        return user_label(obj)

    def order_key(self, obj) -> tuple:
        return _user_order(obj)


class PersonChoiceField(_PersonPicker, forms.ModelChoiceField):
    """One person (``org.Person``), told apart by unit and sicil."""


class PersonMultipleChoiceField(_PersonPicker, forms.ModelMultipleChoiceField):
    """People (``org.Person``), told apart by unit and sicil."""


class UserChoiceField(_UserPicker, forms.ModelChoiceField):
    """One login, told apart by its person's unit and sicil."""


class UserMultipleChoiceField(_UserPicker, forms.ModelMultipleChoiceField):
    """Logins, told apart by their people's unit and sicil."""
