"""Django's model backend, reading a signed-in user together with their person."""

from django.contrib.auth import backends, get_user_model

# What every page reads of the signed-in user besides the user row: the top bar shows the
# person's initials. Joined to the user's own query rather than read by a second one.
USER_RELATED = ("person",)


def user_with_person(user_id):
    """The user ``user_id`` with their person (``None`` when there is no such user)."""
    model = get_user_model()
    try:
        return model._default_manager.select_related(*USER_RELATED).get(pk=user_id)
    except model.DoesNotExist:
        return None


class ModelBackend(backends.ModelBackend):
    """``django.contrib.auth.backends.ModelBackend``, whose ``get_user`` (run for every request
    of a signed-in user) reads the person in the same query."""

    def get_user(self, user_id):
        user = user_with_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
