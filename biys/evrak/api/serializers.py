from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.evrak.choices import DispatchChannel, RecipientKind, RoutingKind
from biys.evrak.models import (
    ApprovalEvent,
    ApprovalStep,
    ConfidentialGrant,
    ConfidentialView,
    DisposalDecision,
    DistributionLine,
    DocumentFile,
    EvrakMailbox,
    IncomingDocument,
    IncomingPackage,
    KepDispatch,
    KepEvidence,
    OutgoingDocument,
    OutgoingNumber,
    OutgoingSeal,
    OutgoingSignature,
    PackagePart,
    ReceivedMail,
    RevocationList,
    Routing,
    ScanText,
    SdpCode,
    SigningRule,
    TrustedCertificate,
)
from biys.org.models import Person, Unit


class SdpCodeSerializer(BiysModelSerializer):
    class Meta:
        model = SdpCode
        fields = [
            "id",
            "display",
            "code",
            "title",
            "unit_retention_years",
            "archive_retention_years",
            "final_disposition",
            "is_sample",
            "active",
            "created",
            "last_updated",
        ]
        read_only_fields = ["is_sample"]


class SdpImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(
        default=False, help_text=_("Only preview: nothing is loaded.")
    )


class SdpImportRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    unit_retention_years = serializers.IntegerField(allow_null=True)
    archive_retention_years = serializers.IntegerField(allow_null=True)
    final_disposition = serializers.CharField(allow_blank=True)
    effect = serializers.ChoiceField(choices=["new", "changed", "same"])


class SdpImportResultSerializer(serializers.Serializer):
    rows = SdpImportRowSerializer(many=True)
    added = serializers.IntegerField()
    updated = serializers.IntegerField()


class PackagePartSerializer(serializers.ModelSerializer):
    class Meta:
        model = PackagePart
        fields = ["id", "name", "role", "size", "sha256"]


class PackageSerializer(serializers.ModelSerializer):
    parts = PackagePartSerializer(many=True, read_only=True)

    class Meta:
        model = IncomingPackage
        fields = ["filename", "size", "sha256", "version", "checks", "checked_at", "parts"]


class ScanTextStateSerializer(serializers.ModelSerializer):
    """A scan's text recognition, without the text (``/evrak/scans/{id}/`` has it)."""

    filename = serializers.CharField(source="attachment.filename", read_only=True)

    class Meta:
        model = ScanText
        fields = ["id", "attachment", "filename", "status", "error", "pages", "finished_at"]


