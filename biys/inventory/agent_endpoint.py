"""The URL inventory agents report to: ``/api/agent/`` (also answered at GLPI's
``/front/inventory.php`` and FusionInventory's ``/plugins/fusioninventory/`` so an agent's
existing configuration only needs the host changed).

It speaks each agent's own protocol, not the API's: the GLPI Agent POSTs a JSON CONTACT, then
its JSON inventory (``{"status": "ok"}`` or ``{"status": "error", "message": ...}``); the
FusionInventory Agent POSTs an XML PROLOG (answered ``SEND``), then its XML inventory. A refused
inventory is a 400 with the schema's own message; nothing of it is written. A client sending
``Accept: application/problem+json`` (a script, not an agent) gets refusals as the API's RFC 9457
problem details instead, the schema's message under ``errors`` at the path it is about.

Who may report: an agent presenting the installation's agent token as the HTTP Basic password
(``BIYS_AGENT_TOKEN``; the agents' ``user``/``password`` options), or any agent connecting from
a network of ``BIYS_AGENT_NETWORKS``. With neither configured every agent is refused.
"""

import base64
import hmac
import ipaddress
import json
import logging
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.csrf import csrf_exempt

from biys.core.context import change_context
from biys.inventory import agent_services
from biys.inventory.agent_formats import InventoryRefused

logger = logging.getLogger(__name__)

SERVER_VERSION = "10.0"  # the GLPI server version the agents are told (their JSON protocol)
REALM = "BIYS inventory agents"


def _networks() -> list:
    networks = []
    for value in getattr(settings, "BIYS_AGENT_NETWORKS", None) or ():
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            logger.error("BIYS_AGENT_NETWORKS: not a network: %r", value)
    return networks


def _token_presented(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    if scheme.lower() == "bearer":
        return value.strip()
    return ""


def authorise(request) -> tuple[bool, int, str]:
    """(allowed, the status to refuse with, why)."""
    token = getattr(settings, "BIYS_AGENT_TOKEN", "") or ""
    networks = _networks()
    if not token and not networks:
        return False, 403, _("Inventory agents are not enabled on this server.")
    if networks:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            address = None
        if address is not None and any(address in network for network in networks):
            return True, 200, ""
    if token:
        presented = _token_presented(request)
        if presented and hmac.compare_digest(presented.encode(), token.encode()):
            return True, 200, ""
        return False, 401, _("The agent token is missing or wrong.")
    return False, 403, _("This address may not report inventories.")


def _glpi(payload: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


def _fusion(body: str, status: int = 200) -> HttpResponse:
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<REPLY>{body}</REPLY>\n'
    return HttpResponse(xml.encode(), status=status, content_type="application/xml")


def _problem(request, status: int, message: str, path: str = "") -> JsonResponse:
    """The refusal in the API's style (RFC 9457), for a client that asks for it."""
    from biys.core.api.problems import PROBLEM_CONTENT_TYPE, problem

    codes = {400: "invalid_inventory", 401: "not_authenticated", 403: "permission_denied"}
    body = problem(
        status,
        code=codes.get(status, "error"),
        title=_("The inventory is refused.") if status == 400 else _("The agent is refused."),
        detail=message,
        instance=request.path,
    )
    if status == 400:
        body["errors"] = {path or "non_field_errors": [message]}
    response = JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = f'Basic realm="{REALM}"'
    return response


def _wants_problem(request) -> bool:
    return "application/problem+json" in request.META.get("HTTP_ACCEPT", "")


def _refusal(fusion: bool, status: int, message: str) -> HttpResponse:
    if fusion:
        return _fusion(f"<ERROR>{escape(message)}</ERROR>", status)
    response = _glpi({"status": "error", "message": message}, status)
    if status == 401:
        response["WWW-Authenticate"] = f'Basic realm="{REALM}"'
    return response


def _read_body(request) -> bytes:
    limit = max(1, int(getattr(settings, "BIYS_AGENT_MAX_BODY_MB", 32))) * 1024 * 1024
    body = request.read(limit + 1)
    if len(body) > limit:
        raise InventoryRefused(_("The request body is larger than the server accepts."))
    return body


@csrf_exempt
def agent_endpoint(request):
    content_type = request.META.get("CONTENT_TYPE", "")
    looks_fusion = "xml" in content_type.lower() or content_type.lower() in (
        "application/x-compress",
    )
    # Agents and their logs read English; the answers are not for people.
    with override("en"):
        if request.method != "POST":
            response = _glpi({"status": "error", "message": "POST an agent message here."}, 405)
            response["Allow"] = "POST"
            return response
        allowed, status, why = authorise(request)
        if not allowed:
            if _wants_problem(request):
                return _problem(request, status, why)
            return _refusal(looks_fusion, status, why)
        frequency = max(1, int(getattr(settings, "BIYS_AGENT_FREQUENCY_HOURS", 24)))
        try:
            body = _read_body(request)
            with change_context(user_name="inventory agent"):
                result = agent_services.ingest(
                    body=body,
                    content_type=content_type,
                    remote_address=request.META.get("REMOTE_ADDR") or None,
                )
        except InventoryRefused as refused:
            fusion = refused.format == "fusion" or (not refused.format and looks_fusion)
            message = f"{refused.path}: {refused.message}" if refused.path else refused.message
            logger.info("agent inventory refused: %s", message)
            if _wants_problem(request):
                return _problem(request, 400, refused.message, refused.path)
            return _refusal(fusion, 400, message)
    inventory = result.inventory
    if inventory.format == "fusion":
        if inventory.action == "prolog":
            return _fusion(f"<RESPONSE>SEND</RESPONSE><PROLOG_FREQ>{frequency}</PROLOG_FREQ>")
        if inventory.action == "inventory":
            return _fusion("<RESPONSE>no_update</RESPONSE>")
        return _fusion("<RESPONSE>no_update</RESPONSE>")
    if inventory.action == "contact":
        return _glpi(
            {
                "status": "ok",
                "expiration": frequency,
                "tasks": {"inventory": {"server": "glpi", "version": SERVER_VERSION}},
            }
        )
    if inventory.action == "inventory":
        return _glpi({"status": "ok", "expiration": frequency})
    return _glpi(
        {
            "status": "error",
            "message": json.dumps(inventory.action) + " is not a request this server answers.",
        },
        400,
    )
