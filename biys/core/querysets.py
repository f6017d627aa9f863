from django.db import models


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what a user may see or change.

    ``restrict(user, "view")`` applies the user's access scope (the policy plugged in by the
    ``BIYS_ACCESS_POLICY`` setting, see ``biys.core.access``), which is resolved once and cached
    on the user object for the rest of the request.
    """

    def restrict(self, user, action: str = "view"):
        from biys.core.access import restrict_queryset

        return restrict_queryset(self, user, action)
