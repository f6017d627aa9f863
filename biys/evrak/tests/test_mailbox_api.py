"""The document mailboxes in the API (/api/v1/evrak/mailboxes/), with the rules of their pages
(test_mailbox_pages.py): added, changed, tested and deleted over the receiving unit by whoever
holds the mailbox permissions there, through ``services.save_mailbox``; the passwords
write-only (never in a response, empty or left out keeps the stored one, given again when the
server they go to changes); *test-connection* against the real test servers (Dovecot for IMAP,
an aiosmtpd KEP submission server for SMTP), a failure a 409 problem."""

# ruff: noqa: F811  (fixtures shared from mailserver.py and test_kep.py are imported)
import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIClient

from biys.core.models import ObjectChange
from biys.evrak.models import EvrakMailbox
from biys.evrak.tests.mailboxes import _english, kep_account_on, people  # noqa: F401
from biys.evrak.tests.test_kep import SMTP_PASSWORD, SMTP_USER, kep_server  # noqa: F401
from biys.servicedesk.tests.mailserver import free_port, imap_inbox, imap_server  # noqa: F401

pytestmark = pytest.mark.django_db

LIST = "/api/v1/evrak/mailboxes/"
SECRET = "Gizli-Parola-1"
SMTP_SECRET = "Smtp-Parola-2"


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def body(org_tree, **changes) -> dict:
    return {
        "name": "Belediye KEP hesabı",
        "kind": "kep",
        "receiving_unit": org_tree["network"].pk,
        "is_active": True,
        "host": "127.0.0.1",
        "port": 1,
        "use_ssl": False,
        "username": SMTP_USER,
        "folder": "INBOX",
    } | changes


def detail(mailbox) -> str:
    return f"{LIST}{mailbox.pk}/"


def no_password_in(response) -> None:
    text = response.content.decode()
    assert SECRET not in text and SMTP_SECRET not in text
    assert '"password"' not in text and '"smtp_password"' not in text


def stored(mailbox) -> dict:
    return EvrakMailbox.objects.filter(pk=mailbox.pk).values().get()


def test_crud_by_the_department_head(people, org_tree):
    api = client_for(people["head"])
    # A new mailbox needs its password: 400 at the field, nothing saved.
    refused = api.post(LIST, body(org_tree), format="json")
    assert refused.status_code == 400, refused.content
    assert refused["Content-Type"].startswith("application/problem+json")
    assert list(refused.json()["errors"]) == ["password"]
    assert not EvrakMailbox.objects.exists()

    created = api.post(
        LIST, body(org_tree, password=SECRET, smtp_password=SMTP_SECRET), format="json"
    )
    assert created.status_code == 201, created.content
    no_password_in(created)
    data = created.json()
    assert data["has_password"] is True and data["has_smtp_password"] is True
    assert data["receiving_unit_name"] == org_tree["network"].name
    mailbox = EvrakMailbox.objects.get(pk=data["id"])
    assert (mailbox.password, mailbox.smtp_password) == (SECRET, SMTP_SECRET)
    changes = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(EvrakMailbox),
        object_id=str(mailbox.pk),
        action="create",
    ).get()
    assert SECRET not in str(changes.postchange_data)

    for response in (api.get(LIST), api.get(detail(mailbox))):
        assert response.status_code == 200
        no_password_in(response)
    assert [row["id"] for row in api.get(LIST).json()["results"]] == [mailbox.pk]

    # PATCH without the passwords keeps them; an empty one too.
    changed = api.patch(detail(mailbox), {"name": "Gelen KEP", "password": ""}, format="json")
    assert changed.status_code == 200, changed.content
    no_password_in(changed)
    assert changed.json()["has_password"] is True
    mailbox.refresh_from_db()
    assert (mailbox.name, mailbox.password, mailbox.smtp_password) == (
        "Gelen KEP", SECRET, SMTP_SECRET,
    )  # fmt: skip
    # PUT of its own representation (no passwords) keeps them too.
    representation = api.get(detail(mailbox)).json()
    put = api.put(detail(mailbox), {**representation, "folder": "KEP"}, format="json")
    assert put.status_code == 200, put.content
    no_password_in(put)
    mailbox.refresh_from_db()
    assert (mailbox.folder, mailbox.password) == ("KEP", SECRET)

    # A new password given is stored.
    assert api.patch(detail(mailbox), {"password": "Yeni-1"}, format="json").status_code == 200
    mailbox.refresh_from_db()
    assert mailbox.password == "Yeni-1"

    deleted = api.delete(detail(mailbox))
    assert deleted.status_code == 204
    assert not EvrakMailbox.objects.exists()


def test_a_changed_server_needs_the_password_again(people, org_tree):
    api = client_for(people["head"])
    mailbox = EvrakMailbox.objects.get(
        pk=api.post(
            LIST, body(org_tree, password=SECRET, smtp_password=SMTP_SECRET), format="json"
        ).json()["id"]
    )
    before = stored(mailbox)
    for change, field in (
        ({"host": "evil.example"}, "password"),
        ({"username": "baska@hs01.kep.tr"}, "password"),
        ({"smtp_host": "smtp.evil.example", "address": "belediye@hs01.kep.tr"}, "smtp_password"),
    ):
        refused = api.patch(detail(mailbox), {**change, "name": "Yarım kalmasın"}, format="json")
        assert refused.status_code == 400, (change, refused.content)
        assert field in refused.json()["errors"], refused.json()
        assert SECRET not in refused.content.decode()
        assert stored(mailbox) == before, change  # nothing half-saved
    # Given again: saved.
    moved = api.patch(detail(mailbox), {"host": "imap.example", "password": "P2"}, format="json")
    assert moved.status_code == 200, moved.content
    mailbox.refresh_from_db()
    assert (mailbox.host, mailbox.password) == ("imap.example", "P2")
    # The service's other rules, at their fields: only a KEP mailbox sends.
    refused = api.patch(
        detail(mailbox),
        {"kind": "email", "smtp_host": "smtp.example", "smtp_password": "x"},
        format="json",
    )
    assert refused.status_code == 400 and "smtp_host" in refused.json()["errors"]


