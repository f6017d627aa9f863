"""Incoming documents in the global search box (loaded by the app's ``ready``): the registry
number, the sender's sayı, the subject, the sender and the text recognised in the scans, for
the documents the user sees (a Gizli or Çok Gizli one for its named readers only)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.core.search import register
from biys.evrak.models import IncomingDocument
from biys.evrak.numbering import registry_number
from biys.evrak.selectors import documents_visible_to


def registry_number_condition(query: str) -> Q | None:
    number = registry_number(query)
    return None if number is None else Q(number=number)


register(
    IncomingDocument,
    label=_("Incoming documents"),
    order_by=("-registered_at", "-id"),
    visible=documents_visible_to,
    exact=registry_number_condition,
    select_related=("receiving_unit",),
)
