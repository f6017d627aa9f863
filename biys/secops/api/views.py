"""The findings REST API. Findings are read and moved along their lifecycle through the
service (one action per step, each checked against the unit of the finding); scanner reports
are uploaded as multipart (``POST /imports/``), refused with RFC 9457 problem details naming
the file's problem (nothing imported), or imported in the background with their progress on
the import."""

from django.db.models import Count, Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from biys.core.api.idempotency import idempotent
from biys.core.api.permissions import ScopedObjectPermission
from biys.core.api.views import BiysReadUpdateViewSet, BiysViewSetMixin
from biys.secops import filtersets, services
from biys.secops.api import serializers
from biys.secops.models import (
    Breach,
    Finding,
    Incident,
    Notification,
    NotificationRule,
    PenTest,
    RemediationTarget,
    ScanImport,
    UsomAddress,
    UsomListImport,
)

# A lifecycle step: signed-in users on a finding they can see; the step's own permission in
# the finding's unit is the service's (403 problem when refused).
ACTION_PERMISSIONS = [IsAuthenticated]


class FindingViewSet(
    BiysViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    queryset = Finding.objects.order_by("-severity", "-id")
    serializer_class = serializers.FindingSerializer
    filterset_class = filtersets.FindingFilterSet
    ordering_fields = ["severity", "due_date", "last_seen", "first_seen", "cvss_score", "id"]
    permission_classes = [ScopedObjectPermission]

    def _step(self, request, name: str):
        finding = self.get_object()
        body = serializers.FindingActionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        finding = services.change_state(
            user=request.user,
            finding=finding,
            action=name,
            note=body.validated_data.get("note") or "",
            until=body.validated_data.get("until"),
        )
        return Response(self.get_serializer(finding).data)

    def _described(description: str):
        return extend_schema(
            request=serializers.FindingActionRequestSerializer,
            responses={200: serializers.FindingSerializer},
            description=description,
        )

    @_described("Start the remediation of an open or reopened finding.")
    @action(
        detail=True,
        methods=["post"],
        url_path="start",
        filterset_class=None,
        permission_classes=ACTION_PERMISSIONS,
    )
    def start(self, request, pk=None):
        return self._step(request, "start")

    @_described("Mark the finding fixed; a later import that finds it again reopens it.")
    @action(
        detail=True,
        methods=["post"],
        url_path="fix",
        filterset_class=None,
        permission_classes=ACTION_PERMISSIONS,
    )
    def fix(self, request, pk=None):
        return self._step(request, "fix")

    @_described("Mark the finding a false positive (`note`: the reason, required).")
    @action(
        detail=True,
        methods=["post"],
        url_path="false-positive",
        filterset_class=None,
        permission_classes=ACTION_PERMISSIONS,
    )
    def false_positive(self, request, pk=None):
        return self._step(request, "false_positive")

    @_described(
        "Accept the risk until `until` (the SOME lead only; `note`: the reason, required)."
        " The acceptance ends by itself after that day."
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="accept-risk",
        filterset_class=None,
        permission_classes=ACTION_PERMISSIONS,
    )
    def accept_risk(self, request, pk=None):
        return self._step(request, "accept_risk")

    @_described("Reopen a fixed, false-positive or risk-accepted finding (`note` required).")
    @action(
        detail=True,
        methods=["post"],
        url_path="reopen",
        filterset_class=None,
        permission_classes=ACTION_PERMISSIONS,
    )
    def reopen(self, request, pk=None):
        return self._step(request, "reopen")

    @extend_schema(
        request=None,
        responses={200: serializers.FindingSerializer},
        description=(
            "Open a service-desk ticket for the fix, for the unit owning the asset (`ticket` in"
            " the answer). Closing the ticket does not fix the finding: the SOME verifies it."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="ticket",
        filterset_class=None,
        permission_classes=ACTION_PERMISSIONS,
    )
    def ticket(self, request, pk=None):
        finding = services.open_finding_ticket(user=request.user, finding=self.get_object())
        return Response(self.get_serializer(finding).data)

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "soon_days",
                int,
                description="How many days after today count as due soon, 0 to 365 (7 when"
                " left out).",
            )
        ],
        responses={200: serializers.FindingDueByUnitSerializer},
        description=(
            "Per responsible unit whose findings you may see, the findings waiting for a fix"
            " (open, in remediation, reopened) that are overdue (date to fix by before today)"
            " and due soon (from today to `soon_until`), per severity, worst overdue first."
            " Units with neither are left out. Read from the maintained due summary, not by"
            " counting findings."
        ),
    )
    @action(detail=False, methods=["get"], url_path="due-by-unit", filterset_class=None,
            pagination_class=None)  # fmt: skip
    def due_by_unit(self, request):
        from datetime import timedelta

        from rest_framework.exceptions import PermissionDenied

        from biys.core.access import get_scope
        from biys.secops import selectors

        if not get_scope(request.user).has_perm(selectors.VIEW_FINDING):
            raise PermissionDenied
        query = serializers.FindingDueByUnitRequestSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        soon_days = query.validated_data["soon_days"]
        day = selectors.today()
        data = {
            "day": day,
            "soon_days": soon_days,
            "soon_until": day + timedelta(days=soon_days),
            "units": selectors.due_by_unit(request.user, day=day, soon_days=soon_days),
        }
        return Response(serializers.FindingDueByUnitSerializer(data).data)

    del _described


class ScanImportViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GenericViewSet,
):
    queryset = ScanImport.objects.order_by("-id")
    serializer_class = serializers.ScanImportSerializer
    filterset_class = filtersets.ScanImportFilterSet
    ordering_fields = ["id", "created", "filename", "status"]
    # The upload's permission (import in that unit) is the service's; reading is scoped.
    permission_classes = [IsAuthenticated]

    parser_classes = [MultiPartParser, FormParser]  # the only write is the upload

    @extend_schema(
        request={"multipart/form-data": serializers.ScanImportUploadSerializer},
        responses={201: serializers.ScanImportSerializer},
        description=(
            "Import a scanner report (OpenVAS/Greenbone XML, Nessus, Trivy JSON, Nuclei"
            " JSON/JSONL; the format is recognised unless `scanner_format` names it). A file"
            " that cannot be read is a 400 problem with the reason at `errors.file` and nothing"
            " is imported. A large file is imported in the background: the answer's `status`"
            " is `queued` and `progress` grows until `done` or `failed`."
        ),
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = serializers.ScanImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        scan_import = services.import_report(
            user=request.user,
            unit=data["unit"],
            file=data["file"],
            filename=data["file"].name,
            format=data.get("scanner_format") or None,
        )
        return Response(self.get_serializer(scan_import).data, status=status.HTTP_201_CREATED)


class RemediationTargetViewSet(BiysReadUpdateViewSet):
    """Days to fix per severity. Everyone reads them; the SOME lead holding the role over the
    whole organisation changes them."""

    queryset = RemediationTarget.objects.order_by("-severity")
    serializer_class = serializers.RemediationTargetSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_class = None
    ordering_fields = ["severity", "days"]


# Incidents ---------------------------------------------------------------------------------


class IncidentViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GenericViewSet,
):
    """Incidents of the SOME: read (with their timeline, indicators, notifications sent,
    evidence and clocks), recorded and worked through the services: every write is checked
    against the incident's unit (403 problem when refused)."""

    queryset = (
        Incident.objects.select_related("ticket")
        .prefetch_related(
            "events",
            "indicators",
            "notifications",
            "evidence",
            "affected_units",
            "named_people",
            "tasks",
        )
        .order_by("-detected_at", "-id")
    )
    serializer_class = serializers.IncidentSerializer
    filterset_class = filtersets.IncidentFilterSet
    ordering_fields = ["detected_at", "severity", "id"]
    permission_classes = [IsAuthenticated]

    def _answer(self, incident, code=status.HTTP_200_OK):
        incident = self.get_queryset().get(pk=incident.pk)
        return Response(self.get_serializer(incident).data, status=code)

    @extend_schema(
        request=serializers.IncidentCreateSerializer,
        responses={201: serializers.IncidentSerializer},
        description="Record an incident (`ticket_number`: the monitoring ticket, if any).",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        from django.apps import apps
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        body = serializers.IncidentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        number = data.pop("ticket_number", "").strip()
        ticket = None
        if number:
            ticket = apps.get_model("servicedesk", "Ticket").objects.filter(number=number).first()
            if ticket is None:
                raise ValidationError({"ticket_number": _("No ticket has this number.")})
        incident = services.create_incident(user=request.user, ticket=ticket, **data)
        return self._answer(incident, status.HTTP_201_CREATED)

    def _step(self, request, name):
        incident = self.checked_object(services.require_incident)
        body = serializers.IncidentStepRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = services.change_incident_state(
            user=request.user, incident=incident, action=name, note=body.validated_data["note"]
        )
        return self._answer(incident)

    def _stepped(description: str):
        return extend_schema(
            request=serializers.IncidentStepRequestSerializer,
            responses={200: serializers.IncidentSerializer},
            description=description,
        )

    @_stepped("Contained (needs the containment steps).")
    @action(detail=True, methods=["post"], url_path="contain", filterset_class=None,
            permission_classes=ACTION_PERMISSIONS)  # fmt: skip
    def contain(self, request, pk=None):
        return self._step(request, "contain")

    @_stepped("Recovered (needs the recovery steps).")
    @action(detail=True, methods=["post"], url_path="recover", filterset_class=None,
            permission_classes=ACTION_PERMISSIONS)  # fmt: skip
    def recover(self, request, pk=None):
        return self._step(request, "recover")

    @_stepped("Close the incident (needs the lessons learnt).")
    @action(detail=True, methods=["post"], url_path="close", filterset_class=None,
            permission_classes=ACTION_PERMISSIONS)  # fmt: skip
    def close(self, request, pk=None):
        return self._step(request, "close")

    @_stepped("Reopen the incident (`note`: the reason, required).")
    @action(detail=True, methods=["post"], url_path="reopen", filterset_class=None,
            permission_classes=ACTION_PERMISSIONS)  # fmt: skip
    def reopen(self, request, pk=None):
        return self._step(request, "reopen")

    del _stepped

    @extend_schema(
        request=serializers.IncidentEventRequestSerializer,
        responses={200: serializers.IncidentSerializer},
        description="Add an event to the timeline (now when `occurred_at` is left out).",
    )
    @action(detail=True, methods=["post"], url_path="events", filterset_class=None,
            permission_classes=ACTION_PERMISSIONS)  # fmt: skip
    def events(self, request, pk=None):
        incident = self.checked_object(services.require_incident)
        body = serializers.IncidentEventRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.add_event(user=request.user, incident=incident, **body.validated_data)
        return self._answer(incident)

    @extend_schema(
        request=serializers.IncidentIndicatorRequestSerializer,
        responses={200: serializers.IncidentSerializer},
        description="Link an indicator (one row per kind and value across incidents).",
    )
    @action(detail=True, methods=["post"], url_path="indicators", filterset_class=None,
            permission_classes=ACTION_PERMISSIONS)  # fmt: skip
    def indicators(self, request, pk=None):
        incident = self.checked_object(services.require_incident)
        body = serializers.IncidentIndicatorRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.add_indicator(user=request.user, incident=incident, **body.validated_data)
        return self._answer(incident)

    @extend_schema(
        request=serializers.IncidentNotificationRequestSerializer,
        responses={200: serializers.IncidentSerializer},
        description="Record a notification sent to an authority under a notification rule.",
    )
    @action(detail=True, methods=["post"], url_path="notifications", filterset_class=None,
            permission_classes=ACTION_PERMISSIONS)  # fmt: skip
    def notifications(self, request, pk=None):
        incident = self.checked_object(services.require_incident)
        body = serializers.IncidentNotificationRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.record_notification(user=request.user, incident=incident, **body.validated_data)
        return self._answer(incident)

    @extend_schema(
        request=serializers.IncidentTaskRequestSerializer,
        responses={200: serializers.IncidentSerializer},
        description="Add a responder's task (the assignee must be able to see the incident).",
        operation_id="api_v1_secops_incidents_tasks_create",
    )
    @action(detail=True, methods=["post"], url_path="tasks", filterset_class=None,
            permission_classes=ACTION_PERMISSIONS)  # fmt: skip
    def tasks(self, request, pk=None):
        incident = self.checked_object(services.require_incident)
        body = serializers.IncidentTaskRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.add_task(user=request.user, incident=incident, **body.validated_data)
        return self._answer(incident)

    @extend_schema(
        request=serializers.IncidentTaskStepRequestSerializer,
        responses={200: serializers.IncidentSerializer},
        description=(
            "Move a task: `start` and `done` by the SOME or the task's assignee, `cancel` and"
            " `reopen` by the SOME."
        ),
        operation_id="api_v1_secops_incidents_tasks_step",
    )
    @action(detail=True, methods=["post"], url_path=r"tasks/(?P<task_pk>[0-9]+)",
            filterset_class=None, permission_classes=ACTION_PERMISSIONS)  # fmt: skip
    def task_step(self, request, pk=None, task_pk=None):
        from django.http import Http404

        incident = self.get_object()
        task = incident.tasks.filter(pk=task_pk).first()
        if task is None:
            raise Http404
        services.require_task(request.user, task)
        body = serializers.IncidentTaskStepRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.change_task(user=request.user, task=task, **body.validated_data)
        return self._answer(incident)


class NotificationRuleViewSet(BiysReadUpdateViewSet):
    """The notification clocks' rules. Everyone reads them; the SOME lead holding the role
    over the whole department changes them."""

    queryset = NotificationRule.objects.order_by("hours", "authority")
    serializer_class = serializers.NotificationRuleSerializer
    permission_classes = [ScopedObjectPermission]
    filterset_class = None
    ordering_fields = ["hours", "authority"]


class BreachViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    GenericViewSet,
):
    """Personal-data breaches (KVKK), each on its incident: recorded, changed and notified to
    the Board through the services, which check the incident's unit (403 problem when
    refused)."""

    queryset = (
        Breach.objects.select_related("incident")
        .prefetch_related(
            Prefetch(
                "incident__notifications",
                queryset=Notification.objects.select_related("rule", "sent_by"),
            )
        )
        .order_by("-incident__detected_at", "-id")
    )
    serializer_class = serializers.BreachSerializer
    filterset_class = filtersets.BreachFilterSet
    permission_classes = [IsAuthenticated]
    ordering_fields = ["id"]

    def _answer(self, breach, code=status.HTTP_200_OK):
        breach = self.get_queryset().get(pk=breach.pk)
        return Response(self.get_serializer(breach).data, status=code)

    @extend_schema(
        request=serializers.BreachWriteSerializer,
        responses={201: serializers.BreachSerializer},
        description="Record the breach of an incident that involves personal data.",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        from django.core.exceptions import ValidationError
        from django.http import Http404
        from django.utils.translation import gettext as _

        body = serializers.BreachWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        incident_id = data.pop("incident", None)
        if incident_id is None:
            raise ValidationError({"incident": _("Name the incident.")})
        incident = Incident.objects.filter(pk=incident_id).first()
        if incident is None or not services.may_record_breach(request.user, incident):
            if incident is not None and incident.personal_data is False:
                raise ValidationError(
                    {"incident": _("Only an incident that involves personal data is a breach.")}
                )
            raise Http404
        breach = services.record_breach(user=request.user, incident=incident, **data)
        return self._answer(breach, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.BreachWriteSerializer,
        responses={200: serializers.BreachSerializer},
        description="Change a breach record (the fields given).",
    )
    def partial_update(self, request, *args, **kwargs):
        breach = self.get_object()
        body = serializers.BreachWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        values = {
            name: value
            for name, value in body.validated_data.items()
            if name in body.initial_data and name != "incident"
        }
        return self._answer(services.update_breach(user=request.user, breach=breach, **values))

    @extend_schema(
        request=serializers.BoardNotificationSerializer,
        responses={200: serializers.BreachSerializer},
        description="Record what was sent to the KVKK Board (a notification of the incident"
        " under its personal-data rule).",
    )
    @action(detail=True, methods=["post"], url_path="notify-board", filterset_class=None)
    def notify_board(self, request, pk=None):
        breach = self.checked_object(services.require_breach)
        body = serializers.BoardNotificationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.notify_board(user=request.user, breach=breach, **body.validated_data)
        return self._answer(breach)


class PenTestViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GenericViewSet,
):
    """Penetration tests and the findings typed in from their reports. Recording a test and
    adding a finding go through the services, checked against the test's unit (403 problem
    when refused); a finding is deduplicated with every scanner's."""

    queryset = PenTest.objects.annotate(finding_count=Count("findings")).order_by(
        "-started_on", "-id"
    )
    serializer_class = serializers.PenTestSerializer
    filterset_class = filtersets.PenTestFilterSet
    ordering_fields = ["started_on", "id"]
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _answer(self, pentest, code=status.HTTP_200_OK):
        pentest = self.get_queryset().get(pk=pentest.pk)
        return Response(self.get_serializer(pentest).data, status=code)

    @extend_schema(
        request={
            "multipart/form-data": serializers.PenTestCreateSerializer,
            "application/json": serializers.PenTestCreateSerializer,
        },
        responses={201: serializers.PenTestSerializer},
        description="Record a penetration test (`report`: the tester's report file, optional).",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = serializers.PenTestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        report = data.pop("report", None)
        pentest = services.create_pentest(
            user=request.user,
            report=report,
            report_filename=report.name if report else "",
            **data,
        )
        return self._answer(pentest, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.PenTestFindingRequestSerializer,
        responses={200: serializers.PenTestFindingResultSerializer},
        description=(
            "Type in one finding of the test's report. The same asset, component, CVEs (else"
            " the same `rule_id`), port and protocol as a known finding is that finding:"
            " `outcome` says whether it was created, updated or reopened."
        ),
    )
    @action(detail=True, methods=["post"], url_path="findings", filterset_class=None,
            permission_classes=ACTION_PERMISSIONS)  # fmt: skip
    def findings(self, request, pk=None):
        pentest = self.checked_object(services.require_pentest)
        body = serializers.PenTestFindingRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        finding, outcome = services.add_pentest_finding(
            user=request.user, pentest=pentest, **body.validated_data
        )
        return Response(
            {"outcome": outcome, "finding": serializers.FindingSerializer(finding).data}
        )


# USOM's malicious address list -------------------------------------------------------------


class UsomListImportViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GenericViewSet,
):
    """Imports of USOM's malicious address list. Uploading needs the import permission over
    some unit (the list is the same for all); a file refused is a 400 problem at `file`."""

    queryset = UsomListImport.objects.order_by("-id")
    serializer_class = serializers.UsomListImportSerializer
    filterset_class = filtersets.UsomListImportFilterSet
    ordering_fields = ["id"]
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": serializers.UsomListUploadSerializer},
        responses={201: serializers.UsomListImportSerializer},
        description=(
            "Import USOM's list (url-list.txt, or a JSON page of its address API): addresses"
            " added, a whole list delists what it no longer carries, and the indicators are"
            " matched again. A large file is imported in the background (`status` queued)."
        ),
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = serializers.UsomListUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        record = services.import_usom_list(user=request.user, file=upload, filename=upload.name)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)


