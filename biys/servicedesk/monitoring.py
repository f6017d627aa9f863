"""Monitoring alerts become tickets (odunpazari MADDE 11 (1) k).

Prometheus Alertmanager (webhook payload version 4) and Zabbix (a webhook media type posting
the JSON below) are read into ``Alert`` values and handled alike:

- a firing alert with no open ticket of the same fingerprint opens one in the unit its labels
  map to through ``AlertRoute`` (label = value; the first route in order when none matches);
- a firing alert whose ticket is open adds an internal note "the alert fired again" at most
  once every ``SERVICEDESK_ALERT_REPEAT_MINUTES`` (60), never a second ticket;
- a resolved alert resolves its open ticket with a resolution note.

The caller is the webhook's authenticated service user: it files and resolves the tickets, so
its roles decide which units' tickets it may touch (give it the Technician role over them).
The requester of an alert ticket is the manager of the route's unit, else the person linked to
the service user.

Zabbix body (every value a string; ``tags`` a list of {"tag", "value"} or an object)::

    {"event_id": "{EVENT.ID}", "status": "{EVENT.STATUS}" (PROBLEM | RESOLVED),
     "host": "{HOST.NAME}", "trigger": "{EVENT.NAME}", "severity": "{EVENT.SEVERITY}",
     "tags": {EVENT.TAGSJSON}, "message": "{ALERT.MESSAGE}", "time": "{EVENT.DATE} {EVENT.TIME}",
     "url": "{TRIGGER.URL}"}
"""

import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DEFAULT_REPEAT_MINUTES = 60
FIRING, RESOLVED = "firing", "resolved"
HIGH_SEVERITIES = {"critical", "disaster", "high", "page", "emergency"}
MEDIUM_SEVERITIES = {"warning", "average", "major", "error"}


class AlertPayloadError(ValueError):
    """The body is not a payload we understand (a 400 for the sender)."""


class NoAlertRoute(Exception):
    """No AlertRoute exists at all, so the alert has no unit to go to (a 422)."""


class NoAlertRequester(Exception):
    """Neither the unit's manager nor the service user's person can be the requester (a 422)."""


@dataclass
class Alert:
    source: str
    fingerprint: str
    status: str
    title: str
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    starts_at: str = ""
    ends_at: str = ""
    url: str = ""

    @property
    def severity(self) -> str:
        return self.labels.get("severity", "").strip().lower()


@dataclass
class AlertResult:
    fingerprint: str
    action: str  # created | updated | repeated | resolved | ignored
    ticket: str = ""

    def as_dict(self) -> dict:
        return {"fingerprint": self.fingerprint, "action": self.action, "ticket": self.ticket}


# Payloads ----------------------------------------------------------------------------------------


