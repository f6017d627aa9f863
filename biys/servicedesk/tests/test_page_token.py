"""The queue's forms share the request's one CSRF token (``biys.core.csrf``)."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from biys.servicedesk import services
from biys.servicedesk.models import Ticket

TOKENS = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def tokens_in(response) -> list[str]:
    return [a or b for a, b in TOKENS.findall(response.content.decode())]


@pytest.mark.django_db
def test_a_page_shows_one_token_a_new_one_each_time_and_it_is_accepted(desk):
    ticket = services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title="Yazıcı",
        created_by=desk.requester,
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk.technician)
    url = reverse("servicedesk:ticket_list")

    first = client.get(url)
    tokens = tokens_in(first)
    assert len(tokens) >= 3  # the frame's header and forms, the row's "Take" button
    assert len(set(tokens)) == 1
    again = tokens_in(client.get(url))
    assert again[0] != tokens[0]  # masked afresh for each response (BREACH)
    assert _unmask_cipher_token(again[0]) == _unmask_cipher_token(tokens[0])

    take = client.post(
        reverse("servicedesk:ticket_action", args=[ticket.pk, "take"]),
        {"csrfmiddlewaretoken": again[0], "return_url": url},
    )
    assert take.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).assignee == desk.technician
    refused = Client(enforce_csrf_checks=True)
    refused.force_login(desk.technician)
    assert (
        refused.post(
            reverse("servicedesk:ticket_action", args=[ticket.pk, "take"]),
            {"csrfmiddlewaretoken": "x" * 64},
        ).status_code
        == 403
    )