class ScanTextSerializer(serializers.ModelSerializer):
    filename = serializers.CharField(source="attachment.filename", read_only=True)

    class Meta:
        model = ScanText
        fields = [
            "id", "document", "attachment", "filename", "status", "error", "text", "method",
            "pages", "truncated", "attempts", "queued_at", "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields


class IlgiSerializer(serializers.Serializer):
    label = serializers.CharField()
    related = serializers.IntegerField(source="related_id", allow_null=True)
    text = serializers.CharField()


class IncomingDocumentSerializer(BiysModelSerializer):
    """The person sender's TC kimlik number is write-only: read it masked here, unmasked
    through the logged ``personal-data`` action."""

    sender_tc_kimlik_no_masked = serializers.CharField(source="masked_tc_kimlik_no", read_only=True)
    receiving_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    named_readers = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), many=True, required=False
    )
    due_in_working_days = serializers.IntegerField(
        required=False, write_only=True, min_value=1, max_value=365
    )
    related = serializers.PrimaryKeyRelatedField(
        queryset=IncomingDocument.objects.all(), many=True, required=False, write_only=True
    )
    reference_texts = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, write_only=True
    )
    references = IlgiSerializer(many=True, read_only=True)
    package = PackageSerializer(read_only=True, allow_null=True)
    scans = ScanTextStateSerializer(
        source="scan_texts",
        many=True,
        read_only=True,
        help_text=_("The text recognition (OCR) of each scanned PDF or image."),
    )
    masked = serializers.SerializerMethodField(
        help_text=_(
            "True for a Gizli or Çok Gizli document of the user's units that they are neither"
            " named on nor granted: only its number, date, unit and marking are given, the"
            ' subject reads "Gizli" and the rest is empty.'
        )
    )

    def get_masked(self, obj) -> bool:
        return bool(getattr(obj, "masked", False))

    def to_representation(self, instance):
        if not getattr(instance, "masked", False):
            return super().to_representation(instance)
        from biys.evrak.selectors import mask_row

        mask_row(instance)
        data = super().to_representation(instance)
        for name in ("references", "named_readers", "scans"):
            data[name] = []
        for name in ("package", "registered_by", "file", "sdp_code", "sender_date"):
            data[name] = None
        data["sender_kind"] = ""
        return data

    class Meta:
        model = IncomingDocument
        fields = [
            "id", "display", "number", "registered_at", "year", "channel", "receiving_unit",
            "sender_kind", "sender_name", "sender_detsis_no", "sender_vkn", "sender_mersis_no",
            "sender_tc_kimlik_no", "sender_tc_kimlik_no_masked", "sender_number", "sender_date",
            "subject", "sdp_code", "confidentiality", "urgency", "due_date",
            "due_in_working_days", "related", "reference_texts", "references", "named_readers",
            "notes", "belge_id", "registered_by", "package", "scans", "file", "archive_state",
            "masked", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = [
            "number",
            "registered_at",
            "year",
            "channel",
            "belge_id",
            "registered_by",
        ]
        extra_kwargs = {"sender_tc_kimlik_no": {"write_only": True}}

    def validate(self, attrs):
        return attrs  # the service checks the rules (sender, due date, unit, permission)

    def create(self, validated_data):
        from biys.evrak import services

        return services.register_incoming_document(
            user=self.context["request"].user, **validated_data
        )


def _when(value, zone):
    """A datetime as DRF's ``DateTimeField`` writes it (ISO 8601 in the current time zone,
    ``Z`` for UTC); None stays None."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _day(value):
    return None if value is None else value.isoformat()


def _text(value):
    return None if value is None else str(value)


def incoming_list_rows(documents) -> list[dict]:
    """The list's rows of ``IncomingDocumentSerializer``, written out by hand: the same keys in
    the same order and the same values as the serializer gives each document (masked rows
    included: the register fields only), without a DRF field per value. A document's lines
    (named readers, ilgi lines, package parts, scans) are the plain rows the list read for
    the page (``_list_lines``, see ``list_lines_of``), else read from its prefetched objects.
    The serializer stays the one definition of the fields (schema, detail, writes);
    ``test_list_representation`` holds this to it over every kind of row."""
    from django.utils import timezone

    from biys.evrak.selectors import mask_row

    zone = timezone.get_current_timezone()
    rows = []
    for document in documents:
        masked = bool(getattr(document, "masked", False))
        if masked:
            mask_row(document)
            lines = None
        else:
            lines = document.__dict__.get("_list_lines") or _prefetched_lines(document)
        rows.append(
            {
                "id": document.pk,
                "display": str(document),
                "number": _text(document.number),
                "registered_at": _when(document.registered_at, zone),
                "year": document.year,
                "channel": document.channel,
                "receiving_unit": document.receiving_unit_id,
                "sender_kind": "" if masked else document.sender_kind,
                "sender_name": _text(document.sender_name),
                "sender_detsis_no": _text(document.sender_detsis_no),
                "sender_vkn": _text(document.sender_vkn),
                "sender_mersis_no": _text(document.sender_mersis_no),
                "sender_tc_kimlik_no_masked": document.masked_tc_kimlik_no,
                "sender_number": _text(document.sender_number),
                "sender_date": None if masked else _day(document.sender_date),
                "subject": _text(document.subject),
                "sdp_code": None if masked else document.sdp_code_id,
                "confidentiality": document.confidentiality,
                "urgency": document.urgency,
                "due_date": _day(document.due_date),
                "references": [] if masked else [
                    {"label": str(label), "related": related, "text": str(text)}
                    for label, related, text in lines[0]
                ],
                "named_readers": [] if masked else lines[1],
                "notes": _text(document.notes),
                "belge_id": _text(document.belge_id),
                "registered_by": None if masked else document.registered_by_id,
                "package": None if masked else _package(document, lines[2], zone),
                "scans": [] if masked else [
                    {
                        "id": pk,
                        "attachment": attachment,
                        "filename": _text(filename),
                        "status": status,
                        "error": str(error),
                        "pages": pages,
                        "finished_at": _when(finished_at, zone),
                    }
                    for pk, attachment, filename, status, error, pages, finished_at in lines[3]
                ],
                "file": None if masked else document.file_id,
                "archive_state": document.archive_state,
                "masked": masked,
                "created": _when(document.created, zone),
                "last_updated": _when(document.last_updated, zone),
            }
        )  # fmt: skip
    return rows


# The plain rows of a document's lines, as ``incoming_list_rows`` reads them (and the list's
# ``list_lines_of`` reads them from the database, in these columns and this order).
REFERENCE_COLUMNS = ("label", "related_id", "text")
PART_COLUMNS = ("pk", "name", "role", "size", "sha256")
SCAN_COLUMNS = ("pk", "attachment_id", "attachment__filename", "status", "error", "pages",
                "finished_at")  # fmt: skip


def _prefetched_lines(document) -> tuple:
    """(ilgi lines, named readers' ids, package parts, scans) from the prefetched objects."""
    try:
        package = document.package
    except IncomingPackage.DoesNotExist:
        package = None
    return (
        [(line.label, line.related_id, line.text) for line in document.references.all()],
        [user.pk for user in document.named_readers.all()],
        None
        if package is None
        else [
            (part.pk, part.name, part.role, part.size, part.sha256) for part in package.parts.all()
        ],
        [
            (scan.pk, scan.attachment_id, scan.attachment.filename, scan.status, scan.error,
             scan.pages, scan.finished_at)
            for scan in document.scan_texts.all()
        ],
    )  # fmt: skip


def _package(document, parts, zone):
    try:
        package = document.package
    except IncomingPackage.DoesNotExist:
        return None
    if package is None:
        return None
    return {
        "filename": _text(package.filename),
        "size": package.size,
        "sha256": _text(package.sha256),
        "version": _text(package.version),
        "checks": package.checks,
        "checked_at": _when(package.checked_at, zone),
        "parts": [
            {"id": pk, "name": str(name), "role": str(role), "size": size, "sha256": str(sha)}
            for pk, name, role, size, sha in parts
        ],
    }


class GrantSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConfidentialGrant
        fields = ["id", "user", "reason", "granted_at", "granted_by", "revoked_at",
                  "revoked_by", "revoke_reason"]  # fmt: skip
        read_only_fields = ["id", "granted_at", "granted_by", "revoked_at", "revoked_by",
                            "revoke_reason"]  # fmt: skip


class RevokeGrantSerializer(serializers.Serializer):
    grant = serializers.IntegerField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ConfidentialViewSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConfidentialView
        fields = ["id", "time", "user", "what", "detail", "request_id"]
        read_only_fields = fields


class DispatchSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("The distribution line's id."))
    channel = serializers.ChoiceField(choices=DispatchChannel.choices)
    dispatched_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("Empty: now.")
    )


