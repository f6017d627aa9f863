"""API tokens: random keys of which only a SHA-256 hash and a short prefix are stored.

The key has 256 bits of entropy, so an unsalted fast hash is enough (nothing to brute-force);
authentication looks the hash up by its unique index.
"""

import hashlib
import secrets

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from biys.accounts.models import ApiToken, User

PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(32)


def store_key(user, key: str) -> ApiToken:
    """Replace the user's token by ``key`` (kept only as its hash and prefix)."""
    ApiToken.objects.filter(user=user).delete()
    return ApiToken.objects.create(user=user, prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key))


def user_for_key(key: str):
    """The user whose token's hash is the key's, read on every request (a revoked token fails at
    once): one plain statement through the unique index, since the ORM's query building cost
    more than the query."""
    users = User.objects.raw(
        f"SELECT u.* FROM {User._meta.db_table} u "
        f"JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id WHERE t.key_hash = %s",
        [hash_key(key)],
    )
    for user in users:
        return user
    return None


class HashedTokenAuthentication(TokenAuthentication):
    """DRF's ``Authorization: Token <key>`` header, checked against the stored hashes."""

    def authenticate_credentials(self, key):
        user = user_for_key(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, key)
