"""The service desk's card on the home page: "New request" and the user's open requests."""

from django.db.models import Q

from biys.core.dashboard import HomePanel, register_home_panel
from biys.servicedesk.choices import OPEN_STATES
from biys.servicedesk.models import Ticket

OPEN_SHOWN = 5


def my_open_requests(request) -> dict | None:
    user = request.user
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    tickets = (
        Ticket.objects.filter(Q(requester_id=person_id) | Q(created_by=user), state__in=OPEN_STATES)
        .select_related("responsible_unit")
        .order_by("-id")
    )
    shown = list(tickets[: OPEN_SHOWN + 1])
    return {"tickets": shown[:OPEN_SHOWN], "more": len(shown) > OPEN_SHOWN}


register_home_panel(
    HomePanel("servicedesk/partials/home_requests.html", my_open_requests, order=10)
)
