"""The incoming register's numbers: how they are made and how people type them."""

import re

NUMBER_SEQUENCE = "evrak-incoming"
NUMBER_TEMPLATE = "GE-{year}-{seq:06d}"

# "GE-2026-000042", "ge 2026-42", "2026-42": a registry number as people say it.
TYPED_NUMBER = re.compile(r"^(?:ge[-\s]?)?(\d{4})-0*(\d{1,9})$", re.IGNORECASE)


def registry_number(text: str) -> str | None:
    """The registry number ``text`` names, as the register writes it, or None when ``text``
    is not one."""
    match = TYPED_NUMBER.match(text.strip())
    if not match:
        return None
    year, sequence = match.groups()
    return NUMBER_TEMPLATE.format(year=int(year), seq=int(sequence))