class KepEvidenceSerializer(serializers.ModelSerializer):
    """One delivery evidence (delil): what it says, when, why, where that was read from, the
    message it came in (kept whole in the KEP mailbox's intake), and whether that message's
    S/MIME signature verifies against the trust store (``signature_state``: verified,
    refused, unsigned, or empty when received before it was checked), by whom, and why not."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    mail = serializers.IntegerField(
        source="mail_id",
        allow_null=True,
        read_only=True,
        help_text=_("The received message (delil) kept whole."),
    )
    message_id = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()

    class Meta:
        model = KepEvidence
        fields = ["id", "kind", "kind_display", "event_at", "reason", "source", "code",
                  "received_at", "mail", "message_id", "subject", "signature_state",
                  "signature_signer", "signature_problem"]  # fmt: skip
        read_only_fields = fields

    def get_message_id(self, obj) -> str:
        return obj.mail.message_id if obj.mail_id else ""

    def get_subject(self, obj) -> str:
        return obj.mail.subject if obj.mail_id else ""


class KepSendSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("The distribution line's id."))
    address = serializers.CharField(
        max_length=254,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "The recipient's KEP address (e.g. kurum@hs01.kep.tr); empty: the one the line"
            " keeps from an earlier sending."
        ),
    )


class KepDispatchSerializer(serializers.ModelSerializer):
    evidence = serializers.SerializerMethodField(
        help_text=_(
            "The delivery evidence (delil) received for this sending, in the order of the"
            " events: accepted, rejected, delivered, not_delivered, read or unknown."
        )
    )

    class Meta:
        model = KepDispatch
        fields = ["id", "line", "address", "sender_address", "state", "message_id", "files",
                  "size", "requested_by", "requested_at", "sent_at", "error", "evidence"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(KepEvidenceSerializer(many=True))
    def get_evidence(self, obj) -> list:
        return KepEvidenceSerializer(obj.evidences.all(), many=True).data


class DispatchRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(source="line.pk")
    number = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    addressee = serializers.CharField()
    address = serializers.CharField()
    subject = serializers.CharField()
    confidential = serializers.BooleanField()
    unit = serializers.IntegerField(source="unit.pk")


class PackageUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The .eyp package."))
    receiving_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    named_readers = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), many=True, required=False
    )
    sdp_code = serializers.PrimaryKeyRelatedField(
        queryset=SdpCode.objects.all(), required=False, allow_null=True
    )
    due_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class PackageCheckSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The .eyp package."))


class PackageProblemSerializer(serializers.Serializer):
    part = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class PackageReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    version = serializers.CharField()
    belge_id = serializers.CharField()
    problems = PackageProblemSerializer(many=True)
    checks = serializers.ListField(child=serializers.CharField())
    parts = serializers.ListField(child=serializers.DictField())
    metadata = serializers.DictField()
    signature = serializers.DictField(
        help_text=_(
            "The signer's verified electronic signature (signer, certificate_serial, issuer,"
            " signing_time, signed_part); empty for an unsigned package. A package whose"
            " signature does not verify against the trust store is refused."
        )
    )
    seal = serializers.DictField(
        help_text=_(
            "The institution's verified e-seal (MuhurCades over the NihaiOzet): subject (the"
            " institution), certificate_serial, fingerprint, issuer, signing_time, sealed_part;"
            " empty for a package that is not sealed. A package whose seal does not verify"
            " against the trust store is refused."
        )
    )


class SenderDataRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class SenderDataSerializer(serializers.Serializer):
    sender_tc_kimlik_no = serializers.CharField()


class RecipientDataSerializer(serializers.Serializer):
    tc_kimlik_no = serializers.CharField()


# --------------------------------------------------------------------------- routing (havale)


class EvrakRoutingSerializer(serializers.ModelSerializer):
    document_number = serializers.CharField(source="document.number", read_only=True)
    awaits_receipt = serializers.BooleanField(read_only=True)

    class Meta:
        model = Routing
        fields = [
            "id", "document", "document_number", "kind", "unit", "assignee", "instruction",
            "due_date", "state", "routed_at", "routed_by", "assigned_at", "assigned_by",
            "handed_over_at", "received_at", "awaits_receipt", "closed_at", "closed_by",
            "outcome", "reply", "reply_number",
        ]  # fmt: skip
        read_only_fields = fields


class EvrakRouteRequestSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    kind = serializers.ChoiceField(choices=RoutingKind.choices, default=RoutingKind.ACTION)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True
    )
    instruction = serializers.CharField(required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True)
    due_in_working_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=365
    )


class EvrakRouteOnRequestSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    instruction = serializers.CharField(required=False, allow_blank=True, default="")


class EvrakCloseRoutingRequestSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    reply = serializers.PrimaryKeyRelatedField(
        queryset=OutgoingDocument.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="A signed outgoing document that cites the routed document in its ilgi.",
    )
    reply_number = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The reply's number when it was written in another system.",
    )


class EvrakUnitSuggestionSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    duty = serializers.IntegerField(source="duty.pk")
    duty_reference = serializers.CharField(source="duty.reference")
    duty_text = serializers.CharField(source="duty.text")


class EvrakWaitingSerializer(serializers.Serializer):
    overdue = EvrakRoutingSerializer(many=True)
    this_week = EvrakRoutingSerializer(many=True)
    waiting = EvrakRoutingSerializer(many=True)


class ReceivedMailSerializer(serializers.ModelSerializer):
    """A message a document mailbox (e-mail, KEP) brought, waiting for registration."""

    mailbox_name = serializers.CharField(source="mailbox.name", read_only=True)

    class Meta:
        model = ReceivedMail
        fields = [
            "id", "mailbox", "mailbox_name", "channel", "message_id", "sender_name",
            "sender_address", "subject", "sent_at", "received_at", "body", "package_name",
            "problems", "state", "document",
        ]  # fmt: skip
        read_only_fields = fields


# ------------------------------------------------------------------ outgoing documents (giden)


class DistributionLineSerializer(serializers.ModelSerializer):
    """A recipient: ``recipient_kind`` left out is taken from the number given (DETSİS: a
    public institution, VKN or MERSİS: a company, TC kimlik: a person, a unit or none: a unit
    of the municipality). A unit of the municipality is its org unit (``unit``; the name is
    taken from it). A person's TC kimlik number is write-only: read it masked, or unmasked
    (and logged) through ``personal-data``."""

    recipient_kind = serializers.ChoiceField(
        choices=RecipientKind.choices,
        required=False,
        help_text=_("Empty: taken from the number given (none: a unit of the municipality)."),
    )
    name = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text=_("The recipient's name; for a unit of the municipality, the unit's name."),
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        help_text=_(
            "A unit of the municipality: the org unit. Without it, a unit of the municipality"
            " is the one active unit named exactly as `name`."
        ),
    )
    tc_kimlik_no_masked = serializers.CharField(source="masked_tc_kimlik_no", read_only=True)
    dispatch_channel = serializers.ChoiceField(
        choices=DispatchChannel.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("How it went to this recipient once signed; empty until then."),
    )

    class Meta:
        model = DistributionLine
        fields = ["id", "kind", "recipient_kind", "name", "unit", "detsis_no", "vkn", "mersis_no",
                  "tc_kimlik_no", "tc_kimlik_no_masked", "address", "dispatch_channel",
                  "dispatched_at", "kep_address"]  # fmt: skip
        read_only_fields = ["id", "dispatch_channel", "dispatched_at"]
        extra_kwargs = {name: {"validators": []} for name in ("detsis_no", "vkn", "mersis_no")} | {
            "tc_kimlik_no": {"validators": [], "write_only": True}
        }


class OutgoingIlgiSerializer(serializers.Serializer):
    label = serializers.CharField()
    incoming = serializers.IntegerField(source="incoming_id", allow_null=True)
    outgoing = serializers.IntegerField(source="outgoing_id", allow_null=True)
    text = serializers.CharField(source="line")


class OutgoingDocumentSerializer(BiysModelSerializer):
    """A draft is created and changed through the service: ``distribution`` and the ilgi lists
    (``related_incoming``, ``related_outgoing``, ``reference_texts``), when sent, replace what
    was there. The number (sayı) is given at signature."""

    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    signer = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True
    )
    distribution = DistributionLineSerializer(many=True, required=False)
    related_incoming = serializers.PrimaryKeyRelatedField(
        queryset=IncomingDocument.objects.all(), many=True, required=False, write_only=True
    )
    related_outgoing = serializers.PrimaryKeyRelatedField(
        queryset=OutgoingDocument.objects.all(), many=True, required=False, write_only=True
    )
    reference_texts = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, write_only=True
    )
    references = OutgoingIlgiSerializer(many=True, read_only=True)
    masked = serializers.SerializerMethodField(
        help_text=_(
            "True for a Gizli or Çok Gizli document of the user's units that they neither"
            " drafted, sign nor initial and hold no grant for: only its number, state, unit,"
            ' marking and dates are given, the subject reads "Gizli" and the rest is empty.'
        )
    )

    def get_masked(self, obj) -> bool:
        return bool(getattr(obj, "masked", False))

    def to_representation(self, instance):
        if not getattr(instance, "masked", False):
            return super().to_representation(instance)
        from biys.evrak.selectors import mask_row

        mask_row(instance)
        data = super().to_representation(instance)
        for name in ("distribution", "references"):
            data[name] = []
        return data

    class Meta:
        model = OutgoingDocument
        fields = [
            "id", "display", "unit", "state", "number", "year", "record_no", "subject",
            "sdp_code", "confidentiality", "urgency", "due_date", "body", "notes", "signer",
            "signer_title", "version", "distribution", "related_incoming", "related_outgoing",
            "reference_texts", "references", "created_by", "signed_at", "file", "archive_state",
            "masked", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = [
            "state", "number", "year", "record_no", "version", "created_by", "signed_at",
        ]  # fmt: skip

    def validate(self, attrs):
        return attrs  # the service checks the rules (unit, due date, signer, permission)

    def _save(self, document, validated_data):
        from biys.evrak import outgoing_services

        distribution = validated_data.pop("distribution", None)
        return outgoing_services.save_outgoing_draft(
            user=self.context["request"].user,
            document=document,
            distribution=[dict(line) for line in distribution]
            if distribution is not None
            else None,
            **validated_data,
        )

    def create(self, validated_data):
        return self._save(None, validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


class OutgoingSealStateSerializer(serializers.Serializer):
    """Where the document's e-Yazışma package stands with the institution's e-seal."""

    state = serializers.ChoiceField(
        choices=[("awaiting", _("awaiting the e-seal")), ("sealed", _("sealed"))],
        help_text=_(
            "awaiting: signed, the installation seals its packages and the sealing agent has"
            " not sealed this one yet (the package cannot be downloaded until then); sealed:"
            " the institution's e-seal was accepted."
        ),
    )
    subject = serializers.CharField(help_text=_("The seal certificate's subject (sealed only)."))
    sealed_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the seal was accepted (sealed only).")
    )
    fingerprint = serializers.CharField(
        help_text=_("The seal certificate's SHA-256 fingerprint (sealed only).")
    )


class OutgoingDocumentDetailSerializer(OutgoingDocumentSerializer):
    """One outgoing document, with the state of its institutional e-seal."""

    seal = serializers.SerializerMethodField(
        help_text=_(
            "The institutional e-seal of the document's package: null when there is nothing"
            " to seal (not signed, no public-institution recipient, the installation does not"
            " seal) or for a masked row."
        )
    )

    @extend_schema_field(OutgoingSealStateSerializer(allow_null=True))
    def get_seal(self, obj):
        if getattr(obj, "masked", False):
            return None
        from biys.evrak.sealing import seal_state

        state = seal_state(obj)
        return OutgoingSealStateSerializer(state).data if state else None

    class Meta(OutgoingDocumentSerializer.Meta):
        fields = [*OutgoingDocumentSerializer.Meta.fields, "seal"]


class ApprovalStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApprovalStep
        fields = ["order", "user", "parafed_at", "parafed_version"]
        read_only_fields = fields


class ApprovalEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApprovalEvent
        fields = ["kind", "at", "user", "version", "note"]
        read_only_fields = fields


class OutgoingNumberSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutgoingNumber
        fields = ["number", "year", "record_no", "state", "reason", "reserved_at", "closed_at"]
        read_only_fields = fields


class OutgoingSignatureSerializer(serializers.ModelSerializer):
    """A signature request and, once accepted, who signed with which certificate."""

    class Meta:
        model = OutgoingSignature
        fields = [
            "id",
            "version",
            "state",
            "digest",
            "content_type",
            "requested_at",
            "signer_subject",
            "certificate_serial",
            "signing_time",
            "accepted_at",
        ]
        read_only_fields = fields


class OutgoingApprovalSerializer(serializers.Serializer):
    """The approval path of a document, its record, every number it was given and its
    electronic signature requests."""

    state = serializers.CharField()
    signer = serializers.IntegerField(source="signer_id", allow_null=True)
    steps = ApprovalStepSerializer(source="approval_steps", many=True)
    events = ApprovalEventSerializer(source="approval_events", many=True)
    numbers = OutgoingNumberSerializer(many=True)
    signatures = OutgoingSignatureSerializer(many=True)


class SignatureRequestSerializer(serializers.ModelSerializer):
    """What the signing agent signs: the exact bytes (base64) and their digest."""

    document = serializers.IntegerField(source="document_id", read_only=True)
    digest_algorithm = serializers.SerializerMethodField(
        help_text=_("The digest algorithm: always sha-256.")
    )
    content = serializers.SerializerMethodField(
        help_text=_("The exact bytes to sign, base64: the digest is their SHA-256.")
    )

    class Meta:
        model = OutgoingSignature
        fields = [
            "id",
            "document",
            "version",
            "state",
            "digest_algorithm",
            "digest",
            "content_type",
            "content",
            "requested_at",
        ]
        read_only_fields = fields

    def get_digest_algorithm(self, obj) -> str:
        return "sha-256"

    def get_content(self, obj) -> str:
        import base64

        return base64.b64encode(bytes(obj.content)).decode("ascii")


class CadesSignatureSerializer(serializers.Serializer):
    signature = serializers.CharField(
        help_text=_(
            "The detached CAdES signature (CMS SignedData, DER), base64, over the content of"
            " the signature request."
        )
    )

    def validate_signature(self, value: str) -> bytes:
        import base64
        import binascii

        try:
            return base64.b64decode("".join(value.split()), validate=True)
        except (binascii.Error, ValueError) as error:
            raise serializers.ValidationError(_("Send the signature in base64.")) from error


def _base64(value: str, what: str) -> bytes:
    import base64
    import binascii

    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError) as error:
        raise serializers.ValidationError(what) from error


class AwaitingSealSerializer(serializers.Serializer):
    """A signed outgoing document whose package awaits the institution's e-seal: no subject,
    no content (the sealing agent sees only what it seals)."""

    document = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    signed_at = serializers.DateTimeField()
    seal_request_url = serializers.SerializerMethodField()

    def get_seal_request_url(self, obj) -> str:
        return reverse("evrak-seal-request", kwargs={"document": obj.pk})


class SealRequestSerializer(serializers.ModelSerializer):
    """What the sealing agent seals: the exact bytes of the package's NihaiÖzet (base64) and
    their SHA-256 digest."""

    document = serializers.IntegerField(source="document_id", read_only=True)
    number = serializers.CharField(source="document.number", read_only=True)
    belge_id = serializers.CharField(source="document.belge_id", read_only=True)
    digest_algorithm = serializers.SerializerMethodField(
        help_text=_("The digest algorithm: always sha-256.")
    )
    content_type = serializers.SerializerMethodField()
    content = serializers.SerializerMethodField(
        help_text=_(
            "The exact bytes to seal, base64: the package's /NihaiOzet/NihaiOzet.xml; the"
            " digest is their SHA-256."
        )
    )

    class Meta:
        model = OutgoingSeal
        fields = [
            "id",
            "document",
            "number",
            "belge_id",
            "state",
            "digest_algorithm",
            "digest",
            "content_type",
            "content",
            "requested_at",
        ]
        read_only_fields = fields

    def get_digest_algorithm(self, obj) -> str:
        return "sha-256"

    def get_content_type(self, obj) -> str:
        return "application/xml"

    def get_content(self, obj) -> str:
        import base64

        from biys.evrak.eyp_writer import nihai_ozet

        return base64.b64encode(nihai_ozet(bytes(obj.package))).decode("ascii")


class CadesSealSerializer(serializers.Serializer):
    seal = serializers.CharField(
        help_text=_(
            "The institution's e-seal: a detached CAdES signature (CMS SignedData, DER), base64,"
            " over the content of the sealing request."
        )
    )

    def validate_seal(self, value: str) -> bytes:
        return _base64(value, _("Send the seal in base64."))


class AcceptedSealSerializer(serializers.ModelSerializer):
    """The accepted seal: the seal certificate and the sealed package's address."""

    document = serializers.IntegerField(source="document_id", read_only=True)
    number = serializers.CharField(source="document.number", read_only=True)
    belge_id = serializers.CharField(source="document.belge_id", read_only=True)

    class Meta:
        model = OutgoingSeal
        fields = [
            "id",
            "document",
            "number",
            "belge_id",
            "state",
            "digest",
            "subject",
            "certificate_serial",
            "fingerprint",
            "signing_time",
            "accepted_at",
        ]
        read_only_fields = fields


