"""Incoming documents in the global search box (loaded by the app's ``ready``): the registry
number, the sender's sayı, the subject, the sender and the text recognised in the scans, for
the documents the user sees (a Gizli or Çok Gizli one for its named readers only)."""

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.core.search import register
from biys.evrak.models import IncomingDocument
from biys.evrak.selectors import documents_visible_to

# "GE-2026-000042", "2026-42": the registry number as people say it.
REGISTRY_NUMBER = re.compile(r"^(?:ge-?)?(\d{4})-0*(\d{1,9})$", re.IGNORECASE)


def registry_number_condition(query: str) -> Q | None:
    match = REGISTRY_NUMBER.match(query.strip())
    if not match:
        return None
    year, sequence = match.groups()
    return Q(number__iendswith=f"-{year}-{int(sequence):06d}")


register(
    IncomingDocument,
    label=_("Incoming documents"),
    order_by=("-registered_at", "-id"),
    visible=documents_visible_to,
    exact=registry_number_condition,
    select_related=("receiving_unit",),
)
