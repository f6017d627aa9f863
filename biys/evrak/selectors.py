"""Reads of the evrak module: who sees which incoming document.

A document belongs to its receiving unit: the unit's roles see it (``evrak.view_*``). A Gizli
or Çok Gizli document is the exception: only the people named on it see it, whatever role they
hold over the unit (a superuser included), and a named person sees it even without one."""

from django.db.models import Exists, OuterRef, Q

from biys.accounts.scope import ALL, get_scope, perm_name
from biys.evrak.choices import NAMED_ONLY
from biys.evrak.models import IncomingDocument


def _unit_q(user, model, action: str) -> Q:
    units = get_scope(user).units_for(perm_name(model, action))
    if units is ALL:
        return Q()
    if not units:
        return Q(pk__in=[])
    return Q(receiving_unit__in=units)


def named_q(user) -> Exists:
    through = IncomingDocument.named_readers.through
    return Exists(through.objects.filter(incomingdocument=OuterRef("pk"), user=user.pk))


def restrict_documents(queryset, user, action: str = "view"):
    if user is None or not user.is_authenticated:
        return queryset.none()
    unit_q = _unit_q(user, queryset.model, action)
    confidential = Q(confidentiality__in=NAMED_ONLY)
    if action == "view":
        return queryset.filter((unit_q & ~confidential) | (confidential & named_q(user)))
    return queryset.filter(unit_q & (~confidential | named_q(user)))


def documents_visible_to(user):
    return restrict_documents(IncomingDocument.objects.all(), user, "view")


def document_list(user):
    return documents_visible_to(user).select_related("receiving_unit", "sdp_code")


def may_reveal(user, document: IncomingDocument) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        get_scope(user).has_perm("evrak.reveal_sender_data", document.receiving_unit_id)
        and documents_visible_to(user).filter(pk=document.pk).exists()
    )