class RevocationListSummarySerializer(serializers.ModelSerializer):
    """The CRL of a certificate authority of the trust store (loaded on the admin site, with
    ``biys documents load-crl`` or fetched): read only."""

    class Meta:
        model = RevocationList
        fields = [
            "issuer",
            "crl_number",
            "this_update",
            "next_update",
            "revoked_count",
            "fingerprint",
            "url",
            "loaded_at",
            "last_attempt",
            "last_error",
        ]
        read_only_fields = fields


class RevocationListSerializer(BiysModelSerializer):
    """The CRL of a certificate authority of the trust store (read only: loaded by ``upload``
    or ``fetch``); ``current``: its next update has not passed."""

    current = serializers.SerializerMethodField(
        help_text=_("The next update has not passed: signatures under the authority are checked.")
    )

    class Meta:
        model = RevocationList
        fields = [
            "id",
            "display",
            "authority",
            "issuer",
            "crl_number",
            "this_update",
            "next_update",
            "current",
            "revoked_count",
            "fingerprint",
            "url",
            "loaded_at",
            "last_attempt",
            "last_error",
        ]
        read_only_fields = fields

    def get_current(self, obj) -> bool:
        from django.utils import timezone

        return obj.next_update >= timezone.now()


class EvrakMailboxSerializer(BiysModelSerializer):
    """A document mailbox (an e-mail or KEP account whose messages arrive as incoming
    documents of ``receiving_unit``; a KEP one with ``smtp_host`` also sends). Written through
    ``services.save_mailbox``, as the pages are. The passwords are write-only: never in a
    response (``has_password``, ``has_smtp_password`` say whether one is stored); empty or left
    out keeps the stored one, unless the server or user name it goes to changed (then it must be
    given again: a 400 at ``password`` / ``smtp_password``). A new mailbox needs its password."""

    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        style={"input_type": "password"},
        help_text=_(
            "The IMAP password; empty keeps the stored one unless the server or user name"
            " changed. Never returned."
        ),
    )
    smtp_password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        style={"input_type": "password"},
        help_text=_(
            "The SMTP password (empty: the IMAP one is used); empty keeps the stored one unless"
            " the SMTP server or user name changed. Never returned."
        ),
    )
    has_password = serializers.SerializerMethodField(help_text=_("An IMAP password is stored."))
    has_smtp_password = serializers.SerializerMethodField(
        help_text=_("An SMTP password of its own is stored.")
    )
    receiving_unit_name = serializers.CharField(source="receiving_unit.name", read_only=True)

    PASSWORDS = ("password", "smtp_password")

    class Meta:
        model = EvrakMailbox
        fields = [
            "id", "display", "name", "kind", "receiving_unit", "receiving_unit_name",
            "is_active", "host", "port", "use_ssl", "username", "password", "has_password",
            "folder", "address", "smtp_host", "smtp_port", "smtp_security", "smtp_username",
            "smtp_password", "has_smtp_password", "last_polled_at", "last_error", "created",
            "last_updated",
        ]  # fmt: skip

    def get_has_password(self, obj) -> bool:
        return bool(obj.password)

    def get_has_smtp_password(self, obj) -> bool:
        return bool(obj.smtp_password)

    def validate(self, attrs):
        # The passwords are the service's to judge (empty keeps the stored one): the model's
        # checks run on the other fields only.
        typed = {name: attrs.pop(name) for name in self.PASSWORDS if name in attrs}
        return {**super().validate(attrs), **typed}

    def create(self, validated_data):
        return self._save(None, validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

    def _save(self, mailbox, validated_data):
        from django.core.exceptions import ValidationError

        from biys.evrak import services

        values = {
            name: validated_data[name] for name in services.MAILBOX_FIELDS if name in validated_data
        }
        try:
            return services.save_mailbox(
                user=self.context["request"].user,
                mailbox=mailbox,
                password=validated_data.get("password", ""),
                smtp_password=validated_data.get("smtp_password", ""),
                **values,
            )
        except ValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error


class MailboxCheckSerializer(serializers.Serializer):
    server = serializers.CharField(help_text=_("The server and its address, e.g. IMAP (host:993)."))
    ok = serializers.BooleanField()
    message = serializers.CharField()


class MailboxConnectionSerializer(serializers.Serializer):
    results = MailboxCheckSerializer(many=True)


class RevocationListUploadSerializer(serializers.Serializer):
    authority = serializers.PrimaryKeyRelatedField(
        queryset=TrustedCertificate.objects.all(),
        help_text=_("The certificate authority of the trust store whose key signed the CRL."),
    )
    file = serializers.FileField(help_text=_("The CRL, PEM or DER."))
    url = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Where the next CRL is fetched from (http or https)."),
    )


