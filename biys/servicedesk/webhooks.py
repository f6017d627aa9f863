"""Webhooks for monitoring systems: ``POST alerts/alertmanager/`` and ``POST alerts/zabbix/``.

Authentication is the API token of a dedicated service user, sent as
``Authorization: Bearer <token>`` (Alertmanager's ``http_config.authorization.credentials``;
``Token <token>`` works too). The user must be allowed to file tickets
(``servicedesk.add_ticket``) and, to update and resolve them, work on the units alerts are
routed to (``servicedesk.change_ticket``): the Technician role over those units gives both.
Errors are RFC 9457 problem details: 400 for a body we cannot read, 401 without a valid token,
403 without the permissions, 422 when no route or requester can be found.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from biys.accounts.scope import get_scope
from biys.accounts.tokens import HashedTokenAuthentication
from biys.core.api.parsers import SafeJSONParser
from biys.core.context import bind_user
from biys.servicedesk import monitoring


class BearerTokenAuthentication(HashedTokenAuthentication):
    """DRF's token, sent with the ``Bearer`` keyword monitoring systems use."""

    keyword = "Bearer"
    keywords = ("bearer", "token")  # "Token" is the rest of the API's spelling

    def authenticate(self, request):
        parts = request.headers.get("authorization", "").split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        return self.authenticate_credentials(parts[1])


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Its own name in the schema, apart from the API's ``Token`` scheme."""

    target_class = BearerTokenAuthentication
    name = "alertBearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}


class MayPostAlerts(BasePermission):
    message = _("This user may not file tickets from monitoring alerts.")

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user and user.is_authenticated and get_scope(user).has_perm("servicedesk.add_ticket")
        )


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("The alert cannot be turned into a ticket.")
    default_code = "unprocessable"


class AlertWebhookView(APIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [MayPostAlerts]
    parser_classes = [SafeJSONParser]
    parser = None  # set by the subclasses: payload -> list[Alert]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT},
        tags=["servicedesk"],
    )
    def post(self, request):
        bind_user(request.user)  # change log entries name the service user
        try:
            alerts = type(self).parser(request.data)
        except monitoring.AlertPayloadError as error:
            raise exceptions.ParseError(str(error)) from error
        try:
            results = monitoring.handle_alerts(alerts, user=request.user)
        except (monitoring.NoAlertRoute, monitoring.NoAlertRequester) as error:
            raise Unprocessable(str(error)) from error
        return Response({"results": [result.as_dict() for result in results]})


class AlertmanagerWebhookView(AlertWebhookView):
    """Prometheus Alertmanager's webhook (payload version 4)."""

    parser = staticmethod(monitoring.parse_alertmanager)


class ZabbixWebhookView(AlertWebhookView):
    """A Zabbix webhook media type posting the JSON documented in ``monitoring``."""

    parser = staticmethod(monitoring.parse_zabbix)


urlpatterns = [
    path(
        "alerts/alertmanager/",
        AlertmanagerWebhookView.as_view(),
        name="alerts_alertmanager",
    ),
    path("alerts/zabbix/", ZabbixWebhookView.as_view(), name="alerts_zabbix"),
]
