"""The secret that keys the change log's hash chain and signs its checkpoints.

It lives outside the database, so whoever can edit the database alone cannot recompute hashes:
``BIYS_AUDIT_KEY`` (the key itself, at least 32 characters) or ``BIYS_AUDIT_KEY_FILE`` (a file
holding it, default ``$BIYS_DATA_DIR/audit.key``). When neither exists the file is generated on
first use with 32 random bytes, readable by its owner only. Back it up with the database: without
it ``biys audit verify`` cannot tell a genuine record from a forged one.
"""

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIN_KEY_LENGTH = 32
_cache: dict[tuple, bytes] = {}


def key_file() -> Path:
    configured = getattr(settings, "BIYS_AUDIT_KEY_FILE", "") or ""
    return Path(configured) if configured else Path(settings.DATA_DIR) / "audit.key"


def _read_or_create(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it a moment ago
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    key = path.read_text().strip().encode()
    if len(key) < MIN_KEY_LENGTH:
        raise ImproperlyConfigured(f"The audit key in {path} is shorter than {MIN_KEY_LENGTH}.")
    return key


def audit_key() -> bytes:
    configured = getattr(settings, "BIYS_AUDIT_KEY", "") or ""
    source = ("env", configured) if configured else ("file", str(key_file()))
    if source not in _cache:
        if configured:
            if len(configured) < MIN_KEY_LENGTH:
                raise ImproperlyConfigured(
                    f"BIYS_AUDIT_KEY must be at least {MIN_KEY_LENGTH} characters."
                )
            _cache[source] = configured.encode()
        else:
            _cache[source] = _read_or_create(key_file())
    return _cache[source]


def sign(payload: bytes) -> str:
    return hmac.new(audit_key(), payload, hashlib.sha256).hexdigest()


def key_fingerprint() -> str:
    """Names the key in checkpoints without revealing it."""
    return hashlib.sha256(b"biys-audit-key:" + audit_key()).hexdigest()[:16]