class RevocationListFetchSerializer(serializers.Serializer):
    url = serializers.CharField(help_text=_("The address that answered, or empty."))
    loaded = serializers.BooleanField(help_text=_("A newer CRL was loaded."))
    revocation_list = RevocationListSerializer(allow_null=True)


class TrustedCertificateSerializer(BiysModelSerializer):
    """A certificate of the trust store. ``certificate`` on creation: the PEM text (or the DER
    in base64); subject, issuer, fingerprint and validity are read from it."""

    certificate = serializers.CharField(
        required=False,
        help_text=_("On creation: the certificate, PEM or base64 DER. Read: the PEM."),
    )
    revocation_list = RevocationListSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = TrustedCertificate
        fields = [
            "id",
            "display",
            "name",
            "certificate",
            "subject",
            "issuer",
            "serial_number",
            "fingerprint",
            "not_before",
            "not_after",
            "is_root",
            "active",
            "notes",
            "revocation_list",
            "created",
            "last_updated",
        ]
        read_only_fields = [
            "subject",
            "issuer",
            "serial_number",
            "fingerprint",
            "not_before",
            "not_after",
            "is_root",
            "created",
            "last_updated",
        ]
        extra_kwargs = {"name": {"required": False}}

    def validate(self, attrs):
        certificate = attrs.pop("certificate", None)
        if self.instance is None and not certificate:
            raise serializers.ValidationError({"certificate": [_("Give the certificate.")]})
        attrs = super().validate(attrs)
        if certificate and self.instance is None:
            attrs["certificate"] = certificate
        return attrs

    def create(self, validated_data):
        import base64
        import binascii

        from django.core.exceptions import ValidationError

        from biys.evrak import signing

        text = validated_data.pop("certificate")
        data = text.encode("utf-8")
        if b"-----BEGIN" not in data:
            try:
                data = base64.b64decode("".join(text.split()), validate=True)
            except (binascii.Error, ValueError):
                data = b""
        request = self.context.get("request")
        try:
            return signing.add_trusted_certificate(
                user=getattr(request, "user", None),
                data=data,
                name=validated_data.get("name", ""),
                active=validated_data.get("active", True),
                notes=validated_data.get("notes", ""),
            )
        except ValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error


