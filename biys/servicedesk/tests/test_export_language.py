"""Exports speak the reader's language: the SLA column says "aşıldı", not "breached"."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from biys.servicedesk import services


def exported(client, language: str) -> dict[str, str]:
    """Rows of the queue's CSV by ticket number (whichever separator the locale uses)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("servicedesk:ticket_list"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    separator = ";" if ";" in text.splitlines()[0] else ","
    return {row.split(separator)[0]: row for row in text.splitlines()[1:]}


def test_sla_states_in_the_csv(desk, clock):
    late = services.create_ticket(
        catalog_item=desk.printer, requester=desk.requester.person, title="Geç kalan"
    )
    clock.set(2026, 11, 16, 13, 0)
    fresh = services.create_ticket(
        catalog_item=desk.printer, requester=desk.requester.person, title="Yeni"
    )
    clock.set(2026, 11, 16, 16, 0)  # the first one's four office hours are over
    client = Client()
    client.force_login(desk.technician)

    turkish = exported(client, "tr")
    assert "aşıldı" in turkish[late.number]
    assert "zamanında" in turkish[fresh.number] or "risk altında" in turkish[fresh.number]
    assert "breached" not in "".join(turkish.values())

    english = exported(client, "en")
    assert "breached" in english[late.number]
