"""What the correspondence module answers other modules through ``biys.core.correspondence``
(plugged in from the app's ``ready()``): it drafts an outgoing document for them (the answer to
an application) and describes one by its id."""

from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core.access import get_scope
from biys.core.correspondence import OutgoingSummary
from biys.evrak import selectors
from biys.evrak.choices import DistributionKind, OutgoingState, RecipientKind
from biys.evrak.models import OutgoingDocument
from biys.evrak.outgoing_services import ADD, save_outgoing_draft
from biys.org.models import Unit


def draft(
    *,
    user,
    unit_id: int,
    subject: str,
    recipient_name: str,
    recipient_address: str = "",
    reference_text: str = "",
    body: str = "",
) -> OutgoingSummary:
    """A draft of the unit, to one recipient for action (gereği), with one ilgi line; the
    writer goes on from the document's page (text, signer, approval path)."""
    document = save_outgoing_draft(
        user=user,
        unit=Unit.objects.get(pk=unit_id),
        subject=subject[:500],
        body=body,
        distribution=[
            {
                "kind": DistributionKind.ACTION,
                "recipient_kind": RecipientKind.PERSON,
                "name": recipient_name,
                "address": recipient_address,
            }
        ],
        reference_texts=[reference_text] if reference_text else [],
    )
    return describe(user, document.pk)


def may_draft(user, unit_id: int) -> bool:
    return user is not None and get_scope(user).has_perm(ADD, unit_id)


def describe(user, pk: int) -> OutgoingSummary | None:
    document = OutgoingDocument.objects.filter(pk=pk).first()
    if document is None:
        return None
    visible = user is not None and (
        selectors.restrict_outgoing(OutgoingDocument.objects.filter(pk=pk), user).exists()
    )
    signed = document.state == OutgoingState.SIGNED
    return OutgoingSummary(
        pk=document.pk,
        label=document.number if signed else f"{_('draft')} — {document.subject}",
        state=document.get_state_display(),
        signed=signed,
        signed_on=timezone.localtime(document.signed_at).date() if document.signed_at else None,
        url=document.get_absolute_url() if visible else "",
    )