class SigningRuleSerializer(BiysModelSerializer):
    """A signing authority (imza yetkisi): documents of ``confidentiality`` (empty: any) with
    a distribution line of the ``recipients`` kind (empty: any) are signed at ``level`` or
    above. Written through ``outgoing_services.save_signing_rule`` (change-logged)."""

    class Meta:
        model = SigningRule
        fields = [
            "id", "display", "name", "confidentiality", "recipients", "level", "active", "notes",
            "created", "last_updated",
        ]  # fmt: skip

    def create(self, validated_data):
        from biys.evrak import outgoing_services

        return outgoing_services.save_signing_rule(
            user=self.context["request"].user, **validated_data
        )

    def update(self, instance, validated_data):
        from biys.evrak import outgoing_services

        return outgoing_services.save_signing_rule(
            user=self.context["request"].user, rule=instance, **validated_data
        )


class SubmitForApprovalSerializer(serializers.Serializer):
    path = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(),
        many=True,
        help_text=_("The people who initial (paraf), in order; the signer signs after them."),
    )


class ReturnToWriterSerializer(serializers.Serializer):
    note = serializers.CharField()


# ------------------------------------------------------------------ files, archive and disposal


class DocumentFileSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    sdp = serializers.CharField(source="sdp_code.code", read_only=True)
    sdp_title = serializers.CharField(source="sdp_code.title", read_only=True)
    unit_retention_years = serializers.IntegerField(
        source="sdp_code.unit_retention_years", read_only=True, allow_null=True
    )
    archive_retention_years = serializers.IntegerField(
        source="sdp_code.archive_retention_years", read_only=True, allow_null=True
    )
    final_disposition = serializers.CharField(source="sdp_code.final_disposition", read_only=True)
    incoming_count = serializers.IntegerField(read_only=True)
    outgoing_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = DocumentFile
        fields = [
            "id", "unit", "unit_name", "sdp_code", "sdp", "sdp_title", "year", "state",
            "unit_retention_years", "archive_retention_years", "final_disposition",
            "incoming_count", "outgoing_count", "transfer_decision", "destruction_decision",
            "handover_list", "handover_item",
        ]  # fmt: skip
        read_only_fields = fields


class YearEndSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    transfer = DocumentFileSerializer(many=True, read_only=True)
    destroy = DocumentFileSerializer(many=True, read_only=True)
    handover = DocumentFileSerializer(
        many=True,
        read_only=True,
        required=False,
        help_text=_(
            "Due for hand-over to the State Archives; for holders of the hand-over permission."
        ),
    )


class ArchiveDecisionSerializer(serializers.ModelSerializer):
    files = serializers.PrimaryKeyRelatedField(
        queryset=DocumentFile.objects.all(),
        many=True,
        required=False,
        write_only=True,
        help_text=_("The files decided on; all the files due when left out."),
    )
    members = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), many=True)
    file_ids = serializers.SerializerMethodField()

    class Meta:
        model = DisposalDecision
        fields = [
            "id", "kind", "year", "decision_date", "decision_number", "members", "files",
            "file_ids", "approved_by", "approved_at", "handed_over_on", "handed_over_by",
        ]  # fmt: skip
        read_only_fields = ["approved_by", "approved_at", "handed_over_on", "handed_over_by"]

    def get_file_ids(self, decision) -> list[int]:
        related = {
            "destroy": decision.destroyed_files,
            "handover": decision.handover_files,
        }.get(decision.kind, decision.transferred_files)
        return sorted(related.values_list("pk", flat=True))


