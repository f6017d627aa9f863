import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """A strong password mixes lower-case, upper-case letters and digits or symbols."""

    def validate(self, password, user=None):
        classes = [r"[a-zçğıöşü]", r"[A-ZÇĞİÖŞÜ]", r"[0-9]", r"[^\w\s]"]
        if sum(bool(re.search(pattern, password)) for pattern in classes) < 3:
            raise ValidationError(
                _(
                    "The password must contain at least three of: lower-case letters, upper-case "
                    "letters, digits and symbols."
                ),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("Use at least three of: lower-case letters, upper-case letters, digits, symbols.")
