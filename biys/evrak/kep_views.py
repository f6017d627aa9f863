"""Sending a signed outgoing document by KEP from its page: the dispatch panel's *KEP ile
gönder* per recipient (``SendKepView``) and what the panel shows of each sending
(``kep_context``). Every write goes through ``biys.evrak.services.send_by_kep``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from biys.evrak import selectors, services
from biys.evrak.choices import KepState, RecipientKind


def kep_context(document, lines, may_dispatch: bool) -> dict:
    """Each line's KEP sendings (newest first, with the delivery evidence received for each)
    as ``line.kep_sendings``, whether the latest came back not delivered
    (``line.kep_undelivered``), and whether a line may be sent by KEP now
    (``line.kep_sendable``: a recipient outside the municipality, not sent yet or not
    delivered, nothing queued)."""
    from biys.evrak.kep import is_waiting, sending_mailbox
    from biys.evrak.models import KepDispatch

    by_line: dict[int, list] = {}
    sendings = (
        KepDispatch.objects.filter(document=document)
        .select_related("requested_by")
        .prefetch_related("evidences__mail")
        .order_by("-requested_at", "-pk")
    )
    for sending in sendings:
        by_line.setdefault(sending.line_id, []).append(sending)
    account = sending_mailbox(document) if may_dispatch else None
    for line in lines:
        line.kep_sendings = by_line.get(line.pk, [])
        line.kep_undelivered = selectors.kep_undelivered(line, line.kep_sendings)
        line.kep_sendable = (
            may_dispatch
            and account is not None
            and (line.dispatched_at is None or line.kep_undelivered)
            and line.recipient_kind != RecipientKind.INTERNAL
            and not any(is_waiting(sending) for sending in line.kep_sendings)
        )
    return {
        "kep_url": reverse("evrak:outgoing_kep", kwargs={"pk": document.pk}),
        "kep_account": account,
    }


class SendKepView(LoginRequiredMixin, View):
    """POST: send the signed document to one recipient (``line``) by KEP at ``address`` (the
    line's KEP address when empty). The page tells whether it went, failed (with the reason:
    send it again) or waits in the queue."""

    def post(self, request, pk):
        document = get_object_or_404(selectors.outgoing_visible_to(request.user), pk=pk)
        if not services.may_dispatch(request.user, document):
            raise PermissionDenied
        raw = request.POST.get("line", "")
        line = document.distribution.filter(pk=int(raw)).first() if raw.isdigit() else None
        try:
            if line is None:
                raise ValidationError({"line": _("No such recipient on this document.")})
            sending = services.send_by_kep(
                user=request.user, line=line, address=request.POST.get("address", "")
            )
        except ValidationError as error:
            for problems in error.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            sending.refresh_from_db()
            if sending.state == KepState.SENT:
                messages.success(
                    request, _("Sent by KEP to %(address)s.") % {"address": sending.address}
                )
            elif sending.state == KepState.FAILED:
                messages.error(
                    request,
                    _("The KEP message could not be sent: %(reason)s Send it again.")
                    % {"reason": sending.error},
                )
            else:
                messages.info(request, _("Queued for sending by KEP."))
        return redirect(document.get_absolute_url() + "#dispatch")
