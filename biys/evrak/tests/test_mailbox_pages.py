"""The document mailboxes (e-mail and KEP accounts) on their own pages: added and changed over
the receiving unit by whoever holds the mailbox permissions there, the passwords write-only
(never rendered, empty keeps the stored one, given again when the server they go to changes),
and *Test connection* against the real test servers: the service desk's Dovecot for IMAP and
an aiosmtpd KEP submission server with the account's login for SMTP (a refused login or a
closed port is reported, translated, never a 500)."""

# ruff: noqa: F811  (fixtures shared from mailserver.py and test_kep.py are imported)
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from biys.core.models import ObjectChange
from biys.evrak import services
from biys.evrak.models import EvrakMailbox
from biys.evrak.tests.mailboxes import _english, kep_account_on, people  # noqa: F401
from biys.evrak.tests.test_kep import SMTP_PASSWORD, SMTP_USER, kep_server  # noqa: F401
from biys.servicedesk.tests.mailserver import free_port, imap_inbox, imap_server  # noqa: F401

pytestmark = pytest.mark.django_db


def values(org_tree, **changes):
    base = {
        "name": "Belediye KEP hesabı",
        "kind": "kep",
        "receiving_unit": org_tree["network"],
        "is_active": True,
        "host": "127.0.0.1",
        "port": 1,
        "use_ssl": False,
        "username": SMTP_USER,
        "folder": "INBOX",
        "address": "",
        "smtp_host": "",
        "smtp_port": 465,
        "smtp_security": "ssl",
        "smtp_username": "",
    }
    return base | changes


def test_the_service_keeps_the_passwords_and_checks_the_unit(people, org_tree):
    head = people["head"]
    with pytest.raises(ValidationError) as refused:
        services.save_mailbox(user=head, **values(org_tree))
    assert "password" in refused.value.message_dict
    for user in (people["other_head"], people["clerk"]):
        with pytest.raises(PermissionDenied):
            services.save_mailbox(user=user, password="x", **values(org_tree))
    mailbox = services.save_mailbox(
        user=head, password=SMTP_PASSWORD, smtp_password="Smtp-1", **values(org_tree)
    )
    assert (mailbox.password, mailbox.smtp_password) == (SMTP_PASSWORD, "Smtp-1")
    record = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(EvrakMailbox),
        object_id=str(mailbox.pk),
        action="create",
    ).get()
    assert (
        "password" not in record.postchange_data and "smtp_password" not in record.postchange_data
    )
    # Empty keeps them, as long as they go where they went.
    mailbox = services.save_mailbox(
        user=head, mailbox=mailbox, **values(org_tree, name="Yeni ad", folder="KEP")
    )
    assert (mailbox.name, mailbox.password, mailbox.smtp_password) == (
        "Yeni ad", SMTP_PASSWORD, "Smtp-1",
    )  # fmt: skip
    # Another IMAP server: the stored password is not sent there unless given again.
    with pytest.raises(ValidationError) as refused:
        services.save_mailbox(user=head, mailbox=mailbox, **values(org_tree, host="evil.example"))
    assert "password" in refused.value.message_dict
    # An SMTP server added or changed: its own stored password must be given again.
    kep = values(org_tree, smtp_host="smtp.hs01.kep.tr", address="belediye@hs01.kep.tr")
    with pytest.raises(ValidationError) as refused:
        services.save_mailbox(user=head, mailbox=mailbox, **kep)
    assert list(refused.value.message_dict) == ["smtp_password"]
    mailbox = services.save_mailbox(user=head, mailbox=mailbox, smtp_password="Smtp-2", **kep)
    assert mailbox.smtp_host == "smtp.hs01.kep.tr" and mailbox.smtp_password == "Smtp-2"
    # Only a KEP mailbox sends; moving it out of the head's department is refused.
    with pytest.raises(ValidationError) as refused:
        services.save_mailbox(user=head, mailbox=mailbox, **(kep | {"kind": "email"}))
    assert "smtp_host" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.save_mailbox(
            user=head, mailbox=mailbox, **(kep | {"receiving_unit": org_tree["roads"]})
        )
    with pytest.raises(PermissionDenied):
        services.delete_mailbox(user=people["other_head"], mailbox=mailbox)
    services.delete_mailbox(user=head, mailbox=mailbox)
    assert not EvrakMailbox.objects.exists()