class HandoverItemSerializer(DocumentFileSerializer):
    first_date = serializers.DateTimeField(read_only=True, allow_null=True)
    last_date = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta(DocumentFileSerializer.Meta):
        fields = [*DocumentFileSerializer.Meta.fields, "first_date", "last_date"]
        read_only_fields = fields


class HandoverListSerializer(ArchiveDecisionSerializer):
    """A hand-over list to the State Archives with its numbered items."""

    items = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    csv_url = serializers.SerializerMethodField()

    class Meta(ArchiveDecisionSerializer.Meta):
        fields = [*ArchiveDecisionSerializer.Meta.fields, "items", "pdf_url", "csv_url"]

    @extend_schema_field(HandoverItemSerializer(many=True))
    def get_items(self, decision):
        from biys.evrak import selectors

        return HandoverItemSerializer(selectors.handover_items(decision), many=True).data

    def get_pdf_url(self, decision) -> str:
        return reverse("evrak:handover_pdf", args=[decision.pk])

    def get_csv_url(self, decision) -> str:
        return reverse("evrak:handover_csv", args=[decision.pk])


class HandoverCompleteSerializer(serializers.Serializer):
    handed_over_on = serializers.DateField(
        help_text=_("The day the State Archives took the material over.")
    )


class ArchiveLinkSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    time = serializers.DateTimeField()
    authority = serializers.CharField()
    authority_expires = serializers.DateTimeField()
    problem = serializers.CharField()


class ArchiveChainSerializer(serializers.Serializer):
    """A kept package's archive time-stamp chain and whether it proves the package."""

    ok = serializers.BooleanField()
    proven_since = serializers.DateTimeField(allow_null=True)
    package_sha256 = serializers.CharField()
    links = ArchiveLinkSerializer(many=True)
    problems = serializers.ListField(child=serializers.CharField())
