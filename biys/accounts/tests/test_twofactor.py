import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from biys.accounts.models import Role


def current_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset_steps)
    return f"{code:0{device.digits}d}"


@pytest.fixture
def chief(make_user, org_tree):
    return make_user("chief", org_tree["network"], username="sef")


@pytest.fixture
def logged_in(client, chief):
    client.force_login(chief)
    return client


def enrol(client, user) -> TOTPDevice:
    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    return device


def test_setup_page_shows_an_inline_svg_qr_code(logged_in, chief):
    response = logged_in.get(reverse("accounts:two_factor_setup"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "<path" in body
    assert "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )  # no external QR service
    device = TOTPDevice.objects.get(user=chief)
    assert device.confirmed is False
    # Reloading keeps the same secret: the app already scanned it.
    logged_in.get(reverse("accounts:two_factor_setup"))
    assert TOTPDevice.objects.filter(user=chief).count() == 1


def test_wrong_code_does_not_confirm(logged_in, chief):
    logged_in.get(reverse("accounts:two_factor_setup"))
    response = logged_in.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert response.status_code == 200
    assert "Kod geçerli değil" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=chief, confirmed=True).exists()


def test_enrolment_with_a_real_code_confirms_and_verifies_the_session(logged_in, chief):
    device = enrol(logged_in, chief)
    assert device.confirmed is True
    assert logged_in.session.get("otp_device_id") == device.persistent_id


def test_role_requiring_two_factor_redirects_until_verified(client, chief, org_tree):
    Role.objects.filter(slug="chief").update(requires_two_factor=True)
    device = TOTPDevice.objects.create(user=chief, name="BİYS", confirmed=True)
    client.force_login(chief)

    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor"))
    api = client.get("/api/v1/accounts/me/")
    assert api.status_code == 403
    assert api["Content-Type"] == "application/problem+json"

    wrong = client.post(reverse("accounts:two_factor"), {"code": "123456", "next": "/"})
    assert wrong.status_code == 200
    time.sleep(1.1)  # django-otp throttles a device for a second after a wrong code
    right = client.post(
        reverse("accounts:two_factor"),
        {"code": current_code(device), "next": reverse("accounts:profile")},
    )
    assert right.status_code == 302
    assert right.url == reverse("accounts:profile")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_required_two_factor_without_a_device_leads_to_setup(client, chief):
    Role.objects.filter(slug="chief").update(requires_two_factor=True)
    client.force_login(chief)
    response = client.get(reverse("accounts:two_factor"), follow=False)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_setup"))
    device = enrol(client, chief)
    assert device.confirmed
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_roles_without_the_requirement_are_not_redirected(logged_in):
    assert logged_in.get(reverse("accounts:profile")).status_code == 200


def test_disable_needs_a_valid_code_and_is_refused_when_a_role_requires_it(logged_in, chief):
    device = enrol(logged_in, chief)
    url = reverse("accounts:two_factor_disable")
    logged_in.post(url, {"code": "000000"})
    assert TOTPDevice.objects.filter(user=chief).exists()
    time.sleep(1.1)  # django-otp throttles a device for a second after a wrong code

    Role.objects.filter(slug="chief").update(requires_two_factor=True)
    logged_in.post(url, {"code": current_code(device, 1)})
    assert TOTPDevice.objects.filter(user=chief).exists()

    Role.objects.filter(slug="chief").update(requires_two_factor=False)
    logged_in.post(url, {"code": current_code(device, 1)})
    assert not TOTPDevice.objects.filter(user=chief).exists()