def test_outside_the_scope_nothing_changes(people, org_tree):
    head = client_for(people["head"])
    mailbox = EvrakMailbox.objects.get(
        pk=head.post(LIST, body(org_tree, password=SECRET), format="json").json()["id"]
    )
    before = stored(mailbox)
    changes = ObjectChange.objects.count()
    test = f"{detail(mailbox)}test-connection/"

    # Another department's head does not see it: 404 everywhere, and cannot add one here.
    other = client_for(people["other_head"])
    assert other.get(LIST).json()["results"] == []
    assert other.get(detail(mailbox)).status_code == 404
    assert other.patch(detail(mailbox), {"name": "x"}, format="json").status_code == 404
    assert other.put(detail(mailbox), body(org_tree, name="x"), format="json").status_code == 404
    assert other.delete(detail(mailbox)).status_code == 404
    assert other.post(test).status_code == 404
    added = other.post(LIST, body(org_tree, name="Başka", password="x"), format="json")
    assert added.status_code == 403, added.content

    # The unit's registry clerk reads it (never the password) but neither changes nor tests it.
    clerk = client_for(people["clerk"])
    seen = clerk.get(detail(mailbox))
    assert seen.status_code == 200 and seen.json()["has_password"] is True
    no_password_in(seen)
    assert clerk.patch(detail(mailbox), {"name": "x"}, format="json").status_code == 403
    assert clerk.delete(detail(mailbox)).status_code == 403
    assert clerk.post(test).status_code == 403
    assert clerk.post(LIST, body(org_tree, password="x"), format="json").status_code == 403

    # The head may not move it out of the department.
    moved = head.patch(detail(mailbox), {"receiving_unit": org_tree["roads"].pk}, format="json")
    assert moved.status_code == 403

    assert stored(mailbox) == before
    assert ObjectChange.objects.count() == changes
    assert EvrakMailbox.objects.count() == 1


def test_passwords_cannot_be_sorted_or_searched_on(people, org_tree):
    api = client_for(people["head"])
    for password in ("aaa", "zzz"):
        api.post(LIST, body(org_tree, name=password, password=password), format="json")
    response = api.get(LIST, {"ordering": "password"})
    # An unknown ordering is ignored: the default order (by name), not by the password.
    assert response.status_code == 200
    no_password_in(response)
    assert [row["name"] for row in response.json()["results"]] == ["aaa", "zzz"]
    assert [r["name"] for r in api.get(LIST, {"ordering": "-password"}).json()["results"]] == [
        "aaa", "zzz",
    ]  # fmt: skip
    assert api.get(LIST, {"q": "zzz"}).json()["results"][0]["name"] == "zzz"


def test_connection_to_a_closed_port_is_a_problem(people, org_tree):
    api = client_for(people["head"])
    closed = free_port()
    mailbox = EvrakMailbox.objects.get(
        pk=api.post(LIST, body(org_tree, port=closed, password=SECRET), format="json").json()["id"]
    )
    before = stored(mailbox)
    response = api.post(f"{detail(mailbox)}test-connection/")
    assert response.status_code == 409, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"].endswith("/mailbox_connection_failed")
    assert f"IMAP (127.0.0.1:{closed}): No connection" in problem["detail"], problem
    assert SECRET not in response.content.decode()
    assert stored(mailbox) == before


def test_connection_against_the_real_servers(people, org_tree, imap_inbox, kep_server):
    mailbox = kep_account_on(org_tree["network"], imap_inbox, kep_server)
    api = client_for(people["head"])
    url = f"{detail(mailbox)}test-connection/"
    response = api.post(url)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "results": [
            {
                "server": f"IMAP ({imap_inbox.host}:{imap_inbox.port})",
                "ok": True,
                "message": "Logged in; the folder opens.",
            },
            {
                "server": f"SMTP ({kep_server.host}:{kep_server.port})",
                "ok": True,
                "message": "Logged in.",
            },
        ]
    }
    assert kep_server.logins == [(SMTP_USER, SMTP_PASSWORD)] and not kep_server.envelopes
    # A wrong SMTP password: a 409 naming both servers' answers.
    EvrakMailbox.objects.filter(pk=mailbox.pk).update(smtp_password="yanlis")
    refused = api.post(url)
    assert refused.status_code == 409, refused.content
    detail_text = refused.json()["detail"]
    assert "IMAP" in detail_text and "Logged in; the folder opens." in detail_text
    assert "SMTP" in detail_text and "Login refused: 535" in detail_text, detail_text
    assert "yanlis" not in refused.content.decode()


def test_the_list_reads_in_the_same_queries_at_any_size(people, org_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n, unit in enumerate(("network", "software", "helpdesk", "network", "software")):
        EvrakMailbox.objects.create(
            name=f"Kutu {n}", kind="email", host="127.0.0.1", username=f"kutu{n}",
            password=SECRET, receiving_unit=org_tree[unit],
        )  # fmt: skip
    api = client_for(people["head"])
    api.get(LIST)  # warm: per-process caches are not the point
    counts = {}
    for size in (2, 4):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(LIST, {"per_page": size})
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    assert counts[2] == counts[4], counts
    no_password_in(response)
