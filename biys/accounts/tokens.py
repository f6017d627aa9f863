"""API tokens: random keys of which only a SHA-256 hash and a short prefix are stored.

The key has 256 bits of entropy, so an unsalted fast hash is enough (nothing to brute-force);
authentication looks the hash up by its unique index.
"""

import copy
import hashlib
import secrets

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from biys.accounts.models import ApiToken, User
from biys.core.generations import GenerationCache

PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(32)


def store_key(user, key: str) -> ApiToken:
    """Replace the user's token by ``key`` (kept only as its hash and prefix)."""
    ApiToken.objects.filter(user=user).delete()
    return ApiToken.objects.create(user=user, prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key))


# Kept by the process while no token or login changes: a token deleted or a login switched
# off renews the generation, which every request reads first, so a revoked token still fails
# at once. A login's time (written at every sign-in) is ignored.
TOKEN_GENERATION = "api_tokens"
_users_by_hash = GenerationCache(TOKEN_GENERATION)


def token_tables() -> tuple[list[str], dict[str, list[str]]]:
    user = User._meta
    return (
        [ApiToken._meta.db_table, user.db_table],
        {user.db_table: [user.get_field("last_login").column]},
    )


def _user_for_hash(key_hash: str):
    # one plain statement through the unique index: the ORM's query building cost more
    users = User.objects.raw(
        f"SELECT u.* FROM {User._meta.db_table} u "
        f"JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id WHERE t.key_hash = %s",
        [key_hash],
    )
    for user in users:
        return user
    return None


def user_for_key(key: str):
    """The user whose token's hash is the key's, or ``None`` (a key no token has is never
    kept: guessing cannot fill the cache)."""
    key_hash = hash_key(key)
    user = _users_by_hash.get(
        key_hash, lambda: _user_for_hash(key_hash), keep=lambda user: user is not None
    )
    return copy.copy(user) if user is not None else None  # the request may change its user


class HashedTokenAuthentication(TokenAuthentication):
    """DRF's ``Authorization: Token <key>`` header, checked against the stored hashes."""

    def authenticate_credentials(self, key):
        user = user_for_key(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, key)
