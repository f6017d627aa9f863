"""The ticket page's action buttons, menu entries and dialogs, built in Python.

A technician's ticket page offers a dozen actions, each with a menu entry or a button and a
dialog (header, form shell, footer); rendered by template nodes they were a fifth of the page's
work. The markup is what ``servicedesk/partials/action_button.html`` and the dialog loop of
``ticket_detail.html`` gave; the dialog's form fields are still loaded when it opens
(``action_modal_body.html``'s ``hx-get``).
"""

from functools import lru_cache

from django.utils.translation import get_language, gettext

from biys.core.html import format_html
from biys.core.urlcache import number_url


@lru_cache(maxsize=16)
def _words(language: str | None) -> tuple[str, str, str, str]:
    return gettext("Close"), gettext("Cancel"), gettext("Loading…"), gettext("Are you sure?")


def _icon(action) -> str:
    if not action.icon:
        return ""
    return format_html('<i class="ti ti-{}" aria-hidden="true"></i>', action.icon)


def _csrf_input(token) -> str:
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _url(ticket_pk: int, action) -> str:
    return number_url("servicedesk:ticket_action", (ticket_pk, action.name))


def action_button(action, form, ticket_pk: int, csrf_token) -> str:
    """A primary action: a link opening its dialog when its form has fields, else a form
    posting the action at once."""
    url, icon = _url(ticket_pk, action), _icon(action)
    if form is not None and form.fields:
        return format_html(
            '<a href="{}" class="btn btn-{}" data-bs-toggle="modal" data-bs-target="#action-{}"'
            ' data-action="{}">{}{}</a>',
            url,
            action.style,
            action.name,
            action.name,
            icon,
            action.label,
        )
    return format_html(
        '<form method="post" action="{}" class="d-inline">{}<button type="submit"'
        ' class="btn btn-{}" data-action="{}">{}{}</button></form>',
        url,
        _csrf_input(csrf_token),
        action.style,
        action.name,
        icon,
        action.label,
    )


def action_menu_item(action, ticket_pk: int) -> str:
    """A secondary action's entry in the "More actions" menu, opening its dialog."""
    return format_html(
        '<a class="dropdown-item" href="{}" data-bs-toggle="modal" data-bs-target="#action-{}"'
        ' data-action="{}">{}{}</a>',
        _url(ticket_pk, action),
        action.name,
        action.name,
        _icon(action),
        action.label,
    )


def action_dialog(action, form, ticket_pk: int, csrf_token) -> str:
    """An action's dialog: its form's fields load when it opens; a form without fields asks
    for confirmation."""
    close, cancel, loading, sure = _words(get_language())
    url = _url(ticket_pk, action)
    if form is not None and form.fields:
        body = format_html(
            '<div class="modal-body" id="action-{}-body" hx-get="{}"'
            ' hx-trigger="show.bs.modal from:closest .modal once" hx-params="none"'
            ' hx-swap="outerHTML" aria-busy="true"><p class="mb-0 text-secondary">{}</p></div>',
            action.name,
            url,
            loading,
        )
    else:
        body = format_html('<div class="modal-body"><p class="mb-0">{}</p></div>', sure)
    return format_html(
        '<div class="modal fade" id="action-{}" tabindex="-1" aria-labelledby="action-{}-title"'
        ' aria-hidden="true">\n  <div class="modal-dialog modal-dialog-centered">\n'
        '    <form class="modal-content" method="post" action="{}" novalidate>\n      {}\n'
        '      <div class="modal-header">\n'
        '        <h2 class="modal-title h3" id="action-{}-title">{}</h2>\n'
        '        <button type="button" class="btn-close" data-bs-dismiss="modal"'
        ' aria-label="{}"></button>\n      </div>\n      {}\n'
        '      <div class="modal-footer">\n'
        '        <button type="button" class="btn btn-link" data-bs-dismiss="modal">{}</button>\n'
        '        <button type="submit" class="btn btn-{}">{}</button>\n'
        "      </div>\n    </form>\n  </div>\n</div>",
        action.name,
        action.name,
        url,
        _csrf_input(csrf_token),
        action.name,
        action.label,
        close,
        body,
        cancel,
        action.style or "primary",
        action.label,
    )
