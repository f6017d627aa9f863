"""TOTP two-factor authentication (django-otp): enrolment with a QR code drawn on the server,
verification per session, and roles that require it."""

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from biys.accounts.scope import get_scope

DEVICE_NAME = "BİYS"


def two_factor_required(user) -> bool:
    """True when any role the user holds requires two-factor authentication (read with the
    user's access scope)."""
    return get_scope(user).requires_two_factor


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (a new secret on the first visit only)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_code_svg(text: str) -> str:
    """An inline SVG QR code; nothing leaves the server (no chart service)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]


@transaction.atomic
def confirm_device(request, device: TOTPDevice, code: str) -> bool:
    """Enrolment ends when the user proves the app shows the right code; the session counts as
    verified from then on."""
    if not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    return True


def verify(request, code: str) -> bool:
    device = confirmed_device(request.user)
    if device is None or not device.verify_token(code):
        return False
    otp_login(request, device)
    return True


@transaction.atomic
def disable(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
