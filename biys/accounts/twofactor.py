from biys.accounts.models import Role


def two_factor_required(user) -> bool:
    """True when any role the user holds requires two-factor authentication."""
    cached = getattr(user, "_biys_2fa_required", None)
    if cached is None:
        cached = Role.objects.filter(assignments__user=user, requires_two_factor=True).exists()
        user._biys_2fa_required = cached
    return cached
