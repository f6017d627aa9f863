import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: str.isdigit() also accepts Arabic-Indic and superscript digits.
_TC_KIMLIK_SHAPE = re.compile(r"[1-9][0-9]{10}", re.ASCII)
# Only the two check digits are shown: the nine hidden digits still leave about nine million
# numbers with those check digits (see test_tc_kimlik.py), where showing three leading digits
# as well left some ten thousand.
MASK_VISIBLE_TAIL = 2


def is_valid_tc_kimlik_no(value: str) -> bool:
    """The TC kimlik checksum: 11 digits, first non-zero, digits 10 and 11 computed from the rest."""
    if not isinstance(value, str) or not _TC_KIMLIK_SHAPE.fullmatch(value):
        return False
    digits = [int(char) for char in value]
    odd_sum = sum(digits[0:9:2])
    even_sum = sum(digits[1:8:2])
    tenth = (odd_sum * 7 - even_sum) % 10
    eleventh = sum(digits[:10]) % 10
    return digits[9] == tenth and digits[10] == eleventh


def validate_tc_kimlik_no(value: str) -> None:
    if not is_valid_tc_kimlik_no(value):
        raise ValidationError(
            _("Enter a valid TC kimlik number: 11 digits whose last two check digits match."),
            code="invalid_tc_kimlik_no",
        )


def mask_tc_kimlik_no(value: str) -> str:
    if not value:
        return ""
    return "*" * (len(value) - MASK_VISIBLE_TAIL) + value[-MASK_VISIBLE_TAIL:]
