"""Template helpers of the service desk pages: SLA clock colours and short durations."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

from biys.servicedesk.tables import priority_badge, state_badge

register = template.Library()

SLA_CLASSES = {
    "ok": "bg-green-lt",
    "warning": "bg-yellow-lt",
    "breached": "bg-red-lt",
    "paused": "bg-secondary-lt",
    "met": "bg-green-lt",
}


@register.simple_tag
def sla_class(state: str) -> str:
    return SLA_CLASSES.get(state, "bg-secondary-lt")


@register.filter
def duration_short(value) -> str:
    """'3 h 20 min' (the sign dropped: the badge says whether it is left or late)."""
    if not isinstance(value, timedelta):
        return ""
    minutes = abs(int(value.total_seconds())) // 60
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


@register.simple_tag
def ticket_state(ticket) -> str:
    return state_badge(ticket)


@register.simple_tag
def ticket_priority(ticket) -> str:
    return priority_badge(ticket)
