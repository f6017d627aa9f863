"""Factories for accounts, registered for the cross-module permission matrix."""

import factory

from biys.accounts.models import Role, RoleAssignment, User
from biys.core.testing import register_factory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"kullanici{n}")
    first_name = "Deniz"
    last_name = factory.Sequence(lambda n: f"Kaya {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@belediye.local")
    password = factory.PostGenerationMethodCall("set_password", "Parola-Guclu-123")

    @factory.post_generation
    def _save(user, create, extracted, **kwargs):
        if create:
            user.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    slug = factory.Sequence(lambda n: f"rol-{n}")
    name = factory.Sequence(lambda n: f"Rol {n}")


def person_in(unit):
    from biys.org.models import Person

    return Person.objects.create(
        first_name="Deniz", last_name="Kaya", employment_type="memur", unit=unit
    )


@register_factory(User)
def make_user_in(unit) -> User:
    return UserFactory(person=person_in(unit))


@register_factory(Role)
def make_role(unit) -> Role:
    return RoleFactory()


@register_factory(RoleAssignment)
def make_role_assignment(unit) -> RoleAssignment:
    return RoleAssignment.objects.create(
        user=make_user_in(unit), role=Role.objects.get(slug="requester"), unit=unit
    )
