from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ListKind(models.TextChoices):
    """The pick-lists of the processing inventory, as VERBİS names them."""

    DATA_CATEGORY = "data_category", _("Data category")
    PURPOSE = "purpose", _("Processing purpose")
    LEGAL_BASIS = "legal_basis", _("Legal basis")
    SUBJECT_GROUP = "subject_group", _("Data-subject group")
    RECIPIENT_GROUP = "recipient_group", _("Recipient group")
    TECHNICAL_MEASURE = "technical_measure", _("Technical measure")
    ADMINISTRATIVE_MEASURE = "administrative_measure", _("Administrative measure")


class Right(models.TextChoices):
    """What a data subject asks for (KVKK md. 11, applied through md. 13)."""

    LEARN = "learn", _("Learn whether their data is processed (11/a)")
    INFORMATION = "information", _("Information on the processing (11/b)")
    PURPOSE = "purpose", _("The purpose and its fitting use (11/c)")
    RECIPIENTS = "recipients", _("The third parties it is transferred to (11/ç)")
    CORRECTION = "correction", _("Correction of incomplete or wrong data (11/d)")
    ERASURE = "erasure", _("Erasure or destruction (11/e)")
    NOTIFY_THIRD_PARTIES = "notify", _("Notice of a correction or erasure to third parties (11/f)")
    OBJECTION = "objection", _("Objection to a result of automated analysis (11/g)")
    DAMAGES = "damages", _("Compensation of a damage (11/ğ)")


class Channel(models.TextChoices):
    """How a request arrived (Veri Sorumlusuna Başvuru Usul ve Esasları Hakkında Tebliğ md. 5)."""

    WRITTEN = "written", _("In writing (by hand or by post)")
    KEP = "kep", _("Registered e-mail (KEP)")
    SECURE_SIGNATURE = "e_signature", _("Secure electronic or mobile signature")
    EMAIL = "email", _("The applicant's e-mail address known to us")
    OTHER = "other", pgettext_lazy("request channel", "Other")


class RequestState(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("data-subject request", "Received")
    IN_PROGRESS = "in_progress", _("Being answered")
    ANSWERED = "answered", pgettext_lazy("data-subject request", "Answered")


OPEN_STATES = (RequestState.RECEIVED, RequestState.IN_PROGRESS)


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REFUSED = "refused", _("Refused with its reason")