def _string_map(value, name: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AlertPayloadError(_("“%(name)s” must be an object.") % {"name": name})
    return {str(key): "" if item is None else str(item) for key, item in value.items()}


def parse_alertmanager(payload) -> list[Alert]:
    if not isinstance(payload, dict) or not isinstance(payload.get("alerts"), list):
        raise AlertPayloadError(_("An Alertmanager payload needs an “alerts” list."))
    alerts = []
    for index, raw in enumerate(payload["alerts"]):
        if not isinstance(raw, dict):
            raise AlertPayloadError(_("Alert %(index)d is not an object.") % {"index": index})
        labels = {**_string_map(payload.get("commonLabels"), "commonLabels")}
        labels.update(_string_map(raw.get("labels"), "labels"))
        annotations = _string_map(raw.get("annotations"), "annotations")
        status = str(raw.get("status") or payload.get("status") or "").lower()
        if status not in (FIRING, RESOLVED):
            raise AlertPayloadError(
                _("Alert %(index)d has no valid status (firing or resolved).") % {"index": index}
            )
        fingerprint = str(raw.get("fingerprint") or "").strip()
        if not fingerprint:
            if not labels:
                raise AlertPayloadError(
                    _("Alert %(index)d has neither a fingerprint nor labels.") % {"index": index}
                )
            fingerprint = "labels:" + json.dumps(labels, sort_keys=True)
        alerts.append(
            Alert(
                source="alertmanager",
                fingerprint=fingerprint[:200],
                status=status,
                title=annotations.get("summary") or labels.get("alertname") or fingerprint,
                labels=labels,
                annotations=annotations,
                starts_at=str(raw.get("startsAt") or ""),
                ends_at=str(raw.get("endsAt") or ""),
                url=str(raw.get("generatorURL") or ""),
            )
        )
    return alerts


def _zabbix_tags(value) -> dict[str, str]:
    if isinstance(value, str):
        if not value.strip():
            return {}
        try:
            value = json.loads(value)
        except ValueError as error:
            raise AlertPayloadError(_("“tags” is not valid JSON.")) from error
    if isinstance(value, dict):
        return _string_map(value, "tags")
    if isinstance(value, list):
        tags = {}
        for item in value:
            if not isinstance(item, dict) or "tag" not in item:
                raise AlertPayloadError(_("Each tag needs a “tag” and a “value”."))
            tags[str(item["tag"])] = str(item.get("value", ""))
        return tags
    if value is None:
        return {}
    raise AlertPayloadError(_("“tags” must be a list or an object."))


def parse_zabbix(payload) -> list[Alert]:
    if not isinstance(payload, dict):
        raise AlertPayloadError(_("A Zabbix payload must be a JSON object."))
    event_id = str(payload.get("event_id") or payload.get("eventid") or "").strip()
    if not event_id:
        raise AlertPayloadError(_("A Zabbix payload needs an “event_id”."))
    raw_status = str(payload.get("status") or "").strip().upper()
    if raw_status in ("PROBLEM", "FIRING"):
        status = FIRING
    elif raw_status in ("RESOLVED", "OK"):
        status = RESOLVED
    else:
        raise AlertPayloadError(_("“status” must be PROBLEM or RESOLVED."))
    host = str(payload.get("host") or "")
    trigger = str(payload.get("trigger") or payload.get("trigger_name") or "")
    labels = _zabbix_tags(payload.get("tags"))
    labels.setdefault("host", host)
    labels.setdefault("severity", str(payload.get("severity") or ""))
    labels.setdefault("alertname", trigger)
    annotations = {"summary": f"{host}: {trigger}" if host and trigger else trigger or host}
    if payload.get("message"):
        annotations["description"] = str(payload["message"])
    return [
        Alert(
            source="zabbix",
            fingerprint=f"zabbix:{event_id}"[:200],
            status=status,
            title=annotations["summary"] or f"Zabbix {event_id}",
            labels={key: value for key, value in labels.items() if value},
            annotations=annotations,
            starts_at=str(payload.get("time") or ""),
            url=str(payload.get("url") or ""),
        )
    ]


# Routing -----------------------------------------------------------------------------------------


def route_for(labels: dict[str, str]):
    """The first route (by order) whose label has the alert's value; else the first route."""
    from biys.servicedesk.models import AlertRoute

    routes = list(AlertRoute.objects.select_related("unit", "catalog_item").order_by("order", "id"))
    if not routes:
        raise NoAlertRoute(
            _("No alert route is defined: add one that maps a label to the responsible unit.")
        )
    for route in routes:
        if labels.get(route.label) == route.value:
            return route
    return routes[0]


def requester_for(route, user):
    from biys.accounts.selectors import unit_manager_user

    manager = unit_manager_user(route.unit)
    person = getattr(manager, "person", None) if manager is not None else None
    if person is None and route.unit.manager_position_id:
        person = route.unit.manager_position.holder
    person = person or getattr(user, "person", None)
    if person is None:
        raise NoAlertRequester(
            _(
                "The unit %(unit)s has no manager and the monitoring user is not linked to a "
                "person: one of them must be the requester of alert tickets."
            )
            % {"unit": route.unit}
        )
    return person


def _levels(alert: Alert) -> tuple[int | None, int | None]:
    from biys.servicedesk.choices import Level

    if alert.severity in HIGH_SEVERITIES:
        return Level.HIGH, Level.HIGH
    if alert.severity in MEDIUM_SEVERITIES:
        return Level.MEDIUM, Level.MEDIUM
    return None, None


def describe(alert: Alert) -> str:
    lines = []
    if alert.annotations.get("description"):
        lines += [alert.annotations["description"], ""]
    lines.append(_("Source: %(source)s") % {"source": alert.source})
    if alert.starts_at:
        lines.append(_("Started: %(time)s") % {"time": alert.starts_at})
    if alert.url:
        lines.append(_("Link: %(url)s") % {"url": alert.url})
    if alert.labels:
        lines += ["", _("Labels:")] + [f"  {k}={v}" for k, v in sorted(alert.labels.items())]
    others = {k: v for k, v in alert.annotations.items() if k not in ("summary", "description")}
    if others:
        lines += ["", _("Annotations:")] + [f"  {k}: {v}" for k, v in sorted(others.items())]
    return "\n".join(lines)


# Handling ----------------------------------------------------------------------------------------


def open_ticket_for(fingerprint: str):
    from biys.servicedesk.choices import OPEN_STATES
    from biys.servicedesk.models import Ticket

    return (
        Ticket.objects.filter(
            alert_fingerprint=fingerprint, alert_fingerprint__gt="", state__in=OPEN_STATES
        )
        .order_by("-pk")
        .first()
    )


def repeat_minutes() -> int:
    return getattr(settings, "SERVICEDESK_ALERT_REPEAT_MINUTES", DEFAULT_REPEAT_MINUTES)


def _recently_noted(ticket, user, since) -> bool:
    from biys.comments.models import Comment

    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(ticket),
        object_id=str(ticket.pk),
        author=user,
        is_internal=True,
        created__gte=since,
    ).exists()