class UsomAddressViewSet(
    BiysViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    """The addresses of USOM's list (`active`: the latest whole list still carries it)."""

    queryset = UsomAddress.objects.order_by("-id")
    serializer_class = serializers.UsomAddressSerializer
    filterset_class = filtersets.UsomAddressFilterSet
    ordering_fields = ["id", "listed_at"]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: serializers.UsomMatchSerializer(many=True)},
        description="The indicators of the incidents you may see that are on USOM's list.",
    )
    @action(detail=False, methods=["get"], url_path="matches", filterset_class=None,
            pagination_class=None)  # fmt: skip
    def matches(self, request):
        from rest_framework.exceptions import PermissionDenied

        from biys.core.access import get_scope
        from biys.secops import selectors

        scope = get_scope(request.user)
        if not scope.has_perm("secops.view_usomaddress"):
            raise PermissionDenied
        if not scope.has_perm("secops.view_incident"):
            return Response(serializers.UsomMatchSerializer([], many=True).data)
        matches = selectors.usom_matches(request.user)[:500]
        return Response(serializers.UsomMatchSerializer(matches, many=True).data)

    @extend_schema(
        responses={200: serializers.UsomAccessMatchesSerializer},
        description=(
            "Who reached an IP address on USOM's list, from the internet access records (Law"
            " 5651): `count` (capped at 1,000: `capped`) and, only when you may read access"
            " records (the 5651 log officer, the auditor), the newest 100 `rows` of your units"
            " (`visible`). `installed` is false without the access log module. Open to whoever"
            " reads USOM's list (the SOME) or access records (the log officer)."
        ),
    )
    @action(detail=False, methods=["get"], url_path="access-matches", filterset_class=None,
            pagination_class=None)  # fmt: skip
    def access_matches(self, request):
        from rest_framework.exceptions import PermissionDenied

        from biys.secops import selectors

        if not selectors.may_see_usom_access(request.user):
            raise PermissionDenied
        matches = selectors.usom_access_matches(request.user)
        if matches is None:
            data = {"installed": False, "count": 0, "capped": False, "visible": False, "rows": []}
        else:
            data = {"installed": True, "count": matches.count, "capped": matches.capped,
                    "visible": matches.visible, "rows": matches.rows}  # fmt: skip
        return Response(serializers.UsomAccessMatchesSerializer(data).data)
