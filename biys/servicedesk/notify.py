"""Who hears about what happens to a ticket. ``notify_ticket_event`` is called by the services
after the transaction commits."""

from django.utils.translation import gettext as _

from biys.notifications.services import notify

EVENT_TITLES = {
    "created": "Talebiniz alındı: {number}",
    "resolved": "Talebiniz çözüldü: {number}",
    "replied": "Talebinize yanıt verildi: {number}",
}


def _requester_user(ticket):
    return getattr(ticket.requester, "user", None)


def notify_ticket_event(ticket, event: str, *, actor=None) -> None:
    title = EVENT_TITLES.get(event)
    recipient = _requester_user(ticket)
    if title is None or recipient is None or recipient == actor:
        return
    notify(
        recipients=[recipient],
        title=title.format(number=ticket.number),
        body=_("%(title)s") % {"title": ticket.title},
        target=ticket,
        url=ticket.get_absolute_url(),
    )
