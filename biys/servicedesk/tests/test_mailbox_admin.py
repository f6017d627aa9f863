"""The mailbox admin never sends the stored IMAP password back to the browser."""

import pytest
from django.urls import reverse

from biys.servicedesk.models import Mailbox
from biys.servicedesk.tests.factories import CatalogItemFactory

pytestmark = pytest.mark.django_db

SECRET = "Imap-Parola-9f3a"


@pytest.fixture
def mailbox(org_tree):
    return Mailbox.objects.create(
        name="Yardım Masası",
        host="imap.ornek.bel.tr",
        username="yardim",
        password=SECRET,
        catalog_item=CatalogItemFactory(unit=org_tree["helpdesk"]),
    )


@pytest.fixture
def superuser_client(client, make_user):
    client.force_login(make_user(superuser=True))
    return client


def form_data(mailbox, **changes):
    data = {
        "name": mailbox.name,
        "host": mailbox.host,
        "port": mailbox.port,
        "use_ssl": "on",
        "username": mailbox.username,
        "password": "",
        "folder": mailbox.folder,
        "catalog_item": mailbox.catalog_item_id,
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_change_form_does_not_render_the_password(superuser_client, mailbox):
    url = reverse("admin:servicedesk_mailbox_change", args=[mailbox.pk])
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


def test_blank_password_keeps_the_stored_one(superuser_client, mailbox):
    url = reverse("admin:servicedesk_mailbox_change", args=[mailbox.pk])
    response = superuser_client.post(url, form_data(mailbox, host="imap2.ornek.bel.tr"))
    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert mailbox.host == "imap2.ornek.bel.tr"
    assert mailbox.password == SECRET


def test_a_new_password_replaces_the_stored_one(superuser_client, mailbox):
    url = reverse("admin:servicedesk_mailbox_change", args=[mailbox.pk])
    response = superuser_client.post(url, form_data(mailbox, password="Yeni-Parola-1"))
    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert mailbox.password == "Yeni-Parola-1"


def test_a_new_mailbox_needs_a_password(superuser_client, mailbox):
    response = superuser_client.post(
        reverse("admin:servicedesk_mailbox_add"), form_data(mailbox, name="İkinci")
    )
    assert response.status_code == 200
    assert "password" in response.context["adminform"].form.errors
