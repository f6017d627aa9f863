"""Behind the reverse proxy the client's own address is used: X-Forwarded-For is believed only
from BIYS_TRUSTED_PROXIES, for the change log and for login throttling."""

import pytest
from django.test import Client
from django.urls import reverse

from biys.core.client_address import real_client_address
from biys.core.models import ObjectChange

PASSWORD = "Parola-Guclu-123"


@pytest.fixture
def behind_nginx(settings):
    settings.BIYS_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]
    return settings


def via(remote, forwarded=None) -> dict:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return meta


def test_header_is_ignored_without_trusted_proxies(settings):
    settings.BIYS_TRUSTED_PROXIES = []
    assert real_client_address(via("127.0.0.1", "203.0.113.7")) == "127.0.0.1"


def test_header_is_ignored_from_an_untrusted_peer(behind_nginx):
    assert real_client_address(via("198.51.100.2", "203.0.113.7")) == "198.51.100.2"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("1.2.3.4, 203.0.113.7", "203.0.113.7"),  # the left part is the client's own claim
        ("203.0.113.7, 10.0.0.5", "203.0.113.7"),  # a second trusted proxy is skipped
        ("2001:db8::1", "2001:db8::1"),
        ("not-an-address", "127.0.0.1"),
        ("", "127.0.0.1"),
    ],
)
def test_rightmost_untrusted_hop_is_the_client(behind_nginx, forwarded, client):
    assert real_client_address(via("127.0.0.1", forwarded)) == client


@pytest.mark.django_db
def test_change_log_records_the_client_not_the_proxy(behind_nginx, admin_user, org_tree):
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    client.force_login(admin_user)
    response = client.post(
        reverse("org:person_add"),
        {
            "first_name": "Ayşe",
            "last_name": "Yılmaz",
            "employment_type": "memur",
            "unit": org_tree["network"].pk,
            "status": "active",
        },
    )
    assert response.status_code == 302
    change = ObjectChange.objects.filter(object_repr__contains="Ayşe").latest("pk")
    assert change.remote_addr == "203.0.113.7"


def login(address, username, password):
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_a_stranger_cannot_lock_the_owner_out(behind_nginx, make_user, org_tree):
    make_user("technician", org_tree["helpdesk"], username="teknisyen")
    for _ in range(6):
        login("203.0.113.66", "teknisyen", "yanlis")
    assert login("203.0.113.66", "teknisyen", PASSWORD).status_code == 429  # the attacker
    assert login("198.51.100.10", "teknisyen", PASSWORD).status_code == 302  # the owner


@pytest.mark.django_db
def test_a_forged_header_from_outside_does_not_escape_the_lock(settings, make_user, org_tree):
    settings.BIYS_TRUSTED_PROXIES = []
    make_user("technician", org_tree["helpdesk"], username="teknisyen")
    for _ in range(6):
        login("203.0.113.66", "teknisyen", "yanlis")
    assert login("198.51.100.10", "teknisyen", PASSWORD).status_code == 429
