"""The tracking code a citizen gets for an application filed on the public form.

Twelve characters from Crockford's base-32 alphabet (no I, L, O or U to misread), shown in
groups of four: 60 random bits, so guessing one is hopeless even without the tracking page's
rate limit. Only its SHA-256 is stored: a copy of the database does not hand out the codes
(the citizen keeps the code; staff find the application by its number)."""

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
# What people type instead: Crockford's decoding rules.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """ABCD-EFGH-JKMN."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalised(typed: str) -> str | None:
    """The code as typed (any case, spaces or hyphens, I/L for 1, O for 0), or None when it
    cannot be a code at all."""
    code = "".join(ch for ch in (typed or "").upper() if ch not in " -\t").translate(_READ_AS)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def digest(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()
