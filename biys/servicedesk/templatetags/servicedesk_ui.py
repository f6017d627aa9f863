"""Template helpers of the service desk pages: SLA clock colours and short durations."""

from django import template
from django.utils.safestring import SafeString

from biys.core.html import join_html
from biys.servicedesk import action_html, tables

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


@register.simple_tag(takes_context=True)
def action_buttons(context, actions, forms, ticket) -> SafeString:
    token = context.get("csrf_token")
    return join_html(
        action_html.action_button(action, forms.get(action.name), ticket.pk, token)
        for action in actions
    )


@register.simple_tag
def action_menu_items(actions, ticket) -> SafeString:
    return join_html((action_html.action_menu_item(action, ticket.pk) for action in actions), "\n")


@register.simple_tag(takes_context=True)
def action_dialogs(context, actions, forms, ticket, with_fields_only=False) -> SafeString:
    """The actions' dialogs (``with_fields_only``: those whose form has fields; the others
    post from their button)."""
    token = context.get("csrf_token")
    dialogs = []
    for action in actions:
        form = forms.get(action.name)
        if with_fields_only and not (form is not None and form.fields):
            continue
        dialogs.append(action_html.action_dialog(action, form, ticket.pk, token))
    return join_html(dialogs, "\n")
