"""Text every database can store: no NUL character (PostgreSQL refuses it in text and jsonb)
and no lone UTF-16 surrogate (it cannot be encoded as UTF-8: SQLite, the change log's hash and
every export would fail on it). JSON arrives with ``\\u0000`` and ``\\ud800`` escapes, so these
checks guard every JSON value, keys included; DRF's CharField already applies both to text
and Django's form CharField the first (a form post cannot carry a lone surrogate)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Deeper than any form answer needs, far below the recursion limit of the hash and exports.
MAX_JSON_DEPTH = 20


def _problem_in_text(text: str):
    if "\x00" in text:
        return ValidationError(_("Null characters are not allowed."), code="null_characters")
    if any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        return ValidationError(
            _("Surrogate characters are not allowed."), code="surrogate_characters"
        )
    return None


def validate_storable_json(value) -> None:
    """Raise a ValidationError if any string in ``value`` (a parsed JSON value) is unstorable
    or the value is nested deeper than MAX_JSON_DEPTH."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise ValidationError(_("The value is nested too deeply."), code="too_deep")
        if isinstance(item, str):
            error = _problem_in_text(item)
            if error:
                raise error
        elif isinstance(item, dict):
            for key, child in item.items():
                pending.append((str(key), depth + 1))
                pending.append((child, depth + 1))
        elif isinstance(item, (list, tuple)):
            pending.extend((child, depth + 1) for child in item)


_VKN = re.compile(r"[0-9]{10}", re.ASCII)


def validate_vkn(value: str) -> None:
    """A company's tax number (vergi kimlik numarası): ten digits."""
    if not _VKN.fullmatch(value or ""):
        raise ValidationError(_("A tax number (VKN) has 10 digits."), code="invalid_vkn")
