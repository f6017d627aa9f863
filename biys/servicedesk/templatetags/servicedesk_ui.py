"""Template helpers of the service desk pages: SLA clock colours and short durations."""

from django import template

from biys.servicedesk import tables

register = template.Library()

SLA_CLASSES = tables.SLA_CLASSES


@register.simple_tag
def sla_class(state: str) -> str:
    return SLA_CLASSES.get(state, "bg-secondary-lt")


@register.filter
def duration_short(value) -> str:
    """'3 h 20 min' (the sign dropped: the badge says whether it is left or late)."""
    return tables.duration_short(value)


@register.simple_tag
def sla_badge(clock) -> str:
    return tables.sla_badge(clock)


@register.simple_tag
def ticket_state(ticket) -> str:
    return tables.state_badge(ticket)


@register.simple_tag
def ticket_priority(ticket) -> str:
    return tables.priority_badge(ticket)
