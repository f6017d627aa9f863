"""Monitoring webhooks: Alertmanager and Zabbix payloads through the HTTP endpoint, and Debian's
prometheus-alertmanager delivering to the server on loopback."""

# ruff: noqa: F811  (pytest fixtures shared from mailserver.py are imported, then requested)
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import include, path
from rest_framework.test import APIClient

from biys.accounts.tokens import new_key, store_key
from biys.comments.models import Comment
from biys.servicedesk.choices import Channel, Priority, TicketState
from biys.servicedesk.models import AlertRoute, CatalogItem, Ticket
from biys.servicedesk.tests.mailserver import mail_desk, start_alertmanager, wait_for  # noqa: F401

# The webhooks mounted where the lead wires them (servicedesk/urls.py), ahead of the project's
# own URLs, so this module runs whether or not that wiring is in place yet.
urlpatterns = [
    path("servicedesk/", include("biys.servicedesk.webhooks")),
    path("", include("config.urls")),
]
pytestmark = pytest.mark.urls(__name__)

ALERTMANAGER_URL = "/servicedesk/alerts/alertmanager/"
ZABBIX_URL = "/servicedesk/alerts/zabbix/"
TOKEN = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def monitoring(mail_desk, make_user, settings):
    """A service user with the Technician role over the IT department and an API token, and a
    route sending team=network alerts to the network branch."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail_desk.robot = make_user("technician", mail_desk.units["dept"], username="izleme")
    store_key(mail_desk.robot, TOKEN)
    mail_desk.alert_item = CatalogItem.objects.create(
        name="Sunucu / ağ alarmı", kind="alert", unit=mail_desk.network
    )
    software_item = CatalogItem.objects.create(
        name="Uygulama alarmı", kind="alert", unit=mail_desk.units["software"]
    )
    mail_desk.route = AlertRoute.objects.create(
        label="team",
        value="network",
        unit=mail_desk.network,
        catalog_item=mail_desk.alert_item,
        order=1,
    )
    AlertRoute.objects.create(
        label="team",
        value="yazilim",
        unit=mail_desk.units["software"],
        catalog_item=software_item,
        order=2,
    )
    mail_desk.api = APIClient()
    mail_desk.api.credentials(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    return mail_desk


def alertmanager_payload(
    status="firing", *, fingerprint="c4a1d2e3f4a5b6c7", labels=None, annotations=None
):
    labels = labels or {
        "alertname": "DiskAlmostFull",
        "team": "network",
        "instance": "dosya-sunucusu:9100",
        "severity": "critical",
    }
    alert = {
        "status": status,
        "labels": labels,
        "annotations": {"summary": "Dosya sunucusunda disk %95 dolu", "runbook": "wiki/disk"}
        if annotations is None
        else annotations,
        "startsAt": "2026-11-16T09:00:00Z",
        "endsAt": "2026-11-16T10:00:00Z" if status == "resolved" else "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus.belediye.local/graph?g0.expr=disk",
        "fingerprint": fingerprint,
    }
    return {
        "version": "4",
        "groupKey": '{}:{alertname="DiskAlmostFull"}',
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "biys",
        "groupLabels": {"alertname": "DiskAlmostFull"},
        "commonLabels": labels,
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.belediye.local",
        "alerts": [alert],
    }


def notes_on(ticket):
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(Ticket), object_id=str(ticket.pk)
    )


@pytest.mark.django_db
def test_alertmanager_firing_repeating_and_resolved(monitoring, settings):
    settings.SERVICEDESK_ALERT_REPEAT_MINUTES = 30
    response = monitoring.api.post(ALERTMANAGER_URL, alertmanager_payload(), format="json")

    assert response.status_code == 200, response.content
    ticket = Ticket.objects.get()
    assert response.json()["results"] == [
        {"fingerprint": "c4a1d2e3f4a5b6c7", "action": "created", "ticket": ticket.number}
    ]
    assert ticket.title == "Dosya sunucusunda disk %95 dolu"
    assert (ticket.channel, ticket.alert_fingerprint) == (Channel.MONITORING, "c4a1d2e3f4a5b6c7")
    assert ticket.responsible_unit == monitoring.network
    assert ticket.requester == monitoring.network_manager.person  # the unit's manager
    assert ticket.created_by == monitoring.robot
    assert ticket.priority == Priority.CRITICAL  # severity=critical
    for text in ("instance=dosya-sunucusu:9100", "2026-11-16T09:00:00Z", "runbook: wiki/disk"):
        assert text in ticket.description
    assert "http://prometheus.belediye.local/graph" in ticket.description

    # Alertmanager repeats the group: same ticket, one note, then quiet for N minutes.
    for expected in ("updated", "repeated"):
        again = monitoring.api.post(ALERTMANAGER_URL, alertmanager_payload(), format="json")
        assert again.json()["results"][0]["action"] == expected
    assert Ticket.objects.count() == 1
    (note,) = notes_on(ticket).filter(is_internal=True, author=monitoring.robot)
    old = note.created - timedelta(minutes=31)
    Comment.objects.filter(pk=note.pk).update(created=old)
    again = monitoring.api.post(ALERTMANAGER_URL, alertmanager_payload(), format="json")
    assert again.json()["results"][0]["action"] == "updated"

    resolved = monitoring.api.post(
        ALERTMANAGER_URL, alertmanager_payload("resolved"), format="json"
    )
    assert resolved.json()["results"][0]["action"] == "resolved"
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED
    assert "2026-11-16T10:00:00Z" in ticket.resolution
    # A later firing of the same alert is a new problem: a new ticket.
    monitoring.api.post(ALERTMANAGER_URL, alertmanager_payload(), format="json")
    assert Ticket.objects.filter(alert_fingerprint="c4a1d2e3f4a5b6c7").count() == 2


@pytest.mark.django_db
def test_routes_pick_the_unit_by_label_and_fall_back_to_the_first(monitoring):
    software = alertmanager_payload(
        fingerprint="aaa", labels={"alertname": "EbysYavas", "team": "yazilim"}
    )
    unknown = alertmanager_payload(
        fingerprint="bbb", labels={"alertname": "Tanimsiz", "team": "baska"}, annotations={}
    )
    monitoring.api.post(ALERTMANAGER_URL, software, format="json")
    monitoring.api.post(ALERTMANAGER_URL, unknown, format="json")

    assert (
        Ticket.objects.get(alert_fingerprint="aaa").responsible_unit
        == (monitoring.units["software"])
    )
    fallback = Ticket.objects.get(alert_fingerprint="bbb")
    assert fallback.responsible_unit == monitoring.network  # the first route by order
    assert fallback.title == "Tanimsiz"  # no summary annotation: the alert's name


@pytest.mark.django_db
def test_zabbix_problem_and_resolution(monitoring):
    body = {
        "event_id": "48213",
        "status": "PROBLEM",
        "host": "core-switch-1",
        "trigger": "Port 24 kapalı",
        "severity": "Average",
        "tags": [{"tag": "team", "value": "network"}, {"tag": "service", "value": "lan"}],
        "message": "Arayüz Gi1/0/24 kapalı",
        "url": "https://zabbix.belediye.local/tr.php?triggerid=1",
    }
    created = monitoring.api.post(ZABBIX_URL, body, format="json")
    assert created.status_code == 200, created.content
    ticket = Ticket.objects.get(alert_fingerprint="zabbix:48213")
    assert ticket.title == "core-switch-1: Port 24 kapalı"
    assert ticket.priority == Priority.MEDIUM
    assert "Arayüz Gi1/0/24 kapalı" in ticket.description and "service=lan" in ticket.description

    again = monitoring.api.post(ZABBIX_URL, body, format="json")
    assert again.json()["results"][0] == {
        "fingerprint": "zabbix:48213",
        "action": "updated",
        "ticket": ticket.number,
    }
    monitoring.api.post(ZABBIX_URL, {**body, "status": "RESOLVED"}, format="json")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_tokens_and_permissions(monitoring, make_user):
    anonymous = APIClient()
    assert (
        anonymous.post(ALERTMANAGER_URL, alertmanager_payload(), format="json").status_code == 401
    )
    anonymous.credentials(HTTP_AUTHORIZATION="Bearer yanlis-belirtec")
    response = anonymous.post(ALERTMANAGER_URL, alertmanager_payload(), format="json")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")

    outsider = make_user("requester", monitoring.roads)
    key = new_key()
    store_key(outsider, key)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.post(ALERTMANAGER_URL, alertmanager_payload(), format="json").status_code == 403
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_bad_payloads_are_problem_details_never_500(monitoring):
    api = monitoring.api
    broken = api.post(ALERTMANAGER_URL, "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken["Content-Type"].startswith("application/problem+json")
    for body, url in (
        ({"alerts": "none"}, ALERTMANAGER_URL),
        ([1, 2], ALERTMANAGER_URL),
        ({"alerts": [{"status": "burning", "fingerprint": "x"}]}, ALERTMANAGER_URL),
        ({"alerts": [{"status": "firing", "labels": "team=network"}]}, ALERTMANAGER_URL),
        ({"status": "PROBLEM"}, ZABBIX_URL),
        ({"event_id": "1", "status": "MAYBE"}, ZABBIX_URL),
        ({"event_id": "1", "status": "PROBLEM", "tags": "{bozuk"}, ZABBIX_URL),
    ):
        response = api.post(url, body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert response.json()["status"] == 400 and response.json()["detail"]

    AlertRoute.objects.all().delete()
    unroutable = api.post(ALERTMANAGER_URL, alertmanager_payload(), format="json")
    assert unroutable.status_code == 422
    assert unroutable.json()["detail"]
    assert not Ticket.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_prometheus_alertmanager_opens_and_resolves_a_ticket(monitoring, live_server):
    """Debian's Alertmanager sends to the live server with the bearer token from its config."""
    webhook = f"{live_server.url}{ALERTMANAGER_URL}"
    now = datetime.now(UTC)
    alert = {
        "labels": {"alertname": "UpsOnBattery", "team": "network", "instance": "ups-1"},
        "annotations": {"summary": "UPS-1 aküden çalışıyor"},
        "startsAt": (now - timedelta(minutes=1)).isoformat(),
        "generatorURL": "http://prometheus.belediye.local/graph",
    }
    with start_alertmanager(webhook_url=webhook, token=TOKEN) as alertmanager:
        alertmanager.post_alerts([alert])
        # On SQLite the live server shares the test's connection: wait for the whole write,
        # not for the ticket row alone.
        ticket = wait_for(
            lambda: (
                Ticket.objects.filter(title="UPS-1 aküden çalışıyor")
                .exclude(alert_fingerprint="")
                .first()
            ),
            timeout=60,
        )
        assert ticket is not None, alertmanager.log_path.read_text()[-3000:]
        assert ticket.channel == Channel.MONITORING and len(ticket.alert_fingerprint) == 16

        alertmanager.post_alerts([{**alert, "endsAt": (now - timedelta(seconds=5)).isoformat()}])
        resolved = wait_for(
            lambda: Ticket.objects.filter(pk=ticket.pk, state=TicketState.RESOLVED).exists(),
            timeout=60,
        )
        assert resolved, alertmanager.log_path.read_text()[-3000:]
    # Alertmanager repeats its notifications: one may still be served when it stops. The
    # database is emptied after the test while the live server shares its connection (SQLite),
    # so wait for the server's request threads to end first.
    assert wait_for(_live_server_idle, timeout=30)
    assert Ticket.objects.count() == 1


def _live_server_idle() -> bool:
    import threading

    return not any(
        "process_request_thread" in thread.name and thread.is_alive()
        for thread in threading.enumerate()
    )
