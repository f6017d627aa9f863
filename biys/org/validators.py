from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def is_valid_tc_kimlik_no(value: str) -> bool:
    """The TC kimlik checksum: 11 digits, first non-zero, digits 10 and 11 computed from the rest."""
    if not value or len(value) != 11 or not value.isdigit() or value[0] == "0":
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
    return f"{value[:3]}******{value[-2:]}" if value else ""
