from django.db import models


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what a user may see or change.

    ``restrict(user, "view")`` applies the user's access scope (biys.accounts.scope), which is
    resolved once and cached on the user object for the rest of the request.
    """

    def restrict(self, user, action: str = "view"):
        from biys.accounts.scope import restrict_queryset

        return restrict_queryset(self, user, action)
