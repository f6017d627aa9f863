"""The code lists of official correspondence, with the e-Yazışma 2.x codes as values
(RULES.md: Resmi Yazışmalarda Uygulanacak Usul ve Esaslar Hakkında Yönetmelik, e-Yazışma
Teknik Rehberi code lists KodGuvenlik-2 and KodIvedilik-2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Confidentiality(models.TextChoices):
    NONE = "YOK", pgettext_lazy("confidentiality", "None")
    RESTRICTED = "HZO", _("Hizmete Özel (restricted)")
    PRIVATE = "OZL", _("Özel (private)")
    SECRET = "GZL", _("Gizli (secret)")
    TOP_SECRET = "CGZ", _("Çok Gizli (top secret)")


# Visible only to the people named on the document, never through a unit-wide role.
NAMED_ONLY = (Confidentiality.SECRET, Confidentiality.TOP_SECRET)


class Urgency(models.TextChoices):
    NORMAL = "NRM", _("Normal")
    URGENT = "ACL", _("Acele (urgent)")
    DATED = "GNL", _("Günlüdür (dated)")


class SenderKind(models.TextChoices):
    INSTITUTION = "institution", pgettext_lazy("sender", "Public institution")
    COMPANY = "company", pgettext_lazy("sender", "Company")
    PERSON = "person", pgettext_lazy("sender", "Person")


class Channel(models.TextChoices):
    PAPER = "paper", _("Paper (scanned)")
    EYP = "eyp", _("e-Yazışma package (.eyp)")
    EMAIL = "email", _("E-mail")
    KEP = "kep", _("KEP (registered e-mail)")


class MailboxKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    KEP = "kep", _("KEP (registered e-mail)")


class MailState(models.TextChoices):
    WAITING = "waiting", _("Waiting for registration")
    REGISTERED = "registered", pgettext_lazy("mail", "Registered")
    DISMISSED = "dismissed", _("Not a document")
    EVIDENCE = "evidence", _("KEP delivery evidence")


class RoutingKind(models.TextChoices):
    ACTION = "action", _("For action (gereği)")
    INFO = "info", _("For information (bilgi)")


class RoutingState(models.TextChoices):
    OPEN = "open", pgettext_lazy("routing", "Open")
    CLOSED = "closed", pgettext_lazy("routing", "Closed")
    SUPERSEDED = "superseded", _("Routed elsewhere")


class RecognitionStatus(models.TextChoices):
    """Text recognition (OCR) of a scan, in the background."""

    PENDING = "pending", pgettext_lazy("recognition", "Waiting")
    RUNNING = "running", pgettext_lazy("recognition", "Reading")
    DONE = "done", pgettext_lazy("recognition", "Done")
    FAILED = "failed", pgettext_lazy("recognition", "Failed")


class DistributionKind(models.TextChoices):
    """e-Yazışma KodDagitimTuru: for action (gereği) or for information (bilgi)."""

    ACTION = "GRG", _("Gereği (for action)")
    INFO = "BLG", _("Bilgi (for information)")


class OutgoingState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("outgoing", "Draft")
    APPROVAL = "approval", _("In approval (paraf)")
    SIGNED = "signed", pgettext_lazy("outgoing", "Signed")


class ApprovalEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Sent for approval")
    PARAF = "paraf", _("Initialled (paraf)")
    RETURNED = "returned", _("Returned to the writer")
    RESET = "reset", _("Changed after a paraf: parafs reset")
    NUMBER_TAKEN = "number", _("Number taken for the signature")
    SIGNED = "signed", pgettext_lazy("outgoing", "Signed")
    NUMBER_CANCELLED = "cancelled", _("Number cancelled (iptal)")


class SignatureState(models.TextChoices):
    PENDING = "pending", _("Awaiting the signature")
    ACCEPTED = "accepted", _("Accepted")
    SUPERSEDED = "superseded", _("Superseded by a new version")


class NumberState(models.TextChoices):
    RESERVED = "reserved", _("Reserved for a signature")
    USED = "used", _("Used")
    CANCELLED = "cancelled", _("Cancelled (iptal)")


class FinalDisposition(models.TextChoices):
    """What becomes of a file once its time in the institutional archive is over."""

    DESTROY = "destroy", _("Destroy (imha)")
    STATE_ARCHIVES = "state_archives", _("Hand over to the State Archives")


class ArchiveState(models.TextChoices):
    """Where a file, and every document in it, stands in the archive."""

    CURRENT = "current", _("In the unit (current or unit archive)")
    TRANSFERRED = "transferred", _("Transferred to the institutional archive")
    DESTROYED = "destroyed", _("Destroyed (imha)")
    HANDED_OVER = "handed_over", _("Handed over to the State Archives (devredildi)")


class DisposalKind(models.TextChoices):
    TRANSFER = "transfer", _("Transfer to the institutional archive")
    DESTROY = "destroy", _("Destruction (imha)")
    HANDOVER = "handover", _("Hand-over to the State Archives (devir)")


class ConfidentialViewKind(models.TextChoices):
    """What of a Gizli or Çok Gizli document was seen (its view log)."""

    PAGE = "page", _("Document page")
    API = "api", _("API detail")
    FILE = "file", _("File download")
    SCAN_TEXT = "scan_text", _("Recognised text (OCR)")
    PART = "part", _("Package part")
    PDF = "pdf", _("PDF")
    PACKAGE = "package", _("e-Yazışma package")


class DispatchChannel(models.TextChoices):
    """How an outgoing document went to one recipient."""

    PAPER = "paper", _("Paper (post)")
    KEP = "kep", _("KEP (registered e-mail)")
    EYAZISMA = "eyazisma", _("e-Yazışma (DETSİS)")
    HAND = "hand", _("Hand delivery")


class SignerLevel(models.TextChoices):
    """Who may sign an outgoing document, counted from its drafting unit upwards (imza
    yetkileri). Each level admits the ones above it (``SIGNER_LEVEL_RANK``)."""

    STAFF = "staff", _("A person of the unit or of a unit above it")
    CHIEF = "chief", _("The unit's chief or above")
    DEPARTMENT_HEAD = "department_head", _("The department head or above")
    TOP = "top", _("The municipality's top management")


SIGNER_LEVEL_RANK = {
    SignerLevel.STAFF: 0,
    SignerLevel.CHIEF: 1,
    SignerLevel.DEPARTMENT_HEAD: 2,
    SignerLevel.TOP: 3,
}


class RecipientKind(models.TextChoices):
    """Who a distribution line of an outgoing document goes to, and what identifies them: a
    public institution its DETSİS number (required: the e-Yazışma package is addressed by it),
    a company its VKN or MERSİS number, a person their TC kimlik number (both optional: a
    letter may go by post to a name and an address), a unit of the municipality nothing."""

    INSTITUTION = "institution", pgettext_lazy("recipient", "Public institution")
    COMPANY = "company", pgettext_lazy("recipient", "Company")
    PERSON = "person", pgettext_lazy("recipient", "Person")
    INTERNAL = "internal", _("Unit of the municipality")


class RecipientScope(models.TextChoices):
    """Which recipients a signing rule is about: a document with at least one line of that
    kind (``RecipientKind``)."""

    ANY = "", _("Any recipient")
    INSTITUTION = "institution", _("A public institution")
    COMPANY = "company", _("A company")
    PERSON = "person", _("A person")
    INTERNAL = "internal", _("A unit of the municipality")


class KepState(models.TextChoices):
    """Where a document sent by KEP to one recipient stands (``biys.evrak.kep``): queued, sent
    or failed by BİYS; past *sent*, what the provider's evidence (delil) says
    (``services.kep_state_from``)."""

    QUEUED = "queued", pgettext_lazy("kep", "Queued")
    SENT = "sent", pgettext_lazy("kep", "Sent")
    FAILED = "failed", pgettext_lazy("kep", "Failed")
    ACCEPTED = "accepted", pgettext_lazy("kep", "Accepted by the provider")
    REJECTED = "rejected", pgettext_lazy("kep", "Rejected by the provider")
    DELIVERED = "delivered", pgettext_lazy("kep", "Delivered")
    NOT_DELIVERED = "not_delivered", pgettext_lazy("kep", "Not delivered")
    READ = "read", pgettext_lazy("kep", "Read")


class KepEvidenceKind(models.TextChoices):
    """What a KEP provider's evidence (delil) says of a message BİYS sent
    (``biys.evrak.kep_evidence``)."""

    ACCEPTED = "accepted", pgettext_lazy("kep evidence", "Accepted (kabul)")
    REJECTED = "rejected", pgettext_lazy("kep evidence", "Rejected by the provider")
    DELIVERED = "delivered", pgettext_lazy("kep evidence", "Delivered (teslim)")
    NOT_DELIVERED = "not_delivered", pgettext_lazy("kep evidence", "Not delivered")
    READ = "read", pgettext_lazy("kep evidence", "Read")
    UNKNOWN = "unknown", pgettext_lazy("kep evidence", "Not recognised")


class KepEvidenceSource(models.TextChoices):
    """Where the kind of an evidence was read from, most trusted first."""

    REM = "rem", _("ETSI REM evidence (XML)")
    PEC = "pec", _("Certified mail receipt (daticert.xml)")
    REPORT = "report", _("Delivery or read report (DSN, MDN)")
    HEADER = "header", _("Provider header")
    SUBJECT = "subject", _("Subject keywords")
    NONE = "", _("Nothing recognised")


class KepSignatureState(models.TextChoices):
    """Whether an evidence message's S/MIME signature verifies (``biys.evrak.kep_signature``);
    empty for an evidence received before it was checked."""

    VERIFIED = "verified", pgettext_lazy("kep signature", "Signature verified")
    REFUSED = "refused", pgettext_lazy("kep signature", "Signature does not verify")
    UNSIGNED = "unsigned", pgettext_lazy("kep signature", "Not signed")
    NOT_CHECKED = "", pgettext_lazy("kep signature", "Not checked")


class SmtpSecurity(models.TextChoices):
    """How the KEP account's SMTP server is reached."""

    SSL = "ssl", _("SSL/TLS (port 465)")
    STARTTLS = "starttls", _("STARTTLS (port 587)")
    NONE = "none", _("None (a test server only)")
