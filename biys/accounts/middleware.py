from django.shortcuts import redirect
from django.urls import reverse


class RequireTwoFactorMiddleware:
    """Users holding a role that requires two-factor must verify a TOTP device before working."""

    exempt_prefixes = ("/accounts/", "/static/", "/i18n/", "/health/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.exempt_prefixes)
            and not user.is_verified()
        ):
            from biys.accounts.twofactor import two_factor_required

            if two_factor_required(user):
                return redirect(reverse("accounts:two_factor") + f"?next={request.path}")
        return self.get_response(request)
