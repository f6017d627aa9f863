"""The document mailboxes (e-mail and KEP accounts, ``EvrakMailbox``) in the API: list, read,
add, change, delete and ``test-connection``, with the rules of their pages
(``biys.evrak.mailbox_views``): read by the receiving unit's module roles, added, changed,
tested and deleted by whoever holds the mailbox permissions over the receiving unit, written
through ``biys.evrak.services``. The passwords are write-only (``has_password`` and
``has_smtp_password`` say whether one is stored). Refusals are RFC 9457 problem details; a
connection test that fails is a 409 naming each server's answer (a gateway error would read
as BİYS failing)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from biys.core.api.permissions import ScopedObjectPermission
from biys.core.api.problems import PROBLEM_CONTENT_TYPE
from biys.core.api.schema import ProblemSerializer
from biys.core.api.views import BiysModelViewSet
from biys.evrak import filtersets, services
from biys.evrak.api import serializers
from biys.evrak.models import EvrakMailbox


class ConnectionFailed(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "mailbox_connection_failed"
    default_detail = _("The mailbox's servers could not be reached or refused the login.")


PASSWORD_RULE = (
    " The passwords (`password`, `smtp_password`) are write-only: empty or left out keeps the"
    " stored one, unless the server, port, security or user name it would be sent to changed"
    " (then it must be given again: 400 at the field)."
)


@extend_schema_view(
    list=extend_schema(
        description="The document mailboxes of the units the caller reads; never a password."
    ),
    retrieve=extend_schema(
        description=(
            "A document mailbox; `has_password` / `has_smtp_password` say whether a password"
            " is stored (never the password)."
        )
    ),
    create=extend_schema(
        description=(
            "Add a document mailbox over its receiving unit (`evrak.add_evrakmailbox` there);"
            " its IMAP `password` is required. Only a KEP mailbox has an `smtp_host`, and one"
            " that sends needs a KEP `address` (or an address as its user name)."
        )
    ),
    update=extend_schema(
        description="Change a document mailbox (`evrak.change_evrakmailbox`)." + PASSWORD_RULE
    ),
    partial_update=extend_schema(
        description="Change some fields of a document mailbox." + PASSWORD_RULE
    ),
    destroy=extend_schema(
        description=(
            "Delete a document mailbox (`evrak.delete_evrakmailbox`). Refused (409, with"
            " held_by) while messages taken from it are kept: make it inactive instead."
        )
    ),
)
class EvrakMailboxViewSet(BiysModelViewSet):
    """The document mailboxes: the e-mail and KEP accounts whose messages arrive as incoming
    documents of their receiving unit (a KEP account with an SMTP server also sends). Written
    through the same service as the pages; the passwords are write-only."""

    queryset = EvrakMailbox.objects.select_related("receiving_unit").order_by("name", "pk")
    serializer_class = serializers.EvrakMailboxSerializer
    filterset_class = filtersets.EvrakMailboxFilterSet
    permission_classes = [ScopedObjectPermission]
    # Never the passwords: sorting by one would tell them apart.
    ordering_fields = [
        "id", "name", "kind", "receiving_unit", "is_active", "host", "port", "username",
        "address", "smtp_host", "last_polled_at", "created", "last_updated",
    ]  # fmt: skip

    def perform_destroy(self, instance):
        services.delete_mailbox(user=self.request.user, mailbox=instance)

    @extend_schema(
        request=None,
        responses={
            200: serializers.MailboxConnectionSerializer,
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer,
                description="A server could not be reached or refused the login.",
            ),
        },
        description=(
            "Log in to the mailbox's IMAP server (and open its folder) and, for a KEP account"
            " that sends, to its SMTP server, with the stored settings; nothing is read, sent"
            " or saved. Needs the change permission over the mailbox. All logged in: 200 with"
            " each server's answer; any refused or unreachable: a 409 problem whose `detail`"
            " gives each server's answer."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="test-connection",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def test_connection(self, request, pk=None):
        mailbox = self.checked_object(services.require_mailbox_change)
        results = services.check_mailbox_connection(user=request.user, mailbox=mailbox)
        if not all(result["ok"] for result in results):
            raise ConnectionFailed(
                " ".join(gettext("%(server)s: %(message)s") % result for result in results)
            )
        return Response(serializers.MailboxConnectionSerializer({"results": results}).data)
