"""The ticket page: its action forms are loaded when their dialog opens, so the page's cost does
not grow with the people and units an action could choose from."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from biys.org.models import Unit
from biys.servicedesk import services

pytestmark = pytest.mark.django_db

PARTIAL = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "action-assign-body"}


@pytest.fixture
def ticket(desk):
    return services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title="Yazıcı kağıt sıkıştırıyor",
        created_by=desk.requester,
    )


def test_action_dialogs_load_their_form_when_opened(client, desk, ticket):
    client.force_login(desk.technician)
    html = client.get(reverse("servicedesk:ticket", args=[ticket.pk])).content.decode()
    assign_url = reverse("servicedesk:ticket_action", args=[ticket.pk, "assign"])
    assert 'id="action-assign"' in html
    assert f'id="action-assign-body" hx-get="{assign_url}"' in html
    assert 'name="assign-assignee"' not in html
    assert 'name="transfer-unit"' not in html

    body = client.get(assign_url, **PARTIAL)
    assert body.status_code == 200
    fragment = body.content.decode()
    assert fragment.startswith('<div class="modal-body" id="action-assign-body">')
    assert 'name="assign-assignee"' in fragment and "<html" not in fragment
    assert "HX-Target" in body["Vary"]
    # without JavaScript the action's link opens its own page
    page = client.get(assign_url).content.decode()
    assert "<html" in page and 'name="assign-assignee"' in page


def test_action_form_alone_still_needs_a_party(client, desk, ticket):
    client.force_login(desk.colleague)
    url = reverse("servicedesk:ticket_action", args=[ticket.pk, "assign"])
    assert client.get(url, **PARTIAL).status_code == 404


def test_ticket_page_queries_do_not_grow_with_people_and_units(client, desk, ticket, make_user):
    client.force_login(desk.technician)
    url = reverse("servicedesk:ticket", args=[ticket.pk])
    client.get(url)  # warm the content type cache

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    # session, user, generations; the ticket with its relations and whether other modules'
    # records name it; its conversation
    assert few == 5
    for index in range(5):
        unit = Unit.objects.create(
            name=f"Destek Şefliği {index}",
            kind="seflik",
            parent=desk.helpdesk,
            is_it_department=True,
        )
        make_user("technician", unit)
    client.get(url)  # new units and roles: the process builds the scope again, once
    assert count() == few
