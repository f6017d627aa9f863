"""Log in and out, password, two-factor, profile and API token: pages about oneself."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from biys.accounts import services, twofactor
from biys.accounts.forms import LoginForm, TokenCodeForm
from biys.accounts.models import ApiToken


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Log in")}


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link or an image cannot log anyone out."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    extra_context = {"title": gettext_lazy("Change password")}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_usable_password():
            messages.info(request, _("Your password is managed by the directory (LDAP)."))
            return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def two_factor_verify(request):
    if twofactor.confirmed_device(request.user) is None:
        url = reverse("accounts:two_factor_setup")
        return redirect(f"{url}?next={_next_url(request, reverse('core:home'))}")
    form = TokenCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(request, form.cleaned_data["code"]):
            return redirect(_next_url(request, reverse("core:home")))
        form.add_error("code", _("The code is not valid. Check your device's clock and try again."))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request, ""), "title": _("Two-factor verification")},
    )


@login_required
def two_factor_setup(request):
    device = twofactor.confirmed_device(request.user)
    if device is not None:
        return render(
            request,
            "accounts/two_factor_status.html",
            {
                "device": device,
                "required": twofactor.two_factor_required(request.user),
                "form": TokenCodeForm(),
                "title": _("Two-factor authentication"),
            },
        )
    pending = twofactor.pending_device(request.user)
    form = TokenCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm_device(request, pending, form.cleaned_data["code"]):
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_next_url(request, reverse("accounts:profile")))
        form.add_error("code", _("The code is not valid. Check your device's clock and try again."))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": twofactor.qr_code_svg(pending.config_url),
            "secret": _base32(pending.bin_key),
            "next": _next_url(request, ""),
            "title": _("Set up two-factor authentication"),
        },
    )


def _base32(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@require_POST
def two_factor_disable(request):
    if twofactor.two_factor_required(request.user):
        messages.error(request, _("A role you hold requires two-factor authentication."))
        return redirect("accounts:two_factor_setup")
    form = TokenCodeForm(request.POST)
    device = twofactor.confirmed_device(request.user)
    if device is None or not form.is_valid() or not device.verify_token(form.cleaned_data["code"]):
        messages.error(request, _("The code is not valid. Two-factor authentication is still on."))
        return redirect("accounts:two_factor_setup")
    twofactor.disable(request.user)
    messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:profile")


@login_required
def profile(request):
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_user": user,
            "assignments": user.role_assignments.select_related("role", "unit"),
            "two_factor_device": twofactor.confirmed_device(user),
            "two_factor_required": twofactor.two_factor_required(user),
            "has_token": ApiToken.objects.filter(user=user).exists(),
            "title": _("Profile"),
        },
    )


@login_required
def token(request):
    """The API token: shown once when created, never again (only its existence)."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            services.delete_token(user=request.user)
            messages.success(request, _("Your API token has been deleted."))
            return redirect("accounts:token")
        new_key = services.regenerate_token(user=request.user)
    existing = ApiToken.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/token.html",
        {"new_key": new_key, "existing": existing, "title": _("API token")},
    )
