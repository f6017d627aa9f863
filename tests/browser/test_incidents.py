"""A SOME incident in Chromium: a monitoring alert becomes a service-desk ticket, the SOME lead
escalates it to an incident, adds an indicator and an evidence file, records the USOM
notification within its clock, writes the containment, recovery and lessons learnt, closes the
incident and gets its report. Leaves the screenshot incident.png."""

import hashlib

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def alert_ticket(make_user, org_tree):
    """A firing Alertmanager alert, handled as the monitoring webhook does: a ticket."""
    from biys.servicedesk.models import AlertRoute, CatalogItem, Ticket
    from biys.servicedesk.monitoring import handle_alert, parse_alertmanager

    robot = make_user("technician", org_tree["dept"], username="izleme")
    item = CatalogItem.objects.create(
        name="Sunucu / ağ alarmı", kind="alert", unit=org_tree["network"]
    )
    AlertRoute.objects.create(
        label="team", value="network", unit=org_tree["network"], catalog_item=item, order=1
    )
    labels = {"alertname": "HttpFloodSuspected", "team": "network", "severity": "critical",
              "instance": "www.belediye.bel.tr"}  # fmt: skip
    payload = {
        "version": "4",
        "status": "firing",
        "receiver": "biys",
        "groupLabels": {"alertname": "HttpFloodSuspected"},
        "commonLabels": labels,
        "alerts": [
            {
                "status": "firing",
                "labels": labels,
                "annotations": {"summary": "Web sitesine saniyede 40 bin istek"},
                "startsAt": "2026-11-30T08:00:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "fingerprint": "a1b2c3d4e5f60718",
            }
        ],
    }
    (alert,) = parse_alertmanager(payload)
    return Ticket.objects.get(number=handle_alert(alert, user=robot).ticket)


def test_a_monitoring_ticket_becomes_an_incident_that_closes(
    page, login_as, make_user, org_tree, screenshot, tmp_path, settings
):
    from biys.comments.models import Comment
    from biys.secops.models import CustodyEntry, Incident

    settings.MEDIA_ROOT = tmp_path / "media"
    # The default clocks come from a data migration, and a transactional test elsewhere in the
    # run may have emptied the table since: put them back as the migration does.
    from importlib import import_module

    from django.apps import apps

    import_module("biys.secops.migrations.0005_default_notification_rules").add_defaults(apps, None)
    ticket = alert_ticket(make_user, org_tree)
    assert ticket is not None and ticket.channel == "monitoring"
    login_as(make_user("some_lead", org_tree["dept"]))

    # Escalate the ticket.
    page.goto(f"/secops/incidents/escalate/?ticket={ticket.number}")
    page.locator("#id_unit").select_option(label=str(org_tree["dept"]))
    page.locator("#id_classification").select_option("dos")
    page.locator("#escalate-form button[name=escalate]").click()
    expect(page.locator("#incident-state")).to_have_attribute("data-state", "open")
    incident = Incident.objects.get()
    assert incident.ticket_id == ticket.pk
    assert Comment.objects.filter(object_id=str(ticket.pk), text__contains=incident.number)

    # An indicator and an evidence file.
    page.locator("#id_indicator-kind").select_option("ip")
    page.fill("#id_indicator-value", "198.51.100.23")
    page.locator("button[name=add-indicator]").click()
    expect(page.locator("#incident-indicators")).to_contain_text("198.51.100.23")
    evidence = tmp_path / "erisim.log"
    evidence.write_bytes(b'198.51.100.23 - - [30/Nov/2026:08:00:01] "GET / HTTP/1.1" 200\n' * 50)
    page.set_input_files("#id_evidence-file", str(evidence))
    page.locator("button[name=add-evidence]").click()
    digest = hashlib.sha256(evidence.read_bytes()).hexdigest()
    expect(page.locator("#incident-evidence")).to_contain_text(digest)
    assert CustodyEntry.objects.filter(action="added").count() == 1

    # The USOM notification, within its clock (the form offers the first clock not done).
    usom = page.locator("#incident-clocks tr[data-done]").first
    expect(usom).to_have_attribute("data-late", "0")
    page.fill("#id_notification-reference", "USOM-2026-1187")
    page.fill("#id_notification-content", "USOM olay bildirim formu: hedef, saldırı, kaynak.")
    page.locator("button[name=record-notification]").click()
    expect(page.locator("#incident-clocks tr[data-done='1']")).to_have_count(1)
    expect(page.locator("#incident-notifications")).to_contain_text("USOM-2026-1187")

    # Contain, recover and close with the lessons learnt.
    page.goto(f"/secops/incidents/{incident.pk}/edit/")
    page.fill("#id_containment", "Yük dengeleyicide oran sınırı; servis sağlayıcıda temizleme.")
    page.fill("#id_recovery", "Trafik normale döndü; oran sınırı kalıcı kurala çevrildi.")
    page.fill("#id_lessons", "Oran sınırı baştan açık olmalı; izleme eşiği düşürüldü.")
    page.locator("form.card button[type=submit]").click()
    for step, state in (("contain", "contained"), ("recover", "recovered"), ("close", "closed")):
        page.locator(f"button[name=step-{step}]").click()
        expect(page.locator("#incident-state")).to_have_attribute("data-state", state)
    incident.refresh_from_db()
    assert incident.state == "closed" and incident.notifications.count() == 1
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "incident")

    # The closed incident's report.
    report = page.request.get(page.locator("#incident-report").get_attribute("href"))
    assert report.ok and report.headers["content-type"] == "application/pdf"