def form_data(org_tree, **changes) -> dict:
    data = values(org_tree, **changes)
    data["receiving_unit"] = data["receiving_unit"].pk
    data = {key: value for key, value in data.items() if value is not False}
    data.setdefault("password", "")
    data.setdefault("smtp_password", "")
    return data


def test_the_pages_never_show_a_password(people, org_tree):
    client = Client()
    client.force_login(people["head"])
    add = reverse("evrak:evrakmailbox_add")
    assert client.get(add).status_code == 200
    response = client.post(add, form_data(org_tree))
    assert response.status_code == 200 and "password" in response.context["form"].errors
    response = client.post(add, form_data(org_tree, password=SMTP_PASSWORD))
    mailbox = EvrakMailbox.objects.get()
    assert response.status_code == 302 and response["Location"] == mailbox.get_absolute_url()
    edit = reverse("evrak:evrakmailbox_edit", kwargs={"pk": mailbox.pk})
    for url in (
        reverse("evrak:evrakmailbox_list"),
        mailbox.get_absolute_url(),
        edit,
        mailbox.get_absolute_url() + "?tab=history",
    ):
        page = client.get(url)
        assert page.status_code == 200 and SMTP_PASSWORD not in page.content.decode(), url
    assert 'id="mailbox-test"' in client.get(mailbox.get_absolute_url()).content.decode()
    # Saved with the password left empty: kept.
    assert client.post(edit, form_data(org_tree, name="Gelen KEP")).status_code == 302
    mailbox.refresh_from_db()
    assert (mailbox.name, mailbox.password) == ("Gelen KEP", SMTP_PASSWORD)
    # Another server, no password: refused at the password field, nothing saved.
    response = client.post(edit, form_data(org_tree, host="evil.example"))
    assert response.status_code == 400 and "password" in response.context["form"].errors
    mailbox.refresh_from_db()
    assert mailbox.host == "127.0.0.1"
    # A clerk of the unit reads it but neither changes nor tests it.
    clerk = Client()
    clerk.force_login(people["clerk"])
    page = clerk.get(mailbox.get_absolute_url()).content.decode()
    assert 'id="mailbox-test"' not in page and SMTP_PASSWORD not in page
    assert clerk.get(edit).status_code in (403, 404)
    test = reverse("evrak:evrakmailbox_test", kwargs={"pk": mailbox.pk})
    assert clerk.post(test).status_code == 403
    other = Client()
    other.force_login(people["other_head"])
    assert other.post(test).status_code == 404


def results(client, mailbox) -> list[str]:
    response = client.post(
        reverse("evrak:evrakmailbox_test", kwargs={"pk": mailbox.pk}), follow=True
    )
    assert response.status_code == 200
    return [f"{message.level_tag}: {message}" for message in response.context["messages"]]


def test_the_connection_test_against_the_real_servers(people, org_tree, imap_inbox, kep_server):
    mailbox = kep_account_on(org_tree["network"], imap_inbox, kep_server)
    client = Client()
    client.force_login(people["head"])
    shown = results(client, mailbox)
    assert shown == [
        f"success: IMAP ({imap_inbox.host}:{imap_inbox.port}): Logged in; the folder opens.",
        f"success: SMTP ({kep_server.host}:{kep_server.port}): Logged in.",
    ], shown
    assert kep_server.logins == [(SMTP_USER, SMTP_PASSWORD)] and not kep_server.envelopes
    # Wrong passwords: each refusal reported with the server's answer.
    EvrakMailbox.objects.filter(pk=mailbox.pk).update(password="yanlis", smtp_password="yanlis")
    shown = results(client, mailbox)
    assert shown[0].startswith("error: IMAP") and "Login or folder refused" in shown[0]
    assert shown[1].startswith("error: SMTP") and "Login refused: 535" in shown[1], shown
    # Nobody listening: no connection. And in Turkish.
    closed = free_port()
    EvrakMailbox.objects.filter(pk=mailbox.pk).update(port=closed, smtp_port=closed)
    mailbox.refresh_from_db()
    shown = results(client, mailbox)
    assert all(text.startswith("error:") and "No connection" in text for text in shown), shown
    with translation.override("tr"):
        checked = services.check_mailbox_connection(user=people["head"], mailbox=mailbox)
    assert all("No connection" not in item["message"] for item in checked), checked