def handle_alert(alert: Alert, *, user) -> AlertResult:
    """Apply one alert in its own transaction."""
    from biys.servicedesk import services
    from biys.servicedesk.choices import Channel
    from biys.servicedesk.models import AlertRoute

    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        route = route_for(alert.labels)
        # The route's row is the lock: the same alert posted twice at once opens one ticket.
        AlertRoute.objects.select_for_update().filter(pk=route.pk).first()
        ticket = open_ticket_for(alert.fingerprint)
        now = timezone.now()
        if alert.status == RESOLVED:
            if ticket is None:
                return AlertResult(alert.fingerprint, "ignored")
            ends = alert.ends_at or now.isoformat()
            services.resolve_ticket(
                ticket=ticket,
                user=user,
                resolution=_("The alert cleared (%(source)s, %(time)s).")
                % {"source": alert.source, "time": ends},
            )
            return AlertResult(alert.fingerprint, "resolved", ticket.number)
        if ticket is not None:
            if _recently_noted(ticket, user, now - timedelta(minutes=repeat_minutes())):
                return AlertResult(alert.fingerprint, "repeated", ticket.number)
            services.add_reply(
                ticket=ticket,
                user=user,
                text=_("The alert fired again (%(time)s).") % {"time": now.isoformat()},
                internal=True,
            )
            return AlertResult(alert.fingerprint, "updated", ticket.number)
        impact, urgency = _levels(alert)
        ticket = services.create_ticket(
            catalog_item=route.catalog_item,
            requester=requester_for(route, user),
            title=" ".join(alert.title.split())[:200],
            description=describe(alert),
            created_by=user,
            channel=Channel.MONITORING,
            impact=impact,
            urgency=urgency,
        )
        if ticket.responsible_unit_id != route.unit_id:
            services.transfer_ticket(
                ticket=ticket,
                unit=route.unit,
                user=user,
                reason=_("Alert route %(route)s") % {"route": route},
            )
        ticket.alert_fingerprint = alert.fingerprint
        ticket.save(update_fields=["alert_fingerprint", "last_updated"])
        logger.info("Alert %s opened %s", alert.fingerprint, ticket.number)
        return AlertResult(alert.fingerprint, "created", ticket.number)


def handle_alerts(alerts: list[Alert], *, user) -> list[AlertResult]:
    return [handle_alert(alert, user=user) for alert in alerts]
