from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


class RequireTwoFactorMiddleware:
    """Users holding a role that requires two-factor must verify a TOTP device before working.

    Only the pages needed to log in, enrol and verify are open before that. Token-authenticated
    API calls are not affected (DRF authenticates them later); a session-authenticated API call
    from an unverified session is refused with a problem document.
    """

    exempt_prefixes = (
        "/accounts/login/",
        "/accounts/logout/",
        "/accounts/two-factor/",
        "/static/",
        "/i18n/",
        "/health/",
        "/jsi18n/",
    )

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
                return self._refuse(request)
        return self.get_response(request)

    def _refuse(self, request):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "type": "https://biys.local/problems/two_factor_required",
                    "title": _("Two-factor verification required."),
                    "status": 403,
                    "detail": _("Verify this session with your authenticator app first."),
                    "instance": request.path,
                },
                status=403,
                content_type="application/problem+json",
            )
        return redirect(
            reverse("accounts:two_factor") + "?" + urlencode({"next": request.get_full_path()})
        )
