import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

PASSWORD = "Parola-Guclu-123"


@pytest.fixture
def staff(make_user, org_tree):
    return make_user("technician", org_tree["helpdesk"], username="teknisyen")


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_page_is_turkish_by_default(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Oturum aç" in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_login_with_password_then_logout(client, staff):
    response = login(client, "teknisyen", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)

    assert client.get(reverse("accounts:logout")).status_code == 405  # POST only
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused_with_a_translated_error(client, staff):
    response = login(client, "teknisyen", "yanlis")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "kullanıcı adı ve parola" in response.content.decode().lower()


def test_sixth_wrong_attempt_is_locked_out_and_then_even_the_right_password(client, staff):
    # BIYS_LOGIN_FAILURE_LIMIT=5: the fifth failure locks the account (its answer says so).
    for _ in range(4):
        assert login(client, "teknisyen", "yanlis").status_code == 200
    assert login(client, "teknisyen", "yanlis").status_code == 429
    locked = login(client, "teknisyen", "yanlis")
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    assert "Çok fazla başarısız giriş" in locked.content.decode()

    refused = login(client, "teknisyen", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username(client, staff, make_user, org_tree):
    make_user("technician", org_tree["helpdesk"], username="baska")
    for _ in range(6):
        login(client, "teknisyen", "yanlis")
    assert login(client, "baska", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Kisa-1a", "çok kısa"),
        ("tamamenkucukharf", "en az üçünü"),
        ("123456789012345", "tamamıyla sayısal"),
        ("Password1234", "çok geneldir"),
    ],
)
def test_weak_passwords_are_rejected_with_turkish_messages(db, password, fragment):
    with translation.override("tr"), pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(fragment in message for message in error.value.messages), error.value.messages


def test_strong_password_passes(db):
    assert validate_password("Zabıta-Ekibi-2026") is None


def test_password_change(client, staff):
    client.force_login(staff)
    url = reverse("accounts:password_change")
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "zayif", "new_password2": "zayif"}
    )
    assert weak.status_code == 200
    assert "çok kısa" in weak.content.decode()
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Yeni-Parola-2026x",
            "new_password2": "Yeni-Parola-2026x",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("Yeni-Parola-2026x")


def test_pages_need_login(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
