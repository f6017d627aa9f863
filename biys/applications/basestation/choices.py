"""Choices of base-station sites (baz istasyonu)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SiteKind(models.TextChoices):
    ROOFTOP = "rooftop", _("Rooftop")
    TOWER = "tower", _("Tower (pylon)")
    POLE = "pole", _("Pole")
    MOBILE = "mobile", _("Mobile (temporary)")


class SiteState(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("base-station site", "Received")
    INSPECTED = "inspected", pgettext_lazy("base-station site", "Inspected")
    APPROVED = "approved", pgettext_lazy("base-station site", "Approved")
    CONTRACTED = "contracted", pgettext_lazy("base-station site", "Under contract")
    REFUSED = "refused", pgettext_lazy("base-station site", "Refused")


class Decision(models.TextChoices):
    APPROVED = "approved", pgettext_lazy("site decision", "Approved")
    REFUSED = "refused", pgettext_lazy("site decision", "Refused")


class ContractKind(models.TextChoices):
    FEE = "fee", _("Fee (ücret, by the tariff)")
    RENT = "rent", _("Rent (kira, municipal property)")


class ComplaintState(models.TextChoices):
    OPEN = "open", pgettext_lazy("site complaint", "Open")
    ANSWERED = "answered", pgettext_lazy("site complaint", "Answered")
