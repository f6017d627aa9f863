"""Choices of address numbering and street naming (numarataj)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StreetKind(models.TextChoices):
    STREET = "sokak", _("Street (sokak)")
    AVENUE = "cadde", _("Avenue (cadde)")
    BOULEVARD = "bulvar", _("Boulevard (bulvar)")
    SQUARE = "meydan", _("Square (meydan)")
    LANE = "cikmaz", _("Dead end (çıkmaz)")


class FeeKind(models.TextChoices):
    """What the council's numbering tariff charges for: the certificate, the building's door
    number (dış kapı) and each inner door number (iç kapı)."""

    CERTIFICATE = "certificate", _("Numbering certificate")
    DOOR_NUMBER = "door_number", _("Door number (dış kapı)")
    INNER_NUMBER = "inner_number", _("Inner door number (iç kapı), each")


class RequestState(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("numbering request", "Received")
    VISITED = "visited", pgettext_lazy("numbering request", "Visited")
    NUMBERED = "numbered", pgettext_lazy("numbering request", "Numbered")
    ACCRUED = "accrued", pgettext_lazy("numbering request", "Accrued")
    PAID = "paid", pgettext_lazy("numbering request", "Paid")
    ISSUED = "issued", pgettext_lazy("numbering request", "Certificate issued")
    REFUSED = "refused", pgettext_lazy("numbering request", "Refused")


CLOSED_STATES = (RequestState.ISSUED, RequestState.REFUSED)


class ProposalState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("street naming", "Being prepared")
    SENT = "sent", pgettext_lazy("street naming", "Sent to the council")
    ACCEPTED = "accepted", pgettext_lazy("street naming", "Accepted")
    AMENDED = "amended", pgettext_lazy("street naming", "Accepted with another name")
    REJECTED = "rejected", pgettext_lazy("street naming", "Rejected")


class CouncilDecision(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("council decision", "Accepted")
    AMENDED = "amended", pgettext_lazy("council decision", "Accepted with another name")
    REJECTED = "rejected", pgettext_lazy("council decision", "Rejected")
