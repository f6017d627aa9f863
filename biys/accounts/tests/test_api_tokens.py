"""API tokens are stored as hashes: shown once, found by hash, existing plain keys migrated."""

import hashlib
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from biys.accounts import services
from biys.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me/"


def api_with(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.fixture
def user(make_user, org_tree):
    return make_user("technician", org_tree["helpdesk"], username="jetonlu")


def stored_text(token: ApiToken) -> str:
    return " ".join(
        str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()
    )


def test_only_a_hash_and_a_prefix_are_stored(user):
    key = services.regenerate_token(user=user)
    token = ApiToken.objects.get(user=user)
    assert len(key) >= 40
    assert key not in stored_text(token)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]


def test_the_key_authenticates_by_its_hash(user):
    key = services.regenerate_token(user=user)
    assert api_with(key).get(ME).json()["username"] == "jetonlu"
    assert api_with(key + "x").get(ME).status_code in (401, 403)
    token = ApiToken.objects.get(user=user)
    assert api_with(token.key_hash).get(ME).status_code in (401, 403)  # the stored value is no key


def test_an_inactive_users_token_is_refused(user):
    key = services.regenerate_token(user=user)
    user.is_active = False
    user.save()
    assert api_with(key).get(ME).status_code in (401, 403)


def test_token_page_shows_the_key_once_then_only_the_prefix(client, user):
    client.force_login(user)
    created = client.post(reverse("accounts:token"), {"action": "create"})
    key = created.context["new_key"]
    assert key in created.content.decode()
    later = client.get(reverse("accounts:token")).content.decode()
    assert key not in later
    assert key[:8] in later


def test_migration_hashes_existing_plain_tokens(user, make_user, org_tree):
    other = make_user("requester", org_tree["roads"], username="eskijeton")
    plain = {user.pk: "a" * 40, other.pk: "0123456789abcdef0123456789abcdef01234567"}
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token ("
            '"key" varchar(40) PRIMARY KEY, created timestamp NULL, user_id bigint NOT NULL)'
        )
        for user_id, key in plain.items():
            cursor.execute(
                'INSERT INTO authtoken_token ("key", user_id) VALUES (%s, %s)', [key, user_id]
            )
    migration = importlib.import_module("biys.accounts.migrations.0005_hash_plain_api_tokens")
    migration.hash_plain_tokens(apps, SimpleNamespace(connection=connection))

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0  # no plain key left
    for key in plain.values():
        response = api_with(key).get(ME)
        assert response.status_code == 200  # holders keep their key
    assert ApiToken.objects.count() == 2
